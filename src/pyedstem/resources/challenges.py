"""Code challenges: settings, submissions, feedback and results."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

from .._operation import APIRequest, APIResponse, Operation, check_id, single
from ..errors import InvalidArgumentError
from ..models.challenges import Challenge, Submission
from ._base import AsyncResource, SyncResource, async_twin_of
from ._discussion import comment_content
from ._edits import edit_whole_object, set_fields
from ._parse import get_list, nothing, object_field, whole_object

__all__ = ["AsyncChallenges", "Challenges"]

RESULT_TYPES = ("latest", "latest-with-feedback", "optimised", "all")


def list_challenges(course_id: int) -> Operation[builtins.list[dict[str, Any]]]:
    """Fetch a course's challenges."""
    return get_list(
        "/courses/{course_id}/challenges", "challenges", course_id=course_id
    )


def _challenge_request(challenge_id: int) -> APIRequest:
    check_id("challenge_id", challenge_id)
    return APIRequest(
        "GET", "/challenges/{challenge_id}", {"challenge_id": challenge_id}
    )


def get_challenge(challenge_id: int) -> Operation[Challenge]:
    """Fetch one challenge, without recording a view."""
    return single(
        _challenge_request(challenge_id),
        lambda r: Challenge.model_validate(object_field("challenge")(r)),
    )


def update_challenge(
    challenge_id: int, changes: dict[str, Any]
) -> Operation[Challenge]:
    """Edit a challenge: fetch it, merge the changes and PATCH it back whole.

    Ed drops the fields a PATCH body leaves out, and returns 404 for PUT.
    """

    def build_write(merged: dict[str, Any]) -> APIRequest:
        return APIRequest(
            "PATCH",
            "/challenges/{challenge_id}",
            {"challenge_id": challenge_id},
            json={"challenge": merged},
        )

    return edit_whole_object(
        _challenge_request(challenge_id),
        "challenge",
        changes,
        build_write=build_write,
        parse=Challenge.model_validate,
    )


def list_submissions(
    challenge_id: int, user_id: int
) -> Operation[builtins.list[Submission]]:
    """Fetch one user's submissions to a challenge."""
    rows = yield from get_list(
        "/users/{user_id}/challenges/{challenge_id}/submissions",
        "submissions",
        user_id=user_id,
        challenge_id=challenge_id,
    )
    return [Submission.model_validate(row) for row in rows]


def get_submission(submission_id: int) -> Operation[Submission]:
    """Fetch one submission with its test results."""
    check_id("submission_id", submission_id)
    request = APIRequest(
        "GET",
        "/challenges/submissions/{submission_id}",
        {"submission_id": submission_id},
    )
    return single(
        request, lambda r: Submission.model_validate(object_field("submission")(r))
    )


