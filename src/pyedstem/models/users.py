"""Users: the account behind the token, enrollments, course members, participants."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field, model_validator

from ._base import FlexibleModel, parse_timestamp
from .courses import CourseInfo

__all__ = [
    "CourseEnrollment",
    "CourseRole",
    "CurrentUser",
    "CurrentUserResponse",
    "Participant",
    "UserSummary",
]


class CurrentUser(FlexibleModel):
    """The account that owns the API token (``GET /user`` → ``user``)."""

    id: int
    name: str | None = None
    role: str | None = None
    email: str | None = None
    username: str | None = None
    avatar: str | None = None
    course_role: str | None = None
    activated: bool | None = None
    created_at: str | None = None
    has_pats: bool | None = None
    is_lti: bool | None = None
    is_sso: bool | None = None
    realm_id: int | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    features: dict[str, Any] = Field(default_factory=dict)


class CourseRole(FlexibleModel):
    """A user's role in one course, as ``GET /user`` sends it inside an enrollment."""

    role: str | None = None
    user_id: int | None = None
    course_id: int | None = None
    lab_id: int | None = None
    tutorial: Any = None
    digest: bool | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None
    deleted_at: str | None = None


class CourseEnrollment(FlexibleModel):
    """Course membership information from ``GET /user``.

    Ed sends ``role`` as an object; older responses and other clients use a
    plain string. ``role`` is always the role name, and ``role_detail`` keeps
    the object when Ed sent one.
    """

    course: CourseInfo
    role: str | None = None
    role_detail: CourseRole | None = None
    lab: dict[str, Any] | str | None = None
    last_active: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _split_role(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("role"), dict):
            data = dict(data)
            detail = data["role"]
            data["role_detail"] = detail
            data["role"] = detail.get("role")
        return data

    @property
    def last_active_datetime(self) -> datetime | None:
        """``last_active`` as a timezone-aware datetime."""
        return parse_timestamp(self.last_active)

    @property
    def is_staff(self) -> bool:
        """Whether the role is a staff role: tutor, staff or admin."""
        return self.role in STAFF_ROLES


class CurrentUserResponse(FlexibleModel):
    """The ``GET /user`` response: the account, its enrollments and realms."""

    user: CurrentUser
    courses: list[CourseEnrollment] = Field(default_factory=list)
    realms: list[dict[str, Any]] = Field(default_factory=list)
    time: str | None = None

    def enrollment(self, course_id: int) -> CourseEnrollment | None:
        """Return the enrollment in one course, or None."""
        return next((e for e in self.courses if e.course.id == course_id), None)


class UserSummary(FlexibleModel):
    """Minimal user details used across several endpoints."""

    id: int
    name: str | None = None
    role: str | None = None
    email: str | None = None
    username: str | None = None
    course_role: str | None = None
    tutorial: str | None = None


class Participant(FlexibleModel):
    """A user who appears in a thread list or thread (an entry of ``users``)."""

    id: int
    name: str | None = None
    avatar: str | None = None
    role: str | None = None
    course_role: str | None = None
    tutorials: dict[str, Any] | None = None

    @property
    def is_staff(self) -> bool:
        """Whether the participant's course role is a staff role."""
        return self.course_role in STAFF_ROLES


# NOTE: mentors are left out: Ed lists them between students and tutors, and
# no source shows a mentor's answer counting as a staff answer.
STAFF_ROLES = frozenset({"admin", "staff", "tutor"})
