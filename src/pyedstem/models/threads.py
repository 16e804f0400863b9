"""Discussion threads, answers and comments."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from pydantic import Field, PrivateAttr

from ._base import FlexibleModel, parse_timestamp
from .users import Participant

__all__ = [
    "CommentSummary",
    "PostedComment",
    "ThreadDetail",
    "ThreadSummary",
    "attach_participants",
]


class _Authored(FlexibleModel):
    """Fields and author lookup shared by threads and comments."""

    _participants: Mapping[int, Participant] = PrivateAttr(default_factory=dict)

    user_id: int | None = None
    anonymous_id: int | None = None
    is_anonymous: bool = False
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None

    @property
    def author(self) -> Participant | None:
        """The author as a participant of the response, or None.

        Anonymous posts have ``user_id`` 0 and no author; a participant
        missing from the response's ``users`` also gives None.
        """
        if not self.user_id or self.is_anonymous:
            return None
        own = getattr(self, "user", None)
        found = self._participants.get(self.user_id)
        return found or (own if isinstance(own, Participant) else None)

    @property
    def author_name(self) -> str | None:
        """The author's name, or None when the post is anonymous or unknown."""
        author = self.author
        return author.name if author else None

    @property
    def author_course_role(self) -> str | None:
        """The author's course role, such as ``student`` or ``staff``."""
        author = self.author
        return author.course_role if author else None

    @property
    def created_at_datetime(self) -> datetime | None:
        """``created_at`` as a timezone-aware datetime."""
        return parse_timestamp(self.created_at)

    @property
    def updated_at_datetime(self) -> datetime | None:
        """``updated_at`` as a timezone-aware datetime."""
        return parse_timestamp(self.updated_at)

    @property
    def deleted_at_datetime(self) -> datetime | None:
        """``deleted_at`` as a timezone-aware datetime."""
        return parse_timestamp(self.deleted_at)


class CommentSummary(_Authored):
    """An answer or comment of a thread, with its nested replies."""

    id: int
    type: str | None = None
    kind: str | None = None
    content: str | None = None
    document: str | None = None
    course_id: int | None = None
    thread_id: int | None = None
    parent_id: int | None = None
    original_id: int | None = None
    editor_id: int | None = None
    number: int | None = None
    flag_count: int = 0
    vote_count: int = 0
    vote: int | None = None
    is_endorsed: bool = False
    is_private: bool = False
    is_resolved: bool = False
    created_by_bot_id: int | None = None
    comments: list[CommentSummary] = Field(default_factory=list)

    def walk(self) -> Iterator[CommentSummary]:
        """Yield this comment and every nested reply, depth first."""
        yield self
        for reply in self.comments:
            yield from reply.walk()


class PostedComment(CommentSummary):
    """An answer or comment as Ed returns it after posting."""


class ThreadSummary(_Authored):
    """A thread as the list, search and detail endpoints return it."""

    id: int
    number: int
    course_id: int
    title: str
    type: str
    user_id: int = 0
    category: str | None = None
    subcategory: str | None = None
    subsubcategory: str | None = None
    content: str | None = None
    document: str | None = None
    original_id: int | None = None
    editor_id: int | None = None
    accepted_id: int | None = None
    duplicate_id: int | None = None
    flag_count: int = 0
    star_count: int = 0
    view_count: int = 0
    unique_view_count: int = 0
    vote_count: int = 0
    reply_count: int = 0
    unresolved_count: int = 0
    is_locked: bool = False
    is_pinned: bool = False
    is_private: bool = False
    is_endorsed: bool = False
    is_answered: bool = False
    is_student_answered: bool = False
    is_staff_answered: bool = False
    is_archived: bool = False
    is_megathread: bool = False
    anonymous_comments: bool = False
    approved_status: str | None = None
    pinned_at: str | None = None
    glanced_at: str | None = None
    vote: int | None = None
    is_seen: bool | None = None
    is_starred: bool | None = None
    is_watched: bool | None = None
    new_reply_count: int | None = None
    duplicate_title: str | None = None
    user: Participant | None = None

    @property
    def is_question(self) -> bool:
        """Whether the thread is a question."""
        return self.type == "question"

    @property
    def is_deleted(self) -> bool:
        """Whether Ed marks the thread deleted."""
        return self.deleted_at is not None

    @property
    def pinned_at_datetime(self) -> datetime | None:
        """``pinned_at`` as a timezone-aware datetime."""
        return parse_timestamp(self.pinned_at)


class ThreadDetail(ThreadSummary):
    """A thread with its answers and comments (``GET /threads/{thread_id}``)."""

    answers: list[CommentSummary] = Field(default_factory=list)
    comments: list[CommentSummary] = Field(default_factory=list)

    def walk_comments(self) -> Iterator[CommentSummary]:
        """Yield every answer, comment and nested reply, depth first."""
        for top in [*self.answers, *self.comments]:
            yield from top.walk()

    def find_comment(self, comment_id: int) -> CommentSummary | None:
        """Return the answer, comment or reply with this id, or None."""
        return next((c for c in self.walk_comments() if c.id == comment_id), None)

    @property
    def accepted_answer(self) -> CommentSummary | None:
        """The accepted answer, found through ``accepted_id``."""
        if self.accepted_id is None:
            return None
        return next((a for a in self.answers if a.id == self.accepted_id), None)


def attach_participants(
    items: Iterable[ThreadSummary | CommentSummary],
    participants: Iterable[Participant],
) -> None:
    """Give threads and their comments the ``users`` of the same response."""
    by_id = {p.id: p for p in participants}
    for item in items:
        item._participants = by_id
        if isinstance(item, ThreadDetail):
            for comment in item.walk_comments():
                comment._participants = by_id
