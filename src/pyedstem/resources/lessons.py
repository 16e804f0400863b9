"""Lessons, slides, quiz questions and results."""

from __future__ import annotations

import builtins
from typing import Any

from .._operation import APIRequest, APIResponse, Operation, check_id, single
from ..errors import InvalidArgumentError
from ..models import LessonDetail, LessonModule, LessonSummary, SlideSummary
from ._base import async_twin_of
from ._parse import get_list, get_object, list_field, object_field
from .lesson_authoring import AsyncLessonAuthoring, LessonAuthoring

__all__ = ["AsyncLessons", "Lessons"]


def get_lesson(lesson_id: int) -> Operation[LessonDetail]:
    """Fetch one lesson with its slides, without recording a view."""
    check_id("lesson_id", lesson_id)
    request = APIRequest("GET", "/lessons/{lesson_id}", {"lesson_id": lesson_id})
    return single(
        request, lambda r: LessonDetail.model_validate(object_field("lesson")(r))
    )


def get_slide(slide_id: int) -> Operation[SlideSummary]:
    """Fetch one slide, without recording a view."""
    check_id("slide_id", slide_id)
    request = APIRequest("GET", "/lessons/slides/{slide_id}", {"slide_id": slide_id})
    return single(
        request, lambda r: SlideSummary.model_validate(object_field("slide")(r))
    )


def list_lessons_and_modules(
    course_id: int,
) -> Operation[tuple[builtins.list[LessonSummary], builtins.list[LessonModule]]]:
    """Fetch a course's lessons and modules in one request."""
    check_id("course_id", course_id)
    response = yield APIRequest(
        "GET", "/courses/{course_id}/lessons", {"course_id": course_id}
    )
    lessons = [LessonSummary.model_validate(x) for x in list_field("lessons")(response)]
    modules = [LessonModule.model_validate(x) for x in list_field("modules")(response)]
    return lessons, modules


def list_lessons(course_id: int) -> Operation[builtins.list[LessonSummary]]:
    """Fetch a course's lessons."""
    lessons, _ = yield from list_lessons_and_modules(course_id)
    return lessons


def list_modules(course_id: int) -> Operation[builtins.list[LessonModule]]:
    """Fetch a course's lesson modules."""
    _, modules = yield from list_lessons_and_modules(course_id)
    return modules


def list_slides(lesson_id: int) -> Operation[builtins.list[SlideSummary]]:
    """Fetch a lesson's slides."""
    rows = yield from get_list(
        "/lessons/{lesson_id}/slides", "slides", lesson_id=lesson_id
    )
    return [SlideSummary.model_validate(row) for row in rows]


def list_results(
    lesson_id: int, *, user_id: int | None, limit: int | None
) -> Operation[builtins.list[dict[str, Any]]]:
    """Fetch a lesson's result rows."""
    check_id("lesson_id", lesson_id)
    if user_id is not None:
        check_id("user_id", user_id)
    if limit is not None and limit < 1:
        raise InvalidArgumentError(f"limit must be 1 or more, got {limit!r}.")
    # NOTE: the parameter names userId and limit come from one client only.
    request = APIRequest(
        "GET",
        "/lessons/{lesson_id}/results",
        {"lesson_id": lesson_id},
        params={"userId": user_id, "limit": limit},
    )
    return single(request, parse_results)


def parse_results(response: APIResponse) -> builtins.list[dict[str, Any]]:
    """Read lesson results, which Ed sends as a bare array or under ``results``."""
    body = response.json()
    if isinstance(body, dict):
        body = body.get("results", [])
    if not isinstance(body, builtins.list):
        raise response.invalid("expected a list of result rows")
    return body


def get_slide_results(slide_id: int) -> Operation[dict[str, Any]]:
    """Fetch a quiz slide's results."""
    return get_object("/lessons/slides/{slide_id}/results", slide_id=slide_id)


def get_slide_questions(slide_id: int) -> Operation[builtins.list[dict[str, Any]]]:
    """Fetch a quiz slide's questions."""
    return get_list(
        "/lessons/slides/{slide_id}/questions", "questions", slide_id=slide_id
    )


def get_activity(lesson_id: int) -> Operation[dict[str, Any]]:
    """Fetch a lesson's activity."""
    return get_object("/lessons/{lesson_id}/activity", lesson_id=lesson_id)


