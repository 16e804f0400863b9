"""Read routes of the sandbox: auth, routing, paging, visibility, search."""

from __future__ import annotations

import re

import httpx
import pytest

from pyedstem.testing import Sandbox
from tests.testing.conftest import MOCK_BASE, ClientFactory

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+1[01]:00$")


def threads_path(sandbox: Sandbox) -> str:
    return f"/courses/{sandbox.demo_course_id}/threads"


def test_missing_token_is_bad_token(read_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=MOCK_BASE, transport=read_sandbox.mock_transport()) as c:
        response = c.get("/user")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_token"
    assert response.json()["message"]


def test_unknown_token_is_bad_token(read_sandbox: Sandbox) -> None:
    headers = {"Authorization": "Bearer abcdef.not-a-real-token"}
    with httpx.Client(
        base_url=MOCK_BASE, transport=read_sandbox.mock_transport(), headers=headers
    ) as client:
        response = client.get("/user")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_token"


def test_token_without_bearer_is_rejected(read_sandbox: Sandbox) -> None:
    headers = {"Authorization": read_sandbox.tokens["staff"]}
    with httpx.Client(
        base_url=MOCK_BASE, transport=read_sandbox.mock_transport(), headers=headers
    ) as client:
        assert client.get("/user").status_code == 400


def test_x_token_header_is_accepted(read_sandbox: Sandbox) -> None:
    headers = {"X-Token": read_sandbox.tokens["student"]}
    with httpx.Client(
        base_url=MOCK_BASE, transport=read_sandbox.mock_transport(), headers=headers
    ) as client:
        response = client.get("/user")
    assert response.status_code == 200
    assert response.json()["user"]["id"] == read_sandbox.users["student"]


def test_region_needs_no_token(read_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=MOCK_BASE, transport=read_sandbox.mock_transport()) as c:
        response = c.get("/region")
    assert response.status_code == 200
    assert set(response.json()) == {"country_code", "default_region"}


def test_unknown_route_is_not_found(read_api: ClientFactory) -> None:
    response = read_api("staff").get("/no/such/route")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_non_numeric_id_is_not_found(read_api: ClientFactory) -> None:
    assert read_api("staff").get("/threads/abc").status_code == 404


def test_unknown_thread_is_not_found(read_api: ClientFactory) -> None:
    response = read_api("staff").get("/threads/1")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_outsider_is_forbidden_in_course(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    response = read_api("outsider").get(threads_path(read_sandbox))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    "path",
    [
        "/courses/{c}/admin",
        "/courses/{c}/analytics/users",
        "/courses/{c}/analytics/discussion",
        "/courses/{c}/analytics/challenges",
        "/courses/{c}/stats",
    ],
)
def test_student_forbidden_on_staff_routes(
    read_sandbox: Sandbox, read_api: ClientFactory, path: str
) -> None:
    url = path.format(c=read_sandbox.demo_course_id)
    response = read_api("student").get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert read_api("staff").get(url).status_code == 200


