"""Answers and comments: replies, edits, endorsements and votes."""

from __future__ import annotations

from typing import Any

from .._operation import APIRequest, Operation, check_id, single
from ..errors import InvalidArgumentError, WriteOutcomeUnknownError
from ..models import PostedComment
from ._base import AsyncResource, SyncResource, async_twin_of
from ._discussion import (
    comment_body,
    comment_content,
    find_posted_comment,
    get_request,
    parse_posted_comment,
    parse_thread_detail,
)
from ._parse import nothing

__all__ = ["AsyncComments", "Comments"]


def reply_to_comment(
    comment_id: int,
    *,
    thread_id: int,
    content: str,
    is_private: bool,
    is_anonymous: bool,
) -> Operation[PostedComment]:
    """Reply under an answer or comment, after checking it belongs to the thread.

    Ed files a reply under any comment id without checking its thread, so a
    wrong id would put the reply in another course's thread.
    """
    check_id("comment_id", comment_id)
    check_id("thread_id", thread_id)
    thread = parse_thread_detail((yield get_request(thread_id)))
    if thread.find_comment(comment_id) is None:
        raise InvalidArgumentError(
            f"Comment {comment_id} is not in thread {thread_id}, and Ed would file "
            "the reply anyway. Pass the thread that contains the comment."
        )
    request = APIRequest(
        "POST",
        "/comments/{comment_id}/comments",
        {"comment_id": comment_id},
        json=comment_body(
            "comment", content, is_private=is_private, is_anonymous=is_anonymous
        ),
    )
    try:
        response = yield request
    except WriteOutcomeUnknownError as exc:
        exc.checker = lambda: find_posted_comment(
            thread_id, content, "comment", parent_id=comment_id
        )
        raise
    return parse_posted_comment(response)


def update_comment(
    comment_id: int, changes: dict[str, Any]
) -> Operation[PostedComment]:
    """Edit an answer or comment.

    NOTE: one client sends only ``content`` and another also sends
    ``is_private`` and ``is_anonymous``; only the fields passed are sent.
    """
    check_id("comment_id", comment_id)
    request = APIRequest(
        "PUT",
        "/comments/{comment_id}",
        {"comment_id": comment_id},
        json={"comment": changes},
    )
    return single(request, parse_posted_comment)


def comment_changes(
    *,
    markdown: str | None,
    document: str | None,
    is_private: bool | None,
    is_anonymous: bool | None,
) -> dict[str, Any]:
    """Collect the fields a comment edit sets, leaving out flags passed as None.

    Every client seen sends the content with each edit, so it is required.
    """
    changes: dict[str, Any] = {
        "content": comment_content(markdown=markdown, document=document)
    }
    if is_private is not None:
        changes["is_private"] = is_private
    if is_anonymous is not None:
        changes["is_anonymous"] = is_anonymous
    return changes


def comment_action(comment_id: int, action: str) -> Operation[None]:
    """Send one of Ed's body-less comment actions, such as ``endorse``."""
    check_id("comment_id", comment_id)
    request = APIRequest(
        "POST", f"/comments/{{comment_id}}/{action}", {"comment_id": comment_id}
    )
    return single(request, nothing)


