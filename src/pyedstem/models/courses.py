"""Courses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from ._base import FlexibleModel, parse_timestamp

__all__ = ["CourseInfo"]


class CourseInfo(FlexibleModel):
    """Core course metadata (``GET /courses/{course_id}`` → ``course``)."""

    id: int
    code: str | None = None
    name: str | None = None
    status: str | None = None
    year: str | None = None
    session: str | None = None
    realm_id: int | None = None
    features: dict[str, Any] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None
    is_lab_regex_active: bool | None = None

    @property
    def created_at_datetime(self) -> datetime | None:
        """``created_at`` as a timezone-aware datetime."""
        return parse_timestamp(self.created_at)

    @property
    def is_active(self) -> bool:
        """Whether Ed marks the course active."""
        return self.status == "active"

    def categories(self) -> list[str]:
        """Return the discussion category names, in Ed's order.

        Reads both the recursive ``categories`` of current responses and the
        older shape with string subcategories.
        """
        discussion = self.settings.get("discussion") or {}
        return [
            c["name"] if isinstance(c, dict) else str(c)
            for c in discussion.get("categories") or []
            if isinstance(c, dict | str) and (not isinstance(c, dict) or "name" in c)
        ]
