"""The records of a sandbox world: users, courses, threads, lessons, challenges.

Threads and comments are slotted dataclasses because a benchmark world
contains hundreds of thousands of them. Their bodies are not stored: each keeps a
template kind and a seed, and :mod:`pyedstem.testing._text` builds the Ed XML
on demand. A body written through the API replaces the seed with real text.

Lessons, slides, questions, challenges and submissions are stored as the Ed
JSON objects themselves (``data`` dictionaries), because Ed's update routes
take and return whole objects of those kinds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

JSONObject = dict[str, Any]

STAFF_ROLES = frozenset({"tutor", "staff", "admin"})
"""Course roles with staff rights in the sandbox.

NOTE: Ed also has a ``mentor`` role whose rights are not documented; the
sandbox treats mentors like students.
"""

COURSE_ROLES = ("student", "mentor", "tutor", "staff", "admin")


@dataclass(slots=True)
class User:
    """An Ed account."""

    id: int
    name: str
    email: str
    username: str | None
    created_at: int
    tz: str = "Australia/Sydney"


@dataclass(slots=True)
class Enrollment:
    """A user's role in one course (``CourseRole`` in Ed's ``GET /user``)."""

    user_id: int
    course_id: int
    role: str
    created_at: int
    last_active: int
    lab_id: int | None = None
    sourced_id: str = ""
    accepted: bool = True
    lti_synced: bool = False

    @property
    def is_staff(self) -> bool:
        """Whether the role has staff rights."""
        return self.role in STAFF_ROLES


@dataclass(slots=True)
class Category:
    """A discussion category with its nested subcategories."""

    name: str
    subcategories: list[Category] = field(default_factory=list)
    thread_template: str | None = None


@dataclass(slots=True)
class Course:
    """An Ed course and its discussion settings."""

    id: int
    realm_id: int
    code: str
    name: str
    year: str
    session: str
    status: str
    created_at: int
    categories: list[Category]
    features: dict[str, bool]
    allow_private: bool = True
    allow_anonymous: bool = True

    @property
    def is_archived(self) -> bool:
        """Whether the course is archived (read-only for students)."""
        return self.status == "archived"

    def has_category(self, name: str, subcategory: str = "") -> bool:
        """Check that ``name`` (and ``subcategory``, when given) exist."""
        for category in self.categories:
            if category.name != name:
                continue
            if not subcategory:
                return True
            return any(sub.name == subcategory for sub in category.subcategories)
        return False


@dataclass(slots=True)
class Lab:
    """A tutorial group (``lab`` in Ed)."""

    id: int
    course_id: int
    name: str
    created_at: int


@dataclass(slots=True)
class Comment:
    """An answer or a comment, with its nested replies."""

    id: int
    thread_id: int
    course_id: int
    user_id: int
    parent_id: int | None
    type: str
    number: int
    created_at: int
    body_kind: str
    body_seed: int
    is_anonymous: bool = False
    is_private: bool = False
    is_endorsed: bool = False
    is_resolved: bool = False
    anonymous_id: int = 0
    vote_count: int = 0
    flag_count: int = 0
    kind: str = "normal"
    editor_id: int | None = None
    updated_at: int | None = None
    deleted_at: int | None = None
    content_text: str | None = None
    document_text: str | None = None
    comments: list[Comment] = field(default_factory=list)
    voters: set[int] | None = None


class ReplySource(Protocol):
    """Builds the replies and counters of a generated thread on first access."""

    def build(self, thread: Thread) -> None:
        """Fill ``thread``'s answers and comments from its reply seed."""

    def counters(self, thread: Thread) -> dict[str, Any]:
        """Return the values of :data:`DEFERRED_COUNTERS` for ``thread``."""


DEFERRED_COUNTERS = (
    "reply_count",
    "unresolved_count",
    "is_answered",
    "is_student_answered",
    "is_staff_answered",
    "is_endorsed",
    "accepted_id",
    "updated_at",
    "last_activity_at",
)
"""Thread fields that a generated thread computes from its replies on first read."""

