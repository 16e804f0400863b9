"""Lessons, modules and slides."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ._base import FlexibleModel, parse_timestamp

__all__ = ["LessonDetail", "LessonModule", "LessonSummary", "SlideSummary"]


class SlideSummary(FlexibleModel):
    """Lesson slide metadata."""

    id: int
    title: str | None = None
    type: str | None = None
    lesson_id: int | None = None
    challenge_id: int | None = None
    course_id: int | None = None
    index: int | None = None
    is_hidden: bool = False
    status: str | None = None
    content: str | None = None
    passage: str | None = None
    points: int | None = None
    auto_points: int | None = None
    created_at: str | None = None
    updated_at: str | None = None


class LessonSummary(FlexibleModel):
    """Lesson summary metadata (an item of ``GET /courses/{course_id}/lessons``)."""

    id: int
    title: str | None = None
    course_id: int | None = None
    module_id: int | None = None
    slide_count: int | None = None
    number: int | None = None
    index: int | None = None
    type: str | None = None
    kind: str | None = None
    state: str | None = None
    status: str | None = None
    is_hidden: bool = False
    is_unlisted: bool = False
    is_timed: bool = False
    openable: bool | None = None
    available_at: str | None = None
    due_at: str | None = None
    locked_at: str | None = None
    solutions_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def due_at_datetime(self) -> datetime | None:
        """``due_at`` as a timezone-aware datetime."""
        return parse_timestamp(self.due_at)

    @property
    def available_at_datetime(self) -> datetime | None:
        """``available_at`` as a timezone-aware datetime."""
        return parse_timestamp(self.available_at)


class LessonDetail(LessonSummary):
    """A lesson with its slides (``GET /lessons/{lesson_id}``)."""

    slides: list[SlideSummary] = Field(default_factory=list)


class LessonModule(FlexibleModel):
    """A module that groups lessons."""

    id: int
    course_id: int | None = None
    user_id: int | None = None
    name: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
