"""The archive database: opening, bookkeeping, and one transaction per object.

Every thread is written in the same transaction as its list signature, so a
run that stops at any point leaves each thread either fully stored with the
signature it was fetched for, or as it was before. The next run fetches again
whatever has no current signature. Nothing is stored twice, because rows are
keyed by Ed's ids and a thread's comments are replaced as a whole.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from .errors import ArchiveError
from .rows import Row
from .schema import create_schema

_USER_COLUMNS = ("name", "role", "course_role", "avatar")
# A batch commits after this many objects or seconds, whichever comes first.
# Committing each thread alone made a 1,500-thread run about 8% slower on a
# two-core machine. A fifth of a second bounds the work a kill throws away.
BATCH_MAX_UNITS = 100
BATCH_MAX_SECONDS = 0.2


def utc_now() -> str:
    """Return the current time as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _insert_many(db: sqlite3.Connection, table: str, rows: list[Row]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f"[{name}]" for name in columns)
    marks = ", ".join("?" for _ in columns)
    db.executemany(
        f"INSERT INTO [{table}] ({names}) VALUES ({marks})",
        [[row[name] for name in columns] for row in rows],
    )


def _insert(table: str, row: Row, *, conflict: str = "") -> tuple[str, list[object]]:
    columns = ", ".join(f"[{name}]" for name in row)
    marks = ", ".join("?" for _ in row)
    sql = f"INSERT INTO [{table}] ({columns}) VALUES ({marks}) {conflict}"
    return sql, list(row.values())


