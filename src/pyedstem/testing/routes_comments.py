"""Answer and comment routes: create, reply, edit, endorse, resolve, vote, accept."""

from __future__ import annotations

from typing import Any

from pyedstem.testing.render import comment_json
from pyedstem.testing.router import (
    Context,
    Reply,
    Router,
    bad_request,
    empty,
    forbidden,
    not_found,
)
from pyedstem.testing.routes_threads import accept, checked_content, visible_thread
from pyedstem.testing.world import Comment, Thread

router = Router()


def visible_comment(ctx: Context) -> tuple[Comment, Thread]:
    """Return the comment named in the path, and its thread, if the caller may see both.

    Raises:
        ApiError: 404 if either is missing or hidden from the caller.
    """
    comment = ctx.state.comments.get(ctx.params["comment_id"])
    if comment is None:
        raise not_found("Comment")
    thread = visible_thread(ctx, comment.thread_id)
    if not ctx.state.can_see_comment(ctx.user_id, comment):
        raise not_found("Comment")
    return comment, thread


def _comment_fields(
    ctx: Context, thread: Thread, body: dict[str, Any], kind: str
) -> dict[str, Any]:
    content, document = checked_content(body.get("content"))
    anonymous = bool(body.get("is_anonymous", False))
    course = ctx.state.courses[thread.course_id]
    if anonymous and not (course.allow_anonymous or thread.anonymous_comments):
        raise bad_request("Anonymous comments are disabled in this course")
    return {
        "type": kind,
        "content": content,
        "document": document,
        "is_private": bool(body.get("is_private", False)),
        "is_anonymous": anonymous,
        "kind": body.get("kind") or "normal",
    }


def _check_can_reply(ctx: Context, thread: Thread) -> None:
    staff = ctx.is_staff(thread.course_id)
    if ctx.state.courses[thread.course_id].is_archived and not staff:
        raise forbidden("This course is archived and read-only")
    if thread.is_locked and not staff:
        raise bad_request("Thread is locked", "thread_locked")


@router.add("POST", "/threads/{thread_id}/comments")
def create_comment(ctx: Context) -> Reply:
    thread = visible_thread(ctx, ctx.params["thread_id"])
    _check_can_reply(ctx, thread)
    body = ctx.request.json_object("comment")
    kind = body.get("type", "comment")
    if kind not in ("answer", "comment"):
        raise bad_request(
            f"Invalid type {kind!r}: expected 'answer' or 'comment'", "invalid_type"
        )
    if kind == "answer" and thread.type != "question":
        raise bad_request(
            "Answers can only be posted on questions; post a comment instead"
        )
    fields = _comment_fields(ctx, thread, body, kind)
    comment = ctx.state.add_comment(ctx.user_id, thread, None, fields)
    return Reply(
        status=201, body={"comment": comment_json(ctx.state, comment, ctx.user_id)}
    )


@router.add("POST", "/comments/{comment_id}/comments")
def reply_to_comment(ctx: Context) -> Reply:
    # Ed accepts a reply under any comment id and files it in that comment's
    # thread; the body's own thread (if any) is not checked.
    parent, thread = visible_comment(ctx)
    _check_can_reply(ctx, thread)
    body = ctx.request.json_object("comment")
    fields = _comment_fields(ctx, thread, body, "comment")
    comment = ctx.state.add_comment(ctx.user_id, thread, parent, fields)
    return Reply(
        status=201, body={"comment": comment_json(ctx.state, comment, ctx.user_id)}
    )


@router.add("PUT", "/comments/{comment_id}")
def update_comment(ctx: Context) -> Reply:
    comment, thread = visible_comment(ctx)
    if comment.user_id != ctx.user_id and not ctx.is_staff(thread.course_id):
        raise forbidden("Only the author or staff can edit this comment")
    body = ctx.request.json_object("comment")
    comment.content_text, comment.document_text = checked_content(body.get("content"))
    for flag in ("is_private", "is_anonymous"):
        if flag in body:
            setattr(comment, flag, bool(body[flag]))
    ctx.state.touch_comment(comment, ctx.user_id)
    return Reply(body={"comment": comment_json(ctx.state, comment, ctx.user_id)})


def _staff_comment(ctx: Context) -> Comment:
    comment, thread = visible_comment(ctx)
    if not ctx.is_staff(thread.course_id):
        raise forbidden("Only course staff can do this")
    return comment


@router.add("POST", "/comments/{comment_id}/endorse")
def endorse_comment(ctx: Context) -> Reply:
    comment = _staff_comment(ctx)
    comment.is_endorsed = True
    ctx.state.touch_comment(comment)
    return empty(200)


@router.add("POST", "/comments/{comment_id}/unendorse")
def unendorse_comment(ctx: Context) -> Reply:
    comment = _staff_comment(ctx)
    comment.is_endorsed = False
    ctx.state.touch_comment(comment)
    return empty(200)


@router.add("POST", "/comments/{comment_id}/resolve")
def resolve_comment(ctx: Context) -> Reply:
    comment, thread = visible_comment(ctx)
    if thread.user_id != ctx.user_id and not ctx.is_staff(thread.course_id):
        raise forbidden("Only the thread author or staff can resolve a comment")
    comment.is_resolved = True
    ctx.state.touch_comment(comment)
    return empty(200)


@router.add("POST", "/comments/{comment_id}/unresolve")
def unresolve_comment(ctx: Context) -> Reply:
    comment, thread = visible_comment(ctx)
    if thread.user_id != ctx.user_id and not ctx.is_staff(thread.course_id):
        raise forbidden("Only the thread author or staff can unresolve a comment")
    comment.is_resolved = False
    ctx.state.touch_comment(comment)
    return empty(200)


@router.add("POST", "/comments/{comment_id}/upvote")
def upvote_comment(ctx: Context) -> Reply:
    comment, _ = visible_comment(ctx)
    ctx.state.set_comment_vote(ctx.user_id, comment, True)
    return empty()


@router.add("POST", "/comments/{comment_id}/unvote")
def unvote_comment(ctx: Context) -> Reply:
    comment, _ = visible_comment(ctx)
    ctx.state.set_comment_vote(ctx.user_id, comment, False)
    return empty()


@router.add("POST", "/comments/{comment_id}/accept")
def accept_comment(ctx: Context) -> Reply:
    comment, thread = visible_comment(ctx)
    return accept(ctx, thread, comment.id)
