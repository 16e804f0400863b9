"""Discussion threads: listing, search, detail and answers."""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .._constants import THREAD_PAGE_MAX
from .._operation import (
    APIRequest,
    APIResponse,
    Operation,
    QueryValue,
    check_id,
    single,
)
from ..content import markdown_to_ed_document
from ..errors import InvalidArgumentError, WriteOutcomeUnknownError
from ..models import Participant, PostedComment, ThreadDetail, ThreadSummary
from ..models.threads import attach_participants
from ._base import AsyncResource, OffsetPager, SyncResource, async_twin_of

__all__ = ["AsyncThreads", "Threads"]


def parse_thread_list(response: APIResponse) -> list[ThreadSummary]:
    """Parse a thread list or search response, with its participants."""
    body = response.json_object()
    raw_threads = body.get("threads")
    if not isinstance(raw_threads, list):
        raise response.invalid("the field 'threads' is missing or not a list")
    threads = [ThreadSummary.model_validate(item) for item in raw_threads]
    users = [Participant.model_validate(u) for u in body.get("users") or []]
    attach_participants(threads, users)
    return threads


def parse_thread_detail(response: APIResponse) -> ThreadDetail:
    """Parse a thread detail response, with its participants."""
    thread = ThreadDetail.model_validate(response.field("thread"))
    users = [Participant.model_validate(u) for u in response.field("users", []) or []]
    attach_participants([thread], users)
    return thread


def parse_posted_comment(response: APIResponse) -> PostedComment:
    """Parse the response of a comment or answer post."""
    body = response.json_object()
    raw = body.get("comment") or body.get("answer")
    if not isinstance(raw, dict):
        raise response.invalid("the field 'comment' is missing")
    return PostedComment.model_validate(raw)


def list_request(
    course_id: int, *, limit: int, offset: int, sort: str, filters: dict[str, Any]
) -> APIRequest:
    """Build the request for one page of a course's threads."""
    check_id("course_id", course_id)
    if limit < 1:
        raise InvalidArgumentError(f"limit must be 1 or more, got {limit!r}.")
    if offset < 0:
        raise InvalidArgumentError(f"offset must be 0 or more, got {offset!r}.")
    params: dict[str, QueryValue] = {**filters, "limit": limit, "offset": offset}
    params["sort"] = sort
    return APIRequest(
        "GET",
        "/courses/{course_id}/threads",
        {"course_id": course_id},
        params=params,
    )


def thread_pager(
    course_id: int, *, limit: int, sort: str, filters: dict[str, Any]
) -> OffsetPager[ThreadSummary]:
    """Build the pager that walks every thread of a course once."""
    page_size = min(limit, THREAD_PAGE_MAX)
    list_request(course_id, limit=page_size, offset=0, sort=sort, filters=filters)
    return OffsetPager(
        lambda size, offset: list_request(
            course_id, limit=size, offset=offset, sort=sort, filters=filters
        ),
        parse_thread_list,
        page_size=page_size,
        key=lambda thread: thread.id,
    )


def get_thread(thread_id: int) -> Operation[ThreadDetail]:
    """Fetch one thread by its global id, without marking it read."""
    check_id("thread_id", thread_id)
    request = APIRequest("GET", "/threads/{thread_id}", {"thread_id": thread_id})
    return single(request, parse_thread_detail)


def get_by_number(course_id: int, thread_number: int) -> Operation[ThreadDetail]:
    """Fetch one thread by its number within a course."""
    check_id("course_id", course_id)
    check_id("thread_number", thread_number)
    request = APIRequest(
        "GET",
        "/courses/{course_id}/threads/{thread_number}",
        {"course_id": course_id, "thread_number": thread_number},
    )
    return single(request, parse_thread_detail)


def search_threads(
    course_id: int, *, query: str, limit: int | None, offset: int
) -> Operation[list[ThreadSummary]]:
    """Search a course's threads."""
    check_id("course_id", course_id)
    if not query.strip():
        raise InvalidArgumentError(
            "query must not be empty; pass the text to search for."
        )
    request = APIRequest(
        "GET",
        "/courses/{course_id}/threads/search",
        {"course_id": course_id},
        params={"query": query, "limit": limit, "offset": offset or None},
    )
    return single(request, parse_thread_list)