_BUILD_LOCK = threading.RLock()


@dataclass(slots=True)
class Thread:
    """A discussion thread and the counters Ed derives from its replies.

    A generated thread builds its answers and comments on first access to
    :attr:`answers` or :attr:`comments`. Until one of the fields in
    :data:`DEFERRED_COUNTERS` is read, those fields are unset slots, and the
    first read computes them all from the same seed (see :meth:`__getattr__`).
    A value assigned before that read is kept.
    """

    id: int
    course_id: int
    number: int
    user_id: int
    type: str
    title: str
    category: str
    subcategory: str
    created_at: int
    body_kind: str
    body_seed: int
    subsubcategory: str = ""
    updated_at: int | None = None
    deleted_at: int | None = None
    pinned_at: int | None = None
    is_private: bool = False
    is_anonymous: bool = False
    is_locked: bool = False
    is_pinned: bool = False
    is_endorsed: bool = False
    is_megathread: bool = False
    is_archived: bool = False
    anonymous_comments: bool = False
    anonymous_id: int = 0
    accepted_id: int | None = None
    duplicate_id: int | None = None
    editor_id: int | None = None
    approved_status: str = "approved"
    flag_count: int = 0
    star_count: int = 0
    view_count: int = 0
    unique_view_count: int = 0
    vote_count: int = 0
    reply_count: int = 0
    unresolved_count: int = 0
    is_answered: bool = False
    is_student_answered: bool = False
    is_staff_answered: bool = False
    last_activity_at: int = 0
    content_text: str | None = None
    document_text: str | None = None
    starred_by: set[int] | None = None
    voters: set[int] | None = None
    watchers: dict[int, bool] | None = None
    reply_source: ReplySource | None = None
    replies_pending: bool = False
    reply_seed: int = 0
    first_reply_id: int = 0
    built_answers: list[Comment] = field(default_factory=list)
    built_comments: list[Comment] = field(default_factory=list)

    def defer_replies(self, source: ReplySource) -> None:
        """Let ``source`` build the replies and counters when first needed."""
        self.reply_source = source
        self.replies_pending = True
        for name in DEFERRED_COUNTERS:
            delattr(self, name)

    def __getattr__(self, name: str) -> Any:
        # Python calls this only for unset slots, which are the deferred
        # counters of a generated thread before their first read.
        source = object.__getattribute__(self, "reply_source")
        if name not in DEFERRED_COUNTERS or source is None:
            raise AttributeError(name)
        with _BUILD_LOCK:
            for key, value in source.counters(self).items():
                slot = _THREAD_SLOTS[key]
                try:
                    slot.__get__(self, Thread)
                except AttributeError:
                    slot.__set__(self, value)
        return object.__getattribute__(self, name)

    def _build_replies(self) -> None:
        with _BUILD_LOCK:
            source = self.reply_source
            if self.replies_pending and source is not None:
                source.build(self)
                self.replies_pending = False

    @property
    def replies_built(self) -> bool:
        """Whether the answers and comments exist as objects yet."""
        return not self.replies_pending

    @property
    def answers(self) -> list[Comment]:
        """Top-level answers, oldest first."""
        if self.replies_pending:
            self._build_replies()
        return self.built_answers

    @property
    def comments(self) -> list[Comment]:
        """Top-level comments, oldest first."""
        if self.replies_pending:
            self._build_replies()
        return self.built_comments


_THREAD_SLOTS: dict[str, Any] = {
    name: Thread.__dict__[name] for name in DEFERRED_COUNTERS
}


@dataclass(slots=True)
class Module:
    """A lesson module."""

    id: int
    course_id: int
    user_id: int
    name: str
    created_at: int
    updated_at: int | None = None


@dataclass(slots=True)
class Lesson:
    """A lesson: Ed's lesson object without slides, plus its slide ids."""

    id: int
    course_id: int
    data: JSONObject
    slide_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Slide:
    """A lesson slide as Ed's slide object (without per-user ``status``)."""

    id: int
    lesson_id: int
    course_id: int
    data: JSONObject
    question_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Question:
    """A quiz question on a quiz slide."""

    id: int
    slide_id: int
    data: JSONObject


