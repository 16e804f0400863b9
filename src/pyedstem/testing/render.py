"""Ed's JSON shapes for the records of a sandbox state.

Key order follows Ed's responses as far as captures show it. A ``viewer`` of
None renders the viewer-independent shape that ``PUT /threads/{t}`` and the
live stream send (no ``vote``, ``is_seen``, ``is_starred``, ``is_watched``,
``glanced_at``, ``new_reply_count`` or ``duplicate_title``).
"""

from __future__ import annotations

import json
import operator
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from pyedstem.testing._settings import course_settings, user_settings
from pyedstem.testing._time import (
    format_optional,
    format_schedule,
    format_timestamp,
)
from pyedstem.testing.state import SandboxState
from pyedstem.testing.world import Comment, Course, Enrollment, JSONObject, Thread

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dump_json(value: Any) -> str:
    """Encode ``value`` as compact JSON."""
    return _ENCODER.encode(value)


def participant(state: SandboxState, user_id: int, course_id: int) -> JSONObject:
    """Render a ``users`` entry of a thread list or detail."""
    user = state.users[user_id]
    enrollment = state.enrollment(user_id, course_id)
    tutorials: dict[str, str] = {}
    if enrollment is not None and enrollment.lab_id is not None:
        lab = state.world.labs.get(enrollment.lab_id)
        if lab is not None:
            tutorials[str(lab.id)] = lab.name
    return {
        "id": user.id,
        "role": "user",
        "name": user.name,
        "avatar": None,
        "course_role": enrollment.role if enrollment is not None else None,
        "tutorials": tutorials,
    }


def visible_author(item: Thread | Comment) -> int:
    """Return the author id Ed shows: 0 for anonymous posts."""
    return 0 if item.is_anonymous else item.user_id


def thread_json(
    state: SandboxState,
    thread: Thread,
    viewer: int | None,
    *,
    with_user: bool = False,
) -> JSONObject:
    """Render a thread without its replies.

    Args:
        state: The sandbox state.
        thread: The thread.
        viewer: User whose per-viewer fields are added, or None to leave them out.
        with_user: Add the ``user`` participant (thread list items and stream).
    """
    data: JSONObject = {
        "id": thread.id,
        "user_id": visible_author(thread),
        "course_id": thread.course_id,
        "original_id": None,
        "editor_id": thread.editor_id,
        "accepted_id": thread.accepted_id,
        "duplicate_id": thread.duplicate_id,
        "number": thread.number,
        "type": thread.type,
        "title": thread.title,
        "content": state.content_of(thread),
        "document": state.document_of(thread),
        "category": thread.category,
        "subcategory": thread.subcategory,
        "subsubcategory": thread.subsubcategory,
        "flag_count": thread.flag_count,
        "star_count": thread.star_count,
        "view_count": thread.view_count,
        "unique_view_count": thread.unique_view_count,
        "vote_count": thread.vote_count,
        "reply_count": thread.reply_count,
        "unresolved_count": thread.unresolved_count,
        "is_locked": thread.is_locked,
        "is_pinned": thread.is_pinned,
        "is_private": thread.is_private,
        "is_endorsed": thread.is_endorsed,
        "is_answered": thread.is_answered,
        "is_student_answered": thread.is_student_answered,
        "is_staff_answered": thread.is_staff_answered,
        "is_archived": thread.is_archived,
        "is_anonymous": thread.is_anonymous,
        "is_megathread": thread.is_megathread,
        "anonymous_comments": thread.anonymous_comments,
        "approved_status": thread.approved_status,
        "created_at": format_timestamp(thread.created_at),
        "updated_at": format_optional(thread.updated_at),
        "deleted_at": format_optional(thread.deleted_at),
        "pinned_at": format_optional(thread.pinned_at),
        "anonymous_id": thread.anonymous_id,
    }
    if viewer is not None:
        data.update(_viewer_fields(state, thread, viewer))
    if with_user:
        data["user"] = (
            None
            if thread.is_anonymous
            else participant(state, thread.user_id, thread.course_id)
        )
    return data


_THREAD_FINGERPRINT = operator.attrgetter(
    "user_id",
    "editor_id",
    "accepted_id",
    "duplicate_id",
    "number",
    "type",
    "title",
    "content_text",
    "document_text",
    "category",
    "subcategory",
    "subsubcategory",
    "flag_count",
    "star_count",
    "view_count",
    "unique_view_count",
    "vote_count",
    "reply_count",
    "unresolved_count",
    "is_locked",
    "is_pinned",
    "is_private",
    "is_endorsed",
    "is_answered",
    "is_student_answered",
    "is_staff_answered",
    "is_archived",
    "is_anonymous",
    "is_megathread",
    "anonymous_comments",
    "approved_status",
    "updated_at",
    "deleted_at",
    "pinned_at",
    "anonymous_id",
)

