"""Read checks: one GET per route, its status, its shape and pyedstem's parse.

Each check sends the request that pyedstem's own operation builds and
compares the body with the shape the sources give. It then hands the response
back to the operation, so that a body pyedstem cannot read shows up even
where the shape matched. Checks run in order, and earlier ones find the ids (a thread,
a lesson, a quiz slide) that later ones need.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .._operation import APIRequest, APIResponse, Operation, single
from ..resources import analytics, challenges, courses, lessons, threads, user
from ..resources._base import OffsetPager
from ..resources._discussion import parse_thread_list
from ..resources._parse import whole_object
from .results import CheckInfo, CheckResult, Evidence
from .session import (
    COURSE_ROLES,
    Access,
    Session,
    body_differences,
    finish,
    parse_differences,
    skipped,
    status_difference,
)
from .shapes import INT, LIST, OBJECT, STR, Shape, list_of, obj
from .shapes_ed import (
    COURSE,
    CURRENT_USER_RESPONSE,
    PARTICIPANT,
    SLIDE,
    SLIDE_ID,
    THREAD_DETAIL,
    THREAD_LIST_ITEM,
)

__all__ = ["NEED_REASONS", "READ_CHECKS", "ReadCheck", "decoded", "first_page"]

T = TypeVar("T")
H, M, L = Evidence.HIGH, Evidence.MEDIUM, Evidence.LOW

NEED_REASONS = {
    "user_id": "GET /user did not return the account's id",
    "thread_id": "the course has no thread this account can see",
    "thread_number": "the course has no thread this account can see",
    "lesson_id": "the course has no lesson this account can see",
    "slide_id": "the lesson has no slide",
    "quiz_slide_id": "no quiz slide was found in the course's first lessons",
    "challenge_id": "the course has no challenge",
}
"""Skip reasons, by the name of the id that no earlier check found."""

Discover = Callable[[Session, Any], None]


@dataclass(frozen=True, slots=True)
class ReadCheck:
    """A GET whose status, shape and parse are checked.

    Attributes:
        info: The check's id, route and evidence.
        build: Builds pyedstem's operation for the route; its first request
            is the one sent.
        shape: The expected body of a 2xx response.
        needs: Ids that earlier checks must have found.
        access: Who may read the route; decides whether a 403 passes.
        discover: Stores ids from the body for later checks.
        prepare: Looks for a missing id before `needs` is checked.
    """

    info: CheckInfo
    build: Callable[[Session], Operation[Any]]
    shape: Shape
    needs: tuple[str, ...] = ()
    access: Access = Access.EVERYONE
    discover: Discover | None = None
    prepare: Callable[[Session], None] | None = None

    @property
    def infos(self) -> tuple[CheckInfo, ...]:
        """The route list entries of this check."""
        return (self.info,)

    def run(self, session: Session) -> list[CheckResult]:
        """Send the request and compare what came back."""
        if self.prepare is not None:
            self.prepare(session)
        missing = session.missing(self.needs)
        if missing is not None:
            return [skipped(self.info, NEED_REASONS[missing])]
        operation = self.build(session)
        exchange = session.send(next(operation))
        expected = session.expected_statuses(self.access)
        differences = status_difference(exchange, expected)
        if exchange.failure is None and not differences:
            differences = body_differences(exchange, self.shape)
        if exchange.response is not None:
            differences += parse_differences(operation, exchange.response)
            if self.discover is not None:
                self.discover(session, decoded(exchange.response))
        operation.close()
        return [finish(self.info, exchange, differences)]


def _check(
    check_id: str,
    route: str,
    evidence: Evidence,
    build: Callable[[Session], Operation[Any]],
    shape: Shape,
    *,
    title: str = "response shape",
    needs: tuple[str, ...] = (),
    access: Access = Access.EVERYONE,
    discover: Discover | None = None,
    prepare: Callable[[Session], None] | None = None,
) -> ReadCheck:
    return ReadCheck(
        CheckInfo(check_id, "GET", route, evidence, title),
        build,
        shape,
        needs,
        access,
        discover,
        prepare,
    )


def _get(route: str, **path_params: int) -> Operation[dict[str, Any]]:
    """Build a plain GET for a route that has no pyedstem operation to reuse."""
    return single(APIRequest("GET", route, path_params), whole_object)


def first_page(pager: OffsetPager[T]) -> Operation[list[T]]:
    """Run only the first request of a pager, as an operation."""
    request = pager.next_request()
    if request is None:
        return []
    response = yield request
    return pager.feed(response)


def decoded(response: APIResponse) -> Any:
    """Decode a JSON body for discovery; None when it is not JSON."""
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _first(body: Any, key: str) -> dict[str, Any] | None:
    items = body.get(key) if isinstance(body, dict) else None
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    return None


# Discovery: each takes a decoded body and stores what later checks need.


def _discover_user(session: Session, body: Any) -> None:
    if not isinstance(body, dict):
        return
    account = body.get("user")
    if isinstance(account, dict):
        session.remember("user_id", account.get("id"))
        session.redactor.add_name(account.get("name"))
        session.redactor.add_name(account.get("username"))
        session.redactor.add_email(account.get("email"))
        for email in account.get("secondary_emails") or []:
            session.redactor.add_email(email)
    for enrollment in body.get("courses") or []:
        if not isinstance(enrollment, dict):
            continue
        course = enrollment.get("course")
        if not isinstance(course, dict):
            continue
        session.redactor.add_name(course.get("name"))
        session.redactor.add_name(course.get("code"))
        session.redactor.add_id(course.get("id"))
        if course.get("id") == session.target.course_id:
            session.enrolled = True
            role = enrollment.get("role")
            role = role.get("role") if isinstance(role, dict) else role
            # Only known role names reach the report.
            known = isinstance(role, str) and role in COURSE_ROLES
            session.course_role = role if known else None


def _discover_threads(session: Session, body: Any) -> None:
    if not isinstance(body, dict):
        return
    raw = body.get("threads")
    items = raw if isinstance(raw, list) else []
    for thread in items:
        if isinstance(thread, dict):
            session.redactor.add_id(thread.get("id"))
            session.redactor.add_content(thread.get("title"))
    for person in body.get("users") or []:
        if isinstance(person, dict):
            session.redactor.add_id(person.get("id"))
            session.redactor.add_name(person.get("name"))
    session.count_authors(items)
    first = _first(body, "threads")
    if first is None:
        return
    session.remember("thread_id", first.get("id"))
    session.remember("thread_number", first.get("number"))
    title = first.get("title")
    words = re.findall(r"[A-Za-z]{4,}", title) if isinstance(title, str) else []
    session.search_word = words[0] if words else None


def _discover_lessons(session: Session, body: Any) -> None:
    lessons_found = body.get("lessons") if isinstance(body, dict) else None
    if not isinstance(lessons_found, list):
        return
    ids = [x.get("id") for x in lessons_found if isinstance(x, dict)]
    for lesson_id in ids:
        session.redactor.add_id(lesson_id)
    session.lesson_ids = [i for i in ids if isinstance(i, int) and i > 0]
    if session.lesson_ids:
        session.remember("lesson_id", session.lesson_ids[0])


def _discover_slides(session: Session, body: Any, *, quiz_only: bool = False) -> None:
    lesson = body.get("lesson") if isinstance(body, dict) else None
    slides = lesson.get("slides") if isinstance(lesson, dict) else None
    if not isinstance(slides, list):
        return
    for slide in slides:
        if not isinstance(slide, dict):
            continue
        session.redactor.add_id(slide.get("id"))
        if not quiz_only:
            session.remember("slide_id", slide.get("id"))
        if slide.get("type") == "quiz":
            session.remember("quiz_slide_id", slide.get("id"))


def _discover_challenge(session: Session, body: Any) -> None:
    first = _first(body, "challenges")
    if first is not None:
        session.remember("challenge_id", first.get("id"))


def _find_quiz(session: Session) -> None:
    """Look through the course's first lessons for a quiz slide."""
    for lesson_id in session.lesson_ids[1:_QUIZ_SEARCH_LESSONS]:
        if "quiz_slide_id" in session.ids:
            return
        exchange = session.send(
            APIRequest("GET", "/lessons/{lesson_id}", {"lesson_id": lesson_id})
        )
        if exchange.response is not None:
            _discover_slides(session, decoded(exchange.response), quiz_only=True)


