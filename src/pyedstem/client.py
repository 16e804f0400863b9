"""`EdStemClient` and `AsyncEdStemClient`: configuration and resource groups.

The clients hold the settings and the request pipeline; the resource groups
define the requests. Nothing here touches the network in a constructor.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx

from ._constants import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_SECONDS,
)
from ._operation import APIRequest, Operation, run_async, run_sync
from ._pipeline import AsyncPipeline, SyncPipeline
from ._stream_core import stream_url
from .config import EdStemSettings, Endpoints
from .errors import ConfigurationError, InvalidArgumentError, WriteOutcomeUnknownError
from .resources._parse import whole_object
from .resources.analytics import Analytics, AsyncAnalytics
from .resources.challenges import AsyncChallenges, Challenges
from .resources.comments import AsyncComments, Comments
from .resources.courses import AsyncCourses, Courses
from .resources.files import AsyncFiles, Files
from .resources.lessons import AsyncLessons, Lessons
from .resources.threads import AsyncThreads, Threads
from .resources.user import AsyncUser, User
from .stream import AsyncEdStream, EdStream

__all__ = ["AsyncEdStemClient", "EdStemClient"]


def _pipeline_settings(
    api_token: str,
    *,
    base_url: str,
    region: str | None,
    static_base_url: str | None,
    timeout_seconds: float,
    max_retries: int,
    max_concurrency: int,
    max_requests_per_second: float | None,
) -> dict[str, Any]:
    if not isinstance(api_token, str) or not api_token.strip():
        raise ConfigurationError(
            "api_token is empty. Pass the token from Ed's Settings > API Tokens "
            "page, or use EdStemClient.from_env() with EDSTEM_API_TOKEN set."
        )
    if any(
        not character.isprintable() or character.isspace()
        for character in api_token.strip()
    ):
        raise ConfigurationError(
            "api_token contains white space or a control character, so it cannot "
            "be sent in a header. Copy the token again from Ed's Settings > API "
            "Tokens page."
        )
    explicit_base = None if base_url == DEFAULT_BASE_URL else base_url
    return {
        "api_token": api_token.strip(),
        "endpoints": Endpoints.resolve(explicit_base, region, static_base_url),
        "timeout_seconds": timeout_seconds,
        "max_retries": max_retries,
        "max_concurrency": max_concurrency,
        "max_requests_per_second": max_requests_per_second,
    }


def _settings_arguments(settings: EdStemSettings) -> dict[str, Any]:
    return {
        "api_token": settings.require_token(),
        "base_url": settings.base_url or DEFAULT_BASE_URL,
        "timeout_seconds": settings.timeout_seconds,
        "region": settings.region,
        "max_retries": settings.max_retries,
        "max_concurrency": settings.max_concurrency,
        "max_requests_per_second": settings.max_requests_per_second,
    }


def _raw_get(path: str, params: dict[str, Any] | None) -> Operation[dict[str, Any]]:
    if not path.startswith("/") or path.startswith("//"):
        raise InvalidArgumentError(
            f"path must be relative to the API base and start with '/', got {path!r}; "
            "for example '/courses/123/labs'."
        )
    return _single_object(APIRequest("GET", path, params=params))


def _single_object(request: APIRequest) -> Operation[dict[str, Any]]:
    response = yield request
    return whole_object(response)


def _check_write_operation(error: WriteOutcomeUnknownError) -> Operation[Any]:
    if error.checker is None:
        raise InvalidArgumentError(
            f"No check is known for {error.method} {error.path}; look at the "
            "object on Ed before sending the write again."
        )
    operation: Operation[Any] = error.checker()
    return operation


class EdStemClient:
    """Synchronous client for the Ed Stem API.

    Args:
        api_token: Ed API token (Settings > API Tokens on Ed).
        base_url: API base URL; the default is Ed's Australian host.
        timeout_seconds: Timeout of each request, in seconds.
        http_client: An httpx client to send requests with; the caller keeps
            ownership and closes it.
        region: ``au``, ``us`` or ``eu``; picks the regional base URL.
        static_base_url: Base of uploaded-file URLs; derived from the region.
        max_retries: How often a failed read is retried; 0 disables retries.
            Writes are never repeated once they may have reached Ed.
        max_concurrency: Requests in flight at once, across threads.
        max_requests_per_second: Client-side rate limit; None for none.

    Attributes:
        user: The account behind the token.
        courses: Course metadata and course-scoped collections.
        threads: Discussion threads, search and answers.
        lessons: Lessons, slides and results.
        analytics: Course analytics.
        challenges: Code challenges.
        comments: Replies to, edits of and actions on answers and comments.
        files: File uploads for images and attachments.
    """

    def __init__(
        self,
        api_token: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        http_client: httpx.Client | None = None,
        *,
        region: str | None = None,
        static_base_url: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        max_requests_per_second: float | None = None,
    ) -> None:
        settings = _pipeline_settings(
            api_token,
            base_url=base_url,
            region=region,
            static_base_url=static_base_url,
            timeout_seconds=timeout_seconds,
            max_retries=max_retries,
            max_concurrency=max_concurrency,
            max_requests_per_second=max_requests_per_second,
        )
        self._pipeline = SyncPipeline(http_client, **settings)
        self.user = User(self._pipeline)
        self.courses = Courses(self._pipeline)
        self.threads = Threads(self._pipeline)
        self.lessons = Lessons(self._pipeline)
        self.analytics = Analytics(self._pipeline)
        self.challenges = Challenges(self._pipeline)
        self.comments = Comments(self._pipeline)
        self.files = Files(self._pipeline)

    @classmethod
    def from_env(cls) -> Self:
        """Create a client from ``EDSTEM_*`` variables and a local ``.env`` file.

        Reads ``EDSTEM_API_TOKEN`` (required), ``EDSTEM_BASE_URL`` or
        ``EDSTEM_REGION``, ``EDSTEM_TIMEOUT_SECONDS``, ``EDSTEM_MAX_RETRIES``,
        ``EDSTEM_MAX_CONCURRENCY`` and ``EDSTEM_MAX_REQUESTS_PER_SECOND``.

        Returns:
            A client configured from the environment.

        Raises:
            pydantic.ValidationError: ``EDSTEM_API_TOKEN`` is missing, or a
                variable has an invalid value; nothing was sent.
        """
        return cls(**_settings_arguments(EdStemSettings()))

    @property
    def base_url(self) -> str:
        """The API base URL requests go to."""
        return self._pipeline.endpoints.base_url

    @property
    def region(self) -> str | None:
        """The Ed region of the base URL, or None for another host."""
        return self._pipeline.endpoints.region

    def static_url(self, file_id: str) -> str:
        """Return the public URL of an uploaded file in this client's region.

        Args:
            file_id: The ``id`` Ed returned for the upload.

        Returns:
            The file's URL on the region's static host.
        """
        return f"{self._pipeline.endpoints.static_base_url}/files/{file_id}"

    def get_json(
        self, path: str, *, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Send a GET to a route that has no method of its own.

        Args:
            path: Path relative to the base URL, such as ``/courses/123/labs``.
            params: Query parameters.

        Returns:
            The decoded JSON body; ``{}`` for an empty body.

        Raises:
            InvalidArgumentError: ``path`` does not start with a single ``/``.
            AuthenticationError: Ed rejected the token.
            NotFoundError: The route or object does not exist.
            RateLimitError: Ed rate-limited the request, after the retries.
            ValidationError: Ed rejected the request as invalid.
            ServerError: Ed failed, after the retries.
        """
        return run_sync(_raw_get(path, params), self._pipeline.send)

    def check_write(self, error: WriteOutcomeUnknownError) -> Any:
        """Look on Ed for the object a write with an unknown outcome created.

        Args:
            error: The exception the write raised.

        Returns:
            The created or changed object if the write landed, else None. Send
            the write again only after this returns None.

        Raises:
            InvalidArgumentError: No check is known for the write.
        """
        return run_sync(_check_write_operation(error), self._pipeline.send)

    def stream(self, *course_ids: int, reconnect: bool = True) -> EdStream:
        """Return Ed's live stream of thread and comment events, not yet open.

        Use it as ``with client.stream(course_id) as stream: for event in
        stream: ...``. Needs the ``stream`` extra (the websockets package).

        Args:
            *course_ids: Courses to subscribe to when the stream opens.
            reconnect: Reopen a lost connection instead of raising.

        Returns:
            The stream; it connects when entered.

        Raises:
            InvalidArgumentError: A course id is not a positive integer.
        """
        return EdStream(
            stream_url(self.base_url),
            self._pipeline.headers(),
            course_ids=course_ids,
            reconnect=reconnect,
        )

    def close(self) -> None:
        """Close the HTTP transport, unless the caller passed its own."""
        self._pipeline.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, region={self.region!r})"
        )


