"""Deterministic generation of a sandbox world.

``generate_world(seed)`` always builds the same world for the same seed: a
large active demo course, a smaller active course and an archived course, about
60 users, threads with nested replies, lessons, quizzes and challenges.
Generation is cheap enough for a benchmark course of 100,000 threads, because
thread and comment bodies are built lazily from a seed (see ``_text``).
"""

from __future__ import annotations

import gc
import random
import string
from dataclasses import dataclass, field

from pyedstem.testing import _text
from pyedstem.testing._settings import realm_json
from pyedstem.testing._time import MICROS_PER_SECOND, sydney_micros
from pyedstem.testing.generate_lessons import IdSequence, add_course_content
from pyedstem.testing.generate_replies import REPLY_ID_BLOCK, CourseReplies
from pyedstem.testing.world import (
    ApiToken,
    Category,
    Course,
    Enrollment,
    Lab,
    Thread,
    User,
    World,
)

DAY = 86_400 * MICROS_PER_SECOND
HOUR = 3_600 * MICROS_PER_SECOND

DEMO_THREADS = 1500
OTHER_THREADS = 240
ARCHIVED_THREADS = 160

NAMED_ROLES = ("admin", "staff", "tutor", "student", "student2", "outsider")
"""Role names of the users whose tokens :class:`Sandbox` exposes."""


@dataclass(slots=True)
class _CourseCast:
    """The people and time span of one course's generated discussion."""

    course: Course
    subject: str
    staff: list[int]
    students: list[int]
    start: int
    end: int
    thread_count: int
    now: int
    staff_set: frozenset[int] = frozenset()
    topics: tuple[int, ...] = ()
    announcement_category: str = "General"
    replies: CourseReplies = field(init=False)

    def __post_init__(self) -> None:
        self.replies = CourseReplies(
            self.staff, self.students, self.course.allow_anonymous, self.now
        )
        self.staff_set = frozenset(self.staff)
        self.topics = tuple(_text.topic_indexes(self.subject))
        names = [category.name for category in self.course.categories]
        self.announcement_category = "Admin" if "Admin" in names else names[0]


def _demo_categories() -> list[Category]:
    return [
        Category("General"),
        Category(
            "Lectures",
            [Category(f"Week {week}") for week in range(1, 13)],
        ),
        Category("Assignments", [Category("A1"), Category("A2"), Category("A3")]),
        Category("Labs"),
        Category("Exams", [Category("Midterm"), Category("Final")]),
        Category("Admin"),
        Category("Social"),
    ]


def _stats_categories() -> list[Category]:
    return [
        Category("General"),
        Category("Lectures"),
        Category("Problem Sets", [Category("PS1"), Category("PS2")]),
        Category("Exams"),
    ]


