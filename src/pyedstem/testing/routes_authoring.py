"""Authoring routes: create lessons and slides, copy and delete slides, submit all.

Ed names every new lesson "Untitled Lesson" and hides it, whatever the body
contains, so clients set the title with a ``PUT`` afterwards. The sandbox
does the same.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping

from pyedstem.testing import generate_lessons
from pyedstem.testing.router import (
    Context,
    Reply,
    Router,
    bad_request,
    empty,
    not_found,
)
from pyedstem.testing.routes_lessons import (
    find_lesson,
    find_slide,
    lesson_json,
    slide_json,
)
from pyedstem.testing.world import Challenge, Lesson, Slide, Submission

router = Router()

SLIDE_TYPES = (
    "document",
    "pdf",
    "video",
    "quiz",
    "code",
    "jupyter",
    "rstudio",
    "postgres",
    "web",
    "karel",
    "webpage",
    "html",
    "codecast",
    "workspace-partition",
)


def _next_id(*tables: Mapping[int, object]) -> int:
    return max((max(table, default=0) for table in tables), default=0) + 1


@router.add("POST", "/courses/{course_id}/lessons")
def create_lesson(ctx: Context) -> Reply:
    course, _ = ctx.staff_course(ctx.params["course_id"])
    world = ctx.state.world
    now = ctx.state.now()
    lesson = Lesson(_next_id(world.lessons), course.id, {})
    lesson.data = generate_lessons.lesson_json(
        lesson.id, course, None, ctx.user_id, "Untitled Lesson", None, now
    )
    lesson.data["is_hidden"] = True
    world.lessons[lesson.id] = lesson
    return Reply(body={"lesson": lesson_json(ctx, lesson, ctx.user_id, slides=True)})


def _add_slide(ctx: Context, lesson: Lesson, slide: Slide) -> None:
    world = ctx.state.world
    slide.data["index"] = len(lesson.slide_ids) + 1
    world.slides[slide.id] = slide
    lesson.slide_ids.append(slide.id)
    lesson.data["slide_count"] = len(lesson.slide_ids)
    lesson.data["updated_at"] = ctx.state.now()


@router.add("POST", "/lessons/{lesson_id}/slides")
def create_slide(ctx: Context) -> Reply:
    # NOTE: one client creates slides with this route, while another reports
    # that Ed has none and copies a template slide instead; the sandbox serves
    # both.
    lesson = find_lesson(ctx, ctx.params["lesson_id"])
    ctx.staff_course(lesson.course_id)
    part = next((p for p in ctx.request.form() if p.name == "slide"), None)
    if part is None:
        raise bad_request("Missing slide", "missing_slide")
    try:
        body = json.loads(part.text)
    except json.JSONDecodeError as error:
        raise bad_request(f"Invalid slide JSON: {error}", "invalid_slide") from None
    kind = body.get("type") if isinstance(body, dict) else None
    if kind not in SLIDE_TYPES:
        raise bad_request(f"Invalid slide type {kind!r}", "invalid_slide")

    world = ctx.state.world
    now = ctx.state.now()
    slide = Slide(_next_id(world.slides), lesson.id, lesson.course_id, {})
    slide.data = generate_lessons.slide_json(
        slide.id, lesson, ctx.user_id, kind, "", 0, now
    )
    slide.data["is_hidden"] = bool(body.get("is_hidden", False))
    if kind == "code":
        challenge = Challenge(
            _next_id(world.challenges), lesson.course_id, lesson.id, slide.id, {}
        )
        challenge.data = generate_lessons.challenge_json(
            challenge, "a new challenge", now
        )
        world.challenges[challenge.id] = challenge
        slide.data["challenge_id"] = challenge.id
    _add_slide(ctx, lesson, slide)
    return Reply(body={"slide": slide_json(ctx, slide, ctx.user_id)})


@router.add("POST", "/lessons/slides/{slide_id}/clone")
def clone_slide(ctx: Context) -> Reply:
    original, source_lesson = find_slide(ctx, ctx.params["slide_id"])
    ctx.staff_course(source_lesson.course_id)
    body = ctx.request.json()
    target_id = body.get("lesson_id") if isinstance(body, dict) else None
    if not isinstance(target_id, int) or isinstance(target_id, bool):
        raise bad_request("Missing lesson_id: expected the id of the target lesson")
    target = find_lesson(ctx, target_id)
    ctx.staff_course(target.course_id)

    world = ctx.state.world
    slide = Slide(_next_id(world.slides), target.id, target.course_id, {})
    slide.data = copy.deepcopy(original.data)
    slide.data.update(
        id=slide.id,
        lesson_id=target.id,
        course_id=target.course_id,
        original_id=original.id,
        user_id=ctx.user_id,
        is_hidden=bool(body.get("is_hidden", False)),
        created_at=ctx.state.now(),
        updated_at=None,
    )

    slide.question_ids = []
    for question_id in original.question_ids:
        question = copy.deepcopy(world.questions[question_id])
        question.id = _next_id(world.questions)
        question.slide_id = slide.id
        question.data.update(id=question.id, lesson_slide_id=slide.id)
        world.questions[question.id] = question
        slide.question_ids.append(question.id)
    _add_slide(ctx, target, slide)
    return Reply(body={"slide": slide_json(ctx, slide, ctx.user_id)})


@router.add("DELETE", "/lessons/slides/{slide_id}")
def delete_slide(ctx: Context) -> Reply:
    slide, lesson = find_slide(ctx, ctx.params["slide_id"])
    ctx.staff_course(lesson.course_id)
    world = ctx.state.world
    lesson.slide_ids.remove(slide.id)
    del world.slides[slide.id]
    for index, slide_id in enumerate(lesson.slide_ids, start=1):
        world.slides[slide_id].data["index"] = index
    lesson.data["slide_count"] = len(lesson.slide_ids)
    return empty(200)


@router.add("POST", "/challenges/{challenge_id}/submit_all")
def submit_all(ctx: Context) -> Reply:
    challenge = ctx.state.world.challenges.get(ctx.params["challenge_id"])
    if challenge is None:
        raise not_found("Challenge")
    ctx.staff_course(challenge.course_id)
    # NOTE: Ed's reply, and which workspaces it submits, are not documented.
    # The sandbox counts a student with a submission as having a workspace,
    # submits a copy of that student's latest submission, and replies with
    # an empty 200.
    world = ctx.state.world
    latest: dict[int, Submission] = {}
    for submission in world.submissions.values():
        if submission.challenge_id != challenge.id:
            continue
        if ctx.state.is_staff(submission.user_id, challenge.course_id):
            continue
        previous = latest.get(submission.user_id)
        if previous is None or _submitted_later(submission, previous):
            latest[submission.user_id] = submission
    now = ctx.state.now()
    for user_id in sorted(latest):
        submission_id = _next_id(world.submissions)
        data = copy.deepcopy(latest[user_id].data)
        data.update(
            id=submission_id,
            created_at=now,
            marked_at=now,
            feedback=None,
            feedback_provided=False,
            lesson_mark_id=None,
        )
        world.submissions[submission_id] = Submission(
            submission_id, challenge.id, user_id, data
        )
    return empty(200)


def _submitted_later(submission: Submission, other: Submission) -> bool:
    return (submission.data["created_at"], submission.id) > (
        other.data["created_at"],
        other.id,
    )
