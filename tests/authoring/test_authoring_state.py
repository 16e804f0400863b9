"""Lesson, slide and challenge methods over loopback, checked in the sandbox."""

from __future__ import annotations

import csv
import io

from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem.testing import Sandbox
from pyedstem.testing.world import Lesson, QuizResponse, Slide


def _lesson(sandbox: Sandbox, index: int = 0) -> Lesson:
    lessons = [
        lesson
        for lesson in sandbox.world.lessons.values()
        if lesson.course_id == sandbox.demo_course_id
    ]
    return lessons[index]


def _quiz_response(sandbox: Sandbox, role: str = "student") -> QuizResponse:
    user_id = sandbox.users[role]
    return next(r for r in sandbox.world.responses if r.user_id == user_id)


def _quiz_slide(sandbox: Sandbox) -> Slide:
    return next(
        slide
        for slide in sandbox.world.slides.values()
        if slide.course_id == sandbox.demo_course_id and slide.question_ids
    )


def test_list_modules_matches_state(staff: EdStemClient, sandbox: Sandbox) -> None:
    modules = staff.lessons.list_modules(sandbox.demo_course_id)

    expected = {
        module.id: module.name
        for module in sandbox.world.modules.values()
        if module.course_id == sandbox.demo_course_id
    }
    assert {module.id: module.name for module in modules} == expected


def test_create_lesson_titles_and_hides(staff: EdStemClient, sandbox: Sandbox) -> None:
    module = next(
        module
        for module in sandbox.world.modules.values()
        if module.course_id == sandbox.demo_course_id
    )
    lessons_before = set(sandbox.world.lessons)

    created = staff.lessons.create(
        sandbox.demo_course_id, title="Week 13", module_id=module.id
    )

    assert set(sandbox.world.lessons) - lessons_before == {created.id}
    stored = sandbox.world.lessons[created.id]
    assert stored.course_id == sandbox.demo_course_id
    assert stored.data["title"] == "Week 13"
    assert stored.data["module_id"] == module.id
    assert stored.data["is_hidden"] is True
    writes = [(r.method, r.template) for r in sandbox.requests if r.method != "GET"]
    assert writes == [
        ("POST", "/courses/{course_id}/lessons"),
        ("PUT", "/lessons/{lesson_id}"),
    ]


