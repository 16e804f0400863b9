"""Helpers for the contract suite's tests: targets that point at the sandbox."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

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


Rewrite = Callable[[httpx.Request, Any], Any]


class RewritingTransport(httpx.BaseTransport):
    """Sends over loopback HTTP, then lets a test change each JSON body.

    `rewrite` gets the request and the decoded body (None for an empty body)
    and returns the body to hand to the client, which is sent re-encoded.
    Bodies that are not JSON pass through untouched.
    """

    def __init__(self, rewrite: Rewrite) -> None:
        self._inner = httpx.HTTPTransport()
        self._rewrite = rewrite

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        content = response.read()
        try:
            body = json.loads(content) if content.strip() else None
        except ValueError:
            return response
        changed = self._rewrite(request, body)
        if changed is None and body is None:
            return response
        new_content = b"" if changed is None else json.dumps(changed).encode()
        headers = [
            (key, value)
            for key, value in response.headers.items()
            if key.lower() not in ("content-length", "content-encoding")
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=new_content
        )

    def close(self) -> None:
        self._inner.close()
