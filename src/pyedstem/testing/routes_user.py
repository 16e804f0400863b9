"""Account routes: the current user, tokens, profile activity, region, files."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from pyedstem.testing._time import format_nanos, format_schedule, format_timestamp
from pyedstem.testing.render import (
    course_role_json,
    dump_json,
    encoded_course,
    lab_json,
    user_json,
)
from pyedstem.testing.router import (
    Context,
    Reply,
    Router,
    bad_request,
    forbidden,
    not_found,
)
from pyedstem.testing.world import JSONObject, UploadedFile

router = Router()

ACTIVITY_MAX_LIMIT = 50
ACTIVITY_DEFAULT_LIMIT = 30


@router.add("GET", "/user")
def get_user(ctx: Context) -> Reply:
    state = ctx.state
    # The course objects are large and cached as JSON text, so the reply is
    # assembled from encoded parts.
    courses = []
    for enrollment in state.enrollments_of(ctx.user_id):
        course = state.courses[enrollment.course_id]
        rest = dump_json(
            {
                "role": course_role_json(enrollment),
                "lab": lab_json(state, enrollment.lab_id),
                "last_active": format_schedule(enrollment.last_active),
            }
        )
        courses.append(f'{{"course":{encoded_course(state, course)},{rest[1:]}')
    now = state.now()
    tail = dump_json(
        {
            "push_key": f"BSandbox{ctx.user_id:08d}" + "x" * 71,
            "push_subscriptions": [],
            "realms": [state.world.realm],
            "time": format_nanos(now * 1000 + 417),
            "user": user_json(state, ctx.user_id),
        }
    )
    body = f'{{"courses":[{",".join(courses)}],{tail[1:]}'
    return Reply(body=body.encode())


@router.add("GET", "/user/tokens")
def list_tokens(ctx: Context) -> Reply:
    # NOTE: the item fields of Ed's token list are not documented. The sandbox
    # sends an id, a name, the creation time and a short prefix, never the token.
    tokens = [
        {
            "id": token.id,
            "name": token.name,
            "prefix": token.token[:6],
            "created_at": format_timestamp(token.created_at),
            "last_used_at": None,
        }
        for token in ctx.state.world.tokens.values()
        if token.user_id == ctx.user_id
    ]
    return Reply(body={"tokens": tokens})


@router.add("GET", "/region", auth=False)
def get_region(ctx: Context) -> Reply:
    return Reply(body={"country_code": "au", "default_region": "au"})


def _activity_course(ctx: Context) -> int | None:
    # NOTE: clients disagree on the parameter name (courseID or course_id), so
    # the sandbox accepts both, like a tolerant server would.
    for name in ("course_id", "courseID"):
        value = ctx.request.int_param(name)
        if value is not None:
            return value
    return None


@router.add("GET", "/users/{user_id}/profile/activity")
def user_activity(ctx: Context) -> Reply:
    state = ctx.state
    target = ctx.params["user_id"]
    if target not in state.users:
        raise not_found("User")
    course_id = _activity_course(ctx)
    if course_id is not None:
        ctx.course(course_id)
        course_ids = {course_id}
    else:
        viewer_courses = {e.course_id for e in state.enrollments_of(ctx.user_id)}
        course_ids = {
            e.course_id
            for e in state.enrollments_of(target)
            if e.course_id in viewer_courses
        }
    kind = ctx.request.param("filter") or "all"
    if kind not in ("all", "thread", "answer", "comment"):
        raise bad_request(
            f"Invalid filter {kind!r}: expected all, thread, answer or comment"
        )
    limit = (
        ctx.request.int_param("limit", ACTIVITY_DEFAULT_LIMIT) or ACTIVITY_DEFAULT_LIMIT
    )
    limit = min(max(limit, 1), ACTIVITY_MAX_LIMIT)
    offset = max(0, ctx.request.int_param("offset", 0) or 0)
    items = _activity_items(ctx, target, course_ids, kind)
    items.sort(key=lambda item: item[0], reverse=True)
    return Reply(body={"items": [item for _, item in items[offset : offset + limit]]})


def _activity_items(
    ctx: Context, target: int, course_ids: set[int], kind: str
) -> list[tuple[int, JSONObject]]:
    """Collect the target's non-anonymous threads and replies the caller can see."""
    state = ctx.state
    found: list[tuple[int, JSONObject]] = []
    for course_id in course_ids:
        course = state.courses[course_id]
        for thread in state.course_threads(course_id):
            if not state.can_see_thread(ctx.user_id, thread):
                continue
            if (
                kind in ("all", "thread")
                and thread.user_id == target
                and not thread.is_anonymous
            ):
                found.append((thread.created_at, _thread_item(ctx, thread.id, course)))
            if kind == "thread":
                continue
            for reply in state.walk_replies(thread):
                if reply.user_id != target or reply.is_anonymous:
                    continue
                if kind != "all" and reply.type != kind:
                    continue
                if not state.can_see_comment(ctx.user_id, reply):
                    continue
                value = {
                    "id": reply.id,
                    "type": reply.type,
                    "course_id": course.id,
                    "course_name": course.name,
                    "course_code": course.code,
                    "document": state.document_of(reply),
                    "thread_id": thread.id,
                    "thread_title": thread.title,
                    "thread_category": thread.category,
                    "thread_subcategory": thread.subcategory,
                    "thread_subsubcategory": thread.subsubcategory,
                    "created_at": format_timestamp(reply.created_at),
                }
                found.append((reply.created_at, {"type": "comment", "value": value}))
    return found


