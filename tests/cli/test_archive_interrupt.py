"""An ``edstem archive`` process killed at several points resumes without loss.

Each case starts the archive as a subprocess and kills it when the sandbox
has seen a chosen request, so that the kill lands in the thread list walk,
halfway through the thread fetches, or in the lessons. It then runs the
archive again and compares the database with one that an uninterrupted run
wrote.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pyedstem import EdStemClient
from pyedstem.archive import archive_course
from pyedstem.testing import Sandbox, SandboxServer

from ..archive.conftest import content_snapshot, query
from .conftest import Result, clean_env, command_line

THREADS = 150
# Seconds added to every sandbox request, so that a run lasts long enough to
# be killed in each phase.
LATENCY = 0.025
# Seconds to wait for a kill point before failing the test.
KILL_POINT_TIMEOUT = 60.0

Condition = Callable[[Sandbox], bool]


@pytest.fixture(scope="module")
def slow_sandbox() -> Sandbox:
    """A sandbox whose every request takes an extra 25 ms."""
    return Sandbox(seed=2, threads_per_course=THREADS, latency=LATENCY)


@pytest.fixture(scope="module")
def slow_server(slow_sandbox: Sandbox) -> Iterator[SandboxServer]:
    """The slow sandbox served on 127.0.0.1."""
    with slow_sandbox.serve() as server:
        yield server


@pytest.fixture(scope="module")
def baseline(
    slow_sandbox: Sandbox,
    slow_server: SandboxServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """An archive written by one uninterrupted run."""
    db = tmp_path_factory.mktemp("baseline") / "course.db"
    token = slow_sandbox.tokens["staff"]
    with EdStemClient(token, base_url=slow_server.base_url) as client:
        archive_course(client, slow_sandbox.demo_course_id, db)
    return db


def _fetches(sandbox: Sandbox, template: str) -> int:
    return len(sandbox.requests.find("GET", template=template))


def _listing(sandbox: Sandbox) -> bool:
    return _fetches(sandbox, "/courses/{course_id}/threads") >= 2


def _mid_fetch(sandbox: Sandbox) -> bool:
    return _fetches(sandbox, "/threads/{thread_id}") >= THREADS // 2


def _lessons(sandbox: Sandbox) -> bool:
    return _fetches(sandbox, "/lessons/{lesson_id}") >= 1


def _interrupt(
    sandbox: Sandbox, env: dict[str, str], db: Path, when: Condition, sig: int
) -> Result:
    """Start an archive subprocess and send `sig` once `when` holds."""
    sandbox.requests.clear()
    args = ["archive", str(sandbox.demo_course_id), "--db", str(db), "--no-progress"]
    process = subprocess.Popen(
        command_line(args),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + KILL_POINT_TIMEOUT
    while not when(sandbox) and process.poll() is None:
        assert time.monotonic() < deadline, "the kill point was never reached"
        time.sleep(0.005)
    assert process.poll() is None, "the archive finished before the kill point"
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    return Result(process.returncode, out, err)


def _resume(sandbox: Sandbox, server: SandboxServer, db: Path) -> tuple[int, int]:
    """Run the archive again to the end; return (threads fetched, threads total)."""
    with EdStemClient(sandbox.tokens["staff"], base_url=server.base_url) as client:
        report = archive_course(client, sandbox.demo_course_id, db)
    assert report.resumed
    return report.threads_fetched, report.threads_listed - report.private_skipped


@pytest.mark.parametrize(
    "when",
    [_listing, _mid_fetch, _lessons],
    ids=["thread-list", "thread-fetch", "lessons"],
)
def test_killed_archive_resumes(
    when: Condition,
    slow_sandbox: Sandbox,
    slow_server: SandboxServer,
    baseline: Path,
    tmp_path: Path,
) -> None:
    db = tmp_path / "course.db"
    env = clean_env(slow_sandbox, slow_server, tmp_path)
    killed = _interrupt(slow_sandbox, env, db, when, signal.SIGKILL)
    assert killed.code == -signal.SIGKILL
    stored_before = query(db, "SELECT count(*) FROM archive_thread_state")[0][0]
    fetched, total = _resume(slow_sandbox, slow_server, db)
    assert fetched == total - stored_before
    assert content_snapshot(db) == content_snapshot(baseline)
    assert query(db, "SELECT status FROM archive_runs ORDER BY id") == [
        ("interrupted",),
        ("complete",),
    ]


def test_ctrl_c_stops_cleanly_and_resumes(
    slow_sandbox: Sandbox, slow_server: SandboxServer, baseline: Path, tmp_path: Path
) -> None:
    db = tmp_path / "course.db"
    env = clean_env(slow_sandbox, slow_server, tmp_path)
    stopped = _interrupt(slow_sandbox, env, db, _mid_fetch, signal.SIGINT)
    assert stopped.code == 130
    assert stopped.stderr.startswith("edstem: error: Interrupted.")
    assert "run the same command again" in stopped.stderr
    assert len(stopped.stderr.strip().splitlines()) == 1
    assert "Traceback" not in stopped.stderr
    assert query(db, "SELECT status FROM archive_runs") == [("interrupted",)]
    _resume(slow_sandbox, slow_server, db)
    assert content_snapshot(db) == content_snapshot(baseline)