_LIST_CACHE_SIZE = 20_000


class ListItemCache:
    """Encoded thread-list items, reused while the thread is unchanged.

    A list page of 30 to 100 threads is the sandbox's most frequent large
    response. Each entry contains the JSON of the viewer-independent fields and
    the tuple of every field that went into it, so any change to the thread
    misses the cache.
    """

    def __init__(self) -> None:
        self._entries: OrderedDict[int, tuple[tuple[Any, ...], str]] = OrderedDict()
        self._people: dict[tuple[int, int], tuple[tuple[Any, ...], str]] = {}

    def item(self, state: SandboxState, thread: Thread, viewer: int) -> str:
        """Return the list item of ``thread`` for ``viewer`` as JSON."""
        fingerprint = _THREAD_FINGERPRINT(thread)
        entry = self._entries.get(thread.id)
        if entry is None or entry[0] != fingerprint:
            data = thread_json(state, thread, None)
            encoded = dump_json(data)[:-1]
            self._entries[thread.id] = (fingerprint, encoded)
            if len(self._entries) > _LIST_CACHE_SIZE:
                self._entries.popitem(last=False)
        else:
            encoded = entry[1]
            self._entries.move_to_end(thread.id)
        if thread.is_anonymous:
            user = "null"
        else:
            user = self.participant(state, thread.user_id, thread.course_id)
        extra = _viewer_fields(state, thread, viewer)
        glanced = extra["glanced_at"]
        duplicate = extra["duplicate_title"]
        duplicate_title = "null" if duplicate is None else dump_json(duplicate)
        watched = extra["is_watched"]
        return (
            f'{encoded},"vote":{extra["vote"]},'
            f'"is_seen":{"true" if extra["is_seen"] else "false"},'
            f'"is_starred":{"true" if extra["is_starred"] else "false"},'
            f'"is_watched":{"null" if watched is None else dump_json(watched)},'
            f'"glanced_at":{"null" if glanced is None else dump_json(glanced)},'
            f'"new_reply_count":{extra["new_reply_count"]},'
            f'"duplicate_title":{duplicate_title},'
            f'"user":{user}}}'
        )

    def participant(self, state: SandboxState, user_id: int, course_id: int) -> str:
        """Return the encoded ``user`` participant, cached while it is unchanged."""
        enrollment = state.enrollment(user_id, course_id)
        fingerprint = (
            state.users[user_id].name,
            enrollment.role if enrollment is not None else None,
            enrollment.lab_id if enrollment is not None else None,
        )
        cached = self._people.get((user_id, course_id))
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        encoded = dump_json(participant(state, user_id, course_id))
        self._people[(user_id, course_id)] = (fingerprint, encoded)
        return encoded


def _viewer_fields(state: SandboxState, thread: Thread, viewer: int) -> JSONObject:
    glanced = state.seen_map(viewer).get(thread.id)
    duplicate = state.threads.get(thread.duplicate_id) if thread.duplicate_id else None
    return {
        "vote": 1 if thread.voters and viewer in thread.voters else 0,
        "is_seen": glanced is not None,
        "is_starred": bool(thread.starred_by and viewer in thread.starred_by),
        "is_watched": thread.watchers.get(viewer) if thread.watchers else None,
        "glanced_at": format_optional(glanced),
        "new_reply_count": state.new_reply_count(viewer, thread),
        "duplicate_title": duplicate.title if duplicate is not None else None,
    }


def comment_json(
    state: SandboxState, comment: Comment, viewer: int | None
) -> JSONObject:
    """Render an answer or comment with the nested replies the viewer may see."""
    children = [
        comment_json(state, child, viewer)
        for child in comment.comments
        if viewer is None or state.can_see_comment(viewer, child)
    ]
    return {
        "id": comment.id,
        "user_id": visible_author(comment),
        "course_id": comment.course_id,
        "thread_id": comment.thread_id,
        "original_id": None,
        "parent_id": comment.parent_id,
        "editor_id": comment.editor_id,
        "number": comment.number,
        "type": comment.type,
        "kind": comment.kind,
        "content": state.content_of(comment),
        "document": state.document_of(comment),
        "flag_count": comment.flag_count,
        "vote_count": comment.vote_count,
        "is_endorsed": comment.is_endorsed,
        "is_anonymous": comment.is_anonymous,
        "is_private": comment.is_private,
        "is_resolved": comment.is_resolved,
        "created_by_bot_id": None,
        "created_at": format_timestamp(comment.created_at),
        "updated_at": format_optional(comment.updated_at),
        "deleted_at": format_optional(comment.deleted_at),
        "anonymous_id": comment.anonymous_id,
        "vote": 1
        if viewer is not None and comment.voters and viewer in comment.voters
        else 0,
        "comments": children,
    }


