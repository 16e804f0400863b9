"""Parsers, post bodies and write checks shared by the discussion groups.

`threads`, `thread_writes`, `thread_actions` and `comments` all read thread
responses and post Ed XML bodies. The pieces they share live here, so that
none of those modules imports another.
"""

from __future__ import annotations

from typing import Any

from .._operation import APIRequest, APIResponse, Operation, check_id
from ..content import markdown_to_ed_document
from ..errors import InvalidArgumentError, WriteOutcomeUnknownError
from ..models import Participant, PostedComment, ThreadDetail, ThreadSummary
from ..models.threads import attach_participants


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


def get_request(thread_id: int) -> APIRequest:
    """Build the request for one thread's detail."""
    return APIRequest("GET", "/threads/{thread_id}", {"thread_id": thread_id})


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


def comment_body(
    comment_type: str, content: str, *, is_private: bool, is_anonymous: bool
) -> dict[str, Any]:
    """Build the JSON body that creates an answer, comment or reply."""
    return {
        "comment": {
            "type": comment_type,
            "content": content,
            "is_private": is_private,
            "is_anonymous": is_anonymous,
        }
    }


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
        json=comment_body(
            comment_type, content, is_private=is_private, is_anonymous=is_anonymous
        ),
    )
    try:
        response = yield request
    except WriteOutcomeUnknownError as exc:
        exc.checker = lambda: find_posted_comment(thread_id, content, comment_type)
        raise
    return parse_posted_comment(response)


def current_user_id() -> Operation[int | None]:
    """Fetch the id of the account behind the token."""
    response = yield APIRequest("GET", "/user")
    user = response.field("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    return user_id if isinstance(user_id, int) else None


def find_posted_comment(
    thread_id: int,
    content: str,
    comment_type: str,
    *,
    parent_id: int | None = None,
) -> Operation[PostedComment | None]:
    """Look for a comment with this exact content by the token's user.

    Used after a write whose outcome is unknown. With `parent_id`, only
    replies under that comment match. Returns the newest match.
    """
    user_id = yield from current_user_id()
    thread = parse_thread_detail((yield get_request(thread_id)))
    matches = [
        c
        for c in thread.walk_comments()
        if c.content == content
        and c.type == comment_type
        and c.user_id in (user_id, 0)
        and (parent_id is None or c.parent_id == parent_id)
    ]
    if not matches:
        return None
    newest = max(matches, key=lambda c: (c.created_at or "", c.id))
    return PostedComment.model_validate(newest.model_dump())
