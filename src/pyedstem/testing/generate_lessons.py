"""Generation of lessons, slides, quizzes, challenges and resources.

Lessons, slides, questions and challenges are stored as Ed JSON objects with
the key sets of Ed's responses, so the routes can return them with only the
per-user fields (``status``, progress) filled in.
"""

from __future__ import annotations

import random

from pyedstem.testing._text import build_body, escape
from pyedstem.testing._time import MICROS_PER_SECOND
from pyedstem.testing.world import (
    Attempt,
    Challenge,
    Course,
    JSONObject,
    Lesson,
    LessonProgress,
    Module,
    Question,
    QuizResponse,
    Slide,
    Submission,
    World,
)

DAY = 86_400 * MICROS_PER_SECOND

_LESSON_TITLES = (
    ("Getting started", "Variables and types", "Control flow"),
    ("Functions", "Collections", "Files and errors"),
    ("Objects", "Testing", "Putting it together"),
)

_QUESTIONS = (
    ("What does <code>len([1, 2, 3])</code> return?", ["2", "3", "4"], [1]),
    ("Which of these are immutable?", ["list", "tuple", "str"], [1, 2]),
    ("What is the worst-case cost of a binary search?", ["O(n)", "O(log n)"], [1]),
    ("Which keyword defines a function?", ["func", "def", "lambda"], [1]),
)


class IdSequence:
    """Increasing ids with small random gaps, like Ed's sequences."""

    def __init__(self, rng: random.Random, start: int) -> None:
        self.rng = rng
        self.value = start

    def next(self) -> int:
        self.value += self.rng.randint(1, 5)
        return self.value


def _xml(text: str) -> str:
    return f'<document version="2.0"><paragraph>{text}</paragraph></document>'


def lesson_json(
    lesson_id: int,
    course: Course,
    module_id: int | None,
    user_id: int,
    title: str,
    available_at: int | None,
    created_at: int,
) -> JSONObject:
    """Build a lesson object with the key set of ``GET /courses/{c}/lessons``."""
    due = None if available_at is None else available_at + 7 * DAY
    return {
        "id": lesson_id,
        "course_id": course.id,
        "module_id": module_id,
        "user_id": user_id,
        "original_id": None,
        "title": title,
        "number": -1,
        "index": None,
        "type": "general",
        "kind": "content",
        "state": "active",
        "outline": _xml(f"In this lesson: {escape(title.lower())}."),
        "openable": True,
        "openable_without_attempt": False,
        "is_hidden": False,
        "is_unlisted": False,
        "is_timed": False,
        "timer_duration": 60,
        "timer_effective_duration": 60,
        "timer_expiration_access": False,
        "password": "",
        "tutorial_regex": "",
        "prerequisites": [],
        "available_at": available_at,
        "due_at": due,
        "locked_at": None,
        "solutions_at": due,
        "late_submissions": True,
        "reopen_submissions": False,
        "release_challenge_feedback": False,
        "release_challenge_feedback_while_active": False,
        "release_challenge_solutions": False,
        "release_challenge_solutions_while_active": False,
        "release_quiz_correctness_only": False,
        "release_quiz_solutions": False,
        "grade_passback_auto_send": False,
        "grade_passback_mode": "",
        "grade_passback_scale_to": None,
        "require_user_override": False,
        "attempts": None,
        "settings": {
            "quiz_question_number_style": "",
            "quiz_mode": "multiple-attempts",
            "quiz_active_status": "active",
        },
        "slide_count": 0,
        "created_at": created_at,
        "updated_at": None,
    }


def slide_json(
    slide_id: int,
    lesson: Lesson,
    user_id: int,
    kind: str,
    title: str,
    index: int,
    created_at: int,
) -> JSONObject:
    """Build a slide object; ``content`` and friends are filled by the caller."""
    return {
        "id": slide_id,
        "lesson_id": lesson.id,
        "course_id": lesson.course_id,
        "user_id": user_id,
        "original_id": None,
        "type": kind,
        "title": title,
        "index": index,
        "is_hidden": False,
        "content": "",
        "passage": "",
        "points": 0,
        "auto_points": 0,
        "rubric_points": 0,
        "challenge_id": None,
        "file_url": None,
        "video_url": None,
        "url": None,
        "html": None,
        "is_survey": False,
        "mode": "",
        "active_status": "active",
        "correct": None,
        "response": None,
        "created_at": created_at,
        "updated_at": None,
    }


