"""Discussion threads: listing, search, detail, answers and comments."""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from .._constants import THREAD_PAGE_MAX
from .._operation import APIRequest, Operation, QueryValue, check_id, single
from ..errors import InvalidArgumentError
from ..models import PostedComment, ThreadDetail, ThreadSummary
from ._base import OffsetPager, async_twin_of
from ._discussion import parse_thread_detail, parse_thread_list, post_comment
from .thread_actions import AsyncThreadActions, ThreadActions
from .thread_writes import AsyncThreadWrites, ThreadWrites

__all__ = ["AsyncThreads", "Threads", "TriageRules"]


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


def _check_ids(thread_ids: Sequence[int]) -> builtins.list[int]:
    return [check_id("thread_ids[]", thread_id) for thread_id in thread_ids]


@dataclass(frozen=True)
class TriageRules:
    """Which threads count as still needing a staff answer.

    Attributes:
        questions_only: Leave out posts and announcements.
        skip_deleted: Leave out deleted threads.
        skip_staff_started: Leave out threads whose author is staff.
        skip_staff_answered: Leave out threads that staff already answered.
    """

    questions_only: bool = True
    skip_deleted: bool = True
    skip_staff_started: bool = True
    skip_staff_answered: bool = True

    def needs_answer(self, thread: ThreadSummary) -> bool:
        """Return whether the thread still needs a staff answer under these rules.

        An anonymous author (user id 0) counts as a student, because the
        response does not say who it is.

        Args:
            thread: A thread from a list, search or detail response.

        Returns:
            True when the thread passes every rule that is switched on.
        """
        if self.questions_only and thread.type != "question":
            return False
        if self.skip_deleted and thread.is_deleted:
            return False
        author = thread.author
        if self.skip_staff_started and author is not None and author.is_staff:
            return False
        return not (self.skip_staff_answered and thread.is_staff_answered)


class Threads(ThreadWrites, ThreadActions):
    """Discussion threads: listing, search, detail, posts and moderation.

    The creation, edit and action methods come from `ThreadWrites` and
    `ThreadActions`.
    """

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

        Raises:
            NotFoundError: No thread with that number in the course.
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
        threads, whatever `limit` requests.

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

    def post_comment(
        self,
        thread_id: int,
        *,
        markdown: str | None = None,
        document: str | None = None,
        is_anonymous: bool = False,
        is_private: bool = False,
    ) -> PostedComment:
        """Post a comment (not an answer) to a thread.

        Endpoint: ``POST /threads/{thread_id}/comments``. The request is sent
        once: if the connection fails after sending, `WriteOutcomeUnknownError`
        is raised and ``client.check_write(error)`` finds the comment if it
        landed. ``client.comments.reply`` answers an existing comment.

        Args:
            thread_id: Global Ed thread id.
            markdown: The comment in Markdown, converted to Ed's XML.
            document: The comment as a ready Ed ``<document>``; pass this or
                `markdown`, not both.
            is_anonymous: Post without showing the author to students.
            is_private: Show the comment only to staff and the thread's author.

        Returns:
            The comment as Ed stored it.

        Raises:
            InvalidArgumentError: The body is blank; nothing was sent.
            WriteOutcomeUnknownError: The outcome of the post is unknown.
        """
        return self._run(
            post_comment(
                thread_id,
                comment_type="comment",
                markdown=markdown,
                document=document,
                is_anonymous=is_anonymous,
                is_private=is_private,
            )
        )

    def iter_unanswered(
        self,
        course_id: int,
        *,
        questions_only: bool = True,
        skip_deleted: bool = True,
        skip_staff_started: bool = True,
        skip_staff_answered: bool = True,
        **filters: Any,
    ) -> Iterator[ThreadSummary]:
        """Iterate over the threads of a course that still need a staff answer.

        Endpoint: ``GET /courses/{course_id}/threads``, every page. The rules
        run in the client, because Ed's ``unanswered`` filter also drops
        questions that only a student answered. Each rule can be switched off.

        Args:
            course_id: Numeric Ed course id.
            questions_only: Leave out posts and announcements.
            skip_deleted: Leave out deleted threads.
            skip_staff_started: Leave out threads started by staff.
            skip_staff_answered: Leave out threads that staff already answered.
            **filters: Further query parameters, such as ``category="Labs"``.

        Yields:
            Each thread that needs an answer, in Ed's order.
        """
        rules = TriageRules(
            questions_only, skip_deleted, skip_staff_started, skip_staff_answered
        )
        threads = self.iter_all(course_id, limit=THREAD_PAGE_MAX, **filters)
        return (thread for thread in threads if rules.needs_answer(thread))

    def list_unanswered(
        self,
        course_id: int,
        *,
        questions_only: bool = True,
        skip_deleted: bool = True,
        skip_staff_started: bool = True,
        skip_staff_answered: bool = True,
        **filters: Any,
    ) -> builtins.list[ThreadSummary]:
        """List the threads of a course that still need a staff answer.

        Endpoint: ``GET /courses/{course_id}/threads``, every page. The rules
        are those of `iter_unanswered`.

        Args:
            course_id: Numeric Ed course id.
            questions_only: Leave out posts and announcements.
            skip_deleted: Leave out deleted threads.
            skip_staff_started: Leave out threads started by staff.
            skip_staff_answered: Leave out threads that staff already answered.
            **filters: Further query parameters, such as ``category="Labs"``.

        Returns:
            The threads that need an answer, in Ed's order.
        """
        return builtins.list(
            self.iter_unanswered(
                course_id,
                questions_only=questions_only,
                skip_deleted=skip_deleted,
                skip_staff_started=skip_staff_started,
                skip_staff_answered=skip_staff_answered,
                **filters,
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
class AsyncThreads(AsyncThreadWrites, AsyncThreadActions):
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

    async def post_comment(
        self,
        thread_id: int,
        *,
        markdown: str | None = None,
        document: str | None = None,
        is_anonymous: bool = False,
        is_private: bool = False,
    ) -> PostedComment:
        return await self._run(
            post_comment(
                thread_id,
                comment_type="comment",
                markdown=markdown,
                document=document,
                is_anonymous=is_anonymous,
                is_private=is_private,
            )
        )

    def iter_unanswered(
        self,
        course_id: int,
        *,
        questions_only: bool = True,
        skip_deleted: bool = True,
        skip_staff_started: bool = True,
        skip_staff_answered: bool = True,
        **filters: Any,
    ) -> AsyncIterator[ThreadSummary]:
        rules = TriageRules(
            questions_only, skip_deleted, skip_staff_started, skip_staff_answered
        )
        threads = self.iter_all(course_id, limit=THREAD_PAGE_MAX, **filters)
        return (thread async for thread in threads if rules.needs_answer(thread))

    async def list_unanswered(
        self,
        course_id: int,
        *,
        questions_only: bool = True,
        skip_deleted: bool = True,
        skip_staff_started: bool = True,
        skip_staff_answered: bool = True,
        **filters: Any,
    ) -> builtins.list[ThreadSummary]:
        threads = self.iter_unanswered(
            course_id,
            questions_only=questions_only,
            skip_deleted=skip_deleted,
            skip_staff_started=skip_staff_started,
            skip_staff_answered=skip_staff_answered,
            **filters,
        )
        return [thread async for thread in threads]

    async def search(
        self, course_id: int, *, query: str
    ) -> builtins.list[ThreadSummary]:
        return await self._run(
            search_threads(course_id, query=query, limit=None, offset=0)
        )
