"""The live stream: Ed's websocket of new and changed threads and comments.

Open it from a client, subscribe to courses and iterate over the events::

    with client.stream(course_id) as stream:
        for event in stream:
            if event.type == "thread.new":
                print(event.thread.title)

The stream pings the server to keep the connection open. When the
connection drops, it reconnects with capped backoff, subscribes again and
yields a `RECONNECTED` event, because events sent in the gap are lost.
Requests (`subscribe`, `unread_counts`) read frames until their reply
arrives, so call them from the task or thread that iterates.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from ._constants import (
    STREAM_MAX_RECONNECT_ATTEMPTS,
    STREAM_OPEN_TIMEOUT_SECONDS,
    STREAM_PING_INTERVAL_SECONDS,
    STREAM_REPLY_TIMEOUT_SECONDS,
)
from ._operation import check_id
from ._stream_core import (
    RECONNECTED,
    STREAM_PATH,
    Action,
    Connect,
    ConnectionLost,
    QuietLogger,
    Receive,
    Send,
    Sleep,
    Step,
    StreamError,
    StreamEvent,
    StreamProtocol,
    StreamReply,
    T,
    handshake_error,
    is_retryable,
    logger,
    missing_websockets,
    reconnect_delay,
)
from .errors import APIConnectionError, APITimeoutError, EdStemError

__all__ = ["RECONNECTED", "AsyncEdStream", "EdStream", "StreamError", "StreamEvent"]


class _StreamSteps:
    """The stream's control flow as steps, shared by both stream classes."""

    def __init__(
        self, course_ids: Sequence[int], *, reconnect: bool, max_reconnects: int
    ) -> None:
        self.protocol = StreamProtocol()
        self.pending = [check_id("course_id", c) for c in course_ids]
        self.reconnect = reconnect
        self.max_reconnects = max_reconnects
        self.buffer: deque[StreamEvent] = deque()
        self.closed = False

    def open(self) -> Step[None]:
        yield Connect()
        for course_id in self.pending:
            yield from self.subscribe(course_id)

    def subscribe(self, course_id: int) -> Step[None]:
        message_id, text = self.protocol.subscribe(check_id("course_id", course_id))
        yield Send(text)
        (yield from self.reply(message_id)).result()

    def unread_counts(self) -> Step[dict[int, int]]:
        message_id, text = self.protocol.request("thread.unreadCounts")
        yield Send(text)
        data = (yield from self.reply(message_id)).result()
        counts = data if isinstance(data, Mapping) else {}
        return {
            int(course): int(value.get("unread", 0))
            for course, value in counts.items()
            if str(course).isdigit() and isinstance(value, Mapping)
        }

    def reply(self, message_id: int) -> Step[StreamReply]:
        """Read frames until the reply to `message_id`, keeping events for later."""
        while True:
            try:
                frame = yield Receive(STREAM_REPLY_TIMEOUT_SECONDS)
            except ConnectionLost as exc:
                raise APIConnectionError(
                    "the stream closed before Ed replied",
                    method="GET",
                    path=STREAM_PATH,
                ) from exc
            item = self.protocol.parse(frame)
            if isinstance(item, StreamEvent):
                self.buffer.append(item)
            elif isinstance(item, StreamReply) and item.id == message_id:
                return item

    def next_event(self) -> Step[StreamEvent | None]:
        """Return the next event, reconnecting if allowed; None once closed."""
        while not self.buffer:
            try:
                frame = yield Receive()
            except ConnectionLost:
                if self.closed:
                    return None
                yield from self.recover()
                return StreamEvent(RECONNECTED)
            item = self.protocol.parse(frame)
            if isinstance(item, StreamEvent):
                return item
        return self.buffer.popleft()

    def recover(self) -> Step[None]:
        """Reopen a lost connection and subscribe to every course again."""
        if not self.reconnect:
            raise APIConnectionError(
                "the stream connection closed; open a new stream",
                method="GET",
                path=STREAM_PATH,
            )
        for attempt in range(1, self.max_reconnects + 1):
            delay = reconnect_delay(attempt)
            logger.info(
                "Stream connection lost; reconnecting in %.1f s (attempt %d of %d)",
                delay,
                attempt,
                self.max_reconnects,
            )
            yield Sleep(delay)
            try:
                yield Connect()
                for course_id in self.protocol.subscriptions:
                    yield from self.subscribe(course_id)
            except EdStemError as error:
                if not is_retryable(error):
                    raise
                logger.info("Stream reconnect attempt %d failed: %s", attempt, error)
                continue
            return
        raise APIConnectionError(
            f"the stream could not reconnect after {self.max_reconnects} attempts",
            method="GET",
            path=STREAM_PATH,
        )


