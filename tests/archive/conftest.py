"""A small sandbox Ed on loopback and helpers to read an archive database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pyedstem import EdStemClient
from pyedstem.archive import archive_course
from pyedstem.models import CommentSummary, ThreadDetail
from pyedstem.testing import Sandbox, SandboxServer

# Tables whose rows are the archived course; the archive_* tables are
# bookkeeping with run times in them.
CONTENT_TABLES = (
    "courses",
    "users",
    "threads",
    "comments",
    "thread_participants",
    "modules",
    "lessons",
    "slides",
    "resources",
)


@dataclass
class Ed:
    """A running sandbox with a staff client."""

    sandbox: Sandbox
    server: SandboxServer
    client: EdStemClient

    @property
    def course_id(self) -> int:
        return self.sandbox.demo_course_id

    def client_for(self, role: str) -> EdStemClient:
        return EdStemClient(self.sandbox.tokens[role], base_url=self.server.base_url)


def _serve() -> Iterator[Ed]:
    sandbox = Sandbox(seed=1, threads_per_course=40)
    with (
        sandbox.serve() as server,
        EdStemClient(sandbox.tokens["staff"], base_url=server.base_url) as client,
    ):
        yield Ed(sandbox, server, client)


@pytest.fixture
def ed() -> Iterator[Ed]:
    """A fresh 40-thread sandbox served on 127.0.0.1, for a test that changes it."""
    yield from _serve()


@pytest.fixture(scope="module")
def shared_ed() -> Iterator[Ed]:
    """A 40-thread sandbox for tests that do not change it; one per module."""
    yield from _serve()


@pytest.fixture(scope="module")
def archived(shared_ed: Ed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of the shared sandbox's demo course, with default options."""
    db = tmp_path_factory.mktemp("archive") / "course.db"
    archive_course(shared_ed.client, shared_ed.course_id, db)
    return db


def query(path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Run one query on an archive file and return every row."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


def content_snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of the content tables, sorted, for comparing archives."""
    connection = sqlite3.connect(path)
    try:
        return {
            table: sorted(
                connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr
            )
            for table in CONTENT_TABLES
        }
    finally:
        connection.close()


def public_comment_ids(thread: ThreadDetail) -> set[int]:
    """Ids of the answers, comments and replies outside private subtrees."""
    found: set[int] = set()

    def visit(comment: CommentSummary) -> None:
        if comment.is_private:
            return
        found.add(comment.id)
        for reply in comment.comments:
            visit(reply)

    for top in [*thread.answers, *thread.comments]:
        visit(top)
    return found
