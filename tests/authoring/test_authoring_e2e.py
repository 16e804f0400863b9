"""Lesson, slide and challenge edits against the sandbox Ed over loopback."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from pyedstem import EdStemClient, InvalidArgumentError
from pyedstem.testing import Sandbox

DOC = '<document version="2.0"><paragraph>Read chapter 2.</paragraph></document>'


def _first_lesson_id(client: EdStemClient, sandbox: Sandbox) -> int:
    return client.lessons.list(sandbox.demo_course_id)[0].id


def _code_challenge(sandbox: Sandbox) -> tuple[int, int]:
    challenge = next(iter(sandbox.world.challenges.values()))
    return challenge.id, challenge.course_id


def test_lesson_update_keeps_other_fields(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    lesson_id = _first_lesson_id(staff, sandbox)
    before = staff.lessons.get(lesson_id)
    due = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)

    updated = staff.lessons.update(lesson_id, title="Week 1 (revised)", due_at=due)
    after = staff.lessons.get(lesson_id)

    assert updated.title == "Week 1 (revised)"
    assert after.title == "Week 1 (revised)"
    assert after.due_at_datetime == due
    assert after.is_hidden == before.is_hidden
    assert after.available_at == before.available_at
    assert len(after.slides) == len(before.slides)
    stored = sandbox.world.lessons[lesson_id].data
    assert stored["title"] == "Week 1 (revised)"
    assert stored["due_at"] == after.due_at


def test_lesson_update_rejects_naive_datetime(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    lesson_id = _first_lesson_id(staff, sandbox)
    logged = len(sandbox.requests)

    with pytest.raises(InvalidArgumentError, match="no timezone"):
        staff.lessons.update(lesson_id, due_at=datetime(2030, 5, 1, 9))

    assert len(sandbox.requests) == logged


def test_slide_update_sends_form_field(staff: EdStemClient, sandbox: Sandbox) -> None:
    lesson = staff.lessons.get(_first_lesson_id(staff, sandbox))
    slide = lesson.slides[0]

    updated = staff.lessons.update_slide(slide.id, title="Intro", document=DOC)
    again = staff.lessons.get_slide(slide.id)

    assert updated.title == "Intro"
    assert again.content == DOC
    assert again.type == slide.type
    assert again.lesson_id == lesson.id
    stored = sandbox.world.slides[slide.id].data
    assert stored["title"] == "Intro"
    assert stored["content"] == DOC


def test_slide_update_by_student_is_denied(sandbox: Sandbox, server: object) -> None:
    from pyedstem import PermissionDeniedError

    with EdStemClient(sandbox.tokens["student"], base_url=server.base_url) as student:  # type: ignore[attr-defined]
        lesson_id = student.lessons.list(sandbox.demo_course_id)[0].id
        slide_id = student.lessons.get(lesson_id).slides[0].id
        with pytest.raises(PermissionDeniedError):
            student.lessons.update_slide(slide_id, title="Mine now")


def test_export_results_returns_csv(staff: EdStemClient, sandbox: Sandbox) -> None:
    lesson_id = _first_lesson_id(staff, sandbox)

    text = staff.lessons.export_results(lesson_id, strategy="best")
    rows = list(csv.reader(io.StringIO(text)))

    assert rows[0][:3] == ["user_id", "name", "email"]
    assert len(rows) > 1
    sent = sandbox.requests[-1]
    assert sent.method == "POST"
    assert ("strategy", "best") in sent.query


def test_export_results_bad_strategy_unsent(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    logged = len(sandbox.requests)

    with pytest.raises(InvalidArgumentError, match="strategy must be one of"):
        staff.lessons.export_results(1, strategy="mean")

    assert len(sandbox.requests) == logged


def test_challenge_update_merges_features(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    challenge_id, _ = _code_challenge(sandbox)
    before = staff.challenges.get(challenge_id)
    feature = next(iter(before.features))
    flipped = not before.features[feature]

    updated = staff.challenges.update(challenge_id, features={feature: flipped})
    after = staff.challenges.get(challenge_id)

    assert updated.features[feature] is flipped
    assert after.features == {**before.features, feature: flipped}
    assert after.settings == before.settings
    assert after.content == before.content
    assert sandbox.world.challenges[challenge_id].data["features"] == after.features


def test_challenge_repr_hides_tickets(staff: EdStemClient, sandbox: Sandbox) -> None:
    challenge_id, _ = _code_challenge(sandbox)

    challenge = staff.challenges.get(challenge_id)

    assert "tickets" not in repr(challenge)


def test_feedback_replaces_mark(staff: EdStemClient, sandbox: Sandbox) -> None:
    submission = next(iter(sandbox.world.submissions.values()))

    staff.challenges.update_feedback(
        submission.id,
        document=DOC,
        mark=7.5,
        criteria=[{"name": "Style", "description": "", "mark": "2"}],
    )
    stored = staff.challenges.get_submission(submission.id)

    assert stored.feedback is not None
    assert stored.feedback["mark"] == 7.5
    assert stored.feedback["content"] == DOC
    assert stored.feedback["criteria"][0]["name"] == "Style"
    assert sandbox.world.submissions[submission.id].data["feedback"]["mark"] == 7.5


def test_feedback_rejects_bool_mark(staff: EdStemClient, sandbox: Sandbox) -> None:
    logged = len(sandbox.requests)

    with pytest.raises(InvalidArgumentError, match="mark must be a number"):
        staff.challenges.update_feedback(1, mark=True)

    assert len(sandbox.requests) == logged


def test_submissions_list_then_detail(staff: EdStemClient, sandbox: Sandbox) -> None:
    submission = next(iter(sandbox.world.submissions.values()))

    listed = staff.challenges.list_submissions(
        submission.challenge_id, submission.user_id
    )
    detail = staff.challenges.get_submission(listed[0].id)

    assert submission.id in {s.id for s in listed}
    assert detail.id == listed[0].id


def test_challenge_results_csv(staff: EdStemClient, sandbox: Sandbox) -> None:
    challenge_id, _ = _code_challenge(sandbox)

    text = staff.challenges.export_results(challenge_id, type="all", scores=True)

    assert text.strip()
    assert ("type", "all") in sandbox.requests[-1].query


async def test_async_lesson_update(async_staff: object, sandbox: Sandbox) -> None:
    lesson_id = next(iter(sandbox.world.lessons))

    lesson = await async_staff.lessons.update(lesson_id, is_hidden=True)  # type: ignore[attr-defined]

    assert lesson.is_hidden is True
    assert sandbox.world.lessons[lesson_id].data["is_hidden"] is True
