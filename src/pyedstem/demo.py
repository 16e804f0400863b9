"""The main job end to end against a sandbox Ed: ``python -m pyedstem.demo``.

Starts the sandbox Ed server on 127.0.0.1 and runs the ``edstem`` command
line against it, as a staff member would on a real course. The steps list the
active courses, find the unanswered questions, preview and post an answer,
and read the thread back. Then they archive the course into SQLite, query the
archive, and run the archive again to show that only the changed thread is
fetched.

Every ``edstem`` step runs the command's own entry point in this process,
with the sandbox's token in ``EDSTEM_API_TOKEN``; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shlex
import sqlite3
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from .cli import run as run_edstem
from .testing import Sandbox

COURSE = "CS101"
ANSWER = (
    "Good question! A **recursive** function needs a base case that stops it:\n\n"
    "```python\n"
    "def factorial(n):\n"
    "    return 1 if n <= 1 else n * factorial(n - 1)\n"
    "```\n"
)
FOLLOW_UP = "Also see the lecture notes on *call stacks*."
SEARCH_TERM = "recursion"


class DemoError(Exception):
    """A demo step failed; the message names the command."""


def _heading(text: str) -> None:
    print(f"\n== {text} ==", flush=True)


def edstem(args: Sequence[str], *, quiet: bool = False) -> str:
    """Run one ``edstem`` command, echo it, and return what it printed.

    Raises:
        DemoError: The command exited with a non-zero code.
    """
    print(f"$ edstem {shlex.join(args)}", flush=True)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = run_edstem(list(args))
    output = buffer.getvalue()
    if not quiet:
        sys.stdout.write(output)
        sys.stdout.flush()
    if code != 0:
        raise DemoError(f"'edstem {shlex.join(args)}' failed with exit code {code}.")
    return output


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _print_archive_summary(db: Path) -> None:
    connection = sqlite3.connect(db)
    try:
        for table in ("threads", "comments", "users", "lessons", "slides", "resources"):
            count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            print(f"  {table:<10} {count:>6} rows")
        _heading("Questions without a staff answer, from the archive (SQL)")
        unanswered = connection.execute(
            "SELECT number, title, created_at FROM threads "
            "WHERE type = 'question' AND is_staff_answered = 0 "
            "AND deleted_at IS NULL ORDER BY created_at LIMIT 5"
        ).fetchall()
        for number, title, created in unanswered:
            print(f"  #{number:<5} {created[:10]}  {title}")
        _heading(f"Full-text search for {SEARCH_TERM!r} (FTS5)")
        hits = connection.execute(
            "SELECT threads.number, threads.title, "
            "snippet(threads_fts, 1, '[', ']', '...', 8) "
            "FROM threads_fts JOIN threads ON threads.id = threads_fts.rowid "
            "WHERE threads_fts MATCH ? ORDER BY rank LIMIT 5",
            (SEARCH_TERM,),
        ).fetchall()
        total = connection.execute(
            "SELECT count(*) FROM threads_fts WHERE threads_fts MATCH ?", (SEARCH_TERM,)
        ).fetchone()[0]
        print(f"  {total} threads match; the best five:")
        for number, title, snippet in hits:
            print(f"  #{number:<5} {title}: {' '.join(snippet.split())}")
    finally:
        connection.close()


def run_demo(db: Path, threads: int, seed: int) -> None:
    """Run every step against a new sandbox; `db` receives the archive.

    Raises:
        DemoError: A step failed.
    """
    sandbox = Sandbox(seed=seed, threads_per_course=threads)
    with sandbox.serve() as server, tempfile.TemporaryDirectory() as config:
        print(f"Sandbox Ed serving {threads} threads at {server.base_url}")
        print("The staff member's token is in EDSTEM_API_TOKEN for every step.")
        settings = {
            "EDSTEM_API_TOKEN": sandbox.tokens["staff"],
            "EDSTEM_BASE_URL": server.base_url,
            "EDSTEM_CONFIG_DIR": config,
            "EDSTEM_TOKEN_STORE": "file",
        }
        with _environment(settings):
            _heading("1. The active courses")
            edstem(["courses", "list"])

            _heading("2. Questions without a staff answer, longest-waiting first")
            edstem(["threads", "unanswered", COURSE, "--limit", "5"])
            waiting = json.loads(
                edstem(
                    ["threads", "unanswered", COURSE, "--limit", "1", "--json"],
                    quiet=True,
                )
            )
            if not waiting:
                raise DemoError(f"The sandbox has no unanswered question in {COURSE}.")
            thread_id = str(waiting[0]["id"])

            _heading("3. Preview the Ed XML of an answer, then post it once")
            reply = Path(config) / "reply.md"
            reply.write_text(ANSWER, encoding="utf-8")
            print(f"({reply} contains the answer in Markdown)")
            edstem(["answer", thread_id, "--file", str(reply), "--dry-run"])
            edstem(["answer", thread_id, "--file", str(reply)])

            _heading("4. The thread with its new answer")
            edstem(["threads", "show", thread_id])

            _heading("5. Archive the course into SQLite")
            edstem(["archive", COURSE, "--db", str(db)])
            _heading("What the archive holds")
            _print_archive_summary(db)

            _heading("6. A new comment, then an incremental archive run")
            edstem(["comment", thread_id, FOLLOW_UP])
            edstem(["archive", COURSE, "--db", str(db)])
    print(
        f"\nDone. The archive is {db}; open it with sqlite3, sqlite-utils or Datasette."
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the demo, and return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m pyedstem.demo",
        description="Run the edstem main job against a sandbox Ed on 127.0.0.1.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        help="keep the archive in this SQLite file (default: a temporary file)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=300,
        help="threads in the sandbox's demo course (default: 300)",
    )
    parser.add_argument("--seed", type=int, default=1, help="world seed (default: 1)")
    options = parser.parse_args(argv)
    try:
        if options.db is not None:
            run_demo(options.db, options.threads, options.seed)
        else:
            with tempfile.TemporaryDirectory() as folder:
                run_demo(Path(folder) / "course.db", options.threads, options.seed)
    except DemoError as exc:
        print(f"demo: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