def feedback_body(
    *,
    markdown: str | None,
    document: str | None,
    mark: float | None,
    criteria: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Build the body that replaces a submission's feedback.

    Raises:
        InvalidArgumentError: The mark is not a number, or the text is blank.
    """
    if mark is not None and (
        isinstance(mark, bool) or not isinstance(mark, int | float)
    ):
        raise InvalidArgumentError(f"mark must be a number or None, got {mark!r}.")
    content = ""
    if markdown is not None or document is not None:
        content = comment_content(markdown=markdown, document=document)
    return {
        "feedback": {
            "mark": mark,
            "formatted": True,
            "criteria": [dict(item) for item in criteria],
            "content": content,
        }
    }


def update_feedback(
    submission_id: int, body: dict[str, Any]
) -> Operation[dict[str, Any]]:
    """Replace the feedback of a submission."""
    check_id("submission_id", submission_id)
    request = APIRequest(
        "PUT",
        "/challenges/submissions/{submission_id}/feedback",
        {"submission_id": submission_id},
        json=body,
    )
    return single(request, whole_object)


def export_results(challenge_id: int, params: dict[str, Any]) -> Operation[str]:
    """Download a challenge's results as CSV text."""
    check_id("challenge_id", challenge_id)
    if params["type"] not in RESULT_TYPES:
        raise InvalidArgumentError(
            f"type must be one of {', '.join(RESULT_TYPES)}, got {params['type']!r}."
        )
    request = APIRequest(
        "POST",
        "/challenges/{challenge_id}/results",
        {"challenge_id": challenge_id},
        params=params,
        expect="text",
    )
    return single(request, csv_text)


def csv_text(response: APIResponse) -> str:
    """Decode a CSV download as UTF-8 text."""
    return response.content.decode("utf-8-sig")


def submit_all(challenge_id: int) -> Operation[None]:
    """Submit every student's current workspace for a challenge."""
    check_id("challenge_id", challenge_id)
    request = APIRequest(
        "POST",
        "/challenges/{challenge_id}/submit_all",
        {"challenge_id": challenge_id},
    )
    return single(request, nothing)


class Challenges(SyncResource):
    """Code challenges of a course: settings, submissions, feedback, results."""

    def list(self, course_id: int) -> builtins.list[dict[str, Any]]:
        """List a course's challenges.

        Endpoint: ``GET /courses/{course_id}/challenges``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The course's challenges as raw objects, in Ed's shape.

        Raises:
            InvalidArgumentError: ``course_id`` is not a positive integer.
            NotFoundError: No such course in this region.
        """
        return self._run(list_challenges(course_id))

    def get(self, challenge_id: int) -> Challenge:
        """Fetch one challenge with its settings (staff).

        Endpoint: ``GET /challenges/{challenge_id}``. The response carries
        workspace credentials in ``tickets``; do not log it.

        Args:
            challenge_id: Numeric Ed challenge id.

        Returns:
            The challenge with its settings.

        Raises:
            InvalidArgumentError: ``challenge_id`` is not a positive integer.
            NotFoundError: No such challenge in this region.
        """
        return self._run(get_challenge(challenge_id))

    def update(
        self,
        challenge_id: int,
        *,
        markdown: str | None = None,
        document: str | None = None,
        features: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Challenge:
        """Edit a challenge; everything not passed keeps its current value.

        Endpoint: ``PATCH /challenges/{challenge_id}``, after a ``GET`` of the
        same route: Ed drops the fields a body leaves out, so the edit sends
        the whole challenge. Nested objects are merged key by key, so
        ``features={"run": False}`` leaves the other features as they are.
        The lesson page shows the slide's ``content``, not the challenge's;
        update both with ``client.lessons.update_slide`` where that matters.

        Args:
            challenge_id: Numeric Ed challenge id.
            markdown: The new task description in Markdown.
            document: The new task description as an Ed ``<document>``.
            features: Feature switches to change, such as ``{"run": True}``.
            settings: Settings to change, such as ``{"run_command": "make"}``.
            fields: Any other top-level fields of the challenge to change.

        Returns:
            The challenge as Ed stored it.

        Raises:
            InvalidArgumentError: Nothing to change, the description is blank
                or given twice, or ``challenge_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such challenge in this region.
            WriteOutcomeUnknownError: The outcome of the edit is unknown, and
                ``client.check_write(error)`` returns the challenge if it landed.
        """
        return self._run(
            update_challenge(
                challenge_id,
                _challenge_changes(markdown, document, features, settings, fields),
            )
        )

    def list_users(self, challenge_id: int) -> builtins.list[dict[str, Any]]:
        """List the course members with their progress on a challenge.

        Endpoint: ``GET /challenges/{challenge_id}/users``.

        Args:
            challenge_id: Numeric Ed challenge id.

        Returns:
            One raw object per course member, in Ed's shape.

        Raises:
            InvalidArgumentError: ``challenge_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such challenge in this region.
        """
        return self._run(
            get_list(
                "/challenges/{challenge_id}/users", "users", challenge_id=challenge_id
            )
        )

    def list_submissions(
        self, challenge_id: int, user_id: int
    ) -> builtins.list[Submission]:
        """List one user's submissions to a challenge, newest first.

        Endpoint: ``GET /users/{user_id}/challenges/{challenge_id}/submissions``.
        The list leaves out test results; `get_submission` includes them.

        Args:
            challenge_id: Numeric Ed challenge id.
            user_id: Numeric Ed id of the user whose submissions to list.

        Returns:
            The user's submissions, newest first, without test results.

        Raises:
            InvalidArgumentError: An id is not a positive integer.
            PermissionDeniedError: The user is someone else and the token's user
                is not staff in the course.
            NotFoundError: No such challenge in this region.
        """
        return self._run(list_submissions(challenge_id, user_id))

    def get_submission(self, submission_id: int) -> Submission:
        """Fetch one submission with its test results.

        Endpoint: ``GET /challenges/submissions/{submission_id}``.

        Args:
            submission_id: Numeric Ed submission id.

        Returns:
            The submission with its test results.

        Raises:
            InvalidArgumentError: ``submission_id`` is not a positive integer.
            PermissionDeniedError: The submission is someone else's and the
                token's user is not staff in the course.
            NotFoundError: No such submission in this region.
        """
        return self._run(get_submission(submission_id))

    def update_feedback(
        self,
        submission_id: int,
        *,
        markdown: str | None = None,
        document: str | None = None,
        mark: float | None = None,
        criteria: Sequence[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        """Replace the feedback and mark of a submission.

        Endpoint: ``PUT /challenges/submissions/{submission_id}/feedback``.
        The call replaces the whole feedback: text, mark and criteria left
        out are cleared.

        Args:
            submission_id: Numeric Ed submission id.
            markdown: The feedback text in Markdown.
            document: The feedback text as an Ed ``<document>``.
            mark: The mark, or None for no mark.
            criteria: Rubric rows, each ``{"name", "description", "mark"}``.

        Returns:
            Ed's response body; its shape is not documented.

        Raises:
            InvalidArgumentError: ``mark`` is not a number, the text is blank
                or given twice, or ``submission_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such submission in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have replaced the feedback.
        """
        body = feedback_body(
            markdown=markdown, document=document, mark=mark, criteria=criteria
        )
        return self._run(update_feedback(submission_id, body))

    def export_results(
        self,
        challenge_id: int,
        *,
        type: str = "latest",
        students: bool = True,
        scores: bool | None = None,
        feedback: bool | None = None,
        score_type: str | None = None,
        tz: str | None = None,
    ) -> str:
        """Download a challenge's results as CSV text (staff).

        Endpoint: ``POST /challenges/{challenge_id}/results``.

        Args:
            challenge_id: Numeric Ed challenge id.
            type: Which submissions: ``latest``, ``latest-with-feedback``,
                ``optimised`` or ``all``.
            students: Only students, leaving out staff.
            scores: Include the scores.
            feedback: Include the feedback.
            score_type: ``pertestcase`` or ``passfail``.
            tz: IANA time zone of the timestamps, such as ``Australia/Sydney``.

        Returns:
            The results as CSV text, decoded as UTF-8.

        Raises:
            InvalidArgumentError: ``challenge_id`` is not a positive integer, or
                ``type`` is not one of the four values.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such challenge in this region.
            WriteOutcomeUnknownError: The connection failed after the ``POST`` was
                sent, so no CSV arrived.
        """
        params = {
            "type": type,
            "students": students,
            "scores": scores,
            "feedback": feedback,
            "score_type": score_type,
            "tz": tz,
        }
        return self._run(export_results(challenge_id, params))

    def submit_all(self, challenge_id: int) -> None:
        """Submit every student's current workspace for marking (staff).

        Endpoint: ``POST /challenges/{challenge_id}/submit_all``.

        Args:
            challenge_id: Numeric Ed challenge id.

        Raises:
            InvalidArgumentError: ``challenge_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such challenge in this region.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have submitted the workspaces.
        """
        self._run(submit_all(challenge_id))


def _challenge_changes(
    markdown: str | None,
    document: str | None,
    features: Mapping[str, Any] | None,
    settings: Mapping[str, Any] | None,
    fields: Mapping[str, Any] | None,
) -> dict[str, Any]:
    changes = dict(fields or {})
    changes.update(set_fields(features=features, settings=settings))
    if markdown is not None or document is not None:
        changes["content"] = comment_content(markdown=markdown, document=document)
    return changes


@async_twin_of(Challenges)
class AsyncChallenges(AsyncResource):
    async def list(self, course_id: int) -> builtins.list[dict[str, Any]]:
        return await self._run(list_challenges(course_id))

    async def get(self, challenge_id: int) -> Challenge:
        return await self._run(get_challenge(challenge_id))

    async def update(
        self,
        challenge_id: int,
        *,
        markdown: str | None = None,
        document: str | None = None,
        features: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Challenge:
        return await self._run(
            update_challenge(
                challenge_id,
                _challenge_changes(markdown, document, features, settings, fields),
            )
        )

    async def list_users(self, challenge_id: int) -> builtins.list[dict[str, Any]]:
        return await self._run(
            get_list(
                "/challenges/{challenge_id}/users", "users", challenge_id=challenge_id
            )
        )

    async def list_submissions(
        self, challenge_id: int, user_id: int
    ) -> builtins.list[Submission]:
        return await self._run(list_submissions(challenge_id, user_id))

    async def get_submission(self, submission_id: int) -> Submission:
        return await self._run(get_submission(submission_id))

    async def update_feedback(
        self,
        submission_id: int,
        *,
        markdown: str | None = None,
        document: str | None = None,
        mark: float | None = None,
        criteria: Sequence[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        body = feedback_body(
            markdown=markdown, document=document, mark=mark, criteria=criteria
        )
        return await self._run(update_feedback(submission_id, body))

    async def export_results(
        self,
        challenge_id: int,
        *,
        type: str = "latest",
        students: bool = True,
        scores: bool | None = None,
        feedback: bool | None = None,
        score_type: str | None = None,
        tz: str | None = None,
    ) -> str:
        params = {
            "type": type,
            "students": students,
            "scores": scores,
            "feedback": feedback,
            "score_type": score_type,
            "tz": tz,
        }
        return await self._run(export_results(challenge_id, params))

    async def submit_all(self, challenge_id: int) -> None:
        await self._run(submit_all(challenge_id))
