"""Lesson routes: lessons, modules, slides, quizzes, progress and results.

Reads without ``view=1`` change nothing. With ``view=1``, ``GET /lessons/{l}``
and ``GET /lessons/slides/{s}`` record the caller's progress: the lesson gets
``first_viewed_at``/``attempted_at`` and its ``last_viewed_slide_id``, and a
viewed document slide counts as completed.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pyedstem.testing._time import format_timestamp
from pyedstem.testing.render import with_times
from pyedstem.testing.router import (
    Context,
    Reply,
    Router,
    bad_request,
    empty,
    forbidden,
    not_found,
)
from pyedstem.testing.world import (
    Attempt,
    JSONObject,
    Lesson,
    LessonProgress,
    QuizResponse,
    Slide,
)

router = Router()

_FIXED_LESSON_KEYS = frozenset(
    {"id", "course_id", "slides", "slide_count", "created_at"}
)
_FIXED_SLIDE_KEYS = frozenset({"id", "lesson_id", "course_id", "status", "created_at"})


def find_lesson(ctx: Context, lesson_id: int) -> Lesson:
    """Return a lesson the caller may see (hidden lessons: staff only).

    Raises:
        ApiError: 404 if it is missing or hidden, 403 if the caller is not in
            the course.
    """
    lesson = ctx.state.world.lessons.get(lesson_id)
    if lesson is None:
        raise not_found("Lesson")
    _, enrollment = ctx.course(lesson.course_id)
    if lesson.data.get("is_hidden") and not enrollment.is_staff:
        raise not_found("Lesson")
    return lesson


def find_slide(ctx: Context, slide_id: int) -> tuple[Slide, Lesson]:
    """Return a slide the caller may see, with its lesson (see :func:`find_lesson`)."""
    slide = ctx.state.world.slides.get(slide_id)
    if slide is None:
        raise not_found("Slide")
    lesson = find_lesson(ctx, slide.lesson_id)
    if slide.data.get("is_hidden") and not ctx.is_staff(lesson.course_id):
        raise not_found("Slide")
    return slide, lesson


def slide_json(ctx: Context, slide: Slide, user_id: int) -> JSONObject:
    """Render a slide with the user's ``status``."""
    data = with_times(slide.data)
    data["status"] = ctx.state.world.slide_status.get((user_id, slide.id), "unseen")
    return data


def _progress_fields(ctx: Context, lesson: Lesson, user_id: int) -> JSONObject:
    """Return the user's ``status``, view times and attempt of a lesson."""
    world = ctx.state.world
    progress = world.lesson_progress.get((user_id, lesson.id))
    done = sum(
        1
        for slide_id in lesson.slide_ids
        if world.slide_status.get((user_id, slide_id)) == "completed"
    )
    if progress is None:
        return {
            "status": "unattempted",
            "first_viewed_at": None,
            "attempted_at": None,
            "last_viewed_slide_id": None,
            "attempt_id": None,
        }

    attempts = [
        attempt.id
        for attempt in world.attempts.values()
        if attempt.lesson_id == lesson.id and attempt.user_id == user_id
    ]
    attempted_at = progress.attempted_at
    return {
        "status": "completed" if done == len(lesson.slide_ids) else "attempted",
        "first_viewed_at": format_timestamp(progress.first_viewed_at),
        "attempted_at": format_timestamp(attempted_at) if attempted_at else None,
        "last_viewed_slide_id": progress.last_viewed_slide_id,
        "attempt_id": attempts[-1] if attempts else None,
    }


def lesson_json(
    ctx: Context, lesson: Lesson, user_id: int, *, slides: bool
) -> JSONObject:
    """Render a lesson with the user's progress, and its slides when asked."""
    data = with_times(lesson.data)
    data.update(_progress_fields(ctx, lesson, user_id))
    for key in ("available_at", "due_at", "locked_at", "solutions_at"):
        data[f"effective_{key}"] = data.get(key)
    data["attempts_remaining"] = None

    staff = ctx.is_staff(lesson.course_id)
    all_slides = [ctx.state.world.slides[slide_id] for slide_id in lesson.slide_ids]
    visible = [
        slide for slide in all_slides if staff or not slide.data.get("is_hidden")
    ]
    data["slide_count"] = len(visible)
    data["slides"] = []
    if slides:
        data["slides"] = [slide_json(ctx, slide, user_id) for slide in visible]
    return data


