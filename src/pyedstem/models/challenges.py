"""Code challenges and their submissions."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import FlexibleModel

__all__ = ["Challenge", "Submission"]


class Challenge(FlexibleModel):
    """A code challenge behind a code slide (``GET /challenges/{id}``).

    ``tickets`` carries workspace credentials, so it is left out of the
    model's ``repr`` and should never be logged.
    """

    id: int
    course_id: int | None = None
    lesson_id: int | None = None
    slide_id: int | None = None
    type: str | None = None
    content: str | None = None
    explanation: str | None = None
    rubric_id: int | None = None
    auto_points: int | None = None
    features: dict[str, Any] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict)
    tickets: dict[str, Any] = Field(default_factory=dict, repr=False)


class Submission(FlexibleModel):
    """A submission to a challenge; the detail route adds test results."""

    id: int
    challenge_id: int | None = None
    user_id: int | None = None
    status: str | None = None
    is_completed: bool | None = None
    testcase_pass_count: int | None = None
    testcase_total_count: int | None = None
    feedback_provided: bool | None = None
    feedback: dict[str, Any] | None = None
    marked_at: str | None = None
    created_at: str | None = None