class ArchiveStore:
    """An open archive database.

    Args:
        path: The SQLite file, created with its parent folder when missing.

    Raises:
        ArchiveError: The file is not an SQLite database, or has a newer schema.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            # WAL keeps a run fast and a crash harmless. `close` switches back
            # to a single-file database for readers such as Datasette.
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            create_schema(self.db)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(
                f"Cannot use {str(path)!r} as an archive: {exc}. Pass --db with a "
                "new file name or an archive written by edstem."
            ) from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one write transaction, rolled back if it raises."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        """Fold the write-ahead log into the file and close the database."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.execute("PRAGMA journal_mode = DELETE")
        finally:
            self.db.close()

    # Metadata and runs

    def meta(self, key: str) -> str | None:
        """Return one ``archive_meta`` value, or None."""
        row = self.db.execute(
            "SELECT value FROM archive_meta WHERE key = ?", (key,)
        ).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str]) -> None:
        """Set ``archive_meta`` values in one transaction."""
        with self.transaction() as db:
            for key, value in values.items():
                db.execute(
                    "INSERT INTO archive_meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def start_run(self, mode: str) -> tuple[int, str | None]:
        """Record the start of a run.

        A run still marked ``running`` was killed or crashed, so it is marked
        ``interrupted`` first.

        Returns:
            The new run's id, and the final status of the run before it
            (``complete``, ``failed`` or ``interrupted``), or None for a
            first run.
        """
        with self.transaction() as db:
            db.execute(
                "UPDATE archive_runs SET status = 'interrupted' "
                "WHERE status = 'running'"
            )
            previous = db.execute(
                "SELECT status FROM archive_runs ORDER BY id DESC LIMIT 1"
            ).fetchone()
            cursor = db.execute(
                "INSERT INTO archive_runs (started_at, status, mode) "
                "VALUES (?, 'running', ?)",
                (utc_now(), mode),
            )
        return int(cursor.lastrowid or 0), None if previous is None else previous[0]

    def finish_run(
        self, run_id: int, status: str, counts: dict[str, int], error: str | None
    ) -> None:
        """Record the end of a run with its counts."""
        with self.transaction() as db:
            db.execute(
                "UPDATE archive_runs SET finished_at = ?, status = ?, error = ?, "
                "threads_listed = ?, threads_fetched = ?, threads_removed = ?, "
                "lessons_fetched = ? WHERE id = ?",
                (
                    utc_now(),
                    status,
                    error,
                    counts.get("threads_listed", 0),
                    counts.get("threads_fetched", 0),
                    counts.get("threads_removed", 0),
                    counts.get("lessons_fetched", 0),
                    run_id,
                ),
            )

    def completed_runs(self) -> int:
        """Return how many runs finished completely."""
        row = self.db.execute(
            "SELECT count(*) FROM archive_runs WHERE status = 'complete'"
        ).fetchone()
        return int(row[0])

    # Rows

    @staticmethod
    def upsert(db: sqlite3.Connection, table: str, row: Row) -> None:
        """Insert a row, or update every column but ``id`` of the existing one.

        An upsert (not ``INSERT OR REPLACE``) so that the update triggers of
        the full-text index fire.
        """
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in row if c != "id")
        sql, values = _insert(
            table, row, conflict=f"ON CONFLICT (id) DO UPDATE SET {updates}"
        )
        db.execute(sql, values)

    def save_course(self, row: Row) -> None:
        """Store the course row."""
        with self.transaction() as db:
            self.upsert(db, "courses", row)

    def signatures(self, kind: str) -> dict[int, str]:
        """Return the stored list signatures of ``thread`` or ``lesson`` rows."""
        table = f"archive_{kind}_state"
        rows = self.db.execute(f"SELECT {kind}_id, list_signature FROM {table}")
        return {int(object_id): str(sig) for object_id, sig in rows}

    def forget_signatures(self) -> None:
        """Drop every stored signature, so the next walk fetches everything."""
        with self.transaction() as db:
            db.execute("DELETE FROM archive_thread_state")
            db.execute("DELETE FROM archive_lesson_state")

    def batch(self) -> WriteBatch:
        """Return a batch that groups thread and lesson writes into few commits."""
        return WriteBatch(self.db)

    def save_thread(
        self,
        thread: Row,
        comments: list[Row],
        users: list[Row],
        links: list[Row],
        list_signature: str,
    ) -> None:
        """Replace one thread with its comments and participants.

        Call it inside a `WriteBatch` unit, so that the thread and its
        signature are committed together or not at all.
        """
        db = self.db
        for user in users:
            # Only the columns a thread response carries are updated, so that
            # emails added from the roster survive later thread fetches.
            self.upsert(db, "users", {c: user.get(c) for c in ("id", *_USER_COLUMNS)})
        self.upsert(db, "threads", thread)
        thread_id = thread["id"]
        db.execute("DELETE FROM comments WHERE thread_id = ?", (thread_id,))
        _insert_many(db, "comments", comments)
        db.execute("DELETE FROM thread_participants WHERE thread_id = ?", (thread_id,))
        _insert_many(db, "thread_participants", links)
        db.execute(
            "INSERT INTO archive_thread_state (thread_id, list_signature, "
            "fetched_at) VALUES (?, ?, ?) ON CONFLICT (thread_id) DO UPDATE "
            "SET list_signature = excluded.list_signature, "
            "fetched_at = excluded.fetched_at",
            (thread_id, list_signature, utc_now()),
        )

    def set_user_details(self, details: list[Row]) -> int:
        """Add emails and usernames to users already in the archive.

        Returns:
            How many users were updated.
        """
        updated = 0
        with self.transaction() as db:
            for detail in details:
                updated += db.execute(
                    "UPDATE users SET email = ?, username = ? WHERE id = ?",
                    (detail.get("email"), detail.get("username"), detail["id"]),
                ).rowcount
        return updated

    def prune_users(self, *, keep_personal: bool) -> None:
        """Delete users who wrote no stored post, and personal columns if not kept."""
        with self.transaction() as db:
            db.execute(
                "DELETE FROM users WHERE id NOT IN "
                "(SELECT user_id FROM thread_participants)"
            )
            if not keep_personal:
                db.execute(
                    "UPDATE users SET email = NULL, username = NULL, avatar = NULL "
                    "WHERE email IS NOT NULL OR username IS NOT NULL "
                    "OR avatar IS NOT NULL"
                )

    def update_view_counts(self, thread_id: int, views: int, unique: int) -> None:
        """Refresh a thread's view counters, which the list carries.

        Call it inside a `WriteBatch`.
        """
        self.db.execute(
            "UPDATE threads SET view_count = ?, unique_view_count = ? "
            "WHERE id = ? AND (view_count != ? OR unique_view_count != ?)",
            (views, unique, thread_id, views, unique),
        )

    def remove_thread(self, thread_id: int) -> None:
        """Delete a thread, its comments, participants and signature.

        Call it inside a `WriteBatch` unit.
        """
        db = self.db
        db.execute("DELETE FROM comments WHERE thread_id = ?", (thread_id,))
        db.execute("DELETE FROM thread_participants WHERE thread_id = ?", (thread_id,))
        db.execute("DELETE FROM threads WHERE id = ?", (thread_id,))
        db.execute("DELETE FROM archive_thread_state WHERE thread_id = ?", (thread_id,))

    def stored_ids(self, table: str) -> set[int]:
        """Return the ids of every row of `table`."""
        return {int(r[0]) for r in self.db.execute(f"SELECT id FROM [{table}]")}

    def replace_all(self, table: str, course_id: int, rows: list[Row]) -> None:
        """Replace a course's rows of a table that is fetched whole every run."""
        with self.transaction() as db:
            keep = [row["id"] for row in rows]
            marks = ", ".join("?" for _ in keep) or "NULL"
            db.execute(
                f"DELETE FROM [{table}] WHERE course_id = ? AND id NOT IN ({marks})",
                (course_id, *keep),
            )
            for row in rows:
                self.upsert(db, table, row)

    def save_lesson(self, lesson: Row, slides: list[Row], list_signature: str) -> None:
        """Replace one lesson and its slides, inside a `WriteBatch` unit."""
        db = self.db
        self.upsert(db, "lessons", lesson)
        db.execute("DELETE FROM slides WHERE lesson_id = ?", (lesson["id"],))
        _insert_many(db, "slides", slides)
        db.execute(
            "INSERT INTO archive_lesson_state (lesson_id, list_signature, "
            "fetched_at) VALUES (?, ?, ?) ON CONFLICT (lesson_id) DO UPDATE "
            "SET list_signature = excluded.list_signature, "
            "fetched_at = excluded.fetched_at",
            (lesson["id"], list_signature, utc_now()),
        )

    def update_lesson_position(self, lesson_id: int, position: int) -> None:
        """Record where an unchanged lesson now sits, inside a `WriteBatch`."""
        self.db.execute(
            "UPDATE lessons SET position = ? WHERE id = ? AND position != ?",
            (position, lesson_id, position),
        )

    def remove_lesson(self, lesson_id: int) -> None:
        """Delete a lesson, its slides and signature, inside a `WriteBatch` unit."""
        db = self.db
        db.execute("DELETE FROM slides WHERE lesson_id = ?", (lesson_id,))
        db.execute("DELETE FROM lessons WHERE id = ?", (lesson_id,))
        db.execute("DELETE FROM archive_lesson_state WHERE lesson_id = ?", (lesson_id,))


