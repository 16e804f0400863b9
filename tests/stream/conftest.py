"""Loopback fixtures: a fresh small sandbox per test and clients of it."""

# pytest registers the fixtures that a conftest imports.
from ..writes.loopback import (  # noqa: F401
    async_staff,
    sandbox,
    staff,
    student,
    tls_context,
)
