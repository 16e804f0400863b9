"""Conversion of pyedstem models into archive rows, with the privacy rules applied.

Private threads and private comments (with their replies) are dropped unless
`Privacy.include_private` is set. Personal fields (emails, usernames, avatars,
the pseudonym numbers of anonymous posts and the author of an anonymous post)
are left empty unless `Privacy.include_personal` is set.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..content import ed_document_to_markdown, ed_document_to_text
from ..models import (
    CommentSummary,
    CourseInfo,
    LessonModule,
    LessonSummary,
    Participant,
    SlideSummary,
    ThreadDetail,
    ThreadSummary,
)

Row = dict[str, Any]

# Fields that differ by viewer or change on every view. They are left out of
# the list signature, so that reading a thread on Ed does not make the next
# incremental run fetch it again.
_VOLATILE_THREAD_FIELDS = frozenset(
    {
        "vote",
        "is_seen",
        "is_starred",
        "is_watched",
        "glanced_at",
        "new_reply_count",
        "view_count",
        "unique_view_count",
        "user",
        "document",
    }
)
_PER_USER_LESSON_FIELDS = frozenset(
    {
        "status",
        "first_viewed_at",
        "attempted_at",
        "last_viewed_slide_id",
        "attempt_id",
        "attempts_remaining",
        "effective_available_at",
        "effective_due_at",
        "effective_locked_at",
        "effective_solutions_at",
        "slides",
    }
)
_PER_USER_SLIDE_FIELDS = frozenset({"status", "correct", "response"})
_PERSONAL_KEY_PARTS = ("email", "anonymous", "username", "avatar")


@dataclass(frozen=True)
class Privacy:
    """Settings for data beyond public, impersonal content.

    Attributes:
        include_private: Store private threads and private comments.
        include_personal: Store emails, usernames, avatars, pseudonym numbers
            and the authors of anonymous posts.
    """

    include_private: bool = False
    include_personal: bool = False

    def as_meta(self) -> str:
        """Return the settings as the JSON text kept in ``archive_meta``."""
        return json.dumps(
            {
                "include_private": self.include_private,
                "include_personal": self.include_personal,
            },
            sort_keys=True,
        )


def signature(model: BaseModel, ignore: frozenset[str]) -> str:
    """Return a hash of a model's JSON, leaving out the fields in `ignore`.

    Fields are serialized in the model's order and extra fields in the order
    Ed sent them, so the same response always gives the same hash.
    """
    text = model.model_dump_json(exclude=set(ignore))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def thread_signature(thread: ThreadSummary) -> str:
    """Return the hash of a thread-list entry that changes when the thread does."""
    return signature(thread, _VOLATILE_THREAD_FIELDS)


def lesson_signature(lesson: LessonSummary) -> str:
    """Return the hash of a lesson-list entry, without per-user progress."""
    return signature(lesson, _PER_USER_LESSON_FIELDS)


def _flag(value: bool | None) -> int:
    return 1 if value else 0


def _extra(model: Any, privacy: Privacy, drop: frozenset[str] = frozenset()) -> str:
    """Return the fields pyedstem does not model, as JSON text."""
    extra = dict(model.model_extra or {})
    kept = {
        key: value
        for key, value in sorted(extra.items())
        if key not in drop
        and (
            privacy.include_personal
            or not any(part in key for part in _PERSONAL_KEY_PARTS)
        )
    }
    return json.dumps(kept, sort_keys=True, ensure_ascii=False)


def _bodies(xml: str | None) -> tuple[str | None, str | None, str | None]:
    if not xml:
        return xml, None, None
    return xml, ed_document_to_markdown(xml), ed_document_to_text(xml)


def _author_id(item: ThreadSummary | CommentSummary, privacy: Privacy) -> int | None:
    if not item.user_id:
        return None
    if item.is_anonymous and not privacy.include_personal:
        return None
    return item.user_id


def _anonymous_id(item: ThreadSummary | CommentSummary, privacy: Privacy) -> int | None:
    if not privacy.include_personal or not item.anonymous_id:
        return None
    return item.anonymous_id


def thread_web_url(region: str | None, course_id: int, thread_id: int) -> str | None:
    """Return the thread's address on Ed's website, when the region is known."""
    if region is None:
        return None
    return f"https://edstem.org/{region}/courses/{course_id}/discussion/{thread_id}"


def course_row(course: CourseInfo, region: str | None) -> Row:
    """Build the ``courses`` row of a course."""
    web_url = None
    if region is not None:
        web_url = f"https://edstem.org/{region}/courses/{course.id}/discussion/"
    return {
        "id": course.id,
        "code": course.code,
        "name": course.name,
        "year": course.year,
        "session": course.session,
        "status": course.status,
        "realm_id": course.realm_id,
        "created_at": course.created_at,
        "categories": json.dumps(course.categories(), ensure_ascii=False),
        "web_url": web_url,
    }


def thread_row(thread: ThreadDetail, privacy: Privacy, region: str | None) -> Row:
    """Build the ``threads`` row of a fetched thread."""
    xml, markdown, text = _bodies(thread.content)
    return {
        "id": thread.id,
        "course_id": thread.course_id,
        "number": thread.number,
        "type": thread.type,
        "title": thread.title,
        "category": thread.category,
        "subcategory": thread.subcategory,
        "subsubcategory": thread.subsubcategory,
        "user_id": _author_id(thread, privacy),
        "anonymous_id": _anonymous_id(thread, privacy),
        "is_anonymous": _flag(thread.is_anonymous),
        "is_private": _flag(thread.is_private),
        "is_pinned": _flag(thread.is_pinned),
        "is_locked": _flag(thread.is_locked),
        "is_endorsed": _flag(thread.is_endorsed),
        "is_answered": _flag(thread.is_answered),
        "is_staff_answered": _flag(thread.is_staff_answered),
        "is_student_answered": _flag(thread.is_student_answered),
        "is_megathread": _flag(thread.is_megathread),
        "is_archived": _flag(thread.is_archived),
        "accepted_id": thread.accepted_id,
        "duplicate_id": thread.duplicate_id,
        "approved_status": thread.approved_status,
        "reply_count": thread.reply_count,
        "unresolved_count": thread.unresolved_count,
        "vote_count": thread.vote_count,
        "star_count": thread.star_count,
        "flag_count": thread.flag_count,
        "view_count": thread.view_count,
        "unique_view_count": thread.unique_view_count,
        "created_at": thread.created_at,
        "updated_at": thread.updated_at,
        "deleted_at": thread.deleted_at,
        "pinned_at": thread.pinned_at,
        "web_url": thread_web_url(region, thread.course_id, thread.id),
        "content_xml": xml,
        "content_markdown": markdown,
        "content_text": text,
        "extra": _extra(thread, privacy),
    }


def stored_comments(
    thread: ThreadDetail, privacy: Privacy
) -> list[tuple[CommentSummary, int]]:
    """Return the answers, comments and replies to store, each with its depth.

    The order is answers first, then comments, each followed by its replies,
    depth first. A private comment is skipped together with its replies
    unless private content is included.
    """
    kept: list[tuple[CommentSummary, int]] = []

    def visit(comment: CommentSummary, depth: int) -> None:
        if comment.is_private and not privacy.include_private:
            return
        kept.append((comment, depth))
        for reply in comment.comments:
            visit(reply, depth + 1)

    for top in [*thread.answers, *thread.comments]:
        visit(top, 0)
    return kept


def comment_rows(
    thread: ThreadDetail, comments: list[tuple[CommentSummary, int]], privacy: Privacy
) -> list[Row]:
    """Build the ``comments`` rows of a thread's stored answers and comments."""
    rows = []
    for position, (comment, depth) in enumerate(comments):
        xml, markdown, text = _bodies(comment.content)
        rows.append(
            {
                "id": comment.id,
                "thread_id": thread.id,
                "course_id": comment.course_id or thread.course_id,
                "parent_id": comment.parent_id,
                "type": comment.type or ("answer" if depth == 0 else "comment"),
                "kind": comment.kind,
                "number": comment.number,
                "depth": depth,
                "position": position,
                "user_id": _author_id(comment, privacy),
                "anonymous_id": _anonymous_id(comment, privacy),
                "is_anonymous": _flag(comment.is_anonymous),
                "is_private": _flag(comment.is_private),
                "is_endorsed": _flag(comment.is_endorsed),
                "is_resolved": _flag(comment.is_resolved),
                "is_accepted": _flag(comment.id == thread.accepted_id),
                "vote_count": comment.vote_count,
                "flag_count": comment.flag_count,
                "created_at": comment.created_at,
                "updated_at": comment.updated_at,
                "deleted_at": comment.deleted_at,
                "content_xml": xml,
                "content_markdown": markdown,
                "content_text": text,
                "extra": _extra(comment, privacy, frozenset({"vote"})),
            }
        )
    return rows