class WriteBatch:
    """Groups the writes of many threads or lessons into few transactions.

    Each object is written inside ``with batch.unit():``. The batch commits
    after `max_units` units or `max_seconds`, whichever comes first, so a
    kill loses at most the uncommitted units, which the next run fetches
    again. When the batch ends with an error, completed units are committed
    unless a unit was cut off in the middle, in which case the whole open
    transaction is rolled back.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        max_units: int = BATCH_MAX_UNITS,
        max_seconds: float = BATCH_MAX_SECONDS,
    ) -> None:
        self._db = db
        self._max_units = max_units
        self._max_seconds = max_seconds
        self._units = 0
        self._started = 0.0
        self._unit_open = False

    def __enter__(self) -> WriteBatch:
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._db.in_transaction:
            return
        self._db.execute("ROLLBACK" if self._unit_open else "COMMIT")

    def _begin(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        self._units = 0
        self._started = time.monotonic()

    @contextmanager
    def unit(self) -> Iterator[None]:
        """Mark the writes of one object, and commit after it when the batch is due."""
        self._unit_open = True
        yield
        self._unit_open = False
        self._units += 1
        elapsed = time.monotonic() - self._started
        if self._units >= self._max_units or elapsed >= self._max_seconds:
            self._db.execute("COMMIT")
            self._begin()