def _attempt_for(ctx: Context, lesson: Lesson) -> Attempt:
    """Return the caller's latest attempt at the lesson, starting one if needed."""
    world = ctx.state.world
    for attempt in reversed(world.attempts.values()):
        if attempt.lesson_id == lesson.id and attempt.user_id == ctx.user_id:
            return attempt
    attempt_id = max(world.attempts, default=0) + 1
    attempt = Attempt(attempt_id, lesson.id, ctx.user_id, ctx.state.now(), None)
    world.attempts[attempt_id] = attempt
    return attempt


def _record_view(ctx: Context, lesson: Lesson, slide: Slide | None) -> None:
    world = ctx.state.world
    now = ctx.state.now()
    key = (ctx.user_id, lesson.id)
    progress = world.lesson_progress.get(key)
    if progress is None:
        progress = LessonProgress(first_viewed_at=now, attempted_at=now)
        world.lesson_progress[key] = progress
    if slide is not None:
        progress.last_viewed_slide_id = slide.id
        status_key = (ctx.user_id, slide.id)
        if slide.data["type"] in ("document", "video", "pdf", "webpage", "html"):
            world.slide_status[status_key] = "completed"
        else:
            world.slide_status.setdefault(status_key, "attempted")


@router.add("GET", "/courses/{course_id}/lessons")
def list_lessons(ctx: Context) -> Reply:
    course, enrollment = ctx.course(ctx.params["course_id"])
    world = ctx.state.world
    lessons = [
        lesson_json(ctx, lesson, ctx.user_id, slides=False)
        for lesson in world.lessons.values()
        if lesson.course_id == course.id
        and (enrollment.is_staff or not lesson.data["is_hidden"])
    ]
    modules = [
        {
            "id": module.id,
            "course_id": module.course_id,
            "user_id": module.user_id,
            "name": module.name,
            "created_at": format_timestamp(module.created_at),
            "updated_at": None,
        }
        for module in world.modules.values()
        if module.course_id == course.id
    ]
    return Reply(body={"lessons": lessons, "modules": modules})


@router.add("GET", "/lessons/{lesson_id}")
def get_lesson(ctx: Context) -> Reply:
    lesson = find_lesson(ctx, ctx.params["lesson_id"])
    if ctx.request.flag("view"):
        _record_view(ctx, lesson, None)
    return Reply(body={"lesson": lesson_json(ctx, lesson, ctx.user_id, slides=True)})


@router.add("PUT", "/lessons/{lesson_id}")
def update_lesson(ctx: Context) -> Reply:
    lesson = find_lesson(ctx, ctx.params["lesson_id"])
    ctx.staff_course(lesson.course_id)
    body = ctx.request.json_object("lesson")
    for key, value in body.items():
        if key not in _FIXED_LESSON_KEYS and key in lesson.data:
            lesson.data[key] = value
    lesson.data["updated_at"] = ctx.state.now()
    return Reply(body={"lesson": lesson_json(ctx, lesson, ctx.user_id, slides=True)})


@router.add("GET", "/lessons/{lesson_id}/slides")
def list_slides(ctx: Context) -> Reply:
    lesson = find_lesson(ctx, ctx.params["lesson_id"])
    data = lesson_json(ctx, lesson, ctx.user_id, slides=True)
    return Reply(body={"slides": data["slides"]})


@router.add("GET", "/lessons/slides/{slide_id}")
def get_slide(ctx: Context) -> Reply:
    slide, lesson = find_slide(ctx, ctx.params["slide_id"])
    if ctx.request.flag("view"):
        _record_view(ctx, lesson, slide)
    return Reply(body={"slide": slide_json(ctx, slide, ctx.user_id)})


@router.add("PUT", "/lessons/slides/{slide_id}")
def update_slide(ctx: Context) -> Reply:
    slide, lesson = find_slide(ctx, ctx.params["slide_id"])
    ctx.staff_course(lesson.course_id)
    # Ed takes the slide as a form field (urlencoded or multipart), not JSON.
    part = next((p for p in ctx.request.form() if p.name == "slide"), None)
    if part is None:
        raise bad_request("Missing slide", "missing_slide")
    try:
        body = json.loads(part.text)
    except json.JSONDecodeError as error:
        raise bad_request(f"Invalid slide JSON: {error}", "invalid_slide") from None
    if not isinstance(body, dict):
        raise bad_request("Invalid slide: expected a JSON object", "invalid_slide")
    for key, value in body.items():
        if key not in _FIXED_SLIDE_KEYS and key in slide.data:
            slide.data[key] = value
    slide.data["updated_at"] = ctx.state.now()
    return Reply(body={"slide": slide_json(ctx, slide, ctx.user_id)})


