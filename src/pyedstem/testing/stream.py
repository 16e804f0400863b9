"""The live stream hub behind ``/api/stream`` (Ed's websocket).

The hub turns state changes into Ed's stream events and queues them on every
connection subscribed to the course, skipping private threads and comments
that the connection's user may not see. It is independent of the web server:
the aiohttp server registers each websocket as a :class:`StreamConnection`
and pumps its queue. Test hooks: :meth:`StreamHub.push` sends any event,
:meth:`StreamHub.close_all` ends every connection (to test reconnects) and
:meth:`StreamHub.reject_handshakes` makes the next handshakes fail.

Client messages are JSON objects with an ``id`` and a ``type``:
``course.subscribe`` (with ``oid``, a course id) is acknowledged as
``{"id": n, "type": "course.subscribe", "data": {}}`` and followed by a
``course.count`` event. The reply to ``thread.unreadCounts`` contains the
unread thread count of each of the user's courses.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyedstem.testing.render import comment_json, thread_json
from pyedstem.testing.state import SandboxState, StateEvent
from pyedstem.testing.world import JSONObject

logger = logging.getLogger(__name__)

CLOSE = object()
"""Queue marker that makes a connection's writer close the websocket."""

CLOSE_CODE_RESTART = 1012
"""Websocket close code for "service restart", sent by :meth:`StreamHub.close_all`."""


@dataclass(eq=False, slots=True)
class StreamConnection:
    """One open websocket: its user, subscriptions and outgoing queue."""

    user_id: int
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Any]
    owner: object = None
    subscriptions: set[int] = field(default_factory=set)

    def send(self, message: JSONObject | object) -> None:
        """Queue a message (or :data:`CLOSE`) from any thread."""
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, message)
        except RuntimeError:
            logger.debug("stream connection of user %s: loop closed", self.user_id)