class _StreamSettings:
    """The connection settings and protocol state both stream classes keep."""

    def __init__(
        self,
        url: str,
        headers: Mapping[str, str],
        *,
        course_ids: Sequence[int] = (),
        reconnect: bool = True,
        max_reconnect_attempts: int = STREAM_MAX_RECONNECT_ATTEMPTS,
    ) -> None:
        self._url = url
        self._headers = dict(headers)
        self._steps = _StreamSteps(
            course_ids, reconnect=reconnect, max_reconnects=max_reconnect_attempts
        )
        self._socket: Any = None


def _connect_options(headers: Mapping[str, str]) -> dict[str, Any]:
    return {
        "additional_headers": dict(headers),
        "user_agent_header": None,
        "open_timeout": STREAM_OPEN_TIMEOUT_SECONDS,
        "ping_interval": STREAM_PING_INTERVAL_SECONDS,
        "ping_timeout": STREAM_PING_INTERVAL_SECONDS,
        "logger": QuietLogger(logger, {}),
    }


class EdStream(_StreamSettings):
    """A blocking connection to Ed's live stream; iterate it for events.

    Build one with ``client.stream(course_id, ...)``; it connects when the
    ``with`` block starts or when `open` is called.

    Args:
        url: The websocket URL, such as ``wss://edstem.org/api/stream``.
        headers: The handshake headers, with the ``Authorization`` header.
        course_ids: Courses to subscribe to on connecting.
        reconnect: Reopen a lost connection instead of raising.
        max_reconnect_attempts: Attempts before giving up on a lost connection.
    """

    def open(self) -> Self:
        """Connect and subscribe to the courses given at construction.

        Returns:
            The stream itself, connected and subscribed.

        Raises:
            AuthenticationError: Ed rejected the token.
            StreamError: Ed rejected a subscription.
            APITimeoutError: Ed sent no reply to a subscription in time.
            APIConnectionError: The connection failed.
            ConfigurationError: The websockets package is not installed.
        """
        self._drive(self._steps.open())
        return self

    def subscribe(self, course_id: int) -> None:
        """Subscribe to a course's events; kept across reconnects.

        Args:
            course_id: Numeric Ed course id.

        Raises:
            InvalidArgumentError: ``course_id`` is not a positive integer.
            StreamError: Ed rejected the subscription, for example because
                the token's user is not in the course.
            APITimeoutError: Ed sent no reply in time.
            APIConnectionError: The stream closed before Ed replied.
        """
        self._drive(self._steps.subscribe(course_id))

    def unread_counts(self) -> dict[int, int]:
        """Return the number of unread threads in each of the user's courses.

        Returns:
            The unread thread count of each course, by course id.

        Raises:
            StreamError: Ed replied with an error.
            APITimeoutError: Ed sent no reply in time.
            APIConnectionError: The stream closed before Ed replied.
        """
        return self._drive(self._steps.unread_counts())

    def close(self) -> None:
        """Close the connection; iteration then ends."""
        self._steps.closed = True
        if self._socket is not None:
            self._socket.close()

    def __iter__(self) -> Iterator[StreamEvent]:
        while (event := self._drive(self._steps.next_event())) is not None:
            yield event

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _drive(self, step: Step[T]) -> T:
        try:
            action = next(step)
            while True:
                try:
                    result = self._perform(action)
                except (ConnectionLost, EdStemError) as exc:
                    action = step.throw(exc)
                else:
                    action = step.send(result)
        except StopIteration as stop:
            value: T = stop.value
            return value

    def _perform(self, action: Action) -> Any:
        try:
            from websockets.exceptions import ConnectionClosed, InvalidHandshake
            from websockets.sync.client import connect
        except ImportError as exc:
            raise missing_websockets() from exc
        if isinstance(action, Sleep):
            time.sleep(action.seconds)
        elif isinstance(action, Connect):
            if self._socket is not None:
                self._socket.close()
            try:
                # websockets 17.1 and later warn unless the connection is
                # entered as a context manager; `close` ends it.
                socket = connect(self._url, **_connect_options(self._headers))
                self._socket = socket.__enter__()
            except (InvalidHandshake, OSError) as exc:
                raise handshake_error(exc) from exc
        elif isinstance(action, Send):
            try:
                self._socket.send(action.text)
            except ConnectionClosed as exc:
                raise ConnectionLost from exc
        else:
            try:
                return self._socket.recv(timeout=action.timeout)
            except ConnectionClosed as exc:
                raise ConnectionLost from exc
            except TimeoutError as exc:
                raise _reply_timeout() from exc
        return None