def participants(
    state: SandboxState, course_id: int, author_ids: Iterable[int]
) -> list[JSONObject]:
    """Render the ``users`` list for the given non-anonymous author ids."""
    unique = sorted({user_id for user_id in author_ids if user_id})
    return [participant(state, user_id, course_id) for user_id in unique]


def thread_detail(state: SandboxState, thread: Thread, viewer: int) -> JSONObject:
    """Render ``{thread, users}`` for ``GET /threads/{t}``."""
    data = thread_json(state, thread, viewer)
    visible = [
        comment
        for comment in state.walk_replies(thread)
        if state.can_see_comment(viewer, comment)
    ]
    data["answers"] = [
        comment_json(state, answer, viewer)
        for answer in thread.answers
        if state.can_see_comment(viewer, answer)
    ]
    data["comments"] = [
        comment_json(state, comment, viewer)
        for comment in thread.comments
        if state.can_see_comment(viewer, comment)
    ]
    authors = [visible_author(thread), *(visible_author(c) for c in visible)]
    return {"thread": data, "users": participants(state, thread.course_id, authors)}


def course_json(course: Course) -> JSONObject:
    """Render a course object."""
    return {
        "id": course.id,
        "realm_id": course.realm_id,
        "code": course.code,
        "name": course.name,
        "year": course.year,
        "session": course.session,
        "status": course.status,
        "features": dict(course.features),
        "settings": course_settings(course),
        "created_at": format_timestamp(course.created_at),
        "is_lab_regex_active": False,
    }


def encoded_course(state: SandboxState, course: Course) -> str:
    """Return :func:`course_json` of ``course`` as JSON text, reused while unchanged.

    The settings object is large and no route changes a course, so ``GET
    /user`` and ``GET /courses/{c}`` share one encoding. A change to a scalar
    field, or a new categories or features object, renders the course again.
    """
    fingerprint = (
        course.code,
        course.name,
        course.year,
        course.session,
        course.status,
        course.allow_private,
        course.allow_anonymous,
        id(course.categories),
        id(course.features),
    )
    cached = state.course_cache.get(course.id)
    if cached is not None and cached[0] == fingerprint:
        text: str = cached[1]
        return text
    text = dump_json(course_json(course))
    state.course_cache[course.id] = (fingerprint, text)
    return text


def course_role_json(enrollment: Enrollment) -> JSONObject:
    """Render the ``role`` object of an enrollment in ``GET /user``."""
    return {
        "user_id": enrollment.user_id,
        "course_id": enrollment.course_id,
        "lab_id": enrollment.lab_id,
        "role": enrollment.role,
        "tutorial": None,
        "digest": False,
        "settings": {"digest_interval": None, "email_announcements": None},
        "created_at": format_timestamp(enrollment.created_at),
        "deleted_at": None,
    }


def lab_json(state: SandboxState, lab_id: int | None) -> JSONObject | None:
    """Render a lab (tutorial group) or None."""
    if lab_id is None or lab_id not in state.world.labs:
        return None
    lab = state.world.labs[lab_id]
    return {
        "id": lab.id,
        "course_id": lab.course_id,
        "name": lab.name,
        "created_at": format_timestamp(lab.created_at),
    }


def user_json(state: SandboxState, user_id: int) -> JSONObject:
    """Render the ``user`` object of ``GET /user``."""
    user = state.users[user_id]
    return {
        "id": user.id,
        "role": "user",
        "name": user.name,
        "email": user.email,
        "username": user.username,
        "avatar": None,
        "features": {},
        "settings": user_settings(user.tz),
        "activated": True,
        "created_at": format_timestamp(user.created_at),
        "course_role": None,
        "secondary_emails": [],
        "has_password": False,
        "is_lti": True,
        "is_sso": True,
        "can_change_name": True,
        "has_pats": True,
        "realm_id": None,
    }


_SCHEDULE_KEYS = frozenset(
    {
        "available_at",
        "due_at",
        "locked_at",
        "solutions_at",
        "effective_available_at",
        "effective_due_at",
        "effective_locked_at",
        "effective_solutions_at",
        "last_active",
    }
)


def with_times(data: JSONObject) -> JSONObject:
    """Copy ``data`` with integer ``*_at`` values formatted as Ed timestamps.

    Scheduled lesson dates get no fraction; other times get microseconds.
    Values that are already strings (written by a client) pass unchanged.
    """
    result: JSONObject = {}
    for key, value in data.items():
        if (
            key.endswith("_at")
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            result[key] = (
                format_schedule(value)
                if key in _SCHEDULE_KEYS
                else format_timestamp(value)
            )
        elif isinstance(value, dict):
            result[key] = with_times(value)
        elif isinstance(value, list):
            result[key] = [_times_in(item) for item in value]
        else:
            result[key] = value
    return result


def _times_in(value: Any) -> Any:
    if isinstance(value, dict):
        return with_times(value)
    return value