@router.add("PUT", "/lessons/slides/{slide_id}/complete")
def complete_slide(ctx: Context) -> Reply:
    slide, lesson = find_slide(ctx, ctx.params["slide_id"])
    _record_view(ctx, lesson, slide)
    ctx.state.world.slide_status[(ctx.user_id, slide.id)] = "completed"
    return empty()


def _question_json(
    ctx: Context, question_data: JSONObject, lesson: Lesson
) -> JSONObject:
    data = with_times(question_data)
    released = lesson.data.get("release_quiz_solutions", False)
    if not released and not ctx.is_staff(lesson.course_id):
        data["data"] = dict(data["data"], solution=[])
    return data


@router.add("GET", "/lessons/slides/{slide_id}/questions")
def list_questions(ctx: Context) -> Reply:
    slide, lesson = find_slide(ctx, ctx.params["slide_id"])
    questions = [
        _question_json(ctx, ctx.state.world.questions[qid].data, lesson)
        for qid in slide.question_ids
    ]
    return Reply(body={"questions": questions})


def response_json(response: QuizResponse) -> JSONObject:
    """Render one quiz response."""
    return {
        "question_id": response.question_id,
        "user_id": response.user_id,
        "data": list(response.data),
        "correct": response.correct,
        "created_at": format_timestamp(response.created_at),
    }


@router.add("GET", "/lessons/slides/{slide_id}/questions/responses")
def list_responses(ctx: Context) -> Reply:
    slide, lesson = find_slide(ctx, ctx.params["slide_id"])
    user_id = ctx.request.int_param("user_id", ctx.user_id) or ctx.user_id
    if user_id != ctx.user_id and not ctx.is_staff(lesson.course_id):
        raise forbidden("Only course staff can read other users' responses")
    responses = [
        response_json(r)
        for r in ctx.state.world.responses
        if r.slide_id == slide.id and r.user_id == user_id
    ]
    return Reply(body={"responses": responses})


@router.add("POST", "/lessons/slides/questions/{question_id}/responses")
def answer_question(ctx: Context) -> Reply:
    world = ctx.state.world
    question = world.questions.get(ctx.params["question_id"])
    if question is None:
        raise not_found("Question")
    slide, lesson = find_slide(ctx, question.slide_id)
    choice = ctx.request.json()
    if not isinstance(choice, list) or not all(isinstance(c, int) for c in choice):
        raise bad_request("Invalid response: expected a JSON array of choice indexes")

    # A second answer needs amend=1, as on Ed; it replaces the first.
    existing = [
        response
        for response in world.responses
        if response.question_id == question.id and response.user_id == ctx.user_id
    ]
    if existing and not ctx.request.flag("amend"):
        raise bad_request("Question already answered; send amend=1 to change it")
    for old in existing:
        world.responses.remove(old)
    solution = question.data["data"]["solution"]
    correct = choice == solution
    world.responses.append(
        QuizResponse(
            question.id,
            slide.id,
            ctx.user_id,
            list(choice),
            correct,
            ctx.state.now(),
            0,
            0,
        )
    )

    answered = {r.question_id for r in world.responses if r.user_id == ctx.user_id}
    completed = all(qid in answered for qid in slide.question_ids)
    if completed:
        world.slide_status[(ctx.user_id, slide.id)] = "completed"
    _record_view(ctx, lesson, slide)
    return Reply(
        body={
            "correct": correct,
            "explanation": question.data["data"]["explanation"],
            "solution": solution,
            "slide_completed": completed,
        }
    )


@router.add("GET", "/lessons/slides/{slide_id}/results")
def slide_results(ctx: Context) -> Reply:
    slide, lesson = find_slide(ctx, ctx.params["slide_id"])
    ctx.staff_course(lesson.course_id)
    world = ctx.state.world
    questions = [
        {"id": qid, "data": {"content": world.questions[qid].data["data"]["content"]}}
        for qid in slide.question_ids
    ]
    responses = [
        {
            "question_id": r.question_id,
            "user_id": r.user_id,
            "user_name": ctx.state.users[r.user_id].name,
            "data": list(r.data),
        }
        for r in world.responses
        if r.slide_id == slide.id
    ]
    return Reply(body={"results": {"questions": questions, "responses": responses}})


