"""Typed data models for the objects Ed returns.

Every model keeps fields it does not declare, because Ed's API is
undocumented; see `FlexibleModel`.
"""

from ._base import FlexibleModel, parse_timestamp
from .challenges import Challenge, Submission
from .courses import CourseInfo
from .files import UploadedFile
from .lessons import LessonDetail, LessonModule, LessonSummary, SlideSummary
from .threads import CommentSummary, PostedComment, ThreadDetail, ThreadSummary
from .users import (
    CourseEnrollment,
    CourseRole,
    CurrentUser,
    CurrentUserResponse,
    Participant,
    UserSummary,
)

__all__ = [
    "Challenge",
    "CommentSummary",
    "CourseEnrollment",
    "CourseInfo",
    "CourseRole",
    "CurrentUser",
    "CurrentUserResponse",
    "FlexibleModel",
    "LessonDetail",
    "LessonModule",
    "LessonSummary",
    "Participant",
    "PostedComment",
    "SlideSummary",
    "Submission",
    "ThreadDetail",
    "ThreadSummary",
    "UploadedFile",
    "UserSummary",
    "parse_timestamp",
]
