"""The real loopback server: URLs, concurrency, clean stop, loopback-only hosts."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from pyedstem.testing import Sandbox, SandboxServer


def auth(sandbox: Sandbox, role: str = "staff") -> dict[str, str]:
    return {"Authorization": f"Bearer {sandbox.tokens[role]}"}


def test_server_urls(live_server: SandboxServer) -> None:
    assert live_server.url == f"http://127.0.0.1:{live_server.port}"
    assert live_server.base_url == f"{live_server.url}/api"
    assert live_server.stream_url == f"ws://127.0.0.1:{live_server.port}/api/stream"
    assert live_server.port > 0


def test_server_answers_user(
    write_sandbox: Sandbox, live_server: SandboxServer
) -> None:
    response = httpx.get(f"{live_server.base_url}/user", headers=auth(write_sandbox))
    assert response.status_code == 200
    assert response.json()["user"]["id"] == write_sandbox.users["staff"]
    assert response.headers["content-type"].startswith("application/json")


def test_server_bad_token(live_server: SandboxServer) -> None:
    response = httpx.get(f"{live_server.base_url}/user")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_token"


def test_server_redirects_region_prefix(live_server: SandboxServer) -> None:
    response = httpx.get(f"{live_server.url}/au/api/user")
    assert response.status_code == 302
    assert response.headers["location"] == f"{live_server.base_url}/user"


def test_server_stop_leaves_no_thread() -> None:
    before = set(threading.enumerate())
    sandbox = Sandbox(threads_per_course=5)
    with sandbox.serve() as server:
        httpx.get(f"{server.base_url}/region")
    assert set(threading.enumerate()) <= before


def test_server_stop_is_idempotent() -> None:
    server = Sandbox(threads_per_course=5).serve()
    server.stop()
    server.stop()
    assert not server.running


def test_server_rejects_non_loopback_host() -> None:
    sandbox = Sandbox(threads_per_course=5)
    for host in ("0.0.0.0", "192.168.1.10", "example.com"):
        with pytest.raises(ValueError, match="loopback"):
            sandbox.serve(host=host)


def test_latency_does_not_serialise_requests(
    write_sandbox: Sandbox, live_server: SandboxServer
) -> None:
    limits = httpx.Limits(max_connections=8)
    with httpx.Client(base_url=live_server.base_url, limits=limits) as client:

        def timed_batch() -> float:
            start = time.monotonic()
            with ThreadPoolExecutor(max_workers=8) as pool:
                statuses = list(pool.map(lambda _: client.get("/region"), range(8)))
            assert [r.status_code for r in statuses] == [200] * 8
            return time.monotonic() - start

        baseline = timed_batch()
        write_sandbox.latency = 0.5
        delayed = timed_batch()
    assert delayed >= 0.5
    # One after another the eight delayed requests would take 4 s more.
    assert delayed - baseline < 2.0