def _thread_item(ctx: Context, thread_id: int, course: Any) -> JSONObject:
    thread = ctx.state.threads[thread_id]
    return {
        "type": "thread",
        "value": {
            "id": thread.id,
            "type": thread.type,
            "course_id": course.id,
            "course_name": course.name,
            "course_code": course.code,
            "title": thread.title,
            "document": ctx.state.document_of(thread),
            "category": thread.category,
            "subcategory": thread.subcategory,
            "subsubcategory": thread.subsubcategory,
            "is_private": thread.is_private,
            "approved_status": thread.approved_status,
            "created_at": format_timestamp(thread.created_at),
        },
    }


def _file_reply(
    ctx: Context, filename: str, content_type: str, content: bytes
) -> Reply:
    file_id = secrets.token_hex(12)
    suffix = PurePosixPath(filename).suffix
    uploaded = UploadedFile(
        id=file_id,
        user_id=ctx.user_id,
        filename=filename,
        extension=suffix.lstrip("."),
        content_type=content_type,
        content=content,
        created_at=ctx.state.now(),
    )
    ctx.state.add_file(uploaded)
    return Reply(status=201, body={"file": file_json(uploaded)})


def file_json(uploaded: UploadedFile) -> JSONObject:
    """Render the ``file`` object of ``POST /files``."""
    return {
        "user_id": uploaded.user_id,
        "id": uploaded.id,
        "filename": uploaded.filename,
        "extension": uploaded.extension,
        "created_at": format_timestamp(uploaded.created_at),
    }


@router.add("POST", "/files")
def upload_file(ctx: Context) -> Reply:
    parts = ctx.request.form()
    attachment = next((part for part in parts if part.name == "attachment"), None)
    if attachment is None:
        raise bad_request("Missing attachment", "missing_attachment")
    filename = attachment.filename or "attachment"
    return _file_reply(ctx, filename, attachment.content_type, attachment.value)


@router.add("POST", "/files/url")
def upload_file_from_url(ctx: Context) -> Reply:
    body = ctx.request.json()
    url = body.get("url") if isinstance(body, dict) else None
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise bad_request("Missing url: expected an http or https URL", "missing_url")
    # NOTE: Ed downloads the URL; the sandbox never contacts another host, so it
    # stores an empty file under the URL's last path segment.
    filename = unquote(PurePosixPath(urlsplit(url).path).name) or "download"
    return _file_reply(ctx, filename, "application/octet-stream", b"")


def _realm_admin_only(ctx: Context) -> Reply:
    # Ed answers these with 403 for every token that is not a realm
    # administrator, and the sandbox has no realm administrators.
    raise forbidden("Only realm administrators can do this")


for _restricted in ("/courses", "/realms", "/status"):
    router.add("GET", _restricted)(_realm_admin_only)
