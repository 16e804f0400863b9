"""Loopback fixtures shared by the write, authoring and stream tests.

Each test gets a fresh sandbox with a small world, served on 127.0.0.1,
and clients that share one TLS context. Building the default world of about
1,500 threads a course, and loading the CA certificates for every new httpx
client, took most of each test's time. The sandbox serves plain HTTP, so
the TLS context is never used for a handshake.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import httpx
import pytest

from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem.testing import Sandbox, SandboxServer

# Threads per course of the tests' world; enough for every listing they read.
SMALL_WORLD_THREADS = 40


@pytest.fixture(scope="session")
def tls_context() -> ssl.SSLContext:
    """One TLS context for every test client."""
    return ssl.create_default_context()


@pytest.fixture
def sandbox() -> Sandbox:
    """A fresh sandbox with a small world, for a test that writes."""
    return Sandbox(seed=1, threads_per_course=SMALL_WORLD_THREADS)


@contextmanager
def loopback_client(
    sandbox: Sandbox, server: SandboxServer, role: str, tls: ssl.SSLContext
) -> Iterator[EdStemClient]:
    """Open a client of the served sandbox as one of its named users."""
    with (
        httpx.Client(verify=tls, follow_redirects=False) as http,
        EdStemClient(
            sandbox.tokens[role], base_url=server.base_url, http_client=http
        ) as client,
    ):
        yield client


@pytest.fixture
def staff(
    sandbox: Sandbox, server: SandboxServer, tls_context: ssl.SSLContext
) -> Iterator[EdStemClient]:
    """A staff client of the fresh sandbox."""
    with loopback_client(sandbox, server, "staff", tls_context) as client:
        yield client


@pytest.fixture
def student(
    sandbox: Sandbox, server: SandboxServer, tls_context: ssl.SSLContext
) -> Iterator[EdStemClient]:
    """A student client of the fresh sandbox."""
    with loopback_client(sandbox, server, "student", tls_context) as client:
        yield client


@pytest.fixture
async def async_staff(
    sandbox: Sandbox, server: SandboxServer, tls_context: ssl.SSLContext
) -> AsyncIterator[AsyncEdStemClient]:
    """An async staff client of the fresh sandbox."""
    async with (
        httpx.AsyncClient(verify=tls_context, follow_redirects=False) as http,
        AsyncEdStemClient(
            sandbox.tokens["staff"], base_url=server.base_url, http_client=http
        ) as client,
    ):
        yield client