class Comments(SyncResource):
    """Answers and comments of threads, addressed by their comment id.

    New answers and top-level comments are posted through
    ``client.threads.post_answer`` and ``client.threads.post_comment``.
    """

    def reply(
        self,
        comment_id: int,
        *,
        thread_id: int,
        markdown: str | None = None,
        document: str | None = None,
        is_anonymous: bool = False,
        is_private: bool = False,
    ) -> PostedComment:
        """Reply under an answer or comment.

        Endpoint: ``POST /comments/{comment_id}/comments``, after a ``GET
        /threads/{thread_id}`` that checks that the comment is in the
        thread. Ed itself does not check, so a mistyped id would file the reply in
        another thread. The post is sent once: if the connection fails after
        sending, `WriteOutcomeUnknownError` is raised and
        ``client.check_write(error)`` finds the reply if it landed.

        Args:
            comment_id: The answer or comment to reply to.
            thread_id: The global id of the thread that contains it.
            markdown: The reply in Markdown, converted to Ed's XML.
            document: The reply as a ready Ed ``<document>``; pass this or
                `markdown`, not both.
            is_anonymous: Post without showing the author to students.
            is_private: Show the reply only to staff and the thread's author.

        Returns:
            The reply as Ed stored it.

        Raises:
            InvalidArgumentError: The body is blank, or the comment is not in
                the thread; nothing was posted.
            WriteOutcomeUnknownError: The outcome of the post is unknown.
        """
        content = comment_content(markdown=markdown, document=document)
        return self._run(
            reply_to_comment(
                comment_id,
                thread_id=thread_id,
                content=content,
                is_private=is_private,
                is_anonymous=is_anonymous,
            )
        )

    def update(
        self,
        comment_id: int,
        *,
        markdown: str | None = None,
        document: str | None = None,
        is_private: bool | None = None,
        is_anonymous: bool | None = None,
    ) -> PostedComment:
        """Replace the body of an answer or comment.

        Endpoint: ``PUT /comments/{comment_id}``. The flags passed as None
        stay as they are.

        Args:
            comment_id: The answer or comment to edit.
            markdown: The new body in Markdown.
            document: The new body as an Ed ``<document>``.
            is_private: Make the comment private or visible to the course.
            is_anonymous: Hide or show the author's name.

        Returns:
            The comment as Ed stored it.

        Raises:
            InvalidArgumentError: The body is missing or blank.
            PermissionDeniedError: The token's user is neither the author nor
                staff.
            NotFoundError: No such comment in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have applied the edit.
        """
        changes = comment_changes(
            markdown=markdown,
            document=document,
            is_private=is_private,
            is_anonymous=is_anonymous,
        )
        return self._run(update_comment(comment_id, changes))

    def endorse(self, comment_id: int) -> None:
        """Endorse an answer or comment as staff.

        Endpoint: ``POST /comments/{comment_id}/endorse``.

        Args:
            comment_id: Numeric Ed id of the answer or comment.

        Raises:
            InvalidArgumentError: ``comment_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such comment in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have applied the action.
        """
        self._run(comment_action(comment_id, "endorse"))

    def unendorse(self, comment_id: int) -> None:
        """Withdraw the staff endorsement of an answer or comment.

        Endpoint: ``POST /comments/{comment_id}/unendorse``.

        Args:
            comment_id: Numeric Ed id of the answer or comment.

        Raises:
            InvalidArgumentError: ``comment_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such comment in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have applied the action.
        """
        self._run(comment_action(comment_id, "unendorse"))

    def resolve(self, comment_id: int) -> None:
        """Mark a comment as resolved (thread author or staff).

        Endpoint: ``POST /comments/{comment_id}/resolve``.

        Args:
            comment_id: Numeric Ed id of the answer or comment.

        Raises:
            InvalidArgumentError: ``comment_id`` is not a positive integer.
            PermissionDeniedError: The token's user is neither the thread's
                author nor staff.
            NotFoundError: No such comment in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have applied the action.
        """
        self._run(comment_action(comment_id, "resolve"))

    def unresolve(self, comment_id: int) -> None:
        """Mark a resolved comment as unresolved again.

        Endpoint: ``POST /comments/{comment_id}/unresolve``.

        Args:
            comment_id: Numeric Ed id of the answer or comment.

        Raises:
            InvalidArgumentError: ``comment_id`` is not a positive integer.
            PermissionDeniedError: The token's user is neither the thread's
                author nor staff.
            NotFoundError: No such comment in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have applied the action.
        """
        self._run(comment_action(comment_id, "unresolve"))

    def upvote(self, comment_id: int) -> None:
        """Upvote an answer or comment as the token's user.

        Endpoint: ``POST /comments/{comment_id}/upvote``.

        Args:
            comment_id: Numeric Ed id of the answer or comment.

        Raises:
            InvalidArgumentError: ``comment_id`` is not a positive integer.
            NotFoundError: No such comment in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have applied the action.
        """
        self._run(comment_action(comment_id, "upvote"))

    def unvote(self, comment_id: int) -> None:
        """Withdraw the token's user's vote on an answer or comment.

        Endpoint: ``POST /comments/{comment_id}/unvote``.

        Args:
            comment_id: Numeric Ed id of the answer or comment.

        Raises:
            InvalidArgumentError: ``comment_id`` is not a positive integer.
            NotFoundError: No such comment in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have applied the action.
        """
        self._run(comment_action(comment_id, "unvote"))


@async_twin_of(Comments)
class AsyncComments(AsyncResource):
    async def reply(
        self,
        comment_id: int,
        *,
        thread_id: int,
        markdown: str | None = None,
        document: str | None = None,
        is_anonymous: bool = False,
        is_private: bool = False,
    ) -> PostedComment:
        content = comment_content(markdown=markdown, document=document)
        return await self._run(
            reply_to_comment(
                comment_id,
                thread_id=thread_id,
                content=content,
                is_private=is_private,
                is_anonymous=is_anonymous,
            )
        )

    async def update(
        self,
        comment_id: int,
        *,
        markdown: str | None = None,
        document: str | None = None,
        is_private: bool | None = None,
        is_anonymous: bool | None = None,
    ) -> PostedComment:
        changes = comment_changes(
            markdown=markdown,
            document=document,
            is_private=is_private,
            is_anonymous=is_anonymous,
        )
        return await self._run(update_comment(comment_id, changes))

    async def endorse(self, comment_id: int) -> None:
        await self._run(comment_action(comment_id, "endorse"))

    async def unendorse(self, comment_id: int) -> None:
        await self._run(comment_action(comment_id, "unendorse"))

    async def resolve(self, comment_id: int) -> None:
        await self._run(comment_action(comment_id, "resolve"))

    async def unresolve(self, comment_id: int) -> None:
        await self._run(comment_action(comment_id, "unresolve"))

    async def upvote(self, comment_id: int) -> None:
        await self._run(comment_action(comment_id, "upvote"))

    async def unvote(self, comment_id: int) -> None:
        await self._run(comment_action(comment_id, "unvote"))
