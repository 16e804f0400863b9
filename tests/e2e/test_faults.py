"""Fault injection over a real loopback socket: retries end in success or a
specific error, and writes are never repeated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pyedstem
from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem.testing import Sandbox, SandboxServer

THREADS_ROUTE = "/courses/{course_id}/threads"


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pyedstem._pipeline.RETRY_BACKOFF_INITIAL_SECONDS", 0.01)
    monkeypatch.setattr("pyedstem._pipeline.RETRY_BACKOFF_MAX_SECONDS", 0.02)


@pytest.fixture
def client_factory(sandbox: Sandbox, server: SandboxServer) -> Iterator[Any]:
    clients: list[EdStemClient] = []

    def build(**options: Any) -> EdStemClient:
        client = EdStemClient(
            sandbox.tokens["staff"], base_url=server.base_url, **options
        )
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


def _list_requests(sandbox: Sandbox) -> int:
    return sum(
        1 for r in sandbox.requests if r.method == "GET" and r.path.endswith("/threads")
    )


FAULT_CASES = [
    pytest.param(
        {"kind": "status", "status": 429, "retry_after": 0}, id="429-retry-after"
    ),
    pytest.param({"kind": "status", "status": 429}, id="429-no-retry-after"),
    pytest.param({"kind": "status", "status": 502}, id="502"),
    pytest.param({"kind": "status", "status": 503}, id="503"),
    pytest.param({"kind": "status", "status": 504}, id="504"),
    pytest.param({"kind": "html", "status": 502}, id="html-502"),
    pytest.param({"kind": "drop"}, id="dropped-connection"),
    pytest.param({"kind": "truncate"}, id="truncated-body"),
]


@pytest.mark.parametrize("fault", FAULT_CASES)
def test_read_recovers_after_transient_faults(
    sandbox: Sandbox, client_factory: Any, fault: dict[str, Any]
) -> None:
    sandbox.faults.add(method="GET", path=THREADS_ROUTE, times=2, **fault)
    client = client_factory(max_retries=2)
    threads = client.threads.list(sandbox.demo_course_id, limit=5)
    assert len(threads) == 5
    assert _list_requests(sandbox) == 3


ERROR_CASES = [
    pytest.param({"kind": "status", "status": 429}, pyedstem.RateLimitError, id="429"),
    pytest.param({"kind": "status", "status": 503}, pyedstem.ServerError, id="503"),
    pytest.param({"kind": "html", "status": 502}, pyedstem.ServerError, id="html-502"),
    pytest.param({"kind": "drop"}, pyedstem.APIConnectionError, id="drop"),
    pytest.param({"kind": "truncate"}, pyedstem.APIConnectionError, id="truncate"),
]


@pytest.mark.parametrize(("fault", "error_class"), ERROR_CASES)
def test_read_fails_with_specific_error_when_faults_persist(
    sandbox: Sandbox,
    client_factory: Any,
    fault: dict[str, Any],
    error_class: type[Exception],
) -> None:
    sandbox.faults.add(method="GET", path=THREADS_ROUTE, times=10, **fault)
    client = client_factory(max_retries=1)
    with pytest.raises(error_class):
        client.threads.list(sandbox.demo_course_id)
    assert _list_requests(sandbox) == 2


def test_rate_limit_error_carries_retry_after(
    sandbox: Sandbox, client_factory: Any
) -> None:
    sandbox.faults.add(
        method="GET",
        path=THREADS_ROUTE,
        kind="status",
        status=429,
        retry_after=7,
        times=1,
    )
    client = client_factory(max_retries=0)
    with pytest.raises(pyedstem.RateLimitError) as caught:
        client.threads.list(sandbox.demo_course_id)
    assert caught.value.retry_after == 7
    assert caught.value.ed_code == "rate_limit"


def test_html_forbidden_page_is_permission_error(
    sandbox: Sandbox, client_factory: Any
) -> None:
    sandbox.faults.add(
        method="GET", path=THREADS_ROUTE, kind="html", status=403, times=5
    )
    client = client_factory(max_retries=3)
    with pytest.raises(pyedstem.PermissionDeniedError) as caught:
        client.threads.list(sandbox.demo_course_id)
    assert caught.value.ed_code is None
    assert _list_requests(sandbox) == 1


def test_read_timeout_then_success(sandbox: Sandbox, client_factory: Any) -> None:
    sandbox.faults.add(
        method="GET", path=THREADS_ROUTE, kind="timeout", seconds=2.0, times=1
    )
    client = client_factory(timeout_seconds=0.3, max_retries=1)
    assert client.threads.list(sandbox.demo_course_id, limit=3)


def test_read_timeout_raises_timeout_error(
    sandbox: Sandbox, client_factory: Any
) -> None:
    sandbox.faults.add(
        method="GET", path=THREADS_ROUTE, kind="timeout", seconds=2.0, times=5
    )
    client = client_factory(timeout_seconds=0.3, max_retries=0)
    with pytest.raises(pyedstem.APITimeoutError):
        client.threads.list(sandbox.demo_course_id)


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "status", "status": 503},
        {"kind": "status", "status": 429},
        {"kind": "drop"},
        {"kind": "truncate"},
    ],
)
def test_answer_is_sent_once_whatever_fails(
    sandbox: Sandbox, client_factory: Any, fault: dict[str, Any]
) -> None:
    client = client_factory(max_retries=3)
    thread = client.threads.list(sandbox.demo_course_id, limit=1, filter="unanswered")[
        0
    ]
    sandbox.faults.add(
        method="POST", path="/threads/{thread_id}/comments", times=5, **fault
    )
    with pytest.raises(pyedstem.EdStemError):
        client.threads.post_answer(thread_id=thread.id, markdown="Once only")
    posts = [r for r in sandbox.requests if r.method == "POST"]
    assert len(posts) == 1


async def test_async_client_recovers_from_faults(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    sandbox.faults.add(
        method="GET", path=THREADS_ROUTE, kind="status", status=503, times=1
    )
    sandbox.faults.add(method="GET", path=THREADS_ROUTE, kind="drop", times=1)
    async with AsyncEdStemClient(
        sandbox.tokens["staff"], base_url=server.base_url, max_retries=2
    ) as client:
        threads = await client.threads.list(sandbox.demo_course_id, limit=4)
    assert len(threads) == 4
    assert _list_requests(sandbox) == 3


async def test_async_write_outcome_unknown(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    async with AsyncEdStemClient(
        sandbox.tokens["staff"], base_url=server.base_url
    ) as client:
        thread = (
            await client.threads.list(
                sandbox.demo_course_id, limit=1, filter="unanswered"
            )
        )[0]
        sandbox.faults.add(
            method="POST",
            path="/threads/{thread_id}/comments",
            kind="drop_after_commit",
            times=1,
        )
        with pytest.raises(pyedstem.WriteOutcomeUnknownError) as caught:
            await client.threads.post_answer(thread_id=thread.id, markdown="async once")
        found = await client.check_write(caught.value)
    assert found is not None
    assert "async once" in (found.content or "")


def test_redirect_from_wrong_base_is_configuration_error(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    wrong = server.base_url.replace("/api", "/us/api")
    with (
        EdStemClient(sandbox.tokens["staff"], base_url=wrong) as client,
        pytest.raises(pyedstem.ConfigurationError) as caught,
    ):
        client.user.get_current_user()
    assert server.base_url in str(caught.value)
    assert sandbox.tokens["staff"] not in str(caught.value)
