"""Courses and their collections: members, labs, groups, resources, bots."""

from __future__ import annotations

import builtins
from typing import Any

from .._operation import APIRequest, Operation, check_id, single
from ..models import CourseInfo, CurrentUserResponse, UserSummary
from ._base import AsyncResource, SyncResource, async_twin_of
from ._parse import get_list, get_object, list_field, object_field
from .user import get_current_user

__all__ = ["AsyncCourses", "Courses"]


def get_course(course_id: int) -> Operation[CourseInfo]:
    """Fetch one course."""
    check_id("course_id", course_id)
    request = APIRequest("GET", "/courses/{course_id}", {"course_id": course_id})
    return single(
        request, lambda r: CourseInfo.model_validate(object_field("course")(r))
    )


def get_stats(course_id: int) -> Operation[dict[str, Any]]:
    """Fetch a course's ``stats`` object; ``{}`` when Ed sends none."""
    body = yield from get_object("/courses/{course_id}/stats", course_id=course_id)
    stats = body.get("stats")
    return stats if isinstance(stats, dict) else {}


def list_enrolled(*, active_only: bool) -> Operation[builtins.list[CourseInfo]]:
    """List the courses of the token's account, from ``GET /user``."""
    me: CurrentUserResponse = yield from get_current_user()
    return [e.course for e in me.courses if e.course.is_active or not active_only]


def list_users(
    course_id: int, *, limit: int | None
) -> Operation[builtins.list[UserSummary]]:
    """List the users of a course."""
    check_id("course_id", course_id)
    request = APIRequest(
        "GET",
        "/courses/{course_id}/users",
        {"course_id": course_id},
        params={"limit": limit},
    )
    raw = yield request
    return [UserSummary.model_validate(u) for u in list_field("users")(raw)]


def get_admin(course_id: int) -> Operation[dict[str, Any]]:
    """Fetch the staff view of a course."""
    return get_object("/courses/{course_id}/admin", course_id=course_id)


def list_collection(
    course_id: int, name: str
) -> Operation[builtins.list[dict[str, Any]]]:
    """Fetch one of a course's collections: bots, groups, labs or resources."""
    return get_list(f"/courses/{{course_id}}/{name}", name, course_id=course_id)


def get_workspaces(course_id: int) -> Operation[dict[str, Any]]:
    """Fetch a course's workspace metadata."""
    return get_object("/courses/{course_id}/workspaces", course_id=course_id)


class Courses(SyncResource):
    """Course metadata and course-scoped collections."""

    def get(self, course_id: int) -> CourseInfo:
        """Fetch one course.

        Endpoint: ``GET /courses/{course_id}``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The course, with its settings and discussion categories.

        Raises:
            NotFoundError: No such course in this region.
        """
        return self._run(get_course(course_id))

    def get_admin(self, course_id: int) -> dict[str, Any]:
        """Fetch the staff view of a course, with its roster in ``users``.

        Endpoint: ``GET /courses/{course_id}/admin``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The raw staff view; ``users`` is the roster with emails.

        Raises:
            PermissionDeniedError: The token's user is not staff in the course.
        """
        return self._run(get_admin(course_id))

    def get_stats(self, course_id: int) -> dict[str, Any]:
        """Fetch a course's statistics.

        Endpoint: ``GET /courses/{course_id}/stats``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The ``stats`` object, or ``{}`` when Ed sends none.

        Raises:
            PermissionDeniedError: The token's user is not staff in the course.
        """
        return self._run(get_stats(course_id))

    def list_active(self) -> builtins.list[CourseInfo]:
        """List the token's courses that Ed marks active.

        Endpoint: ``GET /user``; Ed has no separate route for this.

        Returns:
            The active courses, in the order of the account's enrollments.
        """
        return self._run(list_enrolled(active_only=True))

    def list_all(self) -> builtins.list[CourseInfo]:
        """List every course of the token's account, archived ones included.

        Endpoint: ``GET /user``.

        Returns:
            Every enrolled course, active and archived.
        """
        return self._run(list_enrolled(active_only=False))

    def list_bots(self, course_id: int) -> builtins.list[dict[str, Any]]:
        """List a course's bots.

        Endpoint: ``GET /courses/{course_id}/bots``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The bots as raw dictionaries.

        Raises:
            PermissionDeniedError: The token's user is not staff in the course.
        """
        return self._run(list_collection(course_id, "bots"))

    def list_groups(self, course_id: int) -> builtins.list[dict[str, Any]]:
        """List a course's groups.

        Endpoint: ``GET /courses/{course_id}/groups``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The groups as raw dictionaries.
        """
        return self._run(list_collection(course_id, "groups"))

    def list_labs(self, course_id: int) -> builtins.list[dict[str, Any]]:
        """List a course's labs (tutorials).

        Endpoint: ``GET /courses/{course_id}/labs``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The labs as raw dictionaries.
        """
        return self._run(list_collection(course_id, "labs"))

    def list_resources(self, course_id: int) -> builtins.list[dict[str, Any]]:
        """List a course's resources (uploaded files and links).

        Endpoint: ``GET /courses/{course_id}/resources``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The resources as raw dictionaries.
        """
        return self._run(list_collection(course_id, "resources"))

    def list_users(
        self, course_id: int, *, limit: int | None = None
    ) -> builtins.list[UserSummary]:
        """List the users of a course.

        Endpoint: ``GET /courses/{course_id}/users``.

        Args:
            course_id: Numeric Ed course id.
            limit: Maximum number of users to request.

        Returns:
            The course's users.
        """
        return self._run(list_users(course_id, limit=limit))

    def list_workspaces(self, course_id: int) -> dict[str, Any]:
        """Fetch a course's workspace metadata.

        Endpoint: ``GET /courses/{course_id}/workspaces``.

        Args:
            course_id: Numeric Ed course id.

        Returns:
            The raw response body.
        """
        return self._run(get_workspaces(course_id))


@async_twin_of(Courses)
class AsyncCourses(AsyncResource):
    async def get(self, course_id: int) -> CourseInfo:
        return await self._run(get_course(course_id))

    async def get_admin(self, course_id: int) -> dict[str, Any]:
        return await self._run(get_admin(course_id))

    async def get_stats(self, course_id: int) -> dict[str, Any]:
        return await self._run(get_stats(course_id))

    async def list_active(self) -> builtins.list[CourseInfo]:
        return await self._run(list_enrolled(active_only=True))

    async def list_all(self) -> builtins.list[CourseInfo]:
        return await self._run(list_enrolled(active_only=False))

    async def list_bots(self, course_id: int) -> builtins.list[dict[str, Any]]:
        return await self._run(list_collection(course_id, "bots"))

    async def list_groups(self, course_id: int) -> builtins.list[dict[str, Any]]:
        return await self._run(list_collection(course_id, "groups"))

    async def list_labs(self, course_id: int) -> builtins.list[dict[str, Any]]:
        return await self._run(list_collection(course_id, "labs"))

    async def list_resources(self, course_id: int) -> builtins.list[dict[str, Any]]:
        return await self._run(list_collection(course_id, "resources"))

    async def list_users(
        self, course_id: int, *, limit: int | None = None
    ) -> builtins.list[UserSummary]:
        return await self._run(list_users(course_id, limit=limit))

    async def list_workspaces(self, course_id: int) -> dict[str, Any]:
        return await self._run(get_workspaces(course_id))