def participants(
    thread: ThreadDetail, comments: Iterable[CommentSummary], privacy: Privacy
) -> tuple[list[Row], list[Row]]:
    """Return the ``users`` rows and ``thread_participants`` rows of a thread.

    A participant is an author of the thread or of a stored comment. Authors
    of anonymous posts are counted only when personal data is included.
    """
    posts: Counter[int] = Counter()
    people: dict[int, Participant | None] = {}
    items: list[ThreadSummary | CommentSummary] = [thread, *comments]
    for item in items:
        user_id = _author_id(item, privacy)
        if user_id is None:
            continue
        posts[user_id] += 1
        if people.get(user_id) is None:
            people[user_id] = item.author
    users = [user_row(user_id, people[user_id], privacy) for user_id in sorted(people)]
    links = [
        {"thread_id": thread.id, "user_id": user_id, "posts": posts[user_id]}
        for user_id in sorted(posts)
    ]
    return users, links


def user_row(user_id: int, person: Participant | None, privacy: Privacy) -> Row:
    """Build a ``users`` row, leaving the personal columns empty unless included."""
    avatar = person.avatar if person is not None else None
    return {
        "id": user_id,
        "name": person.name if person is not None else None,
        "role": person.role if person is not None else None,
        "course_role": person.course_role if person is not None else None,
        "avatar": avatar if privacy.include_personal else None,
    }


