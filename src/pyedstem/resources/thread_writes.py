"""Thread writes: creation and edits.

`ThreadWrites` and `AsyncThreadWrites` are the write half of the
``client.threads`` group; `Threads` and `AsyncThreads` inherit them.
"""

from __future__ import annotations

from typing import Any

from .._constants import THREAD_PAGE_MAX
from .._operation import APIRequest, Operation, check_id
from ..errors import InvalidArgumentError, WriteOutcomeUnknownError
from ..models import ThreadSummary
from ._base import AsyncResource, SyncResource, async_twin_of
from ._categories import CATEGORY_FIELDS, check_category, fetch_category_tree
from ._discussion import (
    comment_content,
    current_user_id,
    get_request,
    parse_thread_list,
)
from ._parse import object_field
from .thread_actions import send_checked, thread_action

__all__ = ["AsyncThreadWrites", "ThreadWrites"]

THREAD_TYPES = ("post", "question", "announcement")

# An edit leaves out these keys of a thread detail, because they are not thread
# fields.
_NOT_THREAD_FIELDS = frozenset({"answers", "comments", "user", "users"})


def _check_type(thread_type: str) -> str:
    if thread_type not in THREAD_TYPES:
        raise InvalidArgumentError(
            f"type must be one of {', '.join(THREAD_TYPES)}, got {thread_type!r}."
        )
    return thread_type


def _check_title(title: str) -> str:
    if not title.strip():
        raise InvalidArgumentError("title must not be blank; pass the thread title.")
    return title


def check_course_category(course_id: int, thread: dict[str, Any]) -> Operation[None]:
    """Check a thread's category fields against the course, if any is set.

    Fetches the course once. A course object without a category list is
    not checked.

    Raises:
        InvalidArgumentError: A category, subcategory or sub-subcategory is
            not one of the course's.
    """
    if not any(thread.get(field) for field in CATEGORY_FIELDS):
        return
    tree = yield from fetch_category_tree(course_id)
    if tree is not None:
        check_category(course_id, tree, thread)


def create_thread(
    course_id: int,
    *,
    title: str,
    content: str,
    fields: dict[str, Any],
) -> Operation[ThreadSummary]:
    """Create a thread in a course, after checking its category.

    When the connection fails after sending, the raised
    `WriteOutcomeUnknownError` can check whether the thread exists.
    """
    check_id("course_id", course_id)
    thread = {"title": _check_title(title), "content": content, **fields}
    yield from check_course_category(course_id, thread)
    request = APIRequest(
        "POST",
        "/courses/{course_id}/threads",
        {"course_id": course_id},
        json={"thread": thread},
    )
    try:
        response = yield request
    except WriteOutcomeUnknownError as exc:
        exc.checker = lambda: find_created_thread(course_id, title, content)
        raise
    return ThreadSummary.model_validate(response.field("thread"))


def find_created_thread(
    course_id: int, title: str, content: str
) -> Operation[ThreadSummary | None]:
    """Look among a course's newest threads for one the token's user created.

    A thread matches on its title, its author (the user, or 0 when it was
    posted anonymously) and, where the list carries it, its content.
    """
    user_id = yield from current_user_id()
    response = yield APIRequest(
        "GET",
        "/courses/{course_id}/threads",
        {"course_id": course_id},
        params={"limit": THREAD_PAGE_MAX, "offset": 0, "sort": "new"},
    )
    matches = [
        thread
        for thread in parse_thread_list(response)
        if thread.title == title
        and thread.user_id in (user_id, 0)
        and thread.content in (None, content)
    ]
    if not matches:
        return None
    return max(matches, key=lambda t: (t.created_at or "", t.id))


def thread_changes(
    *,
    title: str | None,
    markdown: str | None,
    document: str | None,
    fields: dict[str, Any],
) -> dict[str, Any]:
    """Collect the fields an edit sets, leaving out those passed as None.

    Raises:
        InvalidArgumentError: Nothing would change, or a value is invalid.
    """
    changes = {key: value for key, value in fields.items() if value is not None}
    if title is not None:
        changes["title"] = _check_title(title)
    if "type" in changes:
        _check_type(changes["type"])
    if markdown is not None or document is not None:
        changes["content"] = comment_content(markdown=markdown, document=document)
    if not changes:
        raise InvalidArgumentError(
            "Nothing to update: pass at least one field, such as title= or markdown=."
        )
    return changes


