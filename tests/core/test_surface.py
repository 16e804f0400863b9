"""The contracted public surface: names, parameter kinds, defaults, returns."""

from __future__ import annotations

import builtins
import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any, get_type_hints

import pydantic
import pytest

import pyedstem
from pyedstem import client as client_module
from pyedstem import content, models
from pyedstem.resources import analytics, challenges, courses, lessons, threads, user

POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD
KEYWORD = inspect.Parameter.KEYWORD_ONLY
VAR_KEYWORD = inspect.Parameter.VAR_KEYWORD
REQUIRED = inspect.Parameter.empty

# (class, method, [(name, kind, default)], return annotation text)
CONTRACT: list[tuple[type, str, list[tuple[str, Any, Any]], str]] = [
    (
        user.User,
        "get_activity",
        [
            ("user_id", POSITIONAL, REQUIRED),
            ("course_id", KEYWORD, REQUIRED),
            ("limit", KEYWORD, REQUIRED),
            ("filter_by", KEYWORD, REQUIRED),
        ],
        "list[dict[str, Any]]",
    ),
    (user.User, "get_current_user", [], "CurrentUserResponse"),
    (user.User, "list_tokens", [], "list[dict[str, Any]]"),
    (courses.Courses, "get", [("course_id", POSITIONAL, REQUIRED)], "CourseInfo"),
    (
        courses.Courses,
        "get_admin",
        [("course_id", POSITIONAL, REQUIRED)],
        "dict[str, Any]",
    ),
    (
        courses.Courses,
        "get_stats",
        [("course_id", POSITIONAL, REQUIRED)],
        "dict[str, Any]",
    ),
    (courses.Courses, "list_active", [], "builtins.list[CourseInfo]"),
    (
        courses.Courses,
        "list_bots",
        [("course_id", POSITIONAL, REQUIRED)],
        "builtins.list[dict[str, Any]]",
    ),
    (
        courses.Courses,
        "list_groups",
        [("course_id", POSITIONAL, REQUIRED)],
        "builtins.list[dict[str, Any]]",
    ),
    (
        courses.Courses,
        "list_labs",
        [("course_id", POSITIONAL, REQUIRED)],
        "builtins.list[dict[str, Any]]",
    ),
    (
        courses.Courses,
        "list_resources",
        [("course_id", POSITIONAL, REQUIRED)],
        "builtins.list[dict[str, Any]]",
    ),
    (
        courses.Courses,
        "list_users",
        [("course_id", POSITIONAL, REQUIRED), ("limit", KEYWORD, None)],
        "builtins.list[UserSummary]",
    ),
    (
        courses.Courses,
        "list_workspaces",
        [("course_id", POSITIONAL, REQUIRED)],
        "dict[str, Any]",
    ),
    (threads.Threads, "get", [("thread_id", POSITIONAL, REQUIRED)], "ThreadDetail"),
    (
        threads.Threads,
        "get_by_number",
        [("course_id", POSITIONAL, REQUIRED), ("thread_number", POSITIONAL, REQUIRED)],
        "ThreadDetail",
    ),
    (
        threads.Threads,
        "iter_all",
        [
            ("course_id", POSITIONAL, REQUIRED),
            ("limit", KEYWORD, 50),
            ("sort", KEYWORD, "date"),
            ("filters", VAR_KEYWORD, REQUIRED),
        ],
        "Iterator[ThreadSummary]",
    ),
    (
        threads.Threads,
        "list",
        [
            ("course_id", POSITIONAL, REQUIRED),
            ("limit", KEYWORD, 20),
            ("offset", KEYWORD, 0),
            ("sort", KEYWORD, "date"),
            ("filters", VAR_KEYWORD, REQUIRED),
        ],
        "builtins.list[ThreadSummary]",
    ),
    (
        threads.Threads,
        "post_answer",
        [
            ("thread_id", KEYWORD, REQUIRED),
            ("markdown", KEYWORD, REQUIRED),
            ("is_anonymous", KEYWORD, False),
            ("is_private", KEYWORD, False),
        ],
        "PostedComment",
    ),
    (
        threads.Threads,
        "search",
        [("course_id", POSITIONAL, REQUIRED), ("query", KEYWORD, REQUIRED)],
        "builtins.list[ThreadSummary]",
    ),
    (lessons.Lessons, "get", [("lesson_id", POSITIONAL, REQUIRED)], "LessonDetail"),
    (
        lessons.Lessons,
        "get_activity",
        [("lesson_id", POSITIONAL, REQUIRED)],
        "dict[str, Any]",
    ),
    (
        lessons.Lessons,
        "get_slide",
        [("slide_id", POSITIONAL, REQUIRED)],
        "SlideSummary",
    ),
    (
        lessons.Lessons,
        "get_slide_questions",
        [("slide_id", POSITIONAL, REQUIRED)],
        "builtins.list[dict[str, Any]]",
    ),
    (
        lessons.Lessons,
        "get_slide_results",
        [("slide_id", POSITIONAL, REQUIRED)],
        "dict[str, Any]",
    ),
    (
        lessons.Lessons,
        "list",
        [("course_id", POSITIONAL, REQUIRED)],
        "builtins.list[LessonSummary]",
    ),
    (
        lessons.Lessons,
        "list_results",
        [
            ("lesson_id", POSITIONAL, REQUIRED),
            ("user_id", KEYWORD, None),
            ("limit", KEYWORD, None),
        ],
        "builtins.list[dict[str, Any]]",
    ),
    (
        lessons.Lessons,
        "list_slides",
        [("lesson_id", POSITIONAL, REQUIRED)],
        "builtins.list[SlideSummary]",
    ),
    (
        analytics.Analytics,
        "get_challenges",
        [("course_id", POSITIONAL, REQUIRED)],
        "dict[str, Any]",
    ),
    (
        analytics.Analytics,
        "get_discussion",
        [("course_id", POSITIONAL, REQUIRED)],
        "dict[str, Any]",
    ),
    (
        analytics.Analytics,
        "get_users",
        [("course_id", POSITIONAL, REQUIRED)],
        "list[dict[str, Any]]",
    ),
    (
        challenges.Challenges,
        "list",
        [("course_id", POSITIONAL, REQUIRED)],
        "builtins.list[dict[str, Any]]",
    ),
]


