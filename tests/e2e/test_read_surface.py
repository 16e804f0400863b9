"""Every contracted read method against the sandbox Ed over a loopback socket."""

from __future__ import annotations

import pytest

from pyedstem import (
    AuthenticationError,
    EdStemClient,
    NotFoundError,
    PermissionDeniedError,
)
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
from pyedstem.testing import Sandbox, SandboxServer


def test_current_user(reader: EdStemClient, shared_sandbox: Sandbox) -> None:
    me = reader.user.get_current_user()
    assert isinstance(me, CurrentUserResponse)
    assert me.user.id == shared_sandbox.users["staff"]
    assert me.courses
    assert all(isinstance(e.role, str) for e in me.courses)
    assert isinstance(reader.user.list_tokens(), list)


def test_active_courses_exclude_archived(
    reader: EdStemClient, shared_sandbox: Sandbox
) -> None:
    active = reader.courses.list_active()
    ids = {c.id for c in active}
    assert shared_sandbox.demo_course_id in ids
    assert shared_sandbox.archived_course_id not in ids
    assert all(isinstance(c, CourseInfo) and c.status == "active" for c in active)
    every = reader.courses.list_all()
    assert ids <= {c.id for c in every}
    assert len(every) >= len(active)


def test_course_and_collections(reader: EdStemClient, shared_sandbox: Sandbox) -> None:
    course_id = shared_sandbox.demo_course_id
    course = reader.courses.get(course_id)
    assert course.id == course_id
    assert course.code
    assert course.categories()
    admin = reader.courses.get_admin(course_id)
    assert admin["users"]
    assert isinstance(reader.courses.get_stats(course_id), dict)
    for method in ("list_bots", "list_groups", "list_labs", "list_resources"):
        items = getattr(reader.courses, method)(course_id)
        assert isinstance(items, list), method
    assert reader.courses.list_resources(course_id)
    assert isinstance(reader.courses.list_workspaces(course_id), dict)
    users = reader.courses.list_users(course_id)
    assert users
    assert all(isinstance(u, UserSummary) for u in users)
    assert len(reader.courses.list_users(course_id, limit=3)) <= 3


def test_thread_pages_and_detail(reader: EdStemClient, shared_sandbox: Sandbox) -> None:
    course_id = shared_sandbox.demo_course_id
    page = reader.threads.list(course_id, limit=20)
    assert len(page) == 20
    assert all(isinstance(t, ThreadSummary) for t in page)
    second = reader.threads.list(course_id, limit=20, offset=20)
    assert not {t.id for t in page} & {t.id for t in second}
    detail = reader.threads.get(page[-1].id)
    assert isinstance(detail, ThreadDetail)
    assert detail.id == page[-1].id
    by_number = reader.threads.get_by_number(course_id, detail.number)
    assert by_number.id == detail.id


def test_iter_all_yields_every_visible_thread_once(
    reader: EdStemClient, shared_sandbox: Sandbox, shared_server: SandboxServer
) -> None:
    course_id = shared_sandbox.demo_course_id
    ids = [t.id for t in reader.threads.iter_all(course_id, limit=250)]
    assert len(ids) == len(set(ids))
    visible = {
        t.id
        for t in shared_sandbox.state.course_threads(course_id)
        if shared_sandbox.state.can_see_thread(shared_sandbox.users["staff"], t)
    }
    assert set(ids) == visible
    assert len(ids) > 1000
    limits = {
        int(r.params["limit"][0])
        for r in shared_sandbox.requests
        if r.path.endswith("/threads") and "limit" in r.params
    }
    assert max(limits) <= 100


def test_iter_all_forwards_filters(
    reader: EdStemClient, shared_sandbox: Sandbox
) -> None:
    course_id = shared_sandbox.demo_course_id
    unanswered = list(reader.threads.iter_all(course_id, filter="unanswered"))
    assert unanswered
    assert all(t.type == "question" and not t.is_answered for t in unanswered)


def test_search_finds_a_title(reader: EdStemClient, shared_sandbox: Sandbox) -> None:
    course_id = shared_sandbox.demo_course_id
    target = reader.threads.list(course_id, limit=5)[2]
    results = reader.threads.search(course_id, query=target.title)
    assert target.id in {t.id for t in results}