def module_row(module: LessonModule) -> Row:
    """Build a ``modules`` row."""
    return {
        "id": module.id,
        "course_id": module.course_id,
        "name": module.name,
        "created_at": module.created_at,
        "updated_at": module.updated_at,
    }


def lesson_row(lesson: LessonSummary, position: int, privacy: Privacy) -> Row:
    """Build a ``lessons`` row at `position`, the lesson's place in Ed's list."""
    return {
        "id": lesson.id,
        "course_id": lesson.course_id,
        "module_id": lesson.module_id,
        "number": lesson.number,
        "position": position,
        "title": lesson.title,
        "type": lesson.type,
        "kind": lesson.kind,
        "state": lesson.state,
        "is_hidden": _flag(lesson.is_hidden),
        "is_unlisted": _flag(lesson.is_unlisted),
        "is_timed": _flag(lesson.is_timed),
        "slide_count": lesson.slide_count,
        "available_at": lesson.available_at,
        "due_at": lesson.due_at,
        "locked_at": lesson.locked_at,
        "solutions_at": lesson.solutions_at,
        "created_at": lesson.created_at,
        "updated_at": lesson.updated_at,
        "extra": _extra(lesson, privacy, _PER_USER_LESSON_FIELDS),
    }


def slide_row(slide: SlideSummary, lesson_id: int, privacy: Privacy) -> Row:
    """Build a ``slides`` row, with Markdown and text from its content or passage."""
    body = slide.content or slide.passage
    _, markdown, text = _bodies(body)
    return {
        "id": slide.id,
        "lesson_id": slide.lesson_id or lesson_id,
        "course_id": slide.course_id,
        "position": slide.index,
        "type": slide.type,
        "title": slide.title,
        "is_hidden": _flag(slide.is_hidden),
        "challenge_id": slide.challenge_id,
        "points": slide.points,
        "auto_points": slide.auto_points,
        "created_at": slide.created_at,
        "updated_at": slide.updated_at,
        "content_xml": slide.content,
        "passage_xml": slide.passage,
        "content_markdown": markdown,
        "content_text": text,
        "extra": _extra(slide, privacy, _PER_USER_SLIDE_FIELDS),
    }


_RESOURCE_COLUMNS = (
    "id",
    "course_id",
    "name",
    "category",
    "session",
    "extension",
    "link",
    "size",
    "release_at",
    "created_at",
    "updated_at",
)


def resource_row(resource: Mapping[str, Any]) -> Row:
    """Build a ``resources`` row from Ed's raw resource object."""
    row: Row = {column: resource.get(column) for column in _RESOURCE_COLUMNS}
    row["staff_only"] = _flag(resource.get("staff_only"))
    row["embedding"] = _flag(resource.get("embedding"))
    known = {*_RESOURCE_COLUMNS, "staff_only", "embedding"}
    extra = {k: v for k, v in sorted(resource.items()) if k not in known}
    row["extra"] = json.dumps(extra, sort_keys=True, ensure_ascii=False)
    return row