def post_comment(
    thread_id: int,
    *,
    comment_type: str,
    markdown: str | None = None,
    document: str | None = None,
    is_anonymous: bool = False,
    is_private: bool = False,
) -> Operation[PostedComment]:
    """Post an answer or comment to a thread.

    When the connection fails after sending, the raised
    `WriteOutcomeUnknownError` can check whether the comment exists.
    """
    check_id("thread_id", thread_id)
    content = comment_content(markdown=markdown, document=document)
    request = APIRequest(
        "POST",
        "/threads/{thread_id}/comments",
        {"thread_id": thread_id},
        json={
            "comment": {
                "type": comment_type,
                "content": content,
                "is_private": is_private,
                "is_anonymous": is_anonymous,
            }
        },
    )
    try:
        response = yield request
    except WriteOutcomeUnknownError as exc:
        exc.checker = lambda: find_posted_comment(thread_id, content, comment_type)
        raise
    return parse_posted_comment(response)


def comment_content(*, markdown: str | None, document: str | None) -> str:
    """Return the Ed XML of a new post from Markdown or from a ready document.

    Raises:
        InvalidArgumentError: Both or neither are given, or the text is blank.
    """
    if (markdown is None) == (document is None):
        raise InvalidArgumentError("Pass exactly one of markdown= or document=.")
    text = markdown if markdown is not None else document
    if text is None or not text.strip():
        raise InvalidArgumentError(
            "The post is empty; Ed would show an empty answer. Pass some text."
        )
    if markdown is not None:
        return markdown_to_ed_document(markdown)
    if not text.lstrip().startswith("<document"):
        raise InvalidArgumentError(
            "document= must be Ed XML starting with '<document'; "
            "pass Markdown with markdown= instead."
        )
    return text


def find_posted_comment(
    thread_id: int, content: str, comment_type: str
) -> Operation[PostedComment | None]:
    """Look for a comment with this exact content by the token's user.

    Used after a write whose outcome is unknown. Returns the newest match.
    """
    me = yield APIRequest("GET", "/user")
    user_id = me.field("user").get("id")
    thread = parse_thread_detail((yield get_request(thread_id)))
    matches = [
        c
        for c in thread.walk_comments()
        if c.content == content and c.type == comment_type and c.user_id in (user_id, 0)
    ]
    if not matches:
        return None
    newest = max(matches, key=lambda c: (c.created_at or "", c.id))
    return PostedComment.model_validate(newest.model_dump())


def get_request(thread_id: int) -> APIRequest:
    """Build the request for one thread's detail."""
    return APIRequest("GET", "/threads/{thread_id}", {"thread_id": thread_id})


def _check_ids(thread_ids: Sequence[int]) -> builtins.list[int]:
    return [check_id("thread_ids[]", thread_id) for thread_id in thread_ids]


