"""A sandbox Ed server for tests, demos and benchmarks.

The sandbox is an in-memory Ed with a deterministic generated world: courses,
users with API tokens, about 1,500 threads with nested replies in Ed XML,
lessons, quizzes and challenges. It serves every route pyedstem calls with
the JSON shapes, status codes and quirks Ed is known to have, and it can
inject faults (latency, error statuses, HTML error pages, dropped and
truncated connections) per route.

It stands apart from the client on purpose: nothing here imports
``pyedstem.client``, ``pyedstem.resources``, ``pyedstem.models`` or
``pyedstem.content``, so a mistake in the library cannot be mirrored here.

In process, with httpx::

    sandbox = Sandbox(seed=1)
    client = httpx.Client(
        base_url="http://sandbox.test/api",
        transport=sandbox.mock_transport(),
        headers={"Authorization": f"Bearer {sandbox.tokens['staff']}"},
    )

Over real HTTP on loopback::

    with Sandbox().serve() as server:
        httpx.get(f"{server.base_url}/user", headers=...)

From a shell: ``python -m pyedstem.testing serve --port 8765``.
"""

from pyedstem.testing.faults import Fault, FaultKind, FaultSet
from pyedstem.testing.generate import generate_world
from pyedstem.testing.requestlog import RequestLog, RequestRecord
from pyedstem.testing.sandbox import EdResponse, Sandbox
from pyedstem.testing.server import SandboxServer
from pyedstem.testing.state import SandboxState, StateEvent
from pyedstem.testing.stream import StreamHub
from pyedstem.testing.world import World

__all__ = [
    "EdResponse",
    "Fault",
    "FaultKind",
    "FaultSet",
    "RequestLog",
    "RequestRecord",
    "Sandbox",
    "SandboxServer",
    "SandboxState",
    "StateEvent",
    "StreamHub",
    "World",
    "generate_world",
]