class StreamHub:
    """Routes state changes and test events to websocket connections.

    Attributes:
        received: Every JSON message clients sent, in arrival order.
        sent_events: Every event the hub queued, as ``(user_id, message)``.
    """

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.received: list[JSONObject] = []
        self.sent_events: list[tuple[int, JSONObject]] = []
        self._connections: list[StreamConnection] = []
        self._rejections: list[int] = []
        self._changed = threading.Condition()
        state.add_listener(self._on_state_event)

    # Connections

    def connect(
        self, user_id: int, loop: asyncio.AbstractEventLoop, owner: object = None
    ) -> StreamConnection:
        """Register a new connection and queue Ed's ``chat.init`` greeting."""
        connection = StreamConnection(user_id, loop, asyncio.Queue(), owner)
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        connection.send({"type": "chat.init", "data": {}})
        return connection

    def disconnect(self, connection: StreamConnection) -> None:
        """Forget a closed connection."""
        with self._changed:
            if connection in self._connections:
                self._connections.remove(connection)
            self._changed.notify_all()

    def connections(self, owner: object = None) -> list[StreamConnection]:
        """Return the open connections (of one server when ``owner`` is given)."""
        with self._changed:
            return [c for c in self._connections if owner is None or c.owner is owner]

    @property
    def connection_count(self) -> int:
        """How many websockets are open."""
        return len(self.connections())

    def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Wait until ``condition()`` is true after a connection change or event.

        Returns:
            Whether the condition became true before ``timeout`` seconds passed.
        """
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    def wait_for_subscribers(
        self, course_id: int, count: int = 1, timeout: float = 5.0
    ) -> bool:
        """Wait until ``count`` connections have subscribed to ``course_id``."""
        return self.wait_for(
            lambda: (
                sum(course_id in c.subscriptions for c in self._connections) >= count
            ),
            timeout,
        )

    # Test hooks

    def push(
        self, event_type: str, data: JSONObject, *, course_id: int | None = None
    ) -> int:
        """Send an arbitrary event to every connection or to a course's subscribers.

        Returns:
            How many connections the event was queued on.
        """
        message = {"type": event_type, "data": data}
        targets = [
            c
            for c in self.connections()
            if course_id is None or course_id in c.subscriptions
        ]
        for connection in targets:
            self._send(connection, message)
        return len(targets)

    def close_all(self, owner: object = None) -> int:
        """Close every open websocket with code 1012, as a server restart would.

        Returns:
            How many connections were asked to close.
        """
        targets = self.connections(owner)
        for connection in targets:
            connection.send(CLOSE)
        return len(targets)

    def reject_handshakes(self, status: int = 503, times: int = 1) -> None:
        """Make the next ``times`` handshakes fail with ``status`` (e.g. 503 or 401)."""
        with self._changed:
            self._rejections.extend([status] * times)

    def take_rejection(self) -> int | None:
        """Return the status for a handshake that must fail, or None."""
        with self._changed:
            return self._rejections.pop(0) if self._rejections else None

    # Messages

    def _send(self, connection: StreamConnection, message: JSONObject) -> None:
        with self._changed:
            self.sent_events.append((connection.user_id, message))
            self._changed.notify_all()
        connection.send(message)

    def receive(self, connection: StreamConnection, text: str) -> None:
        """Handle one text frame from a client."""
        try:
            message = json.loads(text)
        except json.JSONDecodeError:
            message = None
        if not isinstance(message, dict):
            self._send(
                connection, {"type": "error", "data": {"message": "invalid message"}}
            )
            return
        with self._changed:
            self.received.append(message)
            self._changed.notify_all()
        kind = message.get("type")
        message_id = message.get("id")
        if kind == "course.subscribe":
            self._subscribe(connection, message_id, message.get("oid"))
        elif kind == "thread.unreadCounts":
            with self.state.lock:
                counts = self._unread_counts(connection.user_id)
            self._send(connection, {"id": message_id, "type": kind, "data": counts})
        else:
            error = {
                "code": "unknown_type",
                "message": f"unknown message type {kind!r}",
            }
            self._send(connection, {"id": message_id, "type": "error", "data": error})

    def _subscribe(
        self, connection: StreamConnection, message_id: Any, course_id: Any
    ) -> None:
        enrolled = isinstance(course_id, int) and (
            self.state.enrollment(connection.user_id, course_id) is not None
        )
        if not enrolled:
            error = {
                "code": "forbidden",
                "message": f"cannot subscribe to course {course_id!r}",
            }
            self._send(connection, {"id": message_id, "type": "error", "data": error})
            return
        with self._changed:
            connection.subscriptions.add(course_id)
            self._changed.notify_all()
        self._send(
            connection, {"id": message_id, "type": "course.subscribe", "data": {}}
        )
        count = sum(course_id in c.subscriptions for c in self.connections())
        self.push(
            "course.count", {"id": course_id, "count": count}, course_id=course_id
        )

    def _unread_counts(self, user_id: int) -> JSONObject:
        counts: JSONObject = {}
        seen = self.state.seen_map(user_id)
        for enrollment in self.state.enrollments_of(user_id):
            unread = sum(
                1
                for thread in self.state.course_threads(enrollment.course_id)
                if thread.id not in seen and self.state.can_see_thread(user_id, thread)
            )
            counts[str(enrollment.course_id)] = {"unread": unread}
        return counts

    # State events

    def _may_see(self, user_id: int, event: StateEvent) -> bool:
        thread = self.state.threads[event.thread_id]
        staff = self.state.is_staff(user_id, thread.course_id)
        if thread.is_private and not staff and thread.user_id != user_id:
            return False
        if event.comment_id is not None:
            comment = self.state.comments[event.comment_id]
            if comment.is_private and not staff and comment.user_id != user_id:
                return False
        return True

    def _event_message(self, event: StateEvent) -> JSONObject:
        state = self.state
        if event.type == "thread.delete":
            return {"type": event.type, "data": {"thread_id": event.thread_id}}
        if event.type == "comment.delete":
            data = {"comment_id": event.comment_id, "thread_id": event.thread_id}
            return {"type": event.type, "data": data}
        if event.comment_id is not None:
            comment = comment_json(state, state.comments[event.comment_id], None)
            return {"type": event.type, "data": {"comment": comment}}
        thread = thread_json(
            state, state.threads[event.thread_id], None, with_user=True
        )
        return {"type": event.type, "data": {"thread": thread}}

    def _on_state_event(self, event: StateEvent) -> None:
        targets = [
            c
            for c in self.connections()
            if event.course_id in c.subscriptions and self._may_see(c.user_id, event)
        ]
        if not targets:
            return
        message = self._event_message(event)
        for connection in targets:
            self._send(connection, message)
