"""Requests and operations, free of I/O, shared by the sync and async clients.

An operation is a generator that yields the `APIRequest` it needs next and
receives the `APIResponse` (or has the pipeline's exception thrown into it).
Each endpoint is written once as an operation; the sync and async clients
differ only in how they send the requests, in `run_sync` and `run_async`.
Operations that take several requests, such as an edit of a locked thread,
use ordinary ``try``/``finally`` around their ``yield``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import pydantic

from .errors import EdStemError, InvalidArgumentError, ResponseValidationError

T = TypeVar("T")

QueryValue = str | int | float | bool | None
Expect = Literal["json", "empty", "bytes", "text"]


@dataclass(frozen=True, slots=True)
class APIRequest:
    """One HTTP request to Ed, described without sending it.

    Attributes:
        method: The HTTP method.
        route: The path template relative to the API base, such as
            ``/threads/{thread_id}``; logs and errors show it.
        path_params: Values for the template's fields.
        params: Query parameters; None values are left out.
        json: A JSON body.
        data: A form-encoded body.
        files: Multipart parts: field name to (file name, bytes, content type).
        expect: What the body of a success holds.
    """

    method: str
    route: str
    path_params: Mapping[str, int | str] = field(default_factory=dict)
    params: Mapping[str, QueryValue] | None = None
    json: Any = None
    data: Mapping[str, str] | None = None
    files: Mapping[str, tuple[str, bytes, str]] | None = None
    expect: Expect = "json"

    @property
    def path(self) -> str:
        """The route with its path parameters filled in and percent-encoded."""
        values = {k: quote(str(v), safe="") for k, v in self.path_params.items()}
        return self.route.format(**values)

    @property
    def query(self) -> dict[str, str]:
        """The query parameters as strings, without unset values."""
        if not self.params:
            return {}
        query: dict[str, str] = {}
        for key, value in self.params.items():
            if value is None:
                continue
            if isinstance(value, bool):
                query[key] = "1" if value else "0"
            else:
                query[key] = str(value)
        return query

    @property
    def is_write(self) -> bool:
        """Whether the request may change state on Ed."""
        return self.method not in ("GET", "HEAD")


@dataclass(frozen=True, slots=True)
class APIResponse:
    """A successful response as the operations see it."""

    request: APIRequest
    status_code: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        """Decode the body as JSON; an empty body gives None.

        Raises:
            ResponseValidationError: The body is not valid JSON.
        """
        if not self.content.strip():
            return None
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise self.invalid("the body is not valid JSON") from exc

    def json_object(self) -> dict[str, Any]:
        """Decode the body as a JSON object.

        Raises:
            ResponseValidationError: The body is not a JSON object.
        """
        body = self.json()
        if not isinstance(body, dict):
            raise self.invalid(f"expected a JSON object, got {type(body).__name__}")
        return body

    def field(self, key: str, default: Any = ...) -> Any:
        """Return one top-level field of a JSON object body.

        Raises:
            ResponseValidationError: The field is missing and no default is given.
        """
        body = self.json_object()
        if key in body:
            return body[key]
        if default is ...:
            raise self.invalid(f"the field {key!r} is missing")
        return default

    def invalid(self, reason: str) -> ResponseValidationError:
        """Build the error for a body that does not have the expected shape."""
        excerpt = self.content[:200].decode("utf-8", errors="replace")
        return ResponseValidationError(
            f"Unexpected response from {self.request.method} "
            f"{self.request.route}: {reason}",
            method=self.request.method,
            path=self.request.path,
            route=self.request.route,
            body_excerpt=excerpt,
        )


Operation = Generator[APIRequest, APIResponse, T]


def single(request: APIRequest, parse: Callable[[APIResponse], T]) -> Operation[T]:
    """Build an operation of one request and a parser for its response."""
    response = yield request
    return parse(response)


def parse_response(response: APIResponse, parse: Callable[[APIResponse], T]) -> T:
    """Apply a parser, turning a model mismatch into `ResponseValidationError`.

    Raises:
        ResponseValidationError: The body does not fit the expected models.
    """
    try:
        return parse(response)
    except pydantic.ValidationError as exc:
        fields = sorted({".".join(map(str, e["loc"])) for e in exc.errors()})[:5]
        raise response.invalid(
            f"{exc.error_count()} field(s) do not fit the model "
            f"{exc.title}: {', '.join(fields)}"
        ) from exc


def run_sync(operation: Operation[T], send: Callable[[APIRequest], APIResponse]) -> T:
    """Drive an operation to its result with a blocking `send`."""
    try:
        request = next(operation)
        while True:
            try:
                response = send(request)
            except EdStemError as exc:
                request = operation.throw(exc)
            else:
                request = parse_response(response, operation.send)
    except StopIteration as stop:
        result: T = stop.value
        return result


async def run_async(
    operation: Operation[T], send: Callable[[APIRequest], Awaitable[APIResponse]]
) -> T:
    """Drive an operation to its result with an awaitable `send`."""
    try:
        request = next(operation)
        while True:
            try:
                response = await send(request)
            except EdStemError as exc:
                request = operation.throw(exc)
            else:
                request = parse_response(response, operation.send)
    except StopIteration as stop:
        result: T = stop.value
        return result


def check_id(name: str, value: object) -> int:
    """Check that an Ed id is a positive integer before it goes into a path.

    Raises:
        InvalidArgumentError: The value is not a positive integer.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidArgumentError(
            f"{name} must be a positive integer Ed id, got {value!r}."
        )
    return value