class AsyncEdStream(_StreamSettings):
    """An asyncio connection to Ed's live stream, the twin of `EdStream`.

    Use ``async with client.stream(course_id) as stream`` and ``async for``.
    """

    async def open(self) -> Self:
        """Connect and subscribe to the courses given at construction.

        Returns:
            The stream itself, connected and subscribed.

        Raises:
            AuthenticationError: Ed rejected the token.
            StreamError: Ed rejected a subscription.
            APITimeoutError: Ed sent no reply to a subscription in time.
            APIConnectionError: The connection failed.
            ConfigurationError: The websockets package is not installed.
        """
        await self._drive(self._steps.open())
        return self

    async def subscribe(self, course_id: int) -> None:
        """Subscribe to a course's events; kept across reconnects.

        Args:
            course_id: Numeric Ed course id.

        Raises:
            InvalidArgumentError: ``course_id`` is not a positive integer.
            StreamError: Ed rejected the subscription, for example because
                the token's user is not in the course.
            APITimeoutError: Ed sent no reply in time.
            APIConnectionError: The stream closed before Ed replied.
        """
        await self._drive(self._steps.subscribe(course_id))

    async def unread_counts(self) -> dict[int, int]:
        """Return the number of unread threads in each of the user's courses.

        Returns:
            The unread thread count of each course, by course id.

        Raises:
            StreamError: Ed replied with an error.
            APITimeoutError: Ed sent no reply in time.
            APIConnectionError: The stream closed before Ed replied.
        """
        return await self._drive(self._steps.unread_counts())

    async def aclose(self) -> None:
        """Close the connection; iteration then ends."""
        self._steps.closed = True
        if self._socket is not None:
            await self._socket.close()

    async def __aiter__(self) -> AsyncIterator[StreamEvent]:
        while (event := await self._drive(self._steps.next_event())) is not None:
            yield event

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _drive(self, step: Step[T]) -> T:
        try:
            action = next(step)
            while True:
                try:
                    result = await self._perform(action)
                except (ConnectionLost, EdStemError) as exc:
                    action = step.throw(exc)
                else:
                    action = step.send(result)
        except StopIteration as stop:
            value: T = stop.value
            return value

    async def _perform(self, action: Action) -> Any:
        try:
            from websockets.asyncio.client import connect
            from websockets.exceptions import ConnectionClosed, InvalidHandshake
        except ImportError as exc:
            raise missing_websockets() from exc
        if isinstance(action, Sleep):
            await asyncio.sleep(action.seconds)
        elif isinstance(action, Connect):
            if self._socket is not None:
                await self._socket.close()
            try:
                self._socket = await connect(
                    self._url, **_connect_options(self._headers)
                )
            except (InvalidHandshake, OSError, TimeoutError) as exc:
                raise handshake_error(exc) from exc
        elif isinstance(action, Send):
            try:
                await self._socket.send(action.text)
            except ConnectionClosed as exc:
                raise ConnectionLost from exc
        else:
            try:
                return await asyncio.wait_for(self._socket.recv(), action.timeout)
            except ConnectionClosed as exc:
                raise ConnectionLost from exc
            except TimeoutError as exc:
                raise _reply_timeout() from exc
        return None


def _reply_timeout() -> APITimeoutError:
    return APITimeoutError(
        f"Ed's stream sent no reply within {STREAM_REPLY_TIMEOUT_SECONDS:.0f} s",
        method="GET",
        path=STREAM_PATH,
    )
