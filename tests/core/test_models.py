"""Models against every response fixture, nulls, roles, timestamps, authors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from pyedstem.models import (
    CommentSummary,
    CourseEnrollment,
    CourseInfo,
    CurrentUserResponse,
    LessonDetail,
    LessonModule,
    LessonSummary,
    Participant,
    ThreadDetail,
    ThreadSummary,
    UserSummary,
    parse_timestamp,
)
from pyedstem.models.threads import attach_participants

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ed_api"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    data.pop("_provenance", None)
    data.pop("_note", None)
    return data


def test_fixture_folder_is_found() -> None:
    assert (FIXTURES / "GET_api_user.real-anonymized.json").is_file(), FIXTURES


def test_current_user_fixture() -> None:
    response = CurrentUserResponse.model_validate(
        load("GET_api_user.real-anonymized.json")
    )
    assert response.user.id > 0
    assert response.courses
    enrollment = response.courses[0]
    assert isinstance(enrollment.role, str)
    assert enrollment.role_detail is not None
    assert enrollment.role_detail.role == enrollment.role
    assert enrollment.course.id > 0
    assert response.time is not None
    assert parse_timestamp(response.time) is not None


def test_thread_list_fixture() -> None:
    body = load("GET_api_courses_id_threads.synthetic.json")
    threads = [ThreadSummary.model_validate(t) for t in body["threads"]]
    assert threads
    assert all(t.created_at_datetime is not None for t in threads)


@pytest.mark.parametrize(
    "name",
    ["GET_api_threads_id.synthetic.json", "GET_api_threads_id.constructed-full.json"],
)
def test_thread_detail_fixtures(name: str) -> None:
    body = load(name)
    thread = ThreadDetail.model_validate(body["thread"])
    users = [Participant.model_validate(u) for u in body.get("users", [])]
    attach_participants([thread], users)
    assert thread.id > 0
    assert list(thread.walk_comments())


def test_constructed_thread_has_no_unmodelled_fields() -> None:
    """Every field objects.md lists for a thread is a declared model field."""
    body = load("GET_api_threads_id.constructed-full.json")
    thread = ThreadDetail.model_validate(body["thread"])
    assert thread.model_extra == {}
    for comment in thread.walk_comments():
        assert comment.model_extra == {}, sorted(comment.model_extra or {})


def test_lessons_fixture() -> None:
    body = load("GET_api_courses_id_lessons.realistic.json")
    lessons = [LessonSummary.model_validate(x) for x in body["lessons"]]
    modules = [LessonModule.model_validate(x) for x in body.get("modules", [])]
    assert lessons
    assert all(m.id > 0 for m in modules)


def test_lesson_detail_fixture() -> None:
    lesson = LessonDetail.model_validate(
        load("GET_api_lessons_id.real-redacted-partial.json")["lesson"]
    )
    assert lesson.id > 0
    assert all(slide.id > 0 for slide in lesson.slides)


def test_admin_users_fixture() -> None:
    body = load("GET_api_courses_id_admin.users-excerpt.realistic.json")
    users = [UserSummary.model_validate(u) for u in body["users"]]
    assert users


def test_every_json_fixture_is_covered() -> None:
    covered = {
        "GET_api_user.real-anonymized.json",
        "GET_api_courses_id_threads.synthetic.json",
        "GET_api_threads_id.synthetic.json",
        "GET_api_threads_id.constructed-full.json",
        "GET_api_courses_id_lessons.realistic.json",
        "GET_api_lessons_id.real-redacted-partial.json",
        "GET_api_courses_id_admin.users-excerpt.realistic.json",
        "GET_api_courses_id_resources.real-redacted.json",
        "GET_api_users_id_profile_activity.synthetic.json",
        "WS_api_stream.events.constructed.json",
        "errors.observed.json",
    }
    present = {p.name for p in FIXTURES.glob("*.json")}
    assert present <= covered, present - covered


def test_resources_and_activity_fixtures_are_lists() -> None:
    resources = load("GET_api_courses_id_resources.real-redacted.json")["resources"]
    assert all(isinstance(r["id"], int) for r in resources)
    items = load("GET_api_users_id_profile_activity.synthetic.json")["items"]
    assert {item["type"] for item in items} <= {"thread", "comment"}


def test_null_reads_as_default() -> None:
    thread = ThreadSummary.model_validate(
        {
            "id": 1,
            "number": 1,
            "course_id": 2,
            "title": "t",
            "type": "question",
            "user_id": None,
            "is_answered": None,
            "vote_count": None,
            "category": None,
            "is_watched": None,
        }
    )
    assert thread.user_id == 0
    assert thread.is_answered is False
    assert thread.vote_count == 0
    assert thread.category is None


def test_unknown_fields_are_kept() -> None:
    course = CourseInfo.model_validate({"id": 3, "brand_new_field": {"x": 1}})
    assert course.model_extra == {"brand_new_field": {"x": 1}}
    assert course.model_dump()["brand_new_field"] == {"x": 1}


@pytest.mark.parametrize(
    "role",
    ["student", {"role": "student", "user_id": 1, "course_id": 2, "lab_id": None}],
)
def test_enrollment_role_string_or_object(role: object) -> None:
    enrollment = CourseEnrollment.model_validate(
        {"course": {"id": 2}, "role": role, "lab": None}
    )
    assert enrollment.role == "student"
    assert enrollment.is_staff is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2025-01-26T21:48:08.256279+11:00",
            datetime(2025, 1, 26, 21, 48, 8, 256279, timezone(timedelta(hours=11))),
        ),
        (
            "2025-09-01T06:32:50.572940578+10:00",
            datetime(2025, 9, 1, 6, 32, 50, 572940, timezone(timedelta(hours=10))),
        ),
        (
            "2023-05-18T08:00:00+10:00",
            datetime(2023, 5, 18, 8, 0, tzinfo=timezone(timedelta(hours=10))),
        ),
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
        ("2026-01-15T10:00:00.000Z", datetime(2026, 1, 15, 10, 0, tzinfo=UTC)),
        (
            "2026-01-15T10:00:00.1+05:30",
            datetime(
                2026, 1, 15, 10, 0, 0, 100000, timezone(timedelta(hours=5, minutes=30))
            ),
        ),
        (
            "2026-01-15T10:00:00.12345-07:00",
            datetime(2026, 1, 15, 10, 0, 0, 123450, timezone(timedelta(hours=-7))),
        ),
    ],
)
def test_timestamps_parse_with_offsets(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed is not None
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("text", [None, "", "yesterday", "2026-13-45T00:00:00Z"])
def test_bad_timestamps_give_none(text: str | None) -> None:
    assert parse_timestamp(text) is None


def test_all_fraction_lengths_parse() -> None:
    for digits in range(10):
        fraction = "." + "1" * digits if digits else ""
        assert parse_timestamp(f"2026-03-01T12:00:00{fraction}+11:00") is not None


def _thread(**fields: Any) -> dict[str, Any]:
    base = {"id": 10, "number": 1, "course_id": 2, "title": "t", "type": "question"}
    return {**base, **fields}


def test_author_comes_from_participants() -> None:
    detail = ThreadDetail.model_validate(
        _thread(
            user_id=5,
            answers=[{"id": 20, "user_id": 6, "comments": [{"id": 21, "user_id": 5}]}],
        )
    )
    attach_participants(
        [detail],
        [
            Participant(id=5, name="Student Five", course_role="student"),
            Participant(id=6, name="Tutor Six", course_role="tutor"),
        ],
    )
    assert detail.author_name == "Student Five"
    assert detail.answers[0].author_course_role == "tutor"
    assert detail.answers[0].author is not None
    assert detail.answers[0].author.is_staff
    reply = detail.find_comment(21)
    assert reply is not None
    assert reply.author_name == "Student Five"


def test_anonymous_author_is_none() -> None:
    thread = ThreadSummary.model_validate(_thread(user_id=0, is_anonymous=True))
    attach_participants([thread], [Participant(id=0, name="Should not match")])
    assert thread.author is None
    assert thread.author_name is None


def test_list_item_user_is_fallback_author() -> None:
    thread = ThreadSummary.model_validate(
        _thread(user_id=8, user={"id": 8, "name": "Eight"})
    )
    assert thread.author_name == "Eight"


def test_accepted_answer() -> None:
    detail = ThreadDetail.model_validate(
        _thread(accepted_id=31, answers=[{"id": 30}, {"id": 31}])
    )
    assert detail.accepted_answer is not None
    assert detail.accepted_answer.id == 31
    assert isinstance(detail.answers[0], CommentSummary)


def test_course_categories_both_shapes() -> None:
    new_shape = CourseInfo.model_validate(
        {
            "id": 1,
            "settings": {
                "discussion": {"categories": [{"name": "General", "subcategories": []}]}
            },
        }
    )
    old_shape = CourseInfo.model_validate(
        {"id": 1, "settings": {"discussion": {"categories": ["Lectures"]}}}
    )
    assert new_shape.categories() == ["General"]
    assert old_shape.categories() == ["Lectures"]
