"""Helpers for the contract suite's tests: targets that point at the sandbox."""

from __future__ import annotations

from typing import Any

from pyedstem.contract import ContractTarget, WriteMode
from pyedstem.testing import Sandbox, SandboxServer


def sandbox_target(
    sandbox: Sandbox,
    server: SandboxServer,
    *,
    role: str = "staff",
    write_mode: WriteMode = WriteMode.OFF,
    thread_id: int | None = None,
    **more: Any,
) -> ContractTarget:
    """Return a target for the sandbox's demo course, as one of its users."""
    return ContractTarget(
        api_token=sandbox.tokens[role],
        course_id=sandbox.demo_course_id,
        base_url=server.base_url,
        write_mode=write_mode,
        thread_id=thread_id,
        label="sandbox",
        **more,
    )


def public_thread_id(sandbox: Sandbox) -> int:
    """Return the id of a public, unlocked, unpinned thread in the demo course."""
    for thread in sandbox.state.course_threads(sandbox.demo_course_id):
        plain = not (thread.is_private or thread.is_locked or thread.is_pinned)
        if plain and not thread.is_anonymous and thread.deleted_at is None:
            return thread.id
    raise AssertionError("the sandbox's demo course has no plain public thread")