class Lessons(LessonAuthoring):
    """Lessons, slides, quiz questions and results.

    The edit and staff methods come from `LessonAuthoring`.
    """

    def get(self, lesson_id: int) -> LessonDetail:
        """Fetch one lesson with its slides.

        Endpoint: ``GET /lessons/{lesson_id}``. No ``view=1`` is sent, so the
        read records no progress.

        Args:
            lesson_id: Numeric Ed lesson id.

        Returns:
            The lesson with its slides.

        Raises:
            NotFoundError: No such lesson in this region.
        """
        return self._run(get_lesson(lesson_id))

    def get_activity(self, lesson_id: int) -> dict[str, Any]:
        """Fetch a lesson's activity log.

        Endpoint: ``GET /lessons/{lesson_id}/activity``.

        Args:
            lesson_id: Numeric Ed lesson id.

        Returns:
            The raw response body.

        Raises:
            PermissionDeniedError: The token's user is not staff in the course.
        """
        return self._run(get_activity(lesson_id))

    def get_slide(self, slide_id: int) -> SlideSummary:
        """Fetch one slide.

        Endpoint: ``GET /lessons/slides/{slide_id}``.

        Args:
            slide_id: Numeric Ed slide id.

        Returns:
            The slide.

        Raises:
            NotFoundError: No such slide in this region.
        """
        return self._run(get_slide(slide_id))

    def get_slide_questions(self, slide_id: int) -> builtins.list[dict[str, Any]]:
        """Fetch a quiz slide's questions.

        Endpoint: ``GET /lessons/slides/{slide_id}/questions``.

        Args:
            slide_id: Numeric Ed slide id.

        Returns:
            The questions as raw dictionaries.
        """
        return self._run(get_slide_questions(slide_id))

    def get_slide_results(self, slide_id: int) -> dict[str, Any]:
        """Fetch a quiz slide's results: its questions and every response.

        Endpoint: ``GET /lessons/slides/{slide_id}/results``.

        Args:
            slide_id: Numeric Ed slide id.

        Returns:
            The raw ``results`` body: questions and responses.

        Raises:
            PermissionDeniedError: The token's user is not staff in the course.
        """
        return self._run(get_slide_results(slide_id))

    def list(self, course_id: int) -> builtins.list[LessonSummary]:
        """List a course's lessons.

        Endpoint: ``GET /courses/{course_id}/lessons``. Ed leaves ``slides``
        empty here; `get` returns a lesson with its slides.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The lessons, without slides.
        """
        return self._run(list_lessons(course_id))

    def list_modules(self, course_id: int) -> builtins.list[LessonModule]:
        """List a course's lesson modules.

        Endpoint: ``GET /courses/{course_id}/lessons``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The modules.
        """
        return self._run(list_modules(course_id))

    def list_results(
        self, lesson_id: int, *, user_id: int | None = None, limit: int | None = None
    ) -> builtins.list[dict[str, Any]]:
        """Fetch a lesson's result rows, one per student.

        Endpoint: ``GET /lessons/{lesson_id}/results``.

        Args:
            lesson_id: Numeric Ed lesson id.
            user_id: Only this user's results.
            limit: Maximum number of rows.

        Returns:
            One raw dictionary per student.

        Raises:
            PermissionDeniedError: The token's user is not staff in the course.
        """
        return self._run(list_results(lesson_id, user_id=user_id, limit=limit))

    def list_slides(self, lesson_id: int) -> builtins.list[SlideSummary]:
        """List a lesson's slides.

        Endpoint: ``GET /lessons/{lesson_id}/slides``.

        Args:
            lesson_id: Numeric Ed lesson id.

        Returns:
            The slides, in lesson order.
        """
        return self._run(list_slides(lesson_id))


@async_twin_of(Lessons)
class AsyncLessons(AsyncLessonAuthoring):
    async def get(self, lesson_id: int) -> LessonDetail:
        return await self._run(get_lesson(lesson_id))

    async def get_activity(self, lesson_id: int) -> dict[str, Any]:
        return await self._run(get_activity(lesson_id))

    async def get_slide(self, slide_id: int) -> SlideSummary:
        return await self._run(get_slide(slide_id))

    async def get_slide_questions(self, slide_id: int) -> builtins.list[dict[str, Any]]:
        return await self._run(get_slide_questions(slide_id))

    async def get_slide_results(self, slide_id: int) -> dict[str, Any]:
        return await self._run(get_slide_results(slide_id))

    async def list(self, course_id: int) -> builtins.list[LessonSummary]:
        return await self._run(list_lessons(course_id))

    async def list_modules(self, course_id: int) -> builtins.list[LessonModule]:
        return await self._run(list_modules(course_id))

    async def list_results(
        self, lesson_id: int, *, user_id: int | None = None, limit: int | None = None
    ) -> builtins.list[dict[str, Any]]:
        return await self._run(list_results(lesson_id, user_id=user_id, limit=limit))

    async def list_slides(self, lesson_id: int) -> builtins.list[SlideSummary]:
        return await self._run(list_slides(lesson_id))
