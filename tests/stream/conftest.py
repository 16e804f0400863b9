"""Loopback fixtures: a fresh small sandbox per test and clients of it."""

import pytest

# pytest registers the fixtures that a conftest imports.
from ..writes.loopback import (  # noqa: F401
    async_staff,
    sandbox,
    staff,
    student,
    tls_context,
)


@pytest.fixture(autouse=True)
def fast_reconnect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shrink the reconnect backoff so that reconnect tests take milliseconds."""
    monkeypatch.setattr("pyedstem.stream.reconnect_delay", lambda attempt: 0.01)
