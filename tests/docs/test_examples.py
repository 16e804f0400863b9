"""Run every Python example of the documentation against the sandbox Ed.

See `tests.docs.harness` for the conventions the examples follow.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pyedstem.testing import Sandbox

from .harness import (
    EXAMPLE_THREADS_PER_COURSE,
    ROOT,
    CodeBlock,
    close_clients,
    example_ids,
    example_pages,
    extract_blocks,
    loopback_only,
    run_block,
    substitute_placeholders,
)

PAGES = [
    page for page in example_pages() if any(b.runnable for b in extract_blocks(page))
]


@pytest.fixture
def examples_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    """Start each page from an empty folder with no EDSTEM_* variables.

    Examples may configure logging, so the levels and root handlers they
    change are put back for the tests that run after them.
    """
    for name in list(os.environ):
        if name.startswith("EDSTEM_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    loggers = [root, logging.getLogger("pyedstem")]
    levels = [logger.level for logger in loggers]
    handlers = list(root.handlers)
    yield
    root.handlers[:] = handlers
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.parametrize(
    "page", PAGES, ids=[str(page.relative_to(ROOT)) for page in PAGES]
)
def test_page_examples_run(
    page: Path, examples_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = Sandbox(seed=1, threads_per_course=EXAMPLE_THREADS_PER_COURSE)
    blocks = [block for block in extract_blocks(page) if block.runnable]
    namespace: dict[str, Any] = {"__name__": "__docs_example__"}
    namespace.update(example_ids(sandbox))
    attempts: list[str] = []
    with sandbox.serve() as server, loopback_only(attempts):
        monkeypatch.setenv("EDSTEM_API_TOKEN", sandbox.tokens["staff"])
        monkeypatch.setenv("EDSTEM_BASE_URL", server.base_url)
        try:
            for block in blocks:
                _run(block, namespace, sandbox.tokens["staff"], server.base_url)
        finally:
            close_clients(namespace)
    assert not attempts, f"{page.name}: examples tried to reach {sorted(set(attempts))}"
    assert not sandbox.errors, f"{page.name}: the sandbox failed: {sandbox.errors}"


def _run(
    block: CodeBlock, namespace: dict[str, Any], token: str, base_url: str
) -> None:
    code = substitute_placeholders(block.code, token=token, base_url=base_url)
    try:
        run_block(block, namespace, code)
    except Exception as exc:
        raise AssertionError(
            f"the example at {block.location} raised {type(exc).__name__}: {exc}"
        ) from exc
