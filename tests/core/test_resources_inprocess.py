"""Every contracted resource method, sync and async, against the in-process
sandbox (httpx.MockTransport): the route each one calls and what it returns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem.models import (
    CourseInfo,
    CurrentUserResponse,
    LessonDetail,
    LessonSummary,
    SlideSummary,
    ThreadDetail,
    ThreadSummary,
    UserSummary,
)
from pyedstem.testing import Sandbox

BASE = "http://sandbox.test/api"


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return Sandbox(seed=1)


@pytest.fixture(scope="module")
def ids(sandbox: Sandbox) -> dict[str, int]:
    """Ids of real objects in the sandbox, found through the sandbox itself."""
    http = httpx.Client(transport=sandbox.mock_transport())
    with EdStemClient(
        sandbox.tokens["staff"], base_url=BASE, http_client=http
    ) as client:
        course = sandbox.demo_course_id
        thread = client.threads.list(course, limit=1)[0]
        lessons = client.lessons.list(course)
        quiz = next(
            slide
            for lesson in lessons
            for slide in client.lessons.get(lesson.id).slides
            if slide.type == "quiz"
        )
    http.close()
    return {
        "course": course,
        "thread": thread.id,
        "number": thread.number,
        "lesson": lessons[0].id,
        "quiz_slide": quiz.id,
        "quiz_lesson": quiz.lesson_id or lessons[0].id,
        "user": sandbox.users["student"],
    }


# (call, expected route template, expected result check)
Case = tuple[Callable[[Any, dict[str, int]], Any], str, Callable[[Any], bool]]

CASES: dict[str, Case] = {
    "user.get_current_user": (
        lambda c, i: c.user.get_current_user(),
        "/user",
        lambda r: isinstance(r, CurrentUserResponse),
    ),
    "user.list_tokens": (
        lambda c, i: c.user.list_tokens(),
        "/user/tokens",
        lambda r: isinstance(r, list),
    ),
    "user.get_activity": (
        lambda c, i: c.user.get_activity(
            i["user"], course_id=i["course"], limit=5, filter_by="all"
        ),
        "/users/{user_id}/profile/activity",
        lambda r: isinstance(r, list) and len(r) <= 5,
    ),
    "courses.get": (
        lambda c, i: c.courses.get(i["course"]),
        "/courses/{course_id}",
        lambda r: isinstance(r, CourseInfo),
    ),
    "courses.get_admin": (
        lambda c, i: c.courses.get_admin(i["course"]),
        "/courses/{course_id}/admin",
        lambda r: "users" in r,
    ),
    "courses.get_stats": (
        lambda c, i: c.courses.get_stats(i["course"]),
        "/courses/{course_id}/stats",
        lambda r: isinstance(r, dict),
    ),
    "courses.list_active": (
        lambda c, i: c.courses.list_active(),
        "/user",
        lambda r: all(isinstance(x, CourseInfo) for x in r) and bool(r),
    ),
    "courses.list_bots": (
        lambda c, i: c.courses.list_bots(i["course"]),
        "/courses/{course_id}/bots",
        lambda r: isinstance(r, list),
    ),
    "courses.list_groups": (
        lambda c, i: c.courses.list_groups(i["course"]),
        "/courses/{course_id}/groups",
        lambda r: isinstance(r, list),
    ),
    "courses.list_labs": (
        lambda c, i: c.courses.list_labs(i["course"]),
        "/courses/{course_id}/labs",
        lambda r: isinstance(r, list),
    ),
    "courses.list_resources": (
        lambda c, i: c.courses.list_resources(i["course"]),
        "/courses/{course_id}/resources",
        lambda r: bool(r),
    ),
    "courses.list_users": (
        lambda c, i: c.courses.list_users(i["course"], limit=4),
        "/courses/{course_id}/users",
        lambda r: 0 < len(r) <= 4 and isinstance(r[0], UserSummary),
    ),
    "courses.list_workspaces": (
        lambda c, i: c.courses.list_workspaces(i["course"]),
        "/courses/{course_id}/workspaces",
        lambda r: isinstance(r, dict),
    ),
    "threads.get": (
        lambda c, i: c.threads.get(i["thread"]),
        "/threads/{thread_id}",
        lambda r: isinstance(r, ThreadDetail),
    ),
    "threads.get_by_number": (
        lambda c, i: c.threads.get_by_number(i["course"], i["number"]),
        "/courses/{course_id}/threads/{thread_number}",
        lambda r: isinstance(r, ThreadDetail),
    ),
    "threads.list": (
        lambda c, i: c.threads.list(i["course"], limit=7),
        "/courses/{course_id}/threads",
        lambda r: len(r) == 7 and isinstance(r[0], ThreadSummary),
    ),
    "threads.search": (
        lambda c, i: c.threads.search(i["course"], query="python"),
        "/courses/{course_id}/threads/search",
        lambda r: isinstance(r, list),
    ),
    "lessons.list": (
        lambda c, i: c.lessons.list(i["course"]),
        "/courses/{course_id}/lessons",
        lambda r: bool(r) and isinstance(r[0], LessonSummary),
    ),
    "lessons.get": (
        lambda c, i: c.lessons.get(i["lesson"]),
        "/lessons/{lesson_id}",
        lambda r: isinstance(r, LessonDetail),
    ),
    "lessons.get_activity": (
        lambda c, i: c.lessons.get_activity(i["lesson"]),
        "/lessons/{lesson_id}/activity",
        lambda r: isinstance(r, dict),
    ),
    "lessons.list_slides": (
        lambda c, i: c.lessons.list_slides(i["lesson"]),
        "/lessons/{lesson_id}/slides",
        lambda r: bool(r) and isinstance(r[0], SlideSummary),
    ),
    "lessons.get_slide": (
        lambda c, i: c.lessons.get_slide(i["quiz_slide"]),
        "/lessons/slides/{slide_id}",
        lambda r: isinstance(r, SlideSummary) and r.type == "quiz",
    ),
    "lessons.get_slide_questions": (
        lambda c, i: c.lessons.get_slide_questions(i["quiz_slide"]),
        "/lessons/slides/{slide_id}/questions",
        lambda r: bool(r),
    ),
    "lessons.get_slide_results": (
        lambda c, i: c.lessons.get_slide_results(i["quiz_slide"]),
        "/lessons/slides/{slide_id}/results",
        lambda r: isinstance(r, dict),
    ),
    "lessons.list_results": (
        lambda c, i: c.lessons.list_results(i["quiz_lesson"], limit=3),
        "/lessons/{lesson_id}/results",
        lambda r: isinstance(r, list) and len(r) <= 3,
    ),
    "analytics.get_challenges": (
        lambda c, i: c.analytics.get_challenges(i["course"]),
        "/courses/{course_id}/analytics/challenges",
        lambda r: isinstance(r, dict),
    ),
    "analytics.get_discussion": (
        lambda c, i: c.analytics.get_discussion(i["course"]),
        "/courses/{course_id}/analytics/discussion",
        lambda r: isinstance(r, dict),
    ),
    "analytics.get_users": (
        lambda c, i: c.analytics.get_users(i["course"]),
        "/courses/{course_id}/analytics/users",
        lambda r: bool(r),
    ),
    "challenges.list": (
        lambda c, i: c.challenges.list(i["course"]),
        "/courses/{course_id}/challenges",
        lambda r: bool(r),
    ),
}


@pytest.fixture
def sync_client(sandbox: Sandbox) -> Iterator[EdStemClient]:
    http = httpx.Client(transport=sandbox.mock_transport())
    with EdStemClient(
        sandbox.tokens["staff"], base_url=BASE, http_client=http
    ) as client:
        yield client
    http.close()


def _templates_since(sandbox: Sandbox, start: int) -> list[str | None]:
    return [record.template for record in list(sandbox.requests)[start:]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_sync_method_calls_its_route(
    name: str, sandbox: Sandbox, ids: dict[str, int], sync_client: EdStemClient
) -> None:
    call, route, check = CASES[name]
    start = len(sandbox.requests)
    result = call(sync_client, ids)
    assert check(result)
    assert _templates_since(sandbox, start) == [route]


class _Awaiting:
    """Adapts an async client so that the sync table of calls can drive it."""

    def __init__(self, client: AsyncEdStemClient, results: list[Any]) -> None:
        self._client = client
        self._results = results

    def __getattr__(self, group: str) -> Any:
        target = getattr(self._client, group)
        results = self._results

        class Group:
            def __getattr__(self, method: str) -> Callable[..., None]:
                def record(*args: Any, **kwargs: Any) -> None:
                    results.append(getattr(target, method)(*args, **kwargs))

                return record

        return Group()


@pytest.mark.parametrize("name", sorted(CASES))
async def test_async_method_calls_its_route(
    name: str, sandbox: Sandbox, ids: dict[str, int]
) -> None:
    call, route, check = CASES[name]
    http = httpx.AsyncClient(transport=sandbox.async_mock_transport())
    async with AsyncEdStemClient(
        sandbox.tokens["staff"], base_url=BASE, http_client=http
    ) as client:
        pending: list[Any] = []
        call(_Awaiting(client, pending), ids)
        start = len(sandbox.requests)
        result = await pending[0]
    await http.aclose()
    assert check(result)
    assert _templates_since(sandbox, start) == [route]