def update_thread(
    thread_id: int, changes: dict[str, Any], *, unlock: bool
) -> Operation[ThreadSummary]:
    """Edit a thread: fetch it, merge the changes and send the whole thread back.

    Ed resets fields that a partial body leaves out, so the edit sends every
    field of the current thread. A locked thread is unlocked for the edit and
    locked again afterwards, but only when `unlock` is true. A changed
    category is checked against the course before the first write.
    """
    check_id("thread_id", thread_id)
    response = yield get_request(thread_id)
    current = object_field("thread")(response)
    locked = bool(current.get("is_locked"))
    if locked and not unlock:
        raise InvalidArgumentError(
            f"Thread {thread_id} is locked, and Ed rejects edits to locked threads. "
            "Pass unlock=True to unlock it for the edit and lock it again after."
        )
    merged = {k: v for k, v in current.items() if k not in _NOT_THREAD_FIELDS}
    merged.update(changes)
    if any(field in changes for field in CATEGORY_FIELDS):
        course_id = current.get("course_id")
        if not isinstance(course_id, int):
            raise response.invalid("the thread has no course_id")
        yield from check_course_category(course_id, merged)
    request = APIRequest(
        "PUT",
        "/threads/{thread_id}",
        {"thread_id": thread_id},
        json={"thread": merged},
    )
    if locked:
        yield from thread_action(thread_id, "unlock")
    try:
        response = yield from send_checked(request, thread_id, changes)
    finally:
        if locked:
            yield from thread_action(thread_id, "lock")
    return ThreadSummary.model_validate(response.field("thread"))


def _create_fields(
    *,
    type: str,
    category: str,
    subcategory: str,
    subsubcategory: str,
    is_pinned: bool,
    is_private: bool,
    is_anonymous: bool,
    is_megathread: bool,
    anonymous_comments: bool,
) -> dict[str, Any]:
    return {
        "type": _check_type(type),
        "category": category,
        "subcategory": subcategory,
        "subsubcategory": subsubcategory,
        "is_pinned": is_pinned,
        "is_private": is_private,
        "is_anonymous": is_anonymous,
        "is_megathread": is_megathread,
        "anonymous_comments": anonymous_comments,
    }