async def test_async_create_lesson(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    created = await async_staff.lessons.create(sandbox.demo_course_id, title="Extra")

    stored = sandbox.world.lessons[created.id]
    assert stored.data["title"] == "Extra"
    assert stored.data["is_hidden"] is True


def test_create_slide_stores_body(staff: EdStemClient, sandbox: Sandbox) -> None:
    lesson = _lesson(sandbox)
    count_before = len(lesson.slide_ids)

    slide = staff.lessons.create_slide(
        lesson.id, type="document", title="Reading", markdown="Read **chapter 2**."
    )

    stored = sandbox.world.slides[slide.id]
    assert lesson.slide_ids[-1] == slide.id
    assert len(lesson.slide_ids) == count_before + 1
    assert lesson.data["slide_count"] == count_before + 1
    assert stored.lesson_id == lesson.id
    assert stored.data["type"] == "document"
    assert stored.data["title"] == "Reading"
    assert "<bold>chapter 2</bold>" in stored.data["content"]
    assert stored.data["is_hidden"] is False


def test_create_code_slide_adds_challenge(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    lesson = _lesson(sandbox)

    slide = staff.lessons.create_slide(lesson.id, type="code", is_hidden=True)

    stored = sandbox.world.slides[slide.id]
    challenge = sandbox.world.challenges[stored.data["challenge_id"]]
    assert slide.challenge_id == challenge.id
    assert challenge.slide_id == slide.id
    assert stored.data["is_hidden"] is True


def test_copy_slide_clones_questions(staff: EdStemClient, sandbox: Sandbox) -> None:
    quiz = _quiz_slide(sandbox)
    target = _lesson(sandbox, 1)
    assert quiz.lesson_id != target.id

    copy = staff.lessons.create_slide(
        target.id, copy_of=quiz.id, title="Quiz again", is_hidden=True
    )

    stored = sandbox.world.slides[copy.id]
    assert target.slide_ids[-1] == copy.id
    assert stored.data["original_id"] == quiz.id
    assert stored.data["title"] == "Quiz again"
    assert stored.data["is_hidden"] is True
    assert len(stored.question_ids) == len(quiz.question_ids)
    assert not set(stored.question_ids) & set(quiz.question_ids)
    assert quiz.id in sandbox.world.slides


def test_delete_slide_removes_it(staff: EdStemClient, sandbox: Sandbox) -> None:
    lesson = _lesson(sandbox)
    doomed = lesson.slide_ids[0]

    staff.lessons.delete_slide(doomed)

    assert doomed not in sandbox.world.slides
    assert doomed not in lesson.slide_ids
    indexes = [sandbox.world.slides[s].data["index"] for s in lesson.slide_ids]
    assert indexes == list(range(1, len(lesson.slide_ids) + 1))


async def test_async_create_then_delete_slide(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    lesson = _lesson(sandbox)
    before = list(lesson.slide_ids)

    slide = await async_staff.lessons.create_slide(lesson.id, type="quiz")
    created = slide.id in sandbox.world.slides
    await async_staff.lessons.delete_slide(slide.id)

    assert created
    assert slide.id not in sandbox.world.slides
    assert lesson.slide_ids == before


def test_complete_slide_only_when_asked(
    student: EdStemClient, sandbox: Sandbox
) -> None:
    lesson = _lesson(sandbox)
    slide_id = lesson.slide_ids[-1]
    key = (sandbox.users["student"], slide_id)
    sandbox.world.slide_status.pop(key, None)

    student.lessons.get(lesson.id)
    student.lessons.get_slide(slide_id)
    after_reads = sandbox.world.slide_status.get(key)
    student.lessons.complete_slide(slide_id)

    assert after_reads is None
    assert sandbox.world.slide_status[key] == "completed"
    assert not any("view" in record.params for record in sandbox.requests)


def test_results_follow_completion(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    lesson = _lesson(sandbox)
    user_id = sandbox.users["student"]
    for slide_id in lesson.slide_ids:
        sandbox.world.slide_status.pop((user_id, slide_id), None)
    student.lessons.complete_slide(lesson.slide_ids[0])

    rows = staff.lessons.list_results(lesson.id)
    text = staff.lessons.export_results(lesson.id, strategy="best")

    row = next(row for row in rows if row["user_id"] == user_id)
    assert row["completed_slides"] == 1
    assert row["slides"][0]["completed"] is True
    students = {
        member.user_id
        for member in sandbox.state.members(lesson.course_id)
        if member.role == "student"
    }
    assert {row["user_id"] for row in rows} == students
    table = list(csv.DictReader(io.StringIO(text)))
    csv_row = next(r for r in table if r["user_id"] == str(user_id))
    assert csv_row["completed"] == "1"
    assert len(table) == len(students)


def test_attempts_match_state(staff: EdStemClient, sandbox: Sandbox) -> None:
    response = _quiz_response(sandbox)
    attempt = sandbox.world.attempts[response.attempt_id]

    found = staff.lessons.get_attempts(attempt.lesson_id, attempt.user_id)

    expected = [
        a.id
        for a in sandbox.world.attempts.values()
        if a.lesson_id == attempt.lesson_id and a.user_id == attempt.user_id
    ]
    assert [a["id"] for a in found["attempts"]] == expected
    assert found["final_id"] == expected[-1]


def test_quiz_responses_match_state(staff: EdStemClient, sandbox: Sandbox) -> None:
    response = _quiz_response(sandbox)

    by_slide = staff.lessons.list_slide_responses(
        response.slide_id, user_id=response.user_id
    )
    by_attempt = staff.lessons.list_attempt_responses(
        response.attempt_id, response.slide_id
    )

    expected_slide = [
        (r.question_id, r.data)
        for r in sandbox.world.responses
        if r.slide_id == response.slide_id and r.user_id == response.user_id
    ]
    expected_attempt = [
        (r.question_id, r.data, r.mark_id)
        for r in sandbox.world.responses
        if r.slide_id == response.slide_id and r.attempt_id == response.attempt_id
    ]
    assert [(r["question_id"], r["data"]) for r in by_slide] == expected_slide
    assert [
        (r["question_id"], r["data"], r["lesson_mark"]["id"]) for r in by_attempt
    ] == expected_attempt


async def test_async_attempt_reads(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    response = _quiz_response(sandbox)
    attempt = sandbox.world.attempts[response.attempt_id]

    found = await async_staff.lessons.get_attempts(attempt.lesson_id, attempt.user_id)
    responses = await async_staff.lessons.list_attempt_responses(
        response.attempt_id, response.slide_id
    )

    assert response.attempt_id in {a["id"] for a in found["attempts"]}
    assert response.question_id in {r["question_id"] for r in responses}


def _challenge_with_submissions(sandbox: Sandbox) -> int:
    submission = next(iter(sandbox.world.submissions.values()))
    return submission.challenge_id


def test_challenge_get_matches_state(staff: EdStemClient, sandbox: Sandbox) -> None:
    challenge_id = _challenge_with_submissions(sandbox)

    challenge = staff.challenges.get(challenge_id)

    stored = sandbox.world.challenges[challenge_id].data
    assert challenge.id == challenge_id
    assert challenge.content == stored["content"]
    assert challenge.features == stored["features"]
    assert challenge.settings == stored["settings"]


def test_challenge_users_count_submissions(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    challenge_id = _challenge_with_submissions(sandbox)
    course_id = sandbox.world.challenges[challenge_id].course_id

    users = staff.challenges.list_users(challenge_id)

    members = {member.user_id for member in sandbox.state.members(course_id)}
    assert {user["id"] for user in users} == members
    for user in users:
        count = sum(
            1
            for s in sandbox.world.submissions.values()
            if s.challenge_id == challenge_id and s.user_id == user["id"]
        )
        assert user["submission_count"] == count, user["id"]


def test_submissions_match_state(staff: EdStemClient, sandbox: Sandbox) -> None:
    stored = next(iter(sandbox.world.submissions.values()))

    listed = staff.challenges.list_submissions(stored.challenge_id, stored.user_id)
    detail = staff.challenges.get_submission(stored.id)

    expected = {
        s.id
        for s in sandbox.world.submissions.values()
        if s.challenge_id == stored.challenge_id and s.user_id == stored.user_id
    }
    assert {s.id for s in listed} == expected
    assert detail.testcase_pass_count == stored.data["testcase_pass_count"]
    assert detail.model_extra is not None
    assert detail.model_extra["result"] == stored.data["result"]


def test_challenge_results_csv_match_state(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    challenge_id = _challenge_with_submissions(sandbox)

    text = staff.challenges.export_results(challenge_id, type="all")

    table = list(csv.DictReader(io.StringIO(text)))
    submitters = {
        str(s.user_id)
        for s in sandbox.world.submissions.values()
        if s.challenge_id == challenge_id
    }
    assert {row["user_id"] for row in table} == submitters


def test_submit_all_adds_submissions(staff: EdStemClient, sandbox: Sandbox) -> None:
    challenge_id = _challenge_with_submissions(sandbox)
    before = set(sandbox.world.submissions)

    staff.challenges.submit_all(challenge_id)

    added = [
        sandbox.world.submissions[i] for i in set(sandbox.world.submissions) - before
    ]
    submitters = {
        s.user_id
        for i, s in sandbox.world.submissions.items()
        if i in before and s.challenge_id == challenge_id
    }
    assert added
    assert {s.user_id for s in added} == submitters
    assert all(s.challenge_id == challenge_id for s in added)


async def test_async_feedback_and_submit_all(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    stored = next(iter(sandbox.world.submissions.values()))
    count_before = len(sandbox.world.submissions)

    await async_staff.challenges.update_feedback(stored.id, markdown="Good.", mark=3)
    await async_staff.challenges.submit_all(stored.challenge_id)

    feedback = stored.data["feedback"]
    assert feedback["mark"] == 3
    assert "Good." in feedback["content"]
    assert stored.data["feedback_provided"] is True
    assert len(sandbox.world.submissions) > count_before


async def test_async_lesson_staff_methods(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    lesson = _lesson(sandbox)
    slide_id = lesson.slide_ids[0]
    response = _quiz_response(sandbox)
    staff_id = sandbox.users["staff"]

    modules = await async_staff.lessons.list_modules(sandbox.demo_course_id)
    rows = await async_staff.lessons.list_results(lesson.id)
    text = await async_staff.lessons.export_results(lesson.id)
    responses = await async_staff.lessons.list_slide_responses(
        response.slide_id, user_id=response.user_id
    )
    await async_staff.lessons.update_slide(slide_id, title="Async title")
    await async_staff.lessons.complete_slide(slide_id)

    assert lesson.data["module_id"] in {module.id for module in modules}
    assert len(rows) == len(list(csv.DictReader(io.StringIO(text))))
    assert response.question_id in {r["question_id"] for r in responses}
    assert sandbox.world.slides[slide_id].data["title"] == "Async title"
    assert sandbox.world.slide_status[(staff_id, slide_id)] == "completed"


async def test_async_challenge_methods(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    stored = next(iter(sandbox.world.submissions.values()))
    challenge_id = stored.challenge_id

    challenge = await async_staff.challenges.get(challenge_id)
    users = await async_staff.challenges.list_users(challenge_id)
    listed = await async_staff.challenges.list_submissions(challenge_id, stored.user_id)
    detail = await async_staff.challenges.get_submission(stored.id)
    text = await async_staff.challenges.export_results(challenge_id)
    await async_staff.challenges.update(challenge_id, settings={"run_command": "make"})

    data = sandbox.world.challenges[challenge_id].data
    assert challenge.content == data["content"]
    assert stored.user_id in {user["id"] for user in users}
    assert stored.id in {submission.id for submission in listed}
    assert detail.id == stored.id
    assert text.startswith("user_id,")
    assert data["settings"]["run_command"] == "make"
    assert data["features"] == challenge.features