def challenge_json(challenge: Challenge, title: str, created_at: int) -> JSONObject:
    """Build a challenge object with the key set of ``GET /challenges/{ch}``."""
    return {
        "id": challenge.id,
        "course_id": challenge.course_id,
        "lesson_id": challenge.lesson_id,
        "slide_id": challenge.slide_id,
        "type": "code",
        "content": _xml(f"Write a function for: {escape(title.lower())}."),
        "explanation": _xml("Compare your loop bounds with the model solution."),
        "rubric_id": None,
        "rubric_points": 0,
        "auto_points": 10,
        "attempts_within_last_interval": 0,
        "scaffold_hash": f"{challenge.id:x}a1:::scaffold",
        "solution_hash": f"{challenge.id:x}b2:::solution",
        "testbase_hash": f"{challenge.id:x}c3:::testbase",
        "check_hash": "",
        "features": {
            "run": True,
            "check": False,
            "mark": True,
            "terminal": True,
            "connect": False,
            "full": False,
            "feedback": True,
            "manual_completion": False,
            "anonymous_submissions": False,
            "arguments": False,
            "confirm_submit": False,
            "run_before_submit": False,
            "git_submission": False,
            "editor": True,
            "remote_desktop": False,
            "intermediate_files": False,
        },
        "settings": {
            "build_command": "",
            "check_command": "",
            "run_command": "python3 main.py",
            "terminal_command": "",
            "only_git_submission": False,
            "attempt_limit_interval": 0,
            "allow_submit_after_marking_limit": False,
            "max_submissions_per_interval": 0,
            "max_submissions_with_intermediate_files": 0,
            "passback": {
                "max_automatic_score": None,
                "scale_to": None,
                "scoring_mode": "",
            },
            "per_testcase_scores": True,
            "criteria": [
                {
                    "name": "Style",
                    "levels": [
                        {"mark": "0", "description": "Hard to read"},
                        {"mark": "1", "description": "Clear"},
                    ],
                }
            ],
        },
        "tickets": {
            "run_standard": {
                "run_command": "python3 main.py",
                "test_command": "",
                "build_command": "",
            },
            "mark_standard": {
                "build_command": "",
                "run_command": "python3 main.py",
                "testcases": [
                    {"name": f"Test {n}", "hidden": n == 3, "max_score": 1}
                    for n in (1, 2, 3)
                ],
                "easy": True,
                "mark_all": True,
                "run_limit": {"cpu_time": 2000, "wall_time": 5000, "pty": False},
                "overlay": False,
            },
        },
        "created_at": created_at,
    }


def _submission(
    ids: IdSequence, rng: random.Random, challenge: Challenge, user_id: int, at: int
) -> Submission:
    passed = rng.randint(0, 3)
    submission_id = ids.next()
    testcases = [
        {"name": f"Test {n}", "passed": n <= passed, "score": 1 if n <= passed else 0}
        for n in (1, 2, 3)
    ]
    data: JSONObject = {
        "id": submission_id,
        "challenge_id": challenge.id,
        "user_id": user_id,
        "status": "completed",
        "is_completed": passed == 3,
        "testcase_pass_count": passed,
        "testcase_total_count": 3,
        "feedback_provided": False,
        "lesson_mark_id": None,
        "score": passed,
        "created_at": at,
        "marked_at": at + 20 * MICROS_PER_SECOND,
        "feedback": None,
        "result": {"testcases": testcases},
    }
    return Submission(submission_id, challenge.id, user_id, data)


def add_course_content(
    world: World,
    rng: random.Random,
    ids: IdSequence,
    course: Course,
    staff: list[int],
    students: list[int],
) -> None:
    """Add modules, lessons, slides, quizzes, challenges and resources."""
    author = staff[0]
    module_count = 3 if course.status == "active" else 1
    for module_index in range(module_count):
        module = Module(
            id=ids.next(),
            course_id=course.id,
            user_id=author,
            name=f"Weeks {module_index * 4 + 1}-{module_index * 4 + 4}",
            created_at=course.created_at + DAY,
        )
        world.modules[module.id] = module
        for lesson_index, title in enumerate(_LESSON_TITLES[module_index]):
            week = module_index * 4 + lesson_index + 1
            available = course.created_at + week * 7 * DAY
            lesson = Lesson(ids.next(), course.id, {})
            lesson.data = lesson_json(
                lesson.id,
                course,
                module.id,
                author,
                title,
                available,
                course.created_at + 2 * DAY,
            )
            if available > world.now:
                lesson.data["state"] = "scheduled"
                lesson.data["is_hidden"] = True
            world.lessons[lesson.id] = lesson
            _add_slides(world, rng, ids, course, lesson, author, students)
    _add_resources(world, rng, ids, course)


def _add_slides(
    world: World,
    rng: random.Random,
    ids: IdSequence,
    course: Course,
    lesson: Lesson,
    author: int,
    students: list[int],
) -> None:
    created = lesson.data["created_at"]
    title = lesson.data["title"]
    kinds = ["document", "quiz", "code"]
    if rng.random() < 0.4:
        kinds.insert(1, "video")
    for index, kind in enumerate(kinds, start=1):
        slide = Slide(ids.next(), lesson.id, course.id, {})
        slide.data = slide_json(
            slide.id, lesson, author, kind, f"{title}: {kind}", index, created
        )
        if kind == "document":
            slide.data["content"] = build_body("announcement", slide.id)[0]
        elif kind == "video":
            slide.data["video_url"] = f"https://video.example.edu/embed/{slide.id}"
        elif kind == "quiz":
            slide.data["passage"] = _xml("Answer every question below.")
            _add_questions(world, rng, ids, slide)
        else:
            challenge = Challenge(ids.next(), course.id, lesson.id, slide.id, {})
            challenge.data = challenge_json(challenge, title, created)
            slide.data["challenge_id"] = challenge.id
            slide.data["content"] = challenge.data["content"]
            slide.data["auto_points"] = 10
            world.challenges[challenge.id] = challenge
        world.slides[slide.id] = slide
        lesson.slide_ids.append(slide.id)
    lesson.data["slide_count"] = len(lesson.slide_ids)
    _add_progress(world, rng, ids, lesson, students)