class ThreadWrites(SyncResource):
    """Thread creation, edits and moderation actions, part of `Threads`."""

    def create(
        self,
        course_id: int,
        *,
        title: str,
        markdown: str | None = None,
        document: str | None = None,
        type: str = "post",
        category: str = "",
        subcategory: str = "",
        subsubcategory: str = "",
        is_pinned: bool = False,
        is_private: bool = False,
        is_anonymous: bool = False,
        is_megathread: bool = False,
        anonymous_comments: bool = False,
    ) -> ThreadSummary:
        """Create a thread, written in Markdown or as an Ed XML document.

        Endpoint: ``POST /courses/{course_id}/threads``, after a ``GET
        /courses/{course_id}`` that checks the category when one is given.
        The post is sent once: if the connection fails after sending,
        `WriteOutcomeUnknownError` is raised and ``client.check_write(error)``
        finds the thread if it landed.

        Args:
            course_id: Numeric Ed course id.
            title: The thread title.
            markdown: The body in Markdown, converted to Ed's XML.
            document: The body as a ready Ed ``<document>``; pass this or
                `markdown`, not both.
            type: ``post``, ``question`` or ``announcement``.
            category: A category name of the course; Ed may require one.
            subcategory: A subcategory of `category`, or empty.
            subsubcategory: A subcategory of `subcategory`, or empty.
            is_pinned: Pin the thread to the top of the list (staff only).
            is_private: Show the thread only to staff and its author.
            is_anonymous: Hide the author's name from students.
            is_megathread: Make the thread a megathread.
            anonymous_comments: Let replies to the thread be anonymous.

        Returns:
            The thread as Ed stored it.

        Raises:
            InvalidArgumentError: The title or body is blank, `type` is
                unknown, or the category, subcategory or sub-subcategory is
                not one of the course's; nothing was written.
            WriteOutcomeUnknownError: The outcome of the post is unknown.
        """
        content = comment_content(markdown=markdown, document=document)
        fields = _create_fields(
            type=type,
            category=category,
            subcategory=subcategory,
            subsubcategory=subsubcategory,
            is_pinned=is_pinned,
            is_private=is_private,
            is_anonymous=is_anonymous,
            is_megathread=is_megathread,
            anonymous_comments=anonymous_comments,
        )
        return self._run(
            create_thread(course_id, title=title, content=content, fields=fields)
        )

    def update(
        self,
        thread_id: int,
        *,
        title: str | None = None,
        markdown: str | None = None,
        document: str | None = None,
        type: str | None = None,
        category: str | None = None,
        subcategory: str | None = None,
        subsubcategory: str | None = None,
        is_pinned: bool | None = None,
        is_private: bool | None = None,
        is_anonymous: bool | None = None,
        is_megathread: bool | None = None,
        anonymous_comments: bool | None = None,
        unlock: bool = False,
    ) -> ThreadSummary:
        """Edit a thread; fields passed as None keep their current value.

        Endpoint: ``PUT /threads/{thread_id}``, after a ``GET`` of the same
        route: the edit sends the whole thread, because Ed resets the fields
        a partial body leaves out. An edit made by someone else
        between the two requests is overwritten.

        A changed category, subcategory or sub-subcategory is checked with a
        ``GET /courses/{course_id}`` first. The check reads the thread's
        other category fields as they are, so moving a thread to another
        category may need a new subcategory as well.

        Ed rejects edits to a locked thread. With ``unlock=True`` the thread
        is unlocked (``POST /threads/{thread_id}/unlock``) for the edit and
        locked again afterwards, also when the edit fails.

        Args:
            thread_id: Global Ed thread id.
            title: The new title.
            markdown: The new body in Markdown.
            document: The new body as an Ed ``<document>``.
            type: ``post``, ``question`` or ``announcement``.
            category: The new category.
            subcategory: The new subcategory.
            subsubcategory: The new sub-subcategory.
            is_pinned: Pin or unpin the thread.
            is_private: Make the thread private or public.
            is_anonymous: Hide or show the author's name.
            is_megathread: Make the thread a megathread or not.
            anonymous_comments: Allow or forbid anonymous replies.
            unlock: Unlock a locked thread for the edit and lock it again.

        Returns:
            The edited thread, without the per-user fields such as
            ``is_starred``, which Ed leaves out of this response.

        Raises:
            InvalidArgumentError: Nothing to change, a blank value, an
                unknown type or category, or a locked thread without
                ``unlock=True``; nothing was written.
            WriteOutcomeUnknownError: The outcome of the edit is unknown;
                ``client.check_write(error)`` returns the thread if the
                changes are on Ed.
        """
        changes = thread_changes(
            title=title,
            markdown=markdown,
            document=document,
            fields={
                "type": type,
                "category": category,
                "subcategory": subcategory,
                "subsubcategory": subsubcategory,
                "is_pinned": is_pinned,
                "is_private": is_private,
                "is_anonymous": is_anonymous,
                "is_megathread": is_megathread,
                "anonymous_comments": anonymous_comments,
            },
        )
        return self._run(update_thread(thread_id, changes, unlock=unlock))


@async_twin_of(ThreadWrites)
class AsyncThreadWrites(AsyncResource):
    async def create(
        self,
        course_id: int,
        *,
        title: str,
        markdown: str | None = None,
        document: str | None = None,
        type: str = "post",
        category: str = "",
        subcategory: str = "",
        subsubcategory: str = "",
        is_pinned: bool = False,
        is_private: bool = False,
        is_anonymous: bool = False,
        is_megathread: bool = False,
        anonymous_comments: bool = False,
    ) -> ThreadSummary:
        content = comment_content(markdown=markdown, document=document)
        fields = _create_fields(
            type=type,
            category=category,
            subcategory=subcategory,
            subsubcategory=subsubcategory,
            is_pinned=is_pinned,
            is_private=is_private,
            is_anonymous=is_anonymous,
            is_megathread=is_megathread,
            anonymous_comments=anonymous_comments,
        )
        return await self._run(
            create_thread(course_id, title=title, content=content, fields=fields)
        )

    async def update(
        self,
        thread_id: int,
        *,
        title: str | None = None,
        markdown: str | None = None,
        document: str | None = None,
        type: str | None = None,
        category: str | None = None,
        subcategory: str | None = None,
        subsubcategory: str | None = None,
        is_pinned: bool | None = None,
        is_private: bool | None = None,
        is_anonymous: bool | None = None,
        is_megathread: bool | None = None,
        anonymous_comments: bool | None = None,
        unlock: bool = False,
    ) -> ThreadSummary:
        changes = thread_changes(
            title=title,
            markdown=markdown,
            document=document,
            fields={
                "type": type,
                "category": category,
                "subcategory": subcategory,
                "subsubcategory": subsubcategory,
                "is_pinned": is_pinned,
                "is_private": is_private,
                "is_anonymous": is_anonymous,
                "is_megathread": is_megathread,
                "anonymous_comments": anonymous_comments,
            },
        )
        return await self._run(update_thread(thread_id, changes, unlock=unlock))