@dataclass(slots=True)
class QuizResponse:
    """One user's latest answer to a quiz question."""

    question_id: int
    slide_id: int
    user_id: int
    data: list[int]
    correct: bool | None
    created_at: int
    attempt_id: int
    mark_id: int


@dataclass(slots=True)
class LessonProgress:
    """One user's viewing progress in a lesson."""

    first_viewed_at: int
    last_viewed_slide_id: int | None = None
    attempted_at: int | None = None


@dataclass(slots=True)
class Attempt:
    """One user's attempt at a lesson."""

    id: int
    lesson_id: int
    user_id: int
    created_at: int
    submitted_at: int | None


@dataclass(slots=True)
class Challenge:
    """A code challenge behind a code slide."""

    id: int
    course_id: int
    lesson_id: int | None
    slide_id: int | None
    data: JSONObject


@dataclass(slots=True)
class Submission:
    """A submission to a challenge."""

    id: int
    challenge_id: int
    user_id: int
    data: JSONObject


@dataclass(slots=True)
class UploadedFile:
    """A file uploaded through ``POST /files`` or ``POST /files/url``."""

    id: str
    user_id: int
    filename: str
    extension: str
    content_type: str
    content: bytes
    created_at: int


@dataclass(slots=True)
class ApiToken:
    """A personal API token (``GET /user/tokens`` lists them)."""

    id: int
    user_id: int
    name: str
    token: str
    created_at: int


@dataclass(slots=True)
class World:
    """Everything a sandbox Ed starts from. Build one with ``generate_world``.

    Attributes:
        seed: The generator seed.
        now: The world's reference time in epoch microseconds; generated
            activity lies before it.
        realm: Ed's realm object for the sandbox university.
        users: Accounts by id.
        courses: Courses by id.
        enrollments: Enrollments by ``(user_id, course_id)``.
        labs: Tutorial groups by id.
        threads: Threads by id, in creation order.
        modules: Lesson modules by id.
        lessons: Lessons by id.
        slides: Slides by id.
        questions: Quiz questions by id.
        responses: Quiz responses in creation order.
        attempts: Lesson attempts by id.
        challenges: Challenges by id.
        submissions: Challenge submissions by id.
        resources: Course resources (Ed JSON objects) by course id.
        tokens: API tokens by token string.
        named_tokens: Well-known tokens by role name ("admin", "staff", ...).
        named_users: Well-known user ids by the same role names.
        demo_course_id: The large active course.
        other_course_id: The small active course.
        archived_course_id: The archived course.
        next_comment_id: First comment id above every generated reply.
        seen: Per-user map of thread id to the time the user last read it.
        slide_status: Per ``(user_id, slide_id)`` slide status ("completed"...).
        lesson_progress: Per ``(user_id, lesson_id)`` viewing progress.
    """

    seed: int
    now: int
    realm: JSONObject
    users: dict[int, User]
    courses: dict[int, Course]
    enrollments: dict[tuple[int, int], Enrollment]
    labs: dict[int, Lab]
    threads: dict[int, Thread]
    modules: dict[int, Module]
    lessons: dict[int, Lesson]
    slides: dict[int, Slide]
    questions: dict[int, Question]
    responses: list[QuizResponse]
    attempts: dict[int, Attempt]
    challenges: dict[int, Challenge]
    submissions: dict[int, Submission]
    resources: dict[int, list[JSONObject]]
    tokens: dict[str, ApiToken]
    named_tokens: dict[str, str]
    named_users: dict[str, int]
    demo_course_id: int
    other_course_id: int
    archived_course_id: int
    next_comment_id: int = 0
    seen: dict[int, dict[int, int]] = field(default_factory=dict)
    slide_status: dict[tuple[int, int], str] = field(default_factory=dict)
    lesson_progress: dict[tuple[int, int], LessonProgress] = field(default_factory=dict)