_QUIZ_SEARCH_LESSONS = 5

C = "/courses/{course_id}"


def _ids(session: Session, *names: str) -> dict[str, int]:
    return {name: session.ids[name] for name in names}


def _collection(name: str) -> Callable[[Session], Operation[Any]]:
    return lambda s: courses.list_collection(s.ids["course_id"], name)


def _report(name: str) -> Callable[[Session], Operation[Any]]:
    return lambda s: analytics.get_report(s.ids["course_id"], name)


READ_CHECKS: tuple[ReadCheck, ...] = (
    _check(
        "user.get",
        "/user",
        H,
        lambda s: user.get_current_user(),
        CURRENT_USER_RESPONSE,
        discover=_discover_user,
    ),
    _check(
        "user.tokens",
        "/user/tokens",
        M,
        lambda s: user.list_tokens(),
        obj(tokens=list_of(OBJECT)),
    ),
    _check(
        "courses.get",
        C,
        M,
        lambda s: courses.get_course(s.ids["course_id"]),
        obj(course=COURSE),
    ),
    _check(
        "courses.users",
        f"{C}/users",
        M,
        lambda s: courses.list_users(s.ids["course_id"], limit=None),
        obj(users=list_of(obj(id=INT, name=STR, role=STR))),
    ),
    _check(
        "courses.admin",
        f"{C}/admin",
        H,
        lambda s: courses.get_admin(s.ids["course_id"]),
        obj(users=list_of(OBJECT)),
        access=Access.STAFF,
    ),
    *(
        _check(
            f"courses.{name}",
            f"{C}/{name}",
            evidence,
            _collection(name),
            obj(**{name: list_of(OBJECT)}),
            access=access,
        )
        for name, evidence, access in (
            ("labs", M, Access.EVERYONE),
            ("groups", M, Access.EVERYONE),
            ("resources", H, Access.EVERYONE),
            ("bots", M, Access.UNCLEAR),
        )
    ),
    _check(
        "courses.stats",
        f"{C}/stats",
        M,
        lambda s: courses.get_stats(s.ids["course_id"]),
        obj(stats=OBJECT),
        access=Access.UNCLEAR,
    ),
    _check(
        "courses.workspaces",
        f"{C}/workspaces",
        M,
        lambda s: courses.get_workspaces(s.ids["course_id"]),
        OBJECT,
    ),
    _check(
        "courses.challenges",
        f"{C}/challenges",
        M,
        lambda s: challenges.list_challenges(s.ids["course_id"]),
        obj(challenges=list_of(OBJECT)),
        discover=_discover_challenge,
    ),
    _check(
        "analytics.users",
        f"{C}/analytics/users",
        H,
        lambda s: analytics.get_users(s.ids["course_id"]),
        obj(users=list_of(OBJECT)),
        access=Access.UNCLEAR,
    ),
    _check(
        "analytics.users_fields",
        f"{C}/analytics/users",
        L,
        lambda s: analytics.get_users(s.ids["course_id"]),
        # Two clients type these rows differently; both have these keys.
        obj(users=list_of(obj(name=STR, email=STR, course_role=STR))),
        title="row fields",
        access=Access.UNCLEAR,
    ),
    *(
        _check(
            f"analytics.{name}",
            f"{C}/analytics/{name}",
            M,
            _report(name),
            OBJECT,
            access=Access.UNCLEAR,
        )
        for name in ("discussion", "challenges")
    ),
    _check(
        "threads.list",
        f"{C}/threads",
        H,
        lambda s: single(
            threads.list_request(
                s.ids["course_id"], limit=20, offset=0, sort="date", filters={}
            ),
            parse_thread_list,
        ),
        obj(
            sort_key=STR,
            threads=list_of(THREAD_LIST_ITEM),
            users=list_of(PARTICIPANT),
        ),
        discover=_discover_threads,
    ),
    _check(
        "threads.search",
        f"{C}/threads/search",
        M,
        lambda s: threads.search_threads(
            s.ids["course_id"], query=s.search_word or "the", limit=None, offset=0
        ),
        obj(threads=list_of(THREAD_LIST_ITEM), users=list_of(PARTICIPANT)),
    ),
    _check(
        "threads.get",
        "/threads/{thread_id}",
        H,
        lambda s: threads.get_thread(s.ids["thread_id"]),
        obj(thread=THREAD_DETAIL, users=list_of(PARTICIPANT)),
        needs=("thread_id",),
    ),
    _check(
        "threads.get_by_number",
        f"{C}/threads/{{thread_number}}",
        H,
        lambda s: threads.get_by_number(s.ids["course_id"], s.ids["thread_number"]),
        obj(thread=THREAD_DETAIL, users=list_of(PARTICIPANT)),
        needs=("thread_number",),
    ),
    _check(
        "users.activity",
        "/users/{user_id}/profile/activity",
        H,
        lambda s: first_page(
            user.activity_pager(
                s.ids["user_id"],
                course_id=s.ids["course_id"],
                limit=None,
                filter_by="all",
            )
        ),
        obj(items=list_of(obj(type=STR, value=OBJECT))),
        needs=("user_id",),
    ),
    _check(
        "lessons.list",
        f"{C}/lessons",
        H,
        lambda s: lessons.list_lessons_and_modules(s.ids["course_id"]),
        obj(
            lessons=list_of(obj(id=INT, course_id=INT, title=STR)),
            modules=list_of(obj(id=INT, name=STR)),
        ),
        discover=_discover_lessons,
    ),
    _check(
        "lessons.get",
        "/lessons/{lesson_id}",
        H,
        lambda s: lessons.get_lesson(s.ids["lesson_id"]),
        # Slide fields are less well evidenced than the route; the parse check
        # still catches a slide that pyedstem's model cannot read.
        obj(lesson=obj(id=INT, course_id=INT, title=STR, slides=list_of(SLIDE_ID))),
        needs=("lesson_id",),
        discover=_discover_slides,
    ),
    _check(
        "lessons.slides",
        "/lessons/{lesson_id}/slides",
        M,
        lambda s: lessons.list_slides(s.ids["lesson_id"]),
        obj(slides=list_of(SLIDE)),
        needs=("lesson_id",),
    ),
    _check(
        "lessons.activity",
        "/lessons/{lesson_id}/activity",
        M,
        lambda s: lessons.get_activity(s.ids["lesson_id"]),
        OBJECT,
        needs=("lesson_id",),
        access=Access.UNCLEAR,
    ),
    _check(
        "lessons.results",
        "/lessons/{lesson_id}/results",
        M,
        lambda s: lessons.list_results(s.ids["lesson_id"], user_id=None, limit=None),
        # A bare array, not an object; pyedstem also reads {"results": [...]}.
        list_of(OBJECT),
        needs=("lesson_id",),
        access=Access.UNCLEAR,
    ),
    _check(
        "slides.get",
        "/lessons/slides/{slide_id}",
        H,
        lambda s: lessons.get_slide(s.ids["slide_id"]),
        obj(slide=SLIDE_ID),
        needs=("slide_id",),
    ),
    _check(
        "slides.questions",
        "/lessons/slides/{slide_id}/questions",
        H,
        lambda s: lessons.get_slide_questions(s.ids["quiz_slide_id"]),
        obj(questions=list_of(OBJECT)),
        needs=("quiz_slide_id",),
        prepare=_find_quiz,
    ),
    _check(
        "slides.responses",
        "/lessons/slides/{slide_id}/questions/responses",
        H,
        lambda s: _get(
            "/lessons/slides/{slide_id}/questions/responses",
            slide_id=s.ids["quiz_slide_id"],
        ),
        obj(responses=list_of(OBJECT)),
        needs=("quiz_slide_id",),
    ),
    _check(
        "slides.results",
        "/lessons/slides/{slide_id}/results",
        M,
        lambda s: lessons.get_slide_results(s.ids["quiz_slide_id"]),
        obj(results=obj(questions=LIST, responses=LIST)),
        needs=("quiz_slide_id",),
        access=Access.UNCLEAR,
    ),
    _check(
        "challenges.get",
        "/challenges/{challenge_id}",
        H,
        lambda s: _get("/challenges/{challenge_id}", **_ids(s, "challenge_id")),
        obj(challenge=OBJECT),
        needs=("challenge_id",),
    ),
    _check(
        "challenges.users",
        "/challenges/{challenge_id}/users",
        M,
        lambda s: _get("/challenges/{challenge_id}/users", **_ids(s, "challenge_id")),
        obj(users=list_of(OBJECT)),
        needs=("challenge_id",),
        access=Access.UNCLEAR,
    ),
    _check(
        "challenges.submissions",
        "/users/{user_id}/challenges/{challenge_id}/submissions",
        H,
        lambda s: _get(
            "/users/{user_id}/challenges/{challenge_id}/submissions",
            **_ids(s, "user_id", "challenge_id"),
        ),
        obj(submissions=list_of(OBJECT)),
        needs=("user_id", "challenge_id"),
    ),
)
"""The read checks, in the order they run; `GET /user` comes first."""
