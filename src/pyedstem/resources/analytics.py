"""Course analytics."""

from __future__ import annotations

from typing import Any

from .._operation import Operation
from ._base import AsyncResource, SyncResource, async_twin_of
from ._parse import get_list, get_object

__all__ = ["Analytics", "AsyncAnalytics"]


def get_report(course_id: int, name: str) -> Operation[dict[str, Any]]:
    """Fetch one analytics report of a course as a raw object."""
    return get_object(f"/courses/{{course_id}}/analytics/{name}", course_id=course_id)


def get_users(course_id: int) -> Operation[list[dict[str, Any]]]:
    """Fetch the per-user analytics rows of a course."""
    return get_list(
        "/courses/{course_id}/analytics/users", "users", course_id=course_id
    )


class Analytics(SyncResource):
    """Course analytics, returned as Ed sends them (staff only)."""

    def get_challenges(self, course_id: int) -> dict[str, Any]:
        """Fetch a course's challenge analytics.

        Endpoint: ``GET /courses/{course_id}/analytics/challenges``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The raw response body.

        Raises:
            PermissionDeniedError: The token's user is not staff in the course.
        """
        return self._run(get_report(course_id, "challenges"))

    def get_discussion(self, course_id: int) -> dict[str, Any]:
        """Fetch a course's discussion analytics.

        Endpoint: ``GET /courses/{course_id}/analytics/discussion``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The raw response body.

        Raises:
            PermissionDeniedError: The token's user is not staff in the course.
        """
        return self._run(get_report(course_id, "discussion"))

    def get_users(self, course_id: int) -> list[dict[str, Any]]:
        """Fetch per-user analytics rows.

        Endpoint: ``GET /courses/{course_id}/analytics/users``. Sources disagree
        on the fields of a row, so rows are returned as raw dictionaries.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            One raw dictionary per user.

        Raises:
            PermissionDeniedError: The token's user is not staff in the course.
        """
        return self._run(get_users(course_id))


@async_twin_of(Analytics)
class AsyncAnalytics(AsyncResource):
    async def get_challenges(self, course_id: int) -> dict[str, Any]:
        return await self._run(get_report(course_id, "challenges"))

    async def get_discussion(self, course_id: int) -> dict[str, Any]:
        return await self._run(get_report(course_id, "discussion"))

    async def get_users(self, course_id: int) -> list[dict[str, Any]]:
        return await self._run(get_users(course_id))
