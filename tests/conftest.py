"""Shared fixtures: a sandbox Ed served over loopback and clients for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem.testing import Sandbox, SandboxServer


@pytest.fixture(scope="module")
def shared_sandbox() -> Sandbox:
    """A sandbox for tests that only read; one per test module."""
    return Sandbox(seed=1)


@pytest.fixture(scope="module")
def shared_server(shared_sandbox: Sandbox) -> Iterator[SandboxServer]:
    """The read-only sandbox served on 127.0.0.1."""
    with shared_sandbox.serve() as server:
        yield server


@pytest.fixture
def reader(
    shared_sandbox: Sandbox, shared_server: SandboxServer
) -> Iterator[EdStemClient]:
    """A staff client of the read-only sandbox."""
    with EdStemClient(
        shared_sandbox.tokens["staff"], base_url=shared_server.base_url
    ) as client:
        yield client


@pytest.fixture
def sandbox() -> Sandbox:
    """A fresh sandbox for a test that writes."""
    return Sandbox(seed=1)


@pytest.fixture
def server(sandbox: Sandbox) -> Iterator[SandboxServer]:
    """The fresh sandbox served on 127.0.0.1."""
    with sandbox.serve() as running:
        yield running


@pytest.fixture
def staff(sandbox: Sandbox, server: SandboxServer) -> Iterator[EdStemClient]:
    """A staff client of the fresh sandbox."""
    with EdStemClient(sandbox.tokens["staff"], base_url=server.base_url) as client:
        yield client


@pytest.fixture
async def async_staff(
    sandbox: Sandbox, server: SandboxServer
) -> AsyncIterator[AsyncEdStemClient]:
    """An async staff client of the fresh sandbox."""
    async with AsyncEdStemClient(
        sandbox.tokens["staff"], base_url=server.base_url
    ) as client:
        yield client
