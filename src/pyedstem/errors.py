"""The exceptions pyedstem raises.

Every exception derives from `EdStemError`::

    EdStemError
    ├── ConfigurationError          settings, regions, base URLs, redirects (ValueError)
    ├── InvalidArgumentError        bad input caught before any request (ValueError)
    ├── ResponseValidationError     a 2xx body that does not fit the model
    ├── APIConnectionError          the request failed below HTTP
    │   ├── APITimeoutError
    │   └── WriteOutcomeUnknownError   a write was sent, its outcome is unknown
    └── APIStatusError              Ed returned an error status
        ├── ValidationError         400, 409, 422: Ed rejected the request as invalid
        ├── AuthenticationError     401, and 400 with code "bad_token"
        ├── PermissionDeniedError   403
        ├── NotFoundError           404
        ├── RateLimitError          429
        └── ServerError             5xx

Status errors carry the HTTP method, the request path (never query values), the
status code, Ed's `code` and `message`, and a bounded excerpt of the body. No
exception carries the API token.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ._constants import ERROR_BODY_EXCERPT_CHARS

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "ConfigurationError",
    "EdStemError",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "ValidationError",
    "WriteOutcomeUnknownError",
]


class EdStemError(Exception):
    """Base class of every exception pyedstem raises."""


class ConfigurationError(EdStemError, ValueError):
    """Invalid client settings, such as an unknown region or a wrong base URL."""


class InvalidArgumentError(EdStemError, ValueError):
    """An argument failed validation before any request was sent."""


class ResponseValidationError(EdStemError):
    """A successful response whose body does not match the expected shape.

    Attributes:
        method: The HTTP method of the request.
        path: The request path with its ids, without query values.
        route: The route template, such as ``/threads/{thread_id}``.
        body_excerpt: The start of the response body.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        body_excerpt: str,
        route: str | None = None,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.route = route or path
        self.body_excerpt = body_excerpt


class APIConnectionError(EdStemError):
    """The request failed before an HTTP response arrived.

    The underlying httpx exception is kept as ``__cause__``.

    Attributes:
        method: The HTTP method of the request.
        path: The request path with its ids, without query values.
        route: The route template, such as ``/threads/{thread_id}``.
        request_sent: False when the connection failed before the request
            left the client, so that Ed cannot have seen it.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        request_sent: bool = True,
        route: str | None = None,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.route = route or path
        self.request_sent = request_sent

    def __str__(self) -> str:
        return f"{self.args[0]} ({self.method} {self.path})"


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class WriteOutcomeUnknownError(APIConnectionError):
    """A write reached the network but no response arrived.

    Ed may or may not have applied it, so pyedstem does not send it again.
    Pass the exception to ``client.check_write()`` to look for the object the
    write would have created.
    """

    def __init__(
        self, message: str, *, method: str, path: str, route: str | None = None
    ) -> None:
        super().__init__(message, method=method, path=path, route=route)
        self.checker: Callable[[], Any] | None = None


class APIStatusError(EdStemError):
    """Ed returned an HTTP error status.

    Attributes:
        status_code: The HTTP status code.
        method: The HTTP method of the request.
        path: The request path with its ids, without query values.
        route: The route template, such as ``/threads/{thread_id}``.
        ed_code: The ``code`` field of Ed's error body, such as ``"bad_token"``.
        ed_message: The ``message`` field of Ed's error body.
        body: The parsed JSON body, or None when the body is not JSON.
        body_excerpt: The start of the body as text.
        request_id: The request id header, when the server sends one.
        retry_after: Seconds to wait from the ``Retry-After`` header, if sent.
    """

    retry_after: float | None = None

    def __init__(
        self,
        *,
        status_code: int,
        method: str,
        path: str,
        body: Any = None,
        body_excerpt: str = "",
        headers: Mapping[str, str] | None = None,
        route: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.method = method
        self.path = path
        self.route = route or path
        self.body = body
        self.body_excerpt = body_excerpt
        error = body if isinstance(body, dict) else {}
        self.ed_code: str | None = _string_or_none(error.get("code"))
        self.ed_message: str | None = _string_or_none(error.get("message"))
        headers = headers or {}
        self.request_id: str | None = headers.get("x-request-id")
        super().__init__(self._describe())

    def _describe(self) -> str:
        detail = self.ed_message or self.ed_code or self.body_excerpt[:120] or "no body"
        code = f" [{self.ed_code}]" if self.ed_code and self.ed_message else ""
        return f"{self.method} {self.path} returned {self.status_code}: {detail}{code}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"method={self.method!r}, path={self.path!r}, ed_code={self.ed_code!r})"
        )


class ValidationError(APIStatusError):
    """Ed rejected the request as invalid (400, 409 or 422)."""


class AuthenticationError(APIStatusError):
    """Ed rejected the API token (401, or 400 with code ``bad_token``)."""


class PermissionDeniedError(APIStatusError):
    """The token is valid but may not use this route (403)."""


class NotFoundError(APIStatusError):
    """The route or the object does not exist in this region (404)."""


class RateLimitError(APIStatusError):
    """Ed rate-limited the request (429)."""


class ServerError(APIStatusError):
    """Ed failed with a 5xx status."""


def status_error_class(status_code: int, ed_code: str | None) -> type[APIStatusError]:
    """Pick the exception class for an error status and Ed's error code."""
    if ed_code == "bad_token" or status_code == 401:
        return AuthenticationError
    if status_code >= 500:
        return ServerError
    return _CLASS_BY_STATUS.get(status_code, APIStatusError)


def make_status_error(
    *,
    status_code: int,
    method: str,
    path: str,
    content: bytes,
    headers: Mapping[str, str],
    retry_after: float | None = None,
    route: str | None = None,
) -> APIStatusError:
    """Build the status error for a response, tolerating any body.

    HTML error pages from proxies, empty bodies and truncated JSON all give an
    error with an excerpt instead of a second exception.
    """
    text = content.decode("utf-8", errors="replace")
    body: Any = None
    try:
        body = json.loads(text) if text.strip() else None
    except ValueError:
        body = None
    ed_code = body.get("code") if isinstance(body, dict) else None
    cls = status_error_class(status_code, _string_or_none(ed_code))
    error = cls(
        status_code=status_code,
        method=method,
        path=path,
        body=body,
        body_excerpt=text[:ERROR_BODY_EXCERPT_CHARS],
        headers=headers,
        route=route,
    )
    error.retry_after = retry_after
    return error


def _string_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


_CLASS_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: ValidationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ValidationError,
    422: ValidationError,
    429: RateLimitError,
}
