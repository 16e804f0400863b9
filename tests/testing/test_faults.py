"""Fault injection, in process (httpx.MockTransport) and over the real socket."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from pyedstem.testing import Sandbox, SandboxServer
from tests.testing.conftest import MOCK_BASE

THREADS = "/courses/{course_id}/threads"
BODY = '<document version="2.0"><paragraph>Hi</paragraph></document>'


def new_thread(title: str) -> dict[str, object]:
    return {
        "thread": {
            "type": "post",
            "title": title,
            "category": "General",
            "content": BODY,
        }
    }


def titles(sandbox: Sandbox) -> list[str]:
    return [t.title for t in sandbox.state.course_threads(sandbox.demo_course_id)]


@pytest.fixture(params=["mock", "socket"])
def client(
    request: pytest.FixtureRequest, write_sandbox: Sandbox
) -> Iterator[httpx.Client]:
    """A staff client of the fresh sandbox, in process or over loopback."""
    headers = {"Authorization": f"Bearer {write_sandbox.tokens['staff']}"}
    if request.param == "mock":
        with httpx.Client(
            base_url=MOCK_BASE,
            transport=write_sandbox.mock_transport(),
            headers=headers,
            timeout=2.0,
        ) as mock_client:
            yield mock_client
        return
    with (
        write_sandbox.serve() as server,
        httpx.Client(base_url=server.base_url, headers=headers, timeout=2.0) as real,
    ):
        yield real


def test_drop_raises_and_keeps_state(
    write_sandbox: Sandbox, client: httpx.Client
) -> None:
    fault = write_sandbox.faults.add(kind="drop", method="POST", path=THREADS, times=1)
    path = f"/courses/{write_sandbox.demo_course_id}/threads"
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(path, json=new_thread("Dropped"))
    assert "Dropped" not in titles(write_sandbox)
    assert fault.fired == 1
    assert client.post(path, json=new_thread("Second")).status_code == 200
    assert fault.fired == 1


def test_drop_after_commit_keeps_change(
    write_sandbox: Sandbox, client: httpx.Client
) -> None:
    write_sandbox.faults.add(kind="drop_after_commit", method="POST", path=THREADS)
    path = f"/courses/{write_sandbox.demo_course_id}/threads"
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(path, json=new_thread("Committed"))
    assert titles(write_sandbox).count("Committed") == 1


def test_truncate_raises_while_reading(
    write_sandbox: Sandbox, client: httpx.Client
) -> None:
    write_sandbox.faults.add(kind="truncate", path="/user", keep=0.25, times=1)
    with pytest.raises(httpx.RemoteProtocolError, match="complete message"):
        client.get("/user")
    assert client.get("/user").status_code == 200


def test_rate_limit_with_retry_after(
    write_sandbox: Sandbox, client: httpx.Client
) -> None:
    write_sandbox.faults.add(
        kind="status", status=429, retry_after=7, path="/user", times=2
    )
    for _ in range(2):
        response = client.get("/user")
        assert response.status_code == 429
        assert response.headers["retry-after"] == "7"
        assert response.json()["code"] == "rate_limit"
        assert response.json()["message"]
    assert client.get("/user").status_code == 200
    assert write_sandbox.faults.fired(kind="status") == 2


def test_status_fault_does_not_run_route(
    write_sandbox: Sandbox, client: httpx.Client
) -> None:
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    write_sandbox.faults.add(kind="status", status=503, retry_after=date, path=THREADS)
    path = f"/courses/{write_sandbox.demo_course_id}/threads"
    response = client.post(path, json=new_thread("Rejected"))
    assert response.status_code == 503
    assert response.headers["retry-after"] == date
    assert "Rejected" not in titles(write_sandbox)


def test_html_error_page(write_sandbox: Sandbox, client: httpx.Client) -> None:
    write_sandbox.faults.add(kind="html", status=502, path="*", times=1)
    response = client.get("/user")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text


def test_empty_body(write_sandbox: Sandbox, client: httpx.Client) -> None:
    write_sandbox.faults.add(kind="empty", path="/user", times=1)
    response = client.get("/user")
    assert response.status_code == 200
    assert response.content == b""


def test_latency_fault_delays(write_sandbox: Sandbox, client: httpx.Client) -> None:
    write_sandbox.faults.add(kind="latency", seconds=0.3, path="/region", times=1)
    start = time.monotonic()
    assert client.get("/region").status_code == 200
    assert time.monotonic() - start >= 0.3


def test_timeout_fault_trips_read_timeout(
    write_sandbox: Sandbox, client: httpx.Client
) -> None:
    write_sandbox.faults.add(kind="timeout", seconds=5, path="/region", times=1)
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.get("/region", timeout=0.3)
    assert time.monotonic() - start < 3
    assert client.get("/region").status_code == 200


def test_sandbox_latency_applies_everywhere(
    write_sandbox: Sandbox, client: httpx.Client
) -> None:
    write_sandbox.latency = 0.2
    start = time.monotonic()
    client.get("/region")
    assert time.monotonic() - start >= 0.2


def test_fault_matches_method_and_concrete_path(write_sandbox: Sandbox) -> None:
    thread = write_sandbox.state.course_threads(write_sandbox.demo_course_id)[-1]
    faults = write_sandbox.faults
    faults.add(
        kind="status", status=500, method="POST", path=f"/threads/{thread.id}/star"
    )
    headers = {"Authorization": f"Bearer {write_sandbox.tokens['staff']}"}
    with httpx.Client(
        base_url=MOCK_BASE, transport=write_sandbox.mock_transport(), headers=headers
    ) as client:
        assert client.get(f"/threads/{thread.id}").status_code == 200
        assert client.post(f"/threads/{thread.id}/star").status_code == 500
        assert client.post(f"/threads/{thread.id}/unstar").status_code == 204
    assert faults.total_fired == 1
    assert faults.fired(path=f"/threads/{thread.id}/star") == 1
    faults.clear()
    assert len(faults) == 0
    assert faults.total_fired == 0


def test_fault_add_rejects_bad_arguments(write_sandbox: Sandbox) -> None:
    faults = write_sandbox.faults
    with pytest.raises(ValueError, match="unknown fault kind"):
        faults.add(kind="explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="keep"):
        faults.add(kind="truncate", keep=1.5)
    with pytest.raises(ValueError, match="path"):
        faults.add(kind="drop", path="threads")


def test_async_handler_drop_and_latency() -> None:
    import asyncio

    sandbox = Sandbox(threads_per_course=5)
    sandbox.faults.add(kind="drop", path="/region", times=1)

    async def run() -> float:
        async with httpx.AsyncClient(
            base_url=MOCK_BASE, transport=sandbox.async_mock_transport()
        ) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get("/region")
            sandbox.latency = 0.2
            start = time.monotonic()
            responses = await asyncio.gather(*(client.get("/region") for _ in range(5)))
            assert [r.status_code for r in responses] == [200] * 5
            return time.monotonic() - start

    assert asyncio.run(run()) < 0.9


def test_drop_closes_real_socket(
    write_sandbox: Sandbox, live_server: SandboxServer
) -> None:
    import socket

    write_sandbox.faults.add(kind="drop", path="/region", times=1)
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=3) as sock:
        sock.sendall(b"GET /api/region HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        assert sock.recv(1024) == b""


def test_truncate_sends_partial_body_over_socket(
    write_sandbox: Sandbox, live_server: SandboxServer
) -> None:
    import socket

    write_sandbox.faults.add(kind="truncate", path="/region", keep=0.5, times=1)
    received = b""
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=3) as sock:
        sock.sendall(b"GET /api/region HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        while chunk := sock.recv(4096):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(
        next(
            line.split(b":")[1]
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
    )
    assert head.startswith(b"HTTP/1.1 200")
    assert 0 < len(body) < length
