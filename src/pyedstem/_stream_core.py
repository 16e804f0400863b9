"""The live stream's protocol, free of I/O, shared by the sync and async streams.

Ed's websocket at ``/api/stream`` takes JSON messages with an ``id`` and a
``type`` and sends back replies with the same ``id`` and events without one.
`StreamProtocol` numbers requests, keeps the subscriptions for a reconnect,
and sorts incoming frames into replies and `StreamEvent` objects. The
stream's control flow is written once as steps: generators that yield the
I/O `Action` they need, which the sync and async streams perform.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError as PydanticValidationError

from ._constants import (
    STREAM_RECONNECT_INITIAL_SECONDS,
    STREAM_RECONNECT_MAX_SECONDS,
)
from .errors import (
    APIConnectionError,
    ConfigurationError,
    EdStemError,
    make_status_error,
)
from .models import CommentSummary, ThreadSummary

logger = logging.getLogger("pyedstem.stream")

T = TypeVar("T")

STREAM_PATH = "/stream"

RECONNECTED = "stream.reconnected"
"""Type of the event a stream yields after it reopened a lost connection.

Events sent while the connection was down are lost; re-read what matters.
"""


class StreamError(EdStemError):
    """Ed rejected a stream request, such as a subscription, with an error reply.

    Attributes:
        code: Ed's error code, such as ``"forbidden"``.
    """

    def __init__(self, message: str, *, code: str | None) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One event from the live stream, such as ``thread.new``.

    Attributes:
        type: The event type: ``thread.new``, ``thread.update``,
            ``thread.delete``, ``comment.new``, ``comment.update``,
            ``comment.delete``, ``course.count``, ``chat.init`` or
            `RECONNECTED`.
        data: The event's payload as Ed sent it.
    """

    type: str
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def thread(self) -> ThreadSummary | None:
        """The thread of a ``thread.*`` event, or None.

        ``thread.update`` payloads may be partial; one that lacks a required
        field gives None, and the fields stay readable in `data`.
        """
        raw = self.data.get("thread")
        if not isinstance(raw, Mapping):
            return None
        try:
            return ThreadSummary.model_validate(raw)
        except PydanticValidationError:
            return None

    @property
    def comment(self) -> CommentSummary | None:
        """The answer or comment of a ``comment.*`` event, or None."""
        raw = self.data.get("comment")
        if not isinstance(raw, Mapping):
            return None
        try:
            return CommentSummary.model_validate(raw)
        except PydanticValidationError:
            return None

    @property
    def count(self) -> int | None:
        """The ``count`` of a ``course.count`` event, or None for other events.

        Ed does not document the number. One other client reads it as the
        number of people online in the course.
        """
        value = self.data.get("count") if self.type == "course.count" else None
        return value if isinstance(value, int) else None

    @property
    def course_id(self) -> int | None:
        """The id of the course the event is about, or None.

        A ``course.count`` event names it in ``id``; other events carry it
        in their thread or comment.
        """
        if self.type == "course.count":
            candidates = [self.data.get("id")]
        else:
            candidates = [
                item.get("course_id")
                for item in (self.data.get("thread"), self.data.get("comment"))
                if isinstance(item, Mapping)
            ]
        return next((c for c in candidates if isinstance(c, int)), None)

    @property
    def thread_id(self) -> int | None:
        """The id of the thread the event is about, or None."""
        thread = self.data.get("thread")
        comment = self.data.get("comment")
        candidates = [
            self.data.get("thread_id"),
            thread.get("id") if isinstance(thread, Mapping) else None,
            comment.get("thread_id") if isinstance(comment, Mapping) else None,
        ]
        return next((c for c in candidates if isinstance(c, int)), None)


@dataclass(frozen=True, slots=True)
class StreamReply:
    """A reply to one of the client's own requests."""

    id: int
    type: str
    data: Any

    def result(self) -> Any:
        """Return the reply's data, or raise `StreamError` for an error reply."""
        if self.type != "error":
            return self.data
        error = self.data if isinstance(self.data, Mapping) else {}
        message = error.get("message") or "the stream request failed"
        raise StreamError(f"Ed's stream replied: {message}", code=error.get("code"))


