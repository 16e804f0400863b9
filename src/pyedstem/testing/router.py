"""Route table, request parsing and error replies of the sandbox API.

A route is a method, a path template such as ``/threads/{thread_id}`` (relative
to ``/api``) and a function from :class:`Context` to :class:`Reply`. Path
parameters whose names end in ``_id`` or ``_number`` match digits only, so
``/threads/abc`` is a 404 like any unknown path.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from pyedstem.testing.state import SandboxState
from pyedstem.testing.world import Course, Enrollment, User


class ApiError(Exception):
    """An Ed error reply: a status with a ``{code, message}`` JSON body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def not_found(what: str) -> ApiError:
    """Return a 404 error for a missing object or route."""
    return ApiError(404, "not_found", f"{what} not found")


def forbidden(message: str = "You do not have permission to do this") -> ApiError:
    """Return a 403 error."""
    return ApiError(403, "forbidden", message)


def bad_request(message: str, code: str = "bad_request") -> ApiError:
    """Return a 400 error."""
    return ApiError(400, code, message)


@dataclass(slots=True)
class Reply:
    """A route's reply before faults and transport are applied.

    Attributes:
        status: HTTP status code.
        body: A JSON value to encode, raw bytes, or None for an empty body.
        content_type: Content type of raw bytes; JSON bodies ignore it.
        headers: Extra response headers.
    """

    status: int = 200
    body: Any = None
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_json(self) -> bool:
        """Whether ``body`` is a JSON value rather than bytes or nothing."""
        return self.body is not None and not isinstance(self.body, bytes)


def empty(status: int = 204) -> Reply:
    """Return an empty-body reply (Ed sends these for lock, star, complete...)."""
    return Reply(status=status)


@dataclass(slots=True)
class FormPart:
    """One part of a multipart or urlencoded form."""

    name: str
    value: bytes
    filename: str | None = None
    content_type: str = "text/plain"

    @property
    def text(self) -> str:
        """The part's value decoded as UTF-8."""
        return self.value.decode("utf-8", errors="replace")


@dataclass(slots=True)
class Request:
    """A parsed request, with its path relative to ``/api``."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    def param(self, name: str) -> str | None:
        """Return the last value of a query parameter, or None."""
        found = None
        for key, value in self.query:
            if key == name:
                found = value
        return found

    def int_param(self, name: str, default: int | None = None) -> int | None:
        """Return an integer query parameter.

        Raises:
            ApiError: 400 if the value is not an integer.
        """
        value = self.param(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise bad_request(f"Invalid {name}: {value!r} is not an integer") from None

    def flag(self, name: str) -> bool:
        """Check whether a query flag such as ``view=1`` is set to a true value."""
        return (self.param(name) or "").lower() in ("1", "true", "yes")

    def json(self) -> Any:
        """Decode the JSON body.

        Raises:
            ApiError: 400 ``invalid_json`` for an empty or malformed body.
        """
        if not self.body:
            raise bad_request("Request body must be JSON", "invalid_json")
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise bad_request(f"Invalid JSON body: {error}", "invalid_json") from None

    def json_object(self, key: str) -> dict[str, Any]:
        """Return the object under ``key`` of a JSON body like ``{"thread": {...}}``.

        Raises:
            ApiError: 400 if the body or the key is missing or not an object.
        """
        body = self.json()
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise bad_request(f"Missing {key}", f"missing_{key}")
        value: dict[str, Any] = body[key]
        return value

    def form(self) -> list[FormPart]:
        """Parse a ``multipart/form-data`` or urlencoded body into parts.

        Returns an empty list for any other content type.
        """
        content_type = self.headers.get("content-type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            pairs = parse_qs(
                self.body.decode("utf-8", "replace"), keep_blank_values=True
            )
            return [
                FormPart(name, value.encode())
                for name, values in pairs.items()
                for value in values
            ]
        if not content_type.startswith("multipart/form-data"):
            return []
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        parser = email.parser.BytesParser(policy=email.policy.HTTP)
        message = parser.parsebytes(head + self.body)
        parts = []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            payload = part.get_payload(decode=True)
            parts.append(
                FormPart(
                    name=name,
                    value=payload if isinstance(payload, bytes) else b"",
                    filename=part.get_filename(),
                    content_type=part.get_content_type(),
                )
            )
        return parts


@dataclass(slots=True)
class Context:
    """The input of a route function.

    Attributes:
        request: The parsed request.
        params: Path parameters (digits converted to int).
        state: The sandbox state.
        user: The authenticated user, or None on routes without auth.
    """

    request: Request
    params: dict[str, Any]
    state: SandboxState
    user: User | None

    @property
    def user_id(self) -> int:
        """The authenticated user's id (0 when unauthenticated)."""
        return self.user.id if self.user is not None else 0

    def course(self, course_id: int) -> tuple[Course, Enrollment]:
        """Return a course the caller belongs to, with the caller's enrollment.

        Raises:
            ApiError: 404 if the course does not exist, 403 if the caller is
                not enrolled in it.
        """
        course = self.state.courses.get(course_id)
        if course is None:
            raise not_found("Course")
        enrollment = self.state.enrollment(self.user_id, course_id)
        if enrollment is None:
            raise forbidden("You are not enrolled in this course")
        return course, enrollment

    def staff_course(self, course_id: int) -> tuple[Course, Enrollment]:
        """Like :meth:`course`, but also require a staff role (403 otherwise)."""
        course, enrollment = self.course(course_id)
        if not enrollment.is_staff:
            raise forbidden("Only course staff can do this")
        return course, enrollment

    def is_staff(self, course_id: int) -> bool:
        """Check whether the caller has a staff role in the course."""
        return self.state.is_staff(self.user_id, course_id)


Handler = Callable[[Context], Reply]

_PARAM = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class Route:
    """One method and path template with its handler."""

    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool


class Router:
    """Route table; resolves a method and path to a route and its parameters."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self._static: dict[tuple[str, str], Route] = {}

    def add(
        self, method: str, template: str, *, auth: bool = True
    ) -> Callable[[Handler], Handler]:
        """Register the decorated function for ``method`` and ``template``."""

        def register(handler: Handler) -> Handler:
            regex = _PARAM.sub(
                self._param_pattern,
                re.escape(template).replace(r"\{", "{").replace(r"\}", "}"),
            )
            route = Route(method, template, re.compile(f"^{regex}$"), handler, auth)
            self.routes.append(route)
            if "{" not in template:
                self._static[(method, template)] = route
            return handler

        return register

    @staticmethod
    def _param_pattern(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.endswith(("_id", "_number")) and name != "file_id":
            return f"(?P<{name}>[0-9]+)"
        return f"(?P<{name}>[^/]+)"

    def include(self, routes: Iterable[Route]) -> None:
        """Add routes built by another router."""
        for route in routes:
            self.routes.append(route)
            if "{" not in route.template:
                self._static[(route.method, route.template)] = route

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, Any]] | None:
        """Return the route for ``method`` and ``path`` with its parameters."""
        route = self._static.get((method, path))
        if route is not None:
            return route, {}
        for route in self.routes:
            if route.method != method:
                continue
            match = route.pattern.match(path)
            if match is not None:
                params: dict[str, Any] = {
                    key: int(value) if value.isdigit() else value
                    for key, value in match.groupdict().items()
                }
                return route, params
        return None