class Threads(SyncResource):
    """Discussion threads: listing, search, detail and answers."""

    def get(self, thread_id: int) -> ThreadDetail:
        """Fetch one thread with its answers and comments.

        Endpoint: ``GET /threads/{thread_id}``. The read does not mark the
        thread as seen: pyedstem never sends ``view=1``.

        Args:
            thread_id: Global Ed thread id.

        Returns:
            The thread, with answers, comments and their authors.

        Raises:
            NotFoundError: No such thread in this region.
        """
        return self._run(get_thread(thread_id))

    def get_by_number(self, course_id: int, thread_number: int) -> ThreadDetail:
        """Fetch a thread by the number shown in the course (``#42``).

        Endpoint: ``GET /courses/{course_id}/threads/{thread_number}``.

        Args:
            course_id: Numeric Ed course id.
            thread_number: The thread's course-local number.

        Returns:
            The thread, with answers, comments and their authors.
        """
        return self._run(get_by_number(course_id, thread_number))

    def iter_all(
        self, course_id: int, *, limit: int = 50, sort: str = "date", **filters: Any
    ) -> Iterator[ThreadSummary]:
        """Iterate over every thread of a course, page by page.

        Endpoint: ``GET /courses/{course_id}/threads``, repeated with a growing
        ``offset``. Ed clips pages at 100 threads, so larger limits ask for 100.
        Each thread is yielded once even when new posts shift the offsets.

        Args:
            course_id: Numeric Ed course id.
            limit: Page size of each request.
            sort: Sort order sent to Ed.
            **filters: Further query parameters, such as ``filter="unanswered"``
                or ``category="Lectures"``.

        Yields:
            Each thread, in Ed's order.
        """
        return self._iterate(
            thread_pager(course_id, limit=limit, sort=sort, filters=filters)
        )

    def list(
        self,
        course_id: int,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str = "date",
        **filters: Any,
    ) -> builtins.list[ThreadSummary]:
        """Fetch one page of a course's threads.

        Endpoint: ``GET /courses/{course_id}/threads``. Ed returns at most 100
        threads, whatever `limit` asks for.

        Args:
            course_id: Numeric Ed course id.
            limit: Maximum number of threads to return.
            offset: Number of threads to skip.
            sort: Sort order sent to Ed.
            **filters: Further query parameters, such as ``filter="unanswered"``.

        Returns:
            The threads of the page, pinned threads first.
        """
        request = list_request(
            course_id, limit=limit, offset=offset, sort=sort, filters=filters
        )
        return self._run(single(request, parse_thread_list))

    def list_details(
        self, thread_ids: Sequence[int], *, max_concurrency: int | None = None
    ) -> builtins.list[ThreadDetail]:
        """Fetch many threads at once, within the client's concurrency bound.

        Endpoint: ``GET /threads/{thread_id}`` for each id.

        Args:
            thread_ids: Global thread ids.
            max_concurrency: Requests in flight at once; at most the client's
                ``max_concurrency``, which is also the default.

        Returns:
            The threads, in the order of `thread_ids`.
        """
        ids = _check_ids(thread_ids)
        workers = min(
            max_concurrency or self._pipeline.max_concurrency,
            self._pipeline.max_concurrency,
        )
        with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
            return builtins.list(pool.map(self.get, ids))

    def post_answer(
        self,
        *,
        thread_id: int,
        markdown: str,
        is_anonymous: bool = False,
        is_private: bool = False,
    ) -> PostedComment:
        """Post an answer written in Markdown to a thread.

        Endpoint: ``POST /threads/{thread_id}/comments``. The Markdown is
        converted to Ed's XML document format. The request is sent once: if
        the connection fails after sending, `WriteOutcomeUnknownError` is
        raised and ``client.check_write(error)`` finds the answer if it landed.

        Args:
            thread_id: Global Ed thread id.
            markdown: The answer, in Markdown.
            is_anonymous: Post without showing the author to students.
            is_private: Show the answer only to staff and the thread's author.

        Returns:
            The answer as Ed stored it.

        Raises:
            InvalidArgumentError: The Markdown is blank; nothing was sent.
            WriteOutcomeUnknownError: The outcome of the post is unknown.
        """
        return self._run(
            post_comment(
                thread_id,
                comment_type="answer",
                markdown=markdown,
                is_anonymous=is_anonymous,
                is_private=is_private,
            )
        )

    def search(self, course_id: int, *, query: str) -> builtins.list[ThreadSummary]:
        """Search a course's threads.

        Endpoint: ``GET /courses/{course_id}/threads/search``.

        Args:
            course_id: Numeric Ed course id.
            query: Free-text search string.

        Returns:
            The matching threads, best match first.
        """
        return self._run(search_threads(course_id, query=query, limit=None, offset=0))


@async_twin_of(Threads)
class AsyncThreads(AsyncResource):
    async def get(self, thread_id: int) -> ThreadDetail:
        return await self._run(get_thread(thread_id))

    async def get_by_number(self, course_id: int, thread_number: int) -> ThreadDetail:
        return await self._run(get_by_number(course_id, thread_number))

    def iter_all(
        self, course_id: int, *, limit: int = 50, sort: str = "date", **filters: Any
    ) -> AsyncIterator[ThreadSummary]:
        return self._iterate(
            thread_pager(course_id, limit=limit, sort=sort, filters=filters)
        )

    async def list(
        self,
        course_id: int,
        *,
        limit: int = 20,
        offset: int = 0,
        sort: str = "date",
        **filters: Any,
    ) -> builtins.list[ThreadSummary]:
        request = list_request(
            course_id, limit=limit, offset=offset, sort=sort, filters=filters
        )
        return await self._run(single(request, parse_thread_list))

    async def list_details(
        self, thread_ids: Sequence[int], *, max_concurrency: int | None = None
    ) -> builtins.list[ThreadDetail]:
        ids = _check_ids(thread_ids)
        limit = min(
            max_concurrency or self._pipeline.max_concurrency,
            self._pipeline.max_concurrency,
        )
        gate = asyncio.Semaphore(max(limit, 1))

        async def fetch(thread_id: int) -> ThreadDetail:
            async with gate:
                return await self.get(thread_id)

        return builtins.list(await asyncio.gather(*(fetch(i) for i in ids)))

    async def post_answer(
        self,
        *,
        thread_id: int,
        markdown: str,
        is_anonymous: bool = False,
        is_private: bool = False,
    ) -> PostedComment:
        return await self._run(
            post_comment(
                thread_id,
                comment_type="answer",
                markdown=markdown,
                is_anonymous=is_anonymous,
                is_private=is_private,
            )
        )

    async def search(
        self, course_id: int, *, query: str
    ) -> builtins.list[ThreadSummary]:
        return await self._run(
            search_threads(course_id, query=query, limit=None, offset=0)
        )
