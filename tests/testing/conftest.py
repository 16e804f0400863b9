"""Fixtures for the sandbox's own tests: sandboxes and raw httpx clients.

These tests talk to the sandbox with plain httpx, never with the pyedstem
client, so that they check the sandbox alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pyedstem.testing import Sandbox, SandboxServer

FIXTURES = Path(__file__).parent / "fixtures"
MOCK_BASE = "http://sandbox.test/api"

ClientFactory = Callable[[str], httpx.Client]


def load_fixture(name: str) -> Any:
    """Load a captured or constructed Ed response, without its provenance keys."""
    data = json.loads((FIXTURES / name).read_text())
    if isinstance(data, dict):
        data.pop("_provenance", None)
        data.pop("_note", None)
    return data


@pytest.fixture(scope="module")
def read_sandbox() -> Sandbox:
    """A sandbox shared by the read-only tests of one module."""
    return Sandbox(seed=1)


@pytest.fixture
def write_sandbox() -> Sandbox:
    """A fresh, smaller sandbox for a test that changes state."""
    return Sandbox(seed=1, threads_per_course=300)


def _factory(sandbox: Sandbox, clients: list[httpx.Client]) -> ClientFactory:
    def make(role: str) -> httpx.Client:
        client = httpx.Client(
            base_url=MOCK_BASE,
            transport=sandbox.mock_transport(),
            headers={"Authorization": f"Bearer {sandbox.tokens[role]}"},
        )
        clients.append(client)
        return client

    return make


@pytest.fixture
def read_api(read_sandbox: Sandbox) -> Iterator[ClientFactory]:
    """Make in-process clients of the shared sandbox by role name."""
    clients: list[httpx.Client] = []
    yield _factory(read_sandbox, clients)
    for client in clients:
        client.close()


@pytest.fixture
def write_api(write_sandbox: Sandbox) -> Iterator[ClientFactory]:
    """Make in-process clients of the fresh sandbox by role name."""
    clients: list[httpx.Client] = []
    yield _factory(write_sandbox, clients)
    for client in clients:
        client.close()


@pytest.fixture
def live_server(write_sandbox: Sandbox) -> Iterator[SandboxServer]:
    """The fresh sandbox served on 127.0.0.1."""
    with write_sandbox.serve() as server:
        yield server
