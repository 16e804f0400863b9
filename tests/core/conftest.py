"""Helpers for pipeline tests that run over `httpx.MockTransport`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from pyedstem import EdStemClient

TOKEN = "abc123.SECRET-TOKEN-VALUE-0123456789abcdefghijklmnop"

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shrink retry backoff so that retry tests take milliseconds."""
    monkeypatch.setattr("pyedstem._pipeline.RETRY_BACKOFF_INITIAL_SECONDS", 0.001)
    monkeypatch.setattr("pyedstem._pipeline.RETRY_BACKOFF_MAX_SECONDS", 0.002)


class Recorder:
    """A MockTransport handler that records requests and replays responses."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        item = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(item, Exception):
            raise item
        return item


@pytest.fixture
def make_client() -> Iterator[Callable[..., EdStemClient]]:
    """Build clients over a mock transport and close them afterwards."""
    clients: list[EdStemClient] = []

    def build(handler: Handler, **options: Any) -> EdStemClient:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = EdStemClient(
            TOKEN, base_url="https://ed.test/api", http_client=http, **options
        )
        clients.append(client)
        return client

    yield build
    for client in clients:
        client._pipeline.http.close()