def test_authors_resolve_and_anonymous_is_none(
    reader: EdStemClient, shared_sandbox: Sandbox
) -> None:
    threads = list(reader.threads.iter_all(shared_sandbox.demo_course_id))
    named = [t for t in threads if t.user_id]
    anonymous = [t for t in threads if t.user_id == 0]
    assert named
    assert anonymous
    assert all(t.author_name for t in named[:50])
    assert all(t.author is None for t in anonymous)
    detail = reader.threads.get(named[0].id)
    for comment in detail.walk_comments():
        if comment.user_id:
            assert comment.author_name


def test_reads_never_send_view(reader: EdStemClient, shared_sandbox: Sandbox) -> None:
    course_id = shared_sandbox.demo_course_id
    thread = reader.threads.list(course_id, limit=1)[0]
    reader.threads.get(thread.id)
    lesson = reader.lessons.list(course_id)[0]
    reader.lessons.get(lesson.id)
    assert shared_sandbox.requests
    assert all("view" not in r.params for r in shared_sandbox.requests)


def test_lessons_slides_and_results(
    reader: EdStemClient, shared_sandbox: Sandbox
) -> None:
    course_id = shared_sandbox.demo_course_id
    lessons = reader.lessons.list(course_id)
    assert lessons
    assert all(isinstance(x, LessonSummary) for x in lessons)
    assert reader.lessons.list_modules(course_id)
    lesson = reader.lessons.get(lessons[0].id)
    assert isinstance(lesson, LessonDetail)
    assert lesson.slides
    slides = reader.lessons.list_slides(lesson.id)
    assert [s.id for s in slides] == [s.id for s in lesson.slides]
    slide = reader.lessons.get_slide(slides[0].id)
    assert isinstance(slide, SlideSummary)
    assert isinstance(reader.lessons.get_activity(lesson.id), dict)
    quiz = next(
        s for x in lessons for s in reader.lessons.get(x.id).slides if s.type == "quiz"
    )
    assert reader.lessons.get_slide_questions(quiz.id)
    assert isinstance(reader.lessons.get_slide_results(quiz.id), dict)
    rows = reader.lessons.list_results(quiz.lesson_id or lesson.id)
    assert isinstance(rows, list)


def test_analytics_and_challenges(
    reader: EdStemClient, shared_sandbox: Sandbox
) -> None:
    course_id = shared_sandbox.demo_course_id
    assert isinstance(reader.analytics.get_challenges(course_id), dict)
    assert isinstance(reader.analytics.get_discussion(course_id), dict)
    assert reader.analytics.get_users(course_id)
    assert reader.challenges.list(course_id)


def test_activity_pages_past_fifty(
    reader: EdStemClient, shared_sandbox: Sandbox
) -> None:
    course_id = shared_sandbox.demo_course_id
    author = max(
        (t for t in reader.threads.iter_all(course_id) if t.user_id),
        key=lambda t: t.user_id,
    ).user_id
    items = reader.user.get_activity(
        author, course_id=course_id, limit=120, filter_by="all"
    )
    everything = list(reader.user.iter_activity(author, course_id=course_id))
    assert len(items) == min(120, len(everything))
    assert all(item["type"] in ("thread", "comment") for item in items)
    sent = [r for r in shared_sandbox.requests if r.path.endswith("/profile/activity")]
    assert sent
    assert all(int(r.params["limit"][0]) <= 50 for r in sent)


def test_get_json_escape_hatch(reader: EdStemClient, shared_sandbox: Sandbox) -> None:
    body = reader.get_json(f"/courses/{shared_sandbox.demo_course_id}/labs")
    assert "labs" in body


def test_bad_token_is_authentication_error(shared_server: SandboxServer) -> None:
    with (
        EdStemClient("not-a-real-token", base_url=shared_server.base_url) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.user.get_current_user()
    assert caught.value.ed_code == "bad_token"
    assert "not-a-real-token" not in str(caught.value)


def test_student_gets_permission_denied(
    shared_sandbox: Sandbox, shared_server: SandboxServer
) -> None:
    with EdStemClient(
        shared_sandbox.tokens["student"], base_url=shared_server.base_url
    ) as client:
        with pytest.raises(PermissionDeniedError):
            client.courses.get_admin(shared_sandbox.demo_course_id)
        with pytest.raises(PermissionDeniedError):
            client.analytics.get_users(shared_sandbox.demo_course_id)


def test_unknown_thread_is_not_found(reader: EdStemClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        reader.threads.get(987_654_321)
    assert caught.value.route == "/threads/{thread_id}"
    assert caught.value.path == "/threads/987654321"
    assert "/threads/987654321" in str(caught.value)