class _Generator:
    """Holds the random source and id counters while a world is built."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = sydney_micros(2025, 10, 20, 9, 0)
        self.realm_id = 9000 + self.rng.randrange(1000)
        self.users: dict[int, User] = {}
        self.enrollments: dict[tuple[int, int], Enrollment] = {}
        self.labs: dict[int, Lab] = {}
        self.threads: dict[int, Thread] = {}
        self.by_course: dict[int, list[Thread]] = {}
        self.next_comment_id = 700_000 + self.rng.randrange(100_000)
        self.next_lab_id = 3000 + self.rng.randrange(1000)

    def micros_between(self, start: int, end: int) -> int:
        return start + self.rng.randrange(max(1, end - start))

    # Users, tokens and enrollments

    def make_users(self, count: int) -> list[int]:
        used: set[str] = set()
        user_id = 100_000 + self.rng.randrange(1000, 9000) * 10
        ids = []
        for _ in range(count):
            user_id += self.rng.randint(1, 40)
            name = _text.fake_name(self.rng, used)
            first, last = name.lower().split(" ", 1)
            self.users[user_id] = User(
                id=user_id,
                name=name,
                email=f"{first}.{last}@example.edu",
                username=None,
                created_at=self.micros_between(
                    self.now - 900 * DAY, self.now - 120 * DAY
                ),
            )
            ids.append(user_id)
        return ids

    def make_token(self) -> str:
        alphabet = string.ascii_letters + string.digits
        head = "".join(self.rng.choice(alphabet) for _ in range(6))
        tail = "".join(self.rng.choice(alphabet) for _ in range(40))
        return f"{head}.{tail}"

    def enroll(
        self, user_id: int, course: Course, role: str, lab_id: int | None = None
    ) -> None:
        created = self.micros_between(course.created_at, course.created_at + 20 * DAY)
        self.enrollments[(user_id, course.id)] = Enrollment(
            user_id=user_id,
            course_id=course.id,
            role=role,
            created_at=created,
            last_active=sydney_micros(2025, 10, 17, 10),
            lab_id=lab_id,
            sourced_id=f"SRC-{user_id}" if role == "student" else "",
            accepted=True,
            lti_synced=role == "student",
        )

    def make_labs(self, course: Course, names: list[str]) -> list[int]:
        ids = []
        for name in names:
            self.next_lab_id += self.rng.randint(1, 9)
            self.labs[self.next_lab_id] = Lab(
                self.next_lab_id, course.id, name, course.created_at + DAY
            )
            ids.append(self.next_lab_id)
        return ids

    # Threads. Each thread or reply draws one or two 64-bit random words and
    # slices them into fields, which keeps 100,000 threads within seconds.

    def plan_threads(self, casts: list[_CourseCast]) -> None:
        """Create every course's threads in one global time order, so ids grow
        with creation time across courses as they do on Ed."""
        bits = self.rng.getrandbits
        plan: list[tuple[int, int]] = []
        for index, cast in enumerate(casts):
            self.by_course[cast.course.id] = []
            span = max(1, cast.end - cast.start)
            plan.extend(
                (cast.start + bits(48) % span, index) for _ in range(cast.thread_count)
            )
        plan.sort()
        thread_id = 400_000 + self.rng.randrange(200_000)
        numbers = [0] * len(casts)
        pinned = [0] * len(casts)
        for created_at, index in plan:
            cast = casts[index]
            thread_id += 1 + bits(2) % 3
            numbers[index] += 1
            thread = self.make_thread(cast, thread_id, numbers[index], created_at)
            pinnable = thread.type == "announcement" and thread.deleted_at is None
            if pinnable and pinned[index] < 4 and bits(8) < 40:
                pinned[index] += 1
                thread.is_pinned = True
                thread.pinned_at = created_at + HOUR
            self.threads[thread_id] = thread

    def make_thread(
        self, cast: _CourseCast, thread_id: int, number: int, created_at: int
    ) -> Thread:
        course = cast.course
        first = self.rng.getrandbits(64)
        second = self.rng.getrandbits(64)
        roll = first & 0xFF
        if roll < 18:
            kind = "announcement"
        elif roll < 180:
            kind = "question"
        else:
            kind = "post"

        if kind == "announcement" or (first >> 8) & 0xFF < 20:
            author = cast.staff[(first >> 16) % len(cast.staff)]
        else:
            author = cast.students[(first >> 16) % len(cast.students)]
        author_is_staff = author in cast.staff_set
        category, subcategory = self.pick_category(cast, kind, first >> 28)
        topic = cast.topics[(first >> 40) % len(cast.topics)]
        seed = (1 + (first >> 48) % 9999) * len(_text.TOPICS) + topic
        anonymous = (
            course.allow_anonymous and not author_is_staff and second & 0xFF < 26
        )
        view_count = 3 + (second >> 26) % 318
        thread = Thread(
            id=thread_id,
            course_id=course.id,
            number=number,
            user_id=author,
            type=kind,
            title=_text.thread_title(kind, seed, subcategory or category),
            category=category,
            subcategory=subcategory,
            created_at=created_at,
            body_kind=kind,
            body_seed=seed,
            is_anonymous=anonymous,
            anonymous_id=1 if anonymous else 0,
            is_private=kind == "question" and (second >> 8) & 0xFF < 20,
            is_locked=(second >> 16) & 0x3FF < 10,
            is_megathread=kind == "post" and (second >> 16) & 0x3FF > 1018,
            is_archived=course.is_archived,
            view_count=view_count,
            unique_view_count=max(1, view_count * (45 + (second >> 35) % 46) // 100),
            vote_count=(0, 0, 0, 1, 1, 2, 3, 5)[(second >> 41) & 7],
            star_count=(0, 0, 0, 0, 1, 2, 0, 1)[(second >> 44) & 7],
            flag_count=1 if (second >> 47) & 0x3FF < 3 else 0,
        )
        if kind != "announcement" and (second >> 57) & 0x7F == 0:
            thread.deleted_at = created_at + (1 + (first >> 60)) * HOUR
        thread.reply_seed = self.rng.getrandbits(63)
        thread.first_reply_id = self.next_comment_id
        thread.defer_replies(cast.replies)
        self.next_comment_id += REPLY_ID_BLOCK
        self.by_course[course.id].append(thread)
        return thread

    def pick_category(self, cast: _CourseCast, kind: str, bits: int) -> tuple[str, str]:
        if kind == "announcement":
            return cast.announcement_category, ""
        category = cast.course.categories[bits % len(cast.course.categories)]
        subcategories = category.subcategories
        if subcategories and (bits >> 8) & 0xFF < 180:
            return category.name, subcategories[(bits >> 16) % len(subcategories)].name
        return category.name, ""

    # Per-viewer history of the named users

    def add_history(self, world: World) -> None:
        """Give each named user read marks, stars and votes.

        Only each course's newest 2,000 threads (and the user's own) are
        considered, so a benchmark course stays quick to build.
        """
        bits = self.rng.getrandbits
        recent = self.now - 3 * DAY
        for user_id in world.named_users.values():
            seen: dict[int, int] = {}
            for (member, course_id), _ in self.enrollments.items():
                if member != user_id:
                    continue
                threads = self.by_course.get(course_id, [])
                for thread in threads[-2000:]:
                    roll = bits(32)
                    old = thread.created_at < recent
                    if thread.user_id == user_id or (old and roll & 0xFF < 166):
                        span = thread.last_activity_at + DAY - thread.created_at
                        seen[thread.id] = thread.created_at + (roll >> 8) % max(1, span)
                    if (roll >> 20) & 0xFF < 3:
                        thread.starred_by = (thread.starred_by or set()) | {user_id}
                        thread.star_count += 1
                    if (roll >> 28) & 0xF == 0 and roll & 0x100:
                        thread.voters = (thread.voters or set()) | {user_id}
                        thread.vote_count += 1
                for thread in threads[:-2000]:
                    if thread.user_id == user_id:
                        seen[thread.id] = thread.last_activity_at
            world.seen[user_id] = seen


def _scaled(default: int, requested: int | None) -> int:
    return default if requested is None else min(default, requested)


def generate_world(seed: int = 1, *, threads_per_course: int | None = None) -> World:
    """Build a deterministic sandbox world.

    Args:
        seed: Seed of the random source; the same seed gives the same world.
        threads_per_course: Number of threads in the demo course (default
            1,500). The smaller courses keep their own sizes (240 and 160
            threads) unless this number is smaller, so ``threads_per_course=10``
            gives a small world for quick tests and ``threads_per_course=100_000``
            a large demo course for benchmarks.

    Returns:
        A new :class:`World`.

    Raises:
        ValueError: If ``threads_per_course`` is negative.
    """
    if threads_per_course is not None and threads_per_course < 0:
        raise ValueError(f"threads_per_course must be >= 0, got {threads_per_course}")
    # The world is hundreds of thousands of new objects and no cycles worth
    # collecting, so the cyclic collector only slows generation down.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(seed, threads_per_course)
    finally:
        if collecting:
            gc.enable()


def _generate(seed: int, threads_per_course: int | None) -> World:
    gen = _Generator(seed)
    rng = gen.rng
    people = gen.make_users(60)
    admin, staff, tutors, mentors = people[0], people[1:4], people[4:10], people[10:12]
    students, outsider = people[12:59], people[59]

    demo_id = 20_000 + rng.randrange(9000)
    demo = Course(
        id=demo_id,
        realm_id=gen.realm_id,
        code="CS 101",
        name="Introduction to Programming",
        year="2025",
        session="Semester 2",
        status="active",
        created_at=sydney_micros(2025, 6, 30, 14, 12) + rng.randrange(HOUR),
        categories=_demo_categories(),
        features={"analytics": True, "discussion": True, "lessons": True},
    )
    other = Course(
        id=demo_id + rng.randint(1, 300),
        realm_id=gen.realm_id,
        code="STAT 210",
        name="Probability and Statistics",
        year="2025",
        session="Semester 2",
        status="active",
        created_at=sydney_micros(2025, 7, 2, 9, 40) + rng.randrange(HOUR),
        categories=_stats_categories(),
        features={"analytics": True, "discussion": True, "lessons": True},
        allow_anonymous=False,
    )
    archived = Course(
        id=demo_id - rng.randint(1000, 3000),
        realm_id=gen.realm_id,
        code="CS 101",
        name="Introduction to Programming",
        year="2024",
        session="Semester 2",
        status="archived",
        created_at=sydney_micros(2024, 7, 1, 10, 5) + rng.randrange(HOUR),
        categories=_demo_categories(),
        features={"analytics": True, "discussion": True, "lessons": True},
    )

    demo_labs = gen.make_labs(demo, ["T09A", "T11B", "W13A", "W15B", "H10A", "F12C"])
    gen.enroll(admin, demo, "admin")
    for user_id in staff:
        gen.enroll(user_id, demo, "staff")
    for index, user_id in enumerate(tutors):
        gen.enroll(user_id, demo, "tutor", demo_labs[index % len(demo_labs)])
    for user_id in mentors:
        gen.enroll(user_id, demo, "mentor")
    for index, user_id in enumerate(students):
        gen.enroll(user_id, demo, "student", demo_labs[index % len(demo_labs)])

    other_labs = gen.make_labs(other, ["Tut 1", "Tut 2"])
    gen.enroll(admin, other, "admin")
    gen.enroll(staff[0], other, "staff")
    gen.enroll(tutors[4], other, "tutor", other_labs[0])
    gen.enroll(tutors[5], other, "tutor", other_labs[1])
    for index, user_id in enumerate(students[:24]):
        gen.enroll(user_id, other, "student", other_labs[index % 2])

    gen.enroll(admin, archived, "admin")
    gen.enroll(staff[1], archived, "staff")
    gen.enroll(tutors[2], archived, "tutor")
    for user_id in [students[0], *students[20:47]]:
        gen.enroll(user_id, archived, "student")

    casts = [
        _CourseCast(
            demo,
            "programming",
            [admin, *staff, *tutors],
            students + mentors,
            demo.created_at + 14 * DAY,
            gen.now - 10 * 60 * MICROS_PER_SECOND,
            threads_per_course if threads_per_course is not None else DEMO_THREADS,
            gen.now,
        ),
        _CourseCast(
            other,
            "statistics",
            [admin, staff[0], tutors[4], tutors[5]],
            students[:24],
            other.created_at + 14 * DAY,
            gen.now - 2 * HOUR,
            _scaled(OTHER_THREADS, threads_per_course),
            gen.now,
        ),
        _CourseCast(
            archived,
            "programming",
            [admin, staff[1], tutors[2]],
            [students[0], *students[20:47]],
            archived.created_at + 14 * DAY,
            archived.created_at + 140 * DAY,
            _scaled(ARCHIVED_THREADS, threads_per_course),
            gen.now,
        ),
    ]
    gen.plan_threads(casts)

    named_users = {
        "admin": admin,
        "staff": staff[0],
        "tutor": tutors[0],
        "student": students[0],
        "student2": students[1],
        "outsider": outsider,
    }
    tokens: dict[str, ApiToken] = {}
    named_tokens: dict[str, str] = {}
    token_id = 500 + rng.randrange(500)
    for user_id in people:
        token_id += 1
        token = ApiToken(
            token_id, user_id, "sandbox", gen.make_token(), gen.now - 30 * DAY
        )
        tokens[token.token] = token
        for role, named_id in named_users.items():
            if named_id == user_id:
                named_tokens[role] = token.token

    world = World(
        seed=seed,
        now=gen.now,
        realm=realm_json(gen.realm_id),
        users=gen.users,
        courses={course.id: course for course in (demo, other, archived)},
        enrollments=gen.enrollments,
        labs=gen.labs,
        threads=gen.threads,
        modules={},
        lessons={},
        slides={},
        questions={},
        responses=[],
        attempts={},
        challenges={},
        submissions={},
        resources={},
        tokens=tokens,
        named_tokens=named_tokens,
        named_users=named_users,
        demo_course_id=demo.id,
        other_course_id=other.id,
        archived_course_id=archived.id,
        next_comment_id=gen.next_comment_id,
    )
    gen.add_history(world)
    content_ids = IdSequence(rng, 30_000 + rng.randrange(20_000))
    for cast in casts:
        add_course_content(
            world, rng, content_ids, cast.course, cast.staff, cast.students
        )
    return world
