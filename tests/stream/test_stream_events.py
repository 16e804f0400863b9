"""Stream events from client writes, unknown events and authentication failures.

Every test talks to the sandbox's real websocket on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import inspect
import typing
from typing import Any

import pytest

from pyedstem import AsyncEdStemClient, AuthenticationError, EdStemClient
from pyedstem.stream import RECONNECTED, AsyncEdStream, EdStream, StreamEvent
from pyedstem.testing import Sandbox, SandboxServer

from ._helpers import DOC, GUARD_SECONDS, next_of


def _question(student: EdStemClient, sandbox: Sandbox) -> int:
    thread = student.threads.create(
        sandbox.demo_course_id,
        title="Lab 3 due date",
        document=DOC,
        type="question",
        category="Labs",
    )
    return thread.id


def test_answer_arrives_as_comment_event(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    with student.stream(sandbox.demo_course_id) as stream:
        events = iter(stream)
        answer = staff.threads.post_answer(thread_id=thread_id, markdown="Yes.")
        event = next_of(events, "comment.new")

    stored = sandbox.state.comments[answer.id]
    assert event.comment is not None
    assert event.comment.id == answer.id
    assert event.comment.type == "answer"
    assert event.comment.content == stored.content_text
    assert event.thread_id == thread_id
    assert event.course_id == sandbox.demo_course_id


def test_lock_arrives_as_thread_update(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    with student.stream(sandbox.demo_course_id) as stream:
        events = iter(stream)
        staff.threads.lock(thread_id)
        event = next_of(events, "thread.update")

    assert event.thread is not None
    assert event.thread.id == thread_id
    assert event.thread.is_locked is True
    assert sandbox.state.threads[thread_id].is_locked is True


def test_private_reply_hidden_from_others(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    other = staff.threads.create(
        sandbox.demo_course_id, title="Lab 4", document=DOC, category="Labs"
    )
    with student.stream(sandbox.demo_course_id) as stream:
        events = iter(stream)
        staff.threads.post_comment(other.id, document=DOC, is_private=True)
        public = staff.threads.post_comment(thread_id, document=DOC)
        event = next_of(events, "comment.new")

    assert event.comment is not None
    assert event.comment.id == public.id


def test_subscribe_brings_course_count(staff: EdStemClient, sandbox: Sandbox) -> None:
    course_id = sandbox.demo_course_id
    with staff.stream(course_id) as stream:
        event = next_of(iter(stream), "course.count")

    assert event.course_id == course_id
    assert event.count == 1
    assert event.thread is None


def test_unknown_event_arrives_untyped(staff: EdStemClient, sandbox: Sandbox) -> None:
    course_id = sandbox.demo_course_id
    data = {"poll_id": 3, "votes": [1, 2]}
    with staff.stream(course_id) as stream:
        events = iter(stream)
        sandbox.stream.wait_for_subscribers(course_id, 1)
        sandbox.stream.push("poll.vote", data, course_id=course_id)
        event = next_of(events, "poll.vote")

    assert event.data == data
    assert event.thread is None
    assert event.comment is None
    assert event.thread_id is None
    assert event.count is None


def test_rejected_token_stops_reconnects(staff: EdStemClient, sandbox: Sandbox) -> None:
    with staff.stream(sandbox.demo_course_id) as stream:
        events = iter(stream)
        sandbox.stream.reject_handshakes(401, times=3)
        sandbox.stream.close_all()
        with pytest.raises(AuthenticationError) as caught:
            next_of(events, RECONNECTED)
        after_failure = next(events, None)

    left = [sandbox.stream.take_rejection() for _ in range(3)]
    assert caught.value.status_code == 401
    assert after_failure is None
    assert left == [401, 401, None]


async def _first(events: Any, event_type: str) -> StreamEvent:
    async def find() -> StreamEvent:
        async for event in events:
            if event.type == event_type:
                return event  # type: ignore[no-any-return]
        raise AssertionError("the stream ended")

    return await asyncio.wait_for(find(), GUARD_SECONDS)


async def test_async_reconnect_resubscribes(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    course_id = sandbox.demo_course_id
    async with (
        AsyncEdStemClient(sandbox.tokens["staff"], base_url=server.base_url) as client,
        client.stream(course_id) as stream,
    ):
        events = stream.__aiter__()
        sandbox.stream.close_all()
        reconnected = await _first(events, RECONNECTED)
        sandbox.stream.push("thread.delete", {"thread_id": 5}, course_id=course_id)
        deleted = await _first(events, "thread.delete")

    assert reconnected.data == {}
    assert deleted.thread_id == 5
    subscribes = [m for m in sandbox.stream.received if m["type"] == "course.subscribe"]
    assert [m["oid"] for m in subscribes] == [course_id, course_id]


async def test_async_rejected_token_stops(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    async with (
        AsyncEdStemClient(sandbox.tokens["staff"], base_url=server.base_url) as client,
        client.stream(sandbox.demo_course_id) as stream,
    ):
        events = stream.__aiter__()
        sandbox.stream.reject_handshakes(401, times=2)
        sandbox.stream.close_all()
        with pytest.raises(AuthenticationError):
            await _first(events, RECONNECTED)

    assert sandbox.stream.take_rejection() == 401
    assert sandbox.stream.take_rejection() is None


async def test_async_answer_event(
    async_staff: AsyncEdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    async with async_staff.stream(sandbox.demo_course_id) as stream:
        events = stream.__aiter__()
        answer = await async_staff.threads.post_answer(
            thread_id=thread_id, markdown="Yes."
        )
        event = await _first(events, "comment.new")

    assert event.comment is not None
    assert event.comment.id == answer.id


def _signature(cls: type, name: str) -> list[tuple[str, Any, Any, Any]]:
    method = getattr(cls, name)
    hints = typing.get_type_hints(method)
    return [
        (p.name, p.kind, p.default, hints.get(p.name))
        for p in inspect.signature(method).parameters.values()
    ]


@pytest.mark.parametrize("name", ["open", "subscribe", "unread_counts"])
def test_stream_twins_match(name: str) -> None:
    assert _signature(EdStream, name) == _signature(AsyncEdStream, name)
    assert inspect.iscoroutinefunction(getattr(AsyncEdStream, name))


def test_client_stream_twins_match() -> None:
    sync = inspect.signature(EdStemClient.stream).parameters
    asynchronous = inspect.signature(AsyncEdStemClient.stream).parameters

    assert list(sync) == list(asynchronous)
    for name, parameter in sync.items():
        assert parameter.kind == asynchronous[name].kind, name
        assert parameter.default == asynchronous[name].default, name