def _result_rows(ctx: Context, lesson: Lesson) -> list[JSONObject]:
    world = ctx.state.world
    # Clients disagree on the parameter name, so both spellings are accepted.
    requested = ctx.request.int_param("user_id") or ctx.request.int_param("userId")
    rows = []
    for member in ctx.state.members(lesson.course_id):
        if member.role != "student":
            continue
        if requested is not None and member.user_id != requested:
            continue
        user = ctx.state.users[member.user_id]
        slides = []
        for slide_id in lesson.slide_ids:
            status = world.slide_status.get((user.id, slide_id), "unseen")
            correct = sum(
                1
                for r in world.responses
                if r.slide_id == slide_id and r.user_id == user.id and r.correct
            )
            slides.append(
                {
                    "slide_id": slide_id,
                    "status": status,
                    "completed": status == "completed",
                    "score": correct,
                }
            )
        rows.append(
            {
                "user_id": user.id,
                "name": user.name,
                "email": user.email,
                "completed_slides": sum(1 for s in slides if s["completed"]),
                "total_slides": len(slides),
                "slides": slides,
            }
        )
    return rows


@router.add("GET", "/lessons/{lesson_id}/results")
def lesson_results(ctx: Context) -> Reply:
    lesson = find_lesson(ctx, ctx.params["lesson_id"])
    ctx.staff_course(lesson.course_id)
    rows = _result_rows(ctx, lesson)
    limit = ctx.request.int_param("limit")
    if limit is not None and limit > 0:
        rows = rows[:limit]
    return Reply(body=rows)


@router.add("POST", "/lessons/{lesson_id}/results.csv")
def lesson_results_csv(ctx: Context) -> Reply:
    lesson = find_lesson(ctx, ctx.params["lesson_id"])
    ctx.staff_course(lesson.course_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "user_id",
            "name",
            "email",
            *(f"slide {i}" for i in range(1, len(lesson.slide_ids) + 1)),
            "completed",
        ]
    )
    for row in _result_rows(ctx, lesson):
        marks = [1 if s["completed"] else 0 for s in row["slides"]]
        writer.writerow(
            [row["user_id"], row["name"], row["email"], *marks, row["completed_slides"]]
        )
    return Reply(
        body=buffer.getvalue().encode(), content_type="text/csv; charset=utf-8"
    )


@router.add("GET", "/lessons/{lesson_id}/activity")
def lesson_activity(ctx: Context) -> Reply:
    lesson = find_lesson(ctx, ctx.params["lesson_id"])
    ctx.staff_course(lesson.course_id)
    world = ctx.state.world
    activity = []
    for (user_id, lesson_id), progress in world.lesson_progress.items():
        if lesson_id != lesson.id:
            continue
        activity.append(
            {
                "user_id": user_id,
                "first_viewed_at": format_timestamp(progress.first_viewed_at),
                "attempted_at": format_timestamp(progress.attempted_at)
                if progress.attempted_at
                else None,
                "last_viewed_slide_id": progress.last_viewed_slide_id,
                "completed_slides": sum(
                    1
                    for sid in lesson.slide_ids
                    if world.slide_status.get((user_id, sid)) == "completed"
                ),
            }
        )
    return Reply(body={"activity": activity})


@router.add("GET", "/lessons/{lesson_id}/attempts/{user_id}")
def lesson_attempts(ctx: Context) -> Reply:
    lesson = find_lesson(ctx, ctx.params["lesson_id"])
    user_id = ctx.params["user_id"]
    if user_id != ctx.user_id and not ctx.is_staff(lesson.course_id):
        raise forbidden("Only course staff can read other users' attempts")
    attempts = [
        {
            "id": a.id,
            "lesson_id": a.lesson_id,
            "user_id": a.user_id,
            "created_at": format_timestamp(a.created_at),
            "submitted_at": format_timestamp(a.submitted_at)
            if a.submitted_at
            else None,
        }
        for a in ctx.state.world.attempts.values()
        if a.lesson_id == lesson.id and a.user_id == user_id
    ]
    final_id = attempts[-1]["id"] if attempts else None
    return Reply(body={"final_id": final_id, "attempts": attempts})


@router.add("GET", "/attempts/{attempt_id}/quiz_responses/{slide_id}")
def attempt_quiz_responses(ctx: Context) -> Reply:
    world = ctx.state.world
    attempt = world.attempts.get(ctx.params["attempt_id"])
    if attempt is None:
        raise not_found("Attempt")
    slide, lesson = find_slide(ctx, ctx.params["slide_id"])
    if attempt.user_id != ctx.user_id and not ctx.is_staff(lesson.course_id):
        raise forbidden("Only course staff can read other users' responses")
    responses: list[dict[str, Any]] = []
    for r in world.responses:
        if r.attempt_id != attempt.id or r.slide_id != slide.id:
            continue
        entry = response_json(r)
        entry["lesson_mark"] = {"id": r.mark_id, "comment": None}
        responses.append(entry)
    return Reply(body={"responses": responses})
