"""Response shapes of the sandbox compared with Ed's captured or constructed ones.

Fixtures marked "real" or "constructed-full" list every key Ed sends, so the
sandbox must match them exactly. Synthetic and partial fixtures omit keys, so
the sandbox must send at least theirs.
"""

from __future__ import annotations

from typing import Any

from pyedstem.testing import Sandbox
from tests.testing.conftest import ClientFactory, load_fixture


def keys(value: Any) -> set[str]:
    assert isinstance(value, dict)
    return set(value)


def test_user_matches_real_capture(read_api: ClientFactory) -> None:
    expected = load_fixture("GET_api_user.real-anonymized.json")
    body = read_api("staff").get("/user").json()
    assert keys(body) == keys(expected)
    assert keys(body["user"]) == keys(expected["user"])
    assert keys(body["user"]["settings"]) == keys(expected["user"]["settings"])
    assert keys(body["realms"][0]) == keys(expected["realms"][0])
    assert keys(body["realms"][0]["settings"]) == keys(
        expected["realms"][0]["settings"]
    )
    enrollment, sample = body["courses"][0], expected["courses"][0]
    assert keys(enrollment) == keys(sample)
    assert keys(enrollment["role"]) == keys(sample["role"])
    assert keys(enrollment["course"]) == keys(sample["course"])
    assert keys(enrollment["course"]["settings"]) == keys(sample["course"]["settings"])
    discussion = enrollment["course"]["settings"]["discussion"]
    assert keys(discussion) == keys(sample["course"]["settings"]["discussion"])
    category = discussion["categories"][0]
    assert keys(category) == {"name", "subcategories", "thread_template"}


def test_user_time_has_nanoseconds(read_api: ClientFactory) -> None:
    time = read_api("staff").get("/user").json()["time"]
    fraction = time.split(".")[1]
    assert len(fraction.split("+")[0]) == 9


def test_course_matches_user_course(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    expected = load_fixture("GET_api_user.real-anonymized.json")
    body = read_api("student").get(f"/courses/{read_sandbox.demo_course_id}").json()
    assert keys(body) == {"course"}
    assert keys(body["course"]) == keys(expected["courses"][0]["course"])


def test_thread_detail_matches_constructed_full(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    expected = load_fixture("GET_api_threads_id.constructed-full.json")
    thread = next(
        t
        for t in read_sandbox.state.course_threads(read_sandbox.demo_course_id)
        if t.answers and any(a.comments for a in t.answers) and t.deleted_at is None
    )
    body = read_api("staff").get(f"/threads/{thread.id}").json()
    assert keys(body) == keys(expected)
    assert keys(body["thread"]) == keys(expected["thread"])
    answer = body["thread"]["answers"][0]
    sample = expected["thread"]["answers"][0]
    assert keys(answer) == keys(sample)
    nested = next(a["comments"][0] for a in body["thread"]["answers"] if a["comments"])
    assert keys(nested) == keys(sample["comments"][0])
    assert keys(body["users"][0]) == keys(expected["users"][0])


def test_thread_list_item_shape(read_sandbox: Sandbox, read_api: ClientFactory) -> None:
    full = load_fixture("GET_api_threads_id.constructed-full.json")["thread"]
    synthetic = load_fixture("GET_api_courses_id_threads.synthetic.json")
    path = f"/courses/{read_sandbox.demo_course_id}/threads"
    item = read_api("staff").get(path).json()["threads"][0]
    assert keys(item) == (keys(full) - {"answers", "comments"}) | {"user"}
    assert keys(synthetic["threads"][0]) <= keys(item)


def test_lessons_match_realistic_fixture(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    expected = load_fixture("GET_api_courses_id_lessons.realistic.json")
    body = read_api("staff").get(f"/courses/{read_sandbox.demo_course_id}/lessons")
    lessons = body.json()
    assert keys(expected["lessons"][0]) <= keys(lessons["lessons"][0])
    assert keys(lessons["modules"][0]) == keys(expected["modules"][0])


def test_lesson_detail_covers_partial_capture(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    expected = load_fixture("GET_api_lessons_id.real-redacted-partial.json")
    lesson = next(iter(read_sandbox.world.lessons.values()))
    body = read_api("staff").get(f"/lessons/{lesson.id}").json()
    assert keys(expected["lesson"]) <= keys(body["lesson"])
    assert keys(expected["lesson"]["slides"][0]) <= keys(body["lesson"]["slides"][0])


def test_activity_items_match_fixture(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    expected = load_fixture("GET_api_users_id_profile_activity.synthetic.json")
    samples = {item["type"]: item["value"] for item in expected["items"]}
    path = f"/users/{read_sandbox.users['staff']}/profile/activity"
    params = {"course_id": read_sandbox.demo_course_id, "limit": 50}
    items = read_api("staff").get(path, params=params).json()["items"]
    kinds = {item["type"] for item in items}
    assert kinds == {"thread", "comment"}
    for item in items:
        assert keys(item) == {"type", "value"}
        assert keys(item["value"]) == keys(samples[item["type"]])


def test_admin_roster_matches_fixture(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    expected = load_fixture("GET_api_courses_id_admin.users-excerpt.realistic.json")
    body = read_api("staff").get(f"/courses/{read_sandbox.demo_course_id}/admin")
    users = body.json()["users"]
    assert len(users) > 40
    assert keys(users[0]) == keys(expected["users"][0])


def test_resources_match_real_capture(
    read_sandbox: Sandbox, read_api: ClientFactory
) -> None:
    expected = load_fixture("GET_api_courses_id_resources.real-redacted.json")
    path = f"/courses/{read_sandbox.demo_course_id}/resources"
    resources = read_api("student").get(path).json()["resources"]
    assert keys(resources[0]) == keys(expected["resources"][0])
    assert not any(resource["staff_only"] for resource in resources)
    staff_view = read_api("staff").get(path).json()["resources"]
    assert any(resource["staff_only"] for resource in staff_view)