class StreamProtocol:
    """Message numbering, subscriptions and frame parsing for one stream."""

    def __init__(self) -> None:
        self._next_id = 0
        self.subscriptions: list[int] = []

    def request(self, message_type: str, **fields: Any) -> tuple[int, str]:
        """Return a new request's id and its JSON text."""
        self._next_id += 1
        message = {"id": self._next_id, "type": message_type, **fields}
        return self._next_id, json.dumps(message)

    def subscribe(self, course_id: int) -> tuple[int, str]:
        """Return a course subscription request and remember the course."""
        if course_id not in self.subscriptions:
            self.subscriptions.append(course_id)
        return self.request("course.subscribe", oid=course_id)

    def parse(self, text: str | bytes) -> StreamReply | StreamEvent | None:
        """Sort one frame into a reply or an event; None for a frame to skip."""
        try:
            message = json.loads(text)
        except ValueError:
            logger.warning("Skipped a stream frame that is not JSON")
            return None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            logger.warning("Skipped a stream frame without a type")
            return None
        data = message.get("data")
        if isinstance(message.get("id"), int):
            return StreamReply(message["id"], message["type"], data)
        return StreamEvent(message["type"], data if isinstance(data, Mapping) else {})


def stream_url(base_url: str) -> str:
    """Return the websocket URL of the stream beside an API base URL."""
    if base_url.startswith("https://"):
        return "wss://" + base_url.removeprefix("https://") + STREAM_PATH
    if base_url.startswith("http://"):
        return "ws://" + base_url.removeprefix("http://") + STREAM_PATH
    raise ConfigurationError(f"Cannot derive a stream URL from {base_url!r}.")


def reconnect_delay(attempt: int) -> float:
    """Return the seconds to wait before reconnect attempt `attempt` (1-based)."""
    ceiling: float = min(
        STREAM_RECONNECT_MAX_SECONDS,
        STREAM_RECONNECT_INITIAL_SECONDS * 2.0 ** (attempt - 1),
    )
    return ceiling * (0.5 + 0.5 * random.random())


def handshake_error(exc: Exception) -> EdStemError:
    """Map a failed websocket handshake to the pyedstem exception to raise."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if isinstance(status, int):
        headers = getattr(response, "headers", {}) or {}
        return make_status_error(
            status_code=status,
            method="GET",
            path=STREAM_PATH,
            content=bytes(getattr(response, "body", b"") or b""),
            headers={k.lower(): v for k, v in dict(headers).items()},
        )
    return APIConnectionError(
        f"the stream connection failed ({type(exc).__name__})",
        method="GET",
        path=STREAM_PATH,
    )


def is_retryable(error: EdStemError) -> bool:
    """Decide whether a failed connection attempt is worth repeating."""
    status = getattr(error, "status_code", None)
    return status is None or status in (429, 502, 503, 504)


class QuietLogger(logging.LoggerAdapter[logging.Logger]):
    """A logger for websockets that drops its DEBUG records.

    websockets logs the handshake headers, which carry the API token, and
    every frame, which carries students' posts, at DEBUG level.
    """

    def isEnabledFor(self, level: int) -> bool:
        return level > logging.DEBUG and self.logger.isEnabledFor(level)

    def debug(self, msg: object, *args: object, **kwargs: Any) -> None:
        return


def missing_websockets() -> ConfigurationError:
    """Build the error for a stream opened without the websockets package."""
    return ConfigurationError(
        "The live stream needs the websockets package; install it with "
        "pip install 'pyedstem[stream]'."
    )


class ConnectionLost(Exception):
    """The open websocket closed; the drivers throw this into a stream step."""


@dataclass(frozen=True, slots=True)
class Connect:
    """Step action: open a new websocket, closing any old one."""


@dataclass(frozen=True, slots=True)
class Send:
    """Step action: send one text frame."""

    text: str


@dataclass(frozen=True, slots=True)
class Receive:
    """Step action: wait for one frame, at most `timeout` seconds if given."""

    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class Sleep:
    """Step action: wait before the next reconnect attempt."""

    seconds: float


Action = Connect | Send | Receive | Sleep
Step = Generator[Action, Any, T]