def _equivalent(annotation: str) -> str:
    return annotation.replace("builtins.", "").replace(" ", "")


@pytest.mark.parametrize(
    ("cls", "name", "params", "returns"),
    CONTRACT,
    ids=[f"{c.__name__}.{n}" for c, n, _, _ in CONTRACT],
)
def test_resource_method_matches_contract(
    cls: type, name: str, params: list[tuple[str, Any, Any]], returns: str
) -> None:
    signature = inspect.signature(getattr(cls, name))
    actual = [
        (p.name, p.kind, p.default)
        for p in signature.parameters.values()
        if p.name != "self"
    ]
    assert actual == params
    assert _equivalent(str(signature.return_annotation)) == _equivalent(returns)


def test_client_constructor_matches_contract() -> None:
    parameters = inspect.signature(client_module.EdStemClient).parameters
    leading = [(p.name, p.kind, p.default) for p in list(parameters.values())[:4]]
    assert leading == [
        ("api_token", POSITIONAL, REQUIRED),
        ("base_url", POSITIONAL, "https://edstem.org/api"),
        ("timeout_seconds", POSITIONAL, 30.0),
        ("http_client", POSITIONAL, None),
    ]
    later = list(parameters.values())[4:]
    assert all(p.kind is KEYWORD and p.default is not REQUIRED for p in later)


def test_client_methods_match_contract() -> None:
    cls = client_module.EdStemClient
    get_json = inspect.signature(cls.get_json).parameters
    assert [(p.name, p.kind) for p in get_json.values()] == [
        ("self", POSITIONAL),
        ("path", POSITIONAL),
        ("params", KEYWORD),
    ]
    assert get_json["params"].default is None
    assert isinstance(inspect.getattr_static(cls, "from_env"), classmethod)
    for name in ("close", "__enter__", "__exit__"):
        assert callable(getattr(cls, name))


def test_package_exports_contracted_names() -> None:
    for name in (
        "EdStemClient",
        "AuthenticationError",
        "NotFoundError",
        "RateLimitError",
        "ValidationError",
        "ServerError",
    ):
        assert name in pyedstem.__all__
        assert hasattr(pyedstem, name)
    assert issubclass(pyedstem.ValidationError, pyedstem.EdStemError)


def test_all_is_sorted_and_complete() -> None:
    assert pyedstem.__all__ == sorted(pyedstem.__all__)
    for name in pyedstem.__all__:
        assert hasattr(pyedstem, name)


def test_no_error_name_shadows_a_builtin() -> None:
    error_names = {n for n in pyedstem.__all__ if n.endswith("Error")}
    assert not error_names & set(dir(builtins))


def test_content_functions_exist() -> None:
    assert list(inspect.signature(content.html_to_markdown).parameters) == ["content"]
    parameters = inspect.signature(content.markdown_to_ed_document).parameters
    assert next(iter(parameters)) == "markdown"


MODEL_FIELDS = {
    "CommentSummary": ["id", "type", "content", "user_id", "created_at"],
    "CourseEnrollment": ["course", "role", "lab", "last_active"],
    "CourseInfo": ["id", "code", "name", "status", "year", "session"],
    "CurrentUser": ["id", "name", "role", "email", "username"],
    "CurrentUserResponse": ["user", "courses", "realms"],
    "LessonSummary": ["id", "title", "course_id", "module_id", "slide_count"],
    "LessonDetail": ["slides"],
    "PostedComment": ["id", "type", "content", "user_id", "created_at"],
    "SlideSummary": ["id", "title", "type", "lesson_id", "challenge_id"],
    "ThreadSummary": [
        "id",
        "number",
        "course_id",
        "title",
        "type",
        "category",
        "content",
        "user_id",
        "is_answered",
        "is_staff_answered",
        "deleted_at",
        "created_at",
    ],
    "ThreadDetail": ["answers", "comments"],
    "UserSummary": ["id", "name", "role", "email", "username"],
}


@pytest.mark.parametrize("name", sorted(MODEL_FIELDS))
def test_model_has_contracted_fields(name: str) -> None:
    model = getattr(models, name)
    assert issubclass(model, models.FlexibleModel)
    for field in MODEL_FIELDS[name]:
        assert field in model.model_fields, f"{name}.{field}"
    assert model.model_config.get("extra") == "allow"


def test_model_subclassing_matches_contract() -> None:
    assert issubclass(models.LessonDetail, models.LessonSummary)
    assert issubclass(models.ThreadDetail, models.ThreadSummary)
    assert issubclass(models.FlexibleModel, pydantic.BaseModel)


def test_timestamps_stay_strings() -> None:
    hints = get_type_hints(models.ThreadSummary)
    assert hints["created_at"] == str | None
    assert hints["deleted_at"] == str | None


def test_iterator_return_types_of_twins() -> None:
    sync_hints = get_type_hints(threads.Threads.iter_all)
    async_hints = get_type_hints(threads.AsyncThreads.iter_all)
    assert sync_hints["return"] == Iterator[models.ThreadSummary]
    assert async_hints["return"] == AsyncIterator[models.ThreadSummary]