class AsyncEdStemClient:
    """Asynchronous client for the Ed Stem API, the twin of `EdStemClient`.

    The resource groups have the same methods with the same parameters as
    `EdStemClient`'s; each is awaited, and ``iter_*`` methods return async
    iterators. Use ``async with`` or call `aclose`.
    """

    def __init__(
        self,
        api_token: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        http_client: httpx.AsyncClient | None = None,
        *,
        region: str | None = None,
        static_base_url: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        max_requests_per_second: float | None = None,
    ) -> None:
        settings = _pipeline_settings(
            api_token,
            base_url=base_url,
            region=region,
            static_base_url=static_base_url,
            timeout_seconds=timeout_seconds,
            max_retries=max_retries,
            max_concurrency=max_concurrency,
            max_requests_per_second=max_requests_per_second,
        )
        self._pipeline = AsyncPipeline(http_client, **settings)
        self.user = AsyncUser(self._pipeline)
        self.courses = AsyncCourses(self._pipeline)
        self.threads = AsyncThreads(self._pipeline)
        self.lessons = AsyncLessons(self._pipeline)
        self.analytics = AsyncAnalytics(self._pipeline)
        self.challenges = AsyncChallenges(self._pipeline)
        self.comments = AsyncComments(self._pipeline)
        self.files = AsyncFiles(self._pipeline)

    @classmethod
    def from_env(cls) -> Self:
        """Create a client from ``EDSTEM_*`` variables and a local ``.env`` file.

        Reads ``EDSTEM_API_TOKEN`` (required), ``EDSTEM_BASE_URL`` or
        ``EDSTEM_REGION``, ``EDSTEM_TIMEOUT_SECONDS``, ``EDSTEM_MAX_RETRIES``,
        ``EDSTEM_MAX_CONCURRENCY`` and ``EDSTEM_MAX_REQUESTS_PER_SECOND``.

        Returns:
            A client configured from the environment.

        Raises:
            pydantic.ValidationError: ``EDSTEM_API_TOKEN`` is missing, or a
                variable has an invalid value; nothing was sent.
        """
        return cls(**_settings_arguments(EdStemSettings()))

    @property
    def base_url(self) -> str:
        """The API base URL requests go to."""
        return self._pipeline.endpoints.base_url

    @property
    def region(self) -> str | None:
        """The Ed region of the base URL, or None for another host."""
        return self._pipeline.endpoints.region

    def static_url(self, file_id: str) -> str:
        """Return the public URL of an uploaded file in this client's region.

        Args:
            file_id: The ``id`` Ed returned for the upload.

        Returns:
            The file's URL on the region's static host.
        """
        return f"{self._pipeline.endpoints.static_base_url}/files/{file_id}"

    async def get_json(
        self, path: str, *, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Send a GET to a route that has no method of its own.

        Args:
            path: Path relative to the base URL, such as ``/courses/123/labs``.
            params: Query parameters.

        Returns:
            The decoded JSON body; ``{}`` for an empty body.

        Raises:
            InvalidArgumentError: ``path`` does not start with a single ``/``.
            AuthenticationError: Ed rejected the token.
            NotFoundError: The route or object does not exist.
            RateLimitError: Ed rate-limited the request, after the retries.
            ValidationError: Ed rejected the request as invalid.
            ServerError: Ed failed, after the retries.
        """
        return await run_async(_raw_get(path, params), self._pipeline.send)

    async def check_write(self, error: WriteOutcomeUnknownError) -> Any:
        """Look on Ed for the object a write with an unknown outcome created.

        Args:
            error: The exception the write raised.

        Returns:
            The created or changed object if the write landed, else None. Send
            the write again only after this returns None.

        Raises:
            InvalidArgumentError: No check is known for the write.
        """
        return await run_async(_check_write_operation(error), self._pipeline.send)

    def stream(self, *course_ids: int, reconnect: bool = True) -> AsyncEdStream:
        """Return Ed's live stream of thread and comment events, not yet open.

        Use it as ``async with client.stream(course_id) as stream: async for
        event in stream: ...``. Needs the ``stream`` extra (the websockets package).

        Args:
            *course_ids: Courses to subscribe to when the stream opens.
            reconnect: Reopen a lost connection instead of raising.

        Returns:
            The stream; it connects when entered.

        Raises:
            InvalidArgumentError: A course id is not a positive integer.
        """
        return AsyncEdStream(
            stream_url(self.base_url),
            self._pipeline.headers(),
            course_ids=course_ids,
            reconnect=reconnect,
        )

    async def aclose(self) -> None:
        """Close the HTTP transport, unless the caller passed its own."""
        await self._pipeline.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, region={self.region!r})"
        )
