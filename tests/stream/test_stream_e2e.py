"""The live stream against the sandbox Ed's websocket over loopback."""

from __future__ import annotations

import asyncio
import logging

import pytest

from pyedstem import (
    APIConnectionError,
    AsyncEdStemClient,
    AuthenticationError,
    EdStemClient,
)
from pyedstem.stream import RECONNECTED, EdStream, StreamError, StreamEvent
from pyedstem.testing import Sandbox, SandboxServer

from ._helpers import DOC, GUARD_SECONDS, next_of


def test_new_thread_arrives_as_event(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    course_id = sandbox.demo_course_id
    with staff.stream(course_id) as stream:
        events = iter(stream)
        created = student.threads.create(
            course_id,
            title="Lab 3 due date",
            document=DOC,
            type="question",
            category=staff.courses.get(course_id).categories()[0],
        )
        event = next_of(events, "thread.new")

    assert event.thread is not None
    assert event.thread.id == created.id
    assert event.thread.title == "Lab 3 due date"
    assert event.thread_id == created.id


def test_comment_event_names_thread(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    course_id = sandbox.demo_course_id
    thread = student.threads.list(course_id, limit=1)[0]
    with staff.stream(course_id) as stream:
        events = iter(stream)
        posted = student.threads.post_comment(thread.id, document=DOC)
        event = next_of(events, "comment.new")

    assert event.comment is not None
    assert event.comment.id == posted.id
    assert event.thread_id == thread.id


def test_reconnect_resubscribes(staff: EdStemClient, sandbox: Sandbox) -> None:
    course_id = sandbox.demo_course_id
    with staff.stream(course_id) as stream:
        events = iter(stream)
        sandbox.stream.close_all()
        reconnected = next_of(events, RECONNECTED)
        subscribed = sandbox.stream.wait_for_subscribers(course_id, 1)
        sandbox.stream.push("thread.delete", {"thread_id": 5}, course_id=course_id)
        deleted = next_of(events, "thread.delete")

    assert reconnected.data == {}
    assert subscribed
    assert deleted.thread_id == 5
    subscribes = [m for m in sandbox.stream.received if m["type"] == "course.subscribe"]
    assert [m["oid"] for m in subscribes] == [course_id, course_id]


def test_reconnect_retries_failed_handshake(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    with staff.stream(sandbox.demo_course_id) as stream:
        events = iter(stream)
        sandbox.stream.reject_handshakes(503, times=2)
        sandbox.stream.close_all()
        event = next_of(events, RECONNECTED)

    assert event.type == RECONNECTED
    assert sandbox.stream.take_rejection() is None


def test_without_reconnect_raises(staff: EdStemClient, sandbox: Sandbox) -> None:
    with staff.stream(sandbox.demo_course_id, reconnect=False) as stream:
        events = iter(stream)
        sandbox.stream.close_all()
        with pytest.raises(APIConnectionError, match="open a new stream"):
            next_of(events, "thread.new")


def test_bad_token_raises_auth_error(sandbox: Sandbox, server: SandboxServer) -> None:
    with EdStemClient("nope.0000", base_url=server.base_url) as client:
        stream = client.stream(sandbox.demo_course_id)
        with pytest.raises(AuthenticationError):
            stream.open()


def test_outside_course_subscription_fails(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    with EdStemClient(sandbox.tokens["outsider"], base_url=server.base_url) as client:
        stream = client.stream()
        with stream, pytest.raises(StreamError, match="cannot subscribe") as caught:
            stream.subscribe(sandbox.demo_course_id)

    assert caught.value.code == "forbidden"


def test_unread_counts_per_course(staff: EdStemClient, sandbox: Sandbox) -> None:
    with staff.stream() as stream:
        counts = stream.unread_counts()

    assert sandbox.demo_course_id in counts
    assert all(isinstance(n, int) and n >= 0 for n in counts.values())


def test_stream_logs_no_token(
    staff: EdStemClient, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    token = sandbox.tokens["staff"]
    caplog.set_level(logging.DEBUG)

    with staff.stream(sandbox.demo_course_id) as stream:
        sandbox.stream.close_all()
        next_of(iter(stream), RECONNECTED)

    assert caplog.records
    assert all(token not in record.getMessage() for record in caplog.records)


def test_stream_url_follows_base(server: SandboxServer, staff: EdStemClient) -> None:
    stream = staff.stream()

    assert isinstance(stream, EdStream)
    assert stream._url == server.stream_url


async def test_async_stream_events(sandbox: Sandbox, server: SandboxServer) -> None:
    course_id = sandbox.demo_course_id
    async with (
        AsyncEdStemClient(sandbox.tokens["staff"], base_url=server.base_url) as client,
        client.stream(course_id) as stream,
    ):
        events = stream.__aiter__()
        sandbox.stream.push("thread.delete", {"thread_id": 9}, course_id=course_id)

        async def first_delete() -> StreamEvent:
            async for event in events:
                if event.type == "thread.delete":
                    return event
            raise AssertionError("the stream ended")

        event = await asyncio.wait_for(first_delete(), GUARD_SECONDS)
        counts = await stream.unread_counts()

    assert event.thread_id == 9
    assert course_id in counts
