"""The live stream at /api/stream: handshake, subscribe, events, test hooks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from pyedstem.testing import Sandbox, SandboxServer

BODY = '<document version="2.0"><paragraph>Streamed</paragraph></document>'


def headers(sandbox: Sandbox, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {sandbox.tokens[role]}"}


def receive(websocket: ClientConnection) -> dict[str, Any]:
    message = json.loads(websocket.recv(timeout=3))
    assert isinstance(message, dict)
    return message


def receive_type(websocket: ClientConnection, kind: str) -> dict[str, Any]:
    """Skip messages until one of type ``kind`` arrives."""
    for _ in range(20):
        message = receive(websocket)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind} message among the next 20")


def drain(websocket: ClientConnection) -> None:
    """Read messages until the server closes the connection."""
    for _ in range(20):
        receive(websocket)


@pytest.fixture
def subscribed(
    write_sandbox: Sandbox, live_server: SandboxServer
) -> Iterator[ClientConnection]:
    """A staff websocket subscribed to the demo course."""
    with connect(
        live_server.stream_url, additional_headers=headers(write_sandbox, "staff")
    ) as websocket:
        assert receive(websocket) == {"type": "chat.init", "data": {}}
        websocket.send(
            json.dumps(
                {
                    "id": 1,
                    "type": "course.subscribe",
                    "oid": write_sandbox.demo_course_id,
                }
            )
        )
        assert receive(websocket) == {"id": 1, "type": "course.subscribe", "data": {}}
        yield websocket


def test_handshake_rejects_bad_token(live_server: SandboxServer) -> None:
    with pytest.raises(InvalidStatus) as caught:
        connect(
            live_server.stream_url, additional_headers={"Authorization": "Bearer x"}
        )
    assert caught.value.response.status_code == 401


def test_handshake_rejects_missing_token(live_server: SandboxServer) -> None:
    with pytest.raises(InvalidStatus) as caught:
        connect(live_server.stream_url)
    assert caught.value.response.status_code == 401


def test_subscribe_sends_course_count(
    write_sandbox: Sandbox, subscribed: ClientConnection
) -> None:
    count = receive(subscribed)
    assert count["type"] == "course.count"
    assert count["data"] == {"id": write_sandbox.demo_course_id, "count": 1}


def test_unread_counts(write_sandbox: Sandbox, subscribed: ClientConnection) -> None:
    subscribed.send(json.dumps({"id": 2, "type": "thread.unreadCounts"}))
    reply = receive_type(subscribed, "thread.unreadCounts")
    assert reply["id"] == 2
    assert set(reply["data"]) >= {str(write_sandbox.demo_course_id)}
    assert reply["data"][str(write_sandbox.demo_course_id)]["unread"] > 0


def test_new_thread_event(
    write_sandbox: Sandbox, live_server: SandboxServer, subscribed: ClientConnection
) -> None:
    response = httpx.post(
        f"{live_server.base_url}/courses/{write_sandbox.demo_course_id}/threads",
        headers=headers(write_sandbox, "student"),
        json={
            "thread": {
                "type": "question",
                "title": "Live question",
                "category": "General",
                "content": BODY,
            }
        },
    )
    assert response.status_code == 200
    event = receive_type(subscribed, "thread.new")
    thread = event["data"]["thread"]
    assert thread["id"] == response.json()["thread"]["id"]
    assert thread["title"] == "Live question"
    assert thread["user"]["id"] == write_sandbox.users["student"]


def test_comment_and_update_events(
    write_sandbox: Sandbox, live_server: SandboxServer, subscribed: ClientConnection
) -> None:
    thread = write_sandbox.state.course_threads(write_sandbox.demo_course_id)[-1]
    base = live_server.base_url
    staff = headers(write_sandbox, "staff")
    created = httpx.post(
        f"{base}/threads/{thread.id}/comments",
        headers=staff,
        json={"comment": {"type": "comment", "content": BODY}},
    ).json()["comment"]
    event = receive_type(subscribed, "comment.new")
    assert event["data"]["comment"]["id"] == created["id"]
    httpx.post(f"{base}/threads/{thread.id}/pin", headers=staff)
    update = receive_type(subscribed, "thread.update")
    assert update["data"]["thread"]["id"] == thread.id
    assert update["data"]["thread"]["is_pinned"] is True
    with write_sandbox.state.lock:
        write_sandbox.state.delete_comment(write_sandbox.state.comments[created["id"]])
    deleted = receive_type(subscribed, "comment.delete")
    assert deleted["data"] == {"comment_id": created["id"], "thread_id": thread.id}
    with write_sandbox.state.lock:
        write_sandbox.state.delete_thread(thread)
    gone = receive_type(subscribed, "thread.delete")
    assert gone["data"] == {"thread_id": thread.id}


def test_private_thread_not_sent_to_other_students(
    write_sandbox: Sandbox, live_server: SandboxServer
) -> None:
    course = write_sandbox.demo_course_id
    with connect(
        live_server.stream_url, additional_headers=headers(write_sandbox, "student2")
    ) as websocket:
        receive(websocket)
        websocket.send(json.dumps({"id": 1, "type": "course.subscribe", "oid": course}))
        receive_type(websocket, "course.subscribe")
        for title, private in (("Secret", True), ("Public", False)):
            httpx.post(
                f"{live_server.base_url}/courses/{course}/threads",
                headers=headers(write_sandbox, "student"),
                json={
                    "thread": {
                        "type": "question",
                        "title": title,
                        "category": "General",
                        "content": BODY,
                        "is_private": private,
                    }
                },
            )
        event = receive_type(websocket, "thread.new")
        assert event["data"]["thread"]["title"] == "Public"


def test_subscribe_to_foreign_course_fails(
    write_sandbox: Sandbox, live_server: SandboxServer
) -> None:
    with connect(
        live_server.stream_url, additional_headers=headers(write_sandbox, "outsider")
    ) as websocket:
        receive(websocket)
        websocket.send(
            json.dumps(
                {
                    "id": 5,
                    "type": "course.subscribe",
                    "oid": write_sandbox.demo_course_id,
                }
            )
        )
        reply = receive(websocket)
        assert reply["id"] == 5
        assert reply["type"] == "error"


def test_push_hook(write_sandbox: Sandbox, subscribed: ClientConnection) -> None:
    sent = write_sandbox.stream.push(
        "thread.update",
        {"thread": {"id": 1, "title": "pushed"}},
        course_id=write_sandbox.demo_course_id,
    )
    assert sent == 1
    event = receive_type(subscribed, "thread.update")
    assert event["data"]["thread"]["title"] == "pushed"


def test_close_all_then_reconnect(
    write_sandbox: Sandbox, live_server: SandboxServer, subscribed: ClientConnection
) -> None:
    assert write_sandbox.stream.close_all() == 1
    with pytest.raises(ConnectionClosed) as caught:
        drain(subscribed)
    assert caught.value.rcvd is not None
    assert caught.value.rcvd.code == 1012
    with connect(
        live_server.stream_url, additional_headers=headers(write_sandbox, "staff")
    ) as again:
        assert receive(again)["type"] == "chat.init"


@pytest.mark.parametrize("status", [503, 401])
def test_rejected_handshakes(
    write_sandbox: Sandbox, live_server: SandboxServer, status: int
) -> None:
    write_sandbox.stream.reject_handshakes(status, times=2)
    for _ in range(2):
        with pytest.raises(InvalidStatus) as caught:
            connect(
                live_server.stream_url,
                additional_headers=headers(write_sandbox, "staff"),
            )
        assert caught.value.response.status_code == status
    with connect(
        live_server.stream_url, additional_headers=headers(write_sandbox, "staff")
    ) as websocket:
        assert receive(websocket)["type"] == "chat.init"


def test_hub_records_client_messages(
    write_sandbox: Sandbox, subscribed: ClientConnection
) -> None:
    assert write_sandbox.stream.wait_for_subscribers(write_sandbox.demo_course_id)
    assert write_sandbox.stream.received[0] == {
        "id": 1,
        "type": "course.subscribe",
        "oid": write_sandbox.demo_course_id,
    }