def test_thread_list_default_limit(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    body = read_api("staff").get(threads_path(read_sandbox)).json()
    assert set(body) == {"sort_key", "threads", "users"}
    assert len(body["threads"]) == 30


@pytest.mark.parametrize("asked", [100, 101, 500, 10_000])
def test_thread_list_limit_capped(
    read_sandbox: Sandbox, read_api: ClientFactory, asked: int
) -> None:
    response = read_api("staff").get(
        threads_path(read_sandbox), params={"limit": asked}
    )
    assert len(response.json()["threads"]) == 100


def test_thread_list_offset_pages_do_not_overlap(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    client = read_api("staff")
    first = client.get(threads_path(read_sandbox), params={"limit": 50}).json()
    second = client.get(
        threads_path(read_sandbox), params={"limit": 50, "offset": 50}
    ).json()
    first_ids = {t["id"] for t in first["threads"]}
    second_ids = {t["id"] for t in second["threads"]}
    assert len(first_ids) == 50
    assert len(second_ids) == 50
    assert not first_ids & second_ids


def test_thread_list_pages_cover_course(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    client = read_api("staff")
    seen: list[int] = []
    offset = 0
    while True:
        page = client.get(
            threads_path(read_sandbox), params={"limit": 100, "offset": offset}
        ).json()["threads"]
        seen.extend(thread["id"] for thread in page)
        if len(page) < 100:
            break
        offset += 100
    expected = read_sandbox.state.course_threads(read_sandbox.demo_course_id)
    assert len(seen) == len(set(seen))
    assert set(seen) == {thread.id for thread in expected}


def test_pinned_threads_come_first(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    threads = read_api("staff").get(threads_path(read_sandbox)).json()["threads"]
    flags = [thread["is_pinned"] for thread in threads]
    assert flags[0] is True
    assert flags == sorted(flags, reverse=True)


def test_new_sort_is_newest_first(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    threads = read_api("staff").get(threads_path(read_sandbox)).json()["threads"]
    unpinned = [t["id"] for t in threads if not t["is_pinned"]]
    assert unpinned == sorted(unpinned, reverse=True)


def test_unknown_sort_falls_back_to_new(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    client = read_api("staff")
    new = client.get(threads_path(read_sandbox), params={"sort": "new"}).json()
    odd = client.get(threads_path(read_sandbox), params={"sort": "sideways"}).json()
    assert [t["id"] for t in odd["threads"]] == [t["id"] for t in new["threads"]]


def test_top_sort_orders_by_votes(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    params = {"sort": "top", "limit": 100}
    threads = read_api("staff").get(threads_path(read_sandbox), params=params).json()
    votes = [t["vote_count"] for t in threads["threads"] if not t["is_pinned"]]
    assert votes == sorted(votes, reverse=True)


def test_unanswered_filter(read_sandbox: Sandbox, read_api: ClientFactory) -> None:
    params = {"filter": "unanswered", "limit": 100}
    threads = read_api("staff").get(threads_path(read_sandbox), params=params).json()
    assert len(threads["threads"]) >= 20
    for thread in threads["threads"]:
        assert thread["type"] == "question"
        assert thread["is_answered"] is False


def test_category_filter(read_sandbox: Sandbox, read_api: ClientFactory) -> None:
    params = {"category": "Labs", "limit": 100}
    threads = read_api("staff").get(threads_path(read_sandbox), params=params).json()
    assert threads["threads"]
    assert {t["category"] for t in threads["threads"]} == {"Labs"}


def test_mine_filter(read_sandbox: Sandbox, read_api: ClientFactory) -> None:
    params = {"filter": "mine", "limit": 100}
    threads = read_api("student").get(threads_path(read_sandbox), params=params).json()
    mine = [
        t
        for t in read_sandbox.state.course_threads(read_sandbox.demo_course_id)
        if t.user_id == read_sandbox.users["student"] and t.deleted_at is None
    ]
    assert len(threads["threads"]) == len(mine)


def test_private_threads_hidden_from_other_students(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    student = read_sandbox.users["student"]
    private = [
        t
        for t in read_sandbox.state.course_threads(read_sandbox.demo_course_id)
        if t.is_private and t.user_id != student and t.deleted_at is None
    ]
    assert private
    assert read_api("student").get(f"/threads/{private[0].id}").status_code == 404
    assert read_api("staff").get(f"/threads/{private[0].id}").status_code == 200
    listed = read_api("student").get(
        threads_path(read_sandbox), params={"filter": "private", "limit": 100}
    )
    assert all(t["user_id"] in (student, 0) for t in listed.json()["threads"])


def test_anonymous_thread_hides_author(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    thread = next(
        t
        for t in read_sandbox.state.course_threads(read_sandbox.demo_course_id)
        if t.is_anonymous and not t.is_private and t.deleted_at is None
    )
    body = read_api("staff").get(f"/threads/{thread.id}").json()
    assert body["thread"]["user_id"] == 0
    assert body["thread"]["is_anonymous"] is True
    author_ids = {user["id"] for user in body["users"]}
    others = {
        c.user_id for c in read_sandbox.state.walk_replies(thread) if not c.is_anonymous
    }
    assert thread.user_id not in author_ids - others


def test_anonymous_list_item_has_no_user(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    params = {"limit": 100}
    threads = read_api("staff").get(threads_path(read_sandbox), params=params).json()
    anonymous = [t for t in threads["threads"] if t["is_anonymous"]]
    assert anonymous
    for thread in anonymous:
        assert thread["user_id"] == 0
        assert thread["user"] is None


def test_deleted_threads_only_for_staff(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    deleted = next(
        t
        for t in read_sandbox.state.course_threads(read_sandbox.demo_course_id)
        if t.deleted_at is not None
    )
    staff_view = read_api("staff").get(f"/threads/{deleted.id}")
    assert staff_view.status_code == 200
    assert staff_view.json()["thread"]["deleted_at"] is not None
    assert read_api("student").get(f"/threads/{deleted.id}").status_code == 404


def test_thread_by_number(read_sandbox: Sandbox, read_api: ClientFactory) -> None:
    thread = read_sandbox.state.course_threads(read_sandbox.demo_course_id)[0]
    path = f"/courses/{read_sandbox.demo_course_id}/threads/{thread.number}"
    body = read_api("staff").get(path).json()
    assert body["thread"]["id"] == thread.id


def test_timestamps_have_sydney_offsets(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    threads = read_api("staff").get(threads_path(read_sandbox)).json()["threads"]
    for thread in threads:
        assert TIMESTAMP.match(thread["created_at"]), thread["created_at"]


def test_search_matches_title_words(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    path = f"/courses/{read_sandbox.demo_course_id}/threads/search"
    body = read_api("staff").get(path, params={"query": "binary search"}).json()
    assert set(body) == {"sort_key", "threads", "users"}
    assert body["threads"]
    for thread in body["threads"]:
        text = f"{thread['title']} {thread['document']}".lower()
        assert "binary" in text
        assert "search" in text


def test_search_without_query_is_bad_request(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    path = f"/courses/{read_sandbox.demo_course_id}/threads/search"
    assert read_api("staff").get(path).status_code == 400


def test_read_without_view_has_no_side_effect(write_sandbox: Sandbox) -> None:
    thread = write_sandbox.state.course_threads(write_sandbox.demo_course_id)[-1]
    student = write_sandbox.users["student"]
    before = (thread.view_count, thread.id in write_sandbox.state.seen_map(student))
    headers = {"Authorization": f"Bearer {write_sandbox.tokens['student']}"}
    with httpx.Client(
        base_url=MOCK_BASE, transport=write_sandbox.mock_transport(), headers=headers
    ) as client:
        client.get(f"/threads/{thread.id}")
        after = (thread.view_count, thread.id in write_sandbox.state.seen_map(student))
        assert after == before
        client.get(f"/threads/{thread.id}", params={"view": 1})
    assert thread.view_count == before[0] + 1
    assert thread.id in write_sandbox.state.seen_map(student)
    views = [r for r in write_sandbox.requests if "view" in r.params]
    assert len(views) == 1
    assert views[0].params["view"] == ["1"]


def test_request_log_records_query_and_body(write_sandbox: Sandbox) -> None:
    headers = {"Authorization": f"Bearer {write_sandbox.tokens['staff']}"}
    with httpx.Client(
        base_url=MOCK_BASE, transport=write_sandbox.mock_transport(), headers=headers
    ) as client:
        client.get("/user", params=[("a", "1"), ("a", "2")])
        client.post("/threads/1/star", content=b"payload")
    first, second = write_sandbox.requests.snapshot()[-2:]
    assert first.path == "/api/user"
    assert first.params == {"a": ["1", "2"]}
    assert first.template == "/user"
    assert second.body == b"payload"
    assert second.status == 404


def test_user_activity_caps_at_fifty(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    staff = read_sandbox.users["staff"]
    path = f"/users/{staff}/profile/activity"
    params = {"course_id": read_sandbox.demo_course_id, "limit": 500}
    items = read_api("staff").get(path, params=params).json()["items"]
    assert len(items) == 50


def test_user_activity_accepts_both_course_params(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    staff = read_sandbox.users["staff"]
    path = f"/users/{staff}/profile/activity"
    client = read_api("staff")
    snake = client.get(path, params={"course_id": read_sandbox.other_course_id})
    camel = client.get(path, params={"courseID": read_sandbox.other_course_id})
    assert snake.json() == camel.json()
    courses = {item["value"]["course_id"] for item in snake.json()["items"]}
    assert courses == {read_sandbox.other_course_id}


@pytest.mark.parametrize("kind", ["thread", "answer", "comment"])
def test_user_activity_filter(
    read_sandbox: Sandbox, read_api: ClientFactory, kind: str
) -> None:
    staff = read_sandbox.users["staff"]
    path = f"/users/{staff}/profile/activity"
    params = {"course_id": read_sandbox.demo_course_id, "filter": kind}
    items = read_api("staff").get(path, params=params).json()["items"]
    assert items
    for item in items:
        assert item["value"]["type"] in (
            ("post", "question", "announcement") if kind == "thread" else (kind,)
        )


def test_lessons_list_has_empty_slides(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    body = (
        read_api("student")
        .get(f"/courses/{read_sandbox.demo_course_id}/lessons")
        .json()
    )
    assert set(body) == {"lessons", "modules"}
    assert body["lessons"]
    assert all(lesson["slides"] == [] for lesson in body["lessons"])
    assert all(not lesson["is_hidden"] for lesson in body["lessons"])


def test_lesson_detail_has_slides(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    lesson = next(iter(read_sandbox.world.lessons.values()))
    body = read_api("staff").get(f"/lessons/{lesson.id}").json()
    slides = body["lesson"]["slides"]
    assert [slide["id"] for slide in slides] == lesson.slide_ids
    assert {"document", "quiz", "code"} <= {slide["type"] for slide in slides}


def test_lesson_results_is_bare_array(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    lesson = next(iter(read_sandbox.world.lessons.values()))
    client = read_api("staff")
    rows = client.get(f"/lessons/{lesson.id}/results").json()
    assert isinstance(rows, list)
    assert len(rows) > 2
    limited = client.get(f"/lessons/{lesson.id}/results", params={"limit": 2}).json()
    assert len(limited) == 2
    one = rows[0]["user_id"]
    for name in ("user_id", "userId"):
        only = client.get(f"/lessons/{lesson.id}/results", params={name: one}).json()
        assert [row["user_id"] for row in only] == [one]
    assert read_api("student").get(f"/lessons/{lesson.id}/results").status_code == 403


def test_redirect_outside_api(read_sandbox: Sandbox) -> None:
    with httpx.Client(transport=read_sandbox.mock_transport()) as client:
        response = client.get("http://sandbox.test/us/api/user?limit=3")
    assert response.status_code == 302
    assert response.headers["location"] == "http://sandbox.test/api/user?limit=3"


@pytest.mark.parametrize("path", ["/courses", "/realms", "/status"])
def test_realm_routes_forbidden(read_api: ClientFactory, path: str) -> None:
    response = read_api("admin").get(path)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