def _add_questions(
    world: World, rng: random.Random, ids: IdSequence, slide: Slide
) -> None:
    chosen = rng.sample(range(len(_QUESTIONS)), 2)
    for index, which in enumerate(chosen, start=1):
        text, answers, solution = _QUESTIONS[which]
        question = Question(ids.next(), slide.id, {})
        question.data = {
            "id": question.id,
            "lesson_slide_id": slide.id,
            "index": index,
            "auto_points": 1,
            "lesson_markable_id": ids.next(),
            "rubric_id": None,
            "data": {
                "type": "multiple-choice",
                "content": _xml(text),
                "answers": [_xml(escape(answer)) for answer in answers],
                "explanation": _xml("Check the lecture notes for this week."),
                "solution": solution,
                "multiple_selection": len(solution) > 1,
                "assessed": True,
                "formatted": True,
            },
        }
        world.questions[question.id] = question
        slide.question_ids.append(question.id)


def _add_progress(
    world: World,
    rng: random.Random,
    ids: IdSequence,
    lesson: Lesson,
    students: list[int],
) -> None:
    """Give most students some progress, answers and submissions."""
    if lesson.data["state"] != "active":
        return
    opened = lesson.data["available_at"] or lesson.data["created_at"]
    for user_id in students:
        if rng.random() < 0.25:
            continue
        first = opened + rng.randint(1, 72) * 3600 * MICROS_PER_SECOND
        first = min(first, world.now - DAY)
        done = rng.randint(1, len(lesson.slide_ids))
        attempt = Attempt(ids.next(), lesson.id, user_id, first, None)
        world.attempts[attempt.id] = attempt
        world.lesson_progress[(user_id, lesson.id)] = LessonProgress(
            first_viewed_at=first,
            last_viewed_slide_id=lesson.slide_ids[done - 1],
            attempted_at=first,
        )
        for slide_id in lesson.slide_ids[:done]:
            world.slide_status[(user_id, slide_id)] = "completed"
            slide = world.slides[slide_id]
            at = first + rng.randint(60, 3600) * MICROS_PER_SECOND
            for question_id in slide.question_ids:
                question = world.questions[question_id]
                solution = question.data["data"]["solution"]
                choice = solution if rng.random() < 0.7 else [0]
                world.responses.append(
                    QuizResponse(
                        question_id,
                        slide_id,
                        user_id,
                        list(choice),
                        choice == solution,
                        at,
                        attempt.id,
                        ids.next(),
                    )
                )
            challenge_id = slide.data["challenge_id"]
            if challenge_id is not None:
                challenge = world.challenges[challenge_id]
                for _ in range(rng.randint(1, 3)):
                    at += rng.randint(60, 900) * MICROS_PER_SECOND
                    submission = _submission(ids, rng, challenge, user_id, at)
                    world.submissions[submission.id] = submission
        if done == len(lesson.slide_ids):
            attempt.submitted_at = first + DAY


def _add_resources(
    world: World, rng: random.Random, ids: IdSequence, course: Course
) -> None:
    resources = []
    for week in range(1, 5):
        created = course.created_at + week * 7 * DAY + rng.randrange(DAY)
        resources.append(
            {
                "id": ids.next(),
                "course_id": course.id,
                "name": f"lecture-notes-week-{week}",
                "session": "",
                "category": "Lecture Notes",
                "extension": ".pdf",
                "link": None,
                "size": rng.randint(200_000, 3_000_000),
                "staff_only": False,
                "embedding": False,
                "release_at": created + 3600 * MICROS_PER_SECOND,
                "created_at": created,
                "updated_at": None,
            }
        )
    resources.append(
        {
            "id": ids.next(),
            "course_id": course.id,
            "name": "Style guide",
            "session": "",
            "category": "Links",
            "extension": "",
            "link": "https://example.edu/style-guide",
            "size": 0,
            "staff_only": False,
            "embedding": False,
            "release_at": None,
            "created_at": course.created_at + DAY,
            "updated_at": None,
        }
    )
    resources.append(
        {
            "id": ids.next(),
            "course_id": course.id,
            "name": "marking-guide",
            "session": "",
            "category": "Staff",
            "extension": ".pdf",
            "link": None,
            "size": 88_000,
            "staff_only": True,
            "embedding": False,
            "release_at": None,
            "created_at": course.created_at + DAY,
            "updated_at": None,
        }
    )
    world.resources[course.id] = resources
