"""Staff reads of lesson results: quiz responses, attempts and the CSV export.

`LessonResults` and `AsyncLessonResults` are part of the ``client.lessons``
group, through `LessonAuthoring`.
"""

from __future__ import annotations

import builtins
from typing import Any

from .._operation import APIRequest, Operation, check_id, single
from ..errors import InvalidArgumentError
from ._base import AsyncResource, SyncResource, async_twin_of
from ._parse import get_object, list_field
from .challenges import csv_text

__all__ = ["AsyncLessonResults", "LessonResults"]

RESULT_STRATEGIES = ("latest", "best")


def list_slide_responses(
    slide_id: int, user_id: int | None
) -> Operation[builtins.list[dict[str, Any]]]:
    """Fetch the quiz responses of one user on a slide."""
    check_id("slide_id", slide_id)
    if user_id is not None:
        check_id("user_id", user_id)
    request = APIRequest(
        "GET",
        "/lessons/slides/{slide_id}/questions/responses",
        {"slide_id": slide_id},
        params={"user_id": user_id},
    )
    return single(request, list_field("responses"))


def export_results(lesson_id: int, params: dict[str, Any]) -> Operation[str]:
    """Download a lesson's results as CSV text."""
    check_id("lesson_id", lesson_id)
    if params["strategy"] not in RESULT_STRATEGIES:
        raise InvalidArgumentError(
            f"strategy must be one of {', '.join(RESULT_STRATEGIES)}, "
            f"got {params['strategy']!r}."
        )
    request = APIRequest(
        "POST",
        "/lessons/{lesson_id}/results.csv",
        {"lesson_id": lesson_id},
        params=params,
        expect="text",
    )
    return single(request, csv_text)


def list_attempt_responses(
    attempt_id: int, slide_id: int
) -> Operation[builtins.list[dict[str, Any]]]:
    """Fetch the quiz responses of one lesson attempt on one slide."""
    check_id("attempt_id", attempt_id)
    check_id("slide_id", slide_id)
    request = APIRequest(
        "GET",
        "/attempts/{attempt_id}/quiz_responses/{slide_id}",
        {"attempt_id": attempt_id, "slide_id": slide_id},
    )
    return single(request, list_field("responses"))


class LessonResults(SyncResource):
    """Staff reads of quiz responses, attempts and results, part of `Lessons`."""

    def list_slide_responses(
        self, slide_id: int, *, user_id: int | None = None
    ) -> builtins.list[dict[str, Any]]:
        """List one user's answers to a quiz slide's questions.

        Endpoint: ``GET /lessons/slides/{slide_id}/questions/responses``.

        Args:
            slide_id: Numeric Ed slide id.
            user_id: Whose answers (staff only); the token's user by default.

        Returns:
            The user's responses as raw objects, in Ed's shape.

        Raises:
            InvalidArgumentError: An id is not a positive integer.
            PermissionDeniedError: ``user_id`` is someone else and the token's
                user is not staff in the course.
            NotFoundError: No such slide in this region.
        """
        return self._run(list_slide_responses(slide_id, user_id))

    def get_attempts(self, lesson_id: int, user_id: int) -> dict[str, Any]:
        """Fetch one user's attempts at a lesson, with the final attempt's id.

        Endpoint: ``GET /lessons/{lesson_id}/attempts/{user_id}``.

        Args:
            lesson_id: Numeric Ed lesson id.
            user_id: Numeric Ed id of the user whose attempts to fetch.

        Returns:
            Ed's response body, with the attempts and the ``final_id``.

        Raises:
            InvalidArgumentError: An id is not a positive integer.
            PermissionDeniedError: The user is someone else and the token's
                user is not staff in the course.
            NotFoundError: No such lesson in this region.
        """
        return self._run(
            get_object(
                "/lessons/{lesson_id}/attempts/{user_id}",
                lesson_id=lesson_id,
                user_id=user_id,
            )
        )

    def export_results(
        self,
        lesson_id: int,
        *,
        strategy: str = "latest",
        students: bool = True,
        completions: bool | None = None,
        scores: bool | None = None,
        ignore_late: bool | None = None,
        tz: str | None = None,
    ) -> str:
        """Download a lesson's results as CSV text (staff).

        Endpoint: ``POST /lessons/{lesson_id}/results.csv``.

        Args:
            lesson_id: Numeric Ed lesson id.
            strategy: Which attempt counts: ``latest`` or ``best``.
            students: Only students, leaving out staff.
            completions: Include slide completions.
            scores: Include scores.
            ignore_late: Leave out late submissions.
            tz: IANA time zone of the timestamps, such as ``Australia/Sydney``.

        Returns:
            The results as CSV text, decoded as UTF-8.

        Raises:
            InvalidArgumentError: ``lesson_id`` is not a positive integer, or
                ``strategy`` is not ``latest`` or ``best``.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such lesson in this region.
            WriteOutcomeUnknownError: The connection failed after the ``POST`` was
                sent, so no CSV arrived.
        """
        params = {
            "strategy": strategy,
            "students": students,
            "completions": completions,
            "scores": scores,
            "ignore_late": ignore_late,
            "tz": tz,
        }
        return self._run(export_results(lesson_id, params))

    def list_attempt_responses(
        self, attempt_id: int, slide_id: int
    ) -> builtins.list[dict[str, Any]]:
        """List the quiz responses of one lesson attempt on one slide.

        Endpoint: ``GET /attempts/{attempt_id}/quiz_responses/{slide_id}``.
        `get_attempts` returns a user's attempt ids. Each response carries
        a ``lesson_mark`` object with an ``id`` and a ``comment``.

        Args:
            attempt_id: The lesson attempt, such as the ``final_id`` of
                `get_attempts`.
            slide_id: The quiz slide.

        Returns:
            The attempt's responses on the slide as raw objects.

        Raises:
            InvalidArgumentError: An id is not a positive integer.
            PermissionDeniedError: The attempt is someone else's and the
                token's user is not staff in the course.
            NotFoundError: No such attempt or slide in this region.
        """
        return self._run(list_attempt_responses(attempt_id, slide_id))


@async_twin_of(LessonResults)
class AsyncLessonResults(AsyncResource):
    async def list_slide_responses(
        self, slide_id: int, *, user_id: int | None = None
    ) -> builtins.list[dict[str, Any]]:
        return await self._run(list_slide_responses(slide_id, user_id))

    async def get_attempts(self, lesson_id: int, user_id: int) -> dict[str, Any]:
        return await self._run(
            get_object(
                "/lessons/{lesson_id}/attempts/{user_id}",
                lesson_id=lesson_id,
                user_id=user_id,
            )
        )

    async def export_results(
        self,
        lesson_id: int,
        *,
        strategy: str = "latest",
        students: bool = True,
        completions: bool | None = None,
        scores: bool | None = None,
        ignore_late: bool | None = None,
        tz: str | None = None,
    ) -> str:
        params = {
            "strategy": strategy,
            "students": students,
            "completions": completions,
            "scores": scores,
            "ignore_late": ignore_late,
            "tz": tz,
        }
        return await self._run(export_results(lesson_id, params))

    async def list_attempt_responses(
        self, attempt_id: int, slide_id: int
    ) -> builtins.list[dict[str, Any]]:
        return await self._run(list_attempt_responses(attempt_id, slide_id))
