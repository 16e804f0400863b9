"""The SQLite schema of a course archive.

The tables are plain SQLite with declared primary and foreign keys, JSON kept
as text, and FTS5 indexes in the external-content layout that sqlite-utils
and Datasette detect (``<table>_fts`` with ``content="<table>"``), so the file
opens in either tool without conversion.

Tables that start with ``archive_`` are bookkeeping: they record the runs and
what each thread looked like in the thread list when it was last fetched,
which is how an incremental run finds the threads that changed.
"""

from __future__ import annotations

import sqlite3

from .errors import ArchiveError

SCHEMA_VERSION = 1

_TABLES = """
CREATE TABLE IF NOT EXISTS archive_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS archive_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    mode TEXT NOT NULL,
    threads_listed INTEGER NOT NULL DEFAULT 0,
    threads_fetched INTEGER NOT NULL DEFAULT 0,
    threads_removed INTEGER NOT NULL DEFAULT 0,
    lessons_fetched INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE TABLE IF NOT EXISTS archive_thread_state (
    thread_id INTEGER PRIMARY KEY,
    list_signature TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS archive_lesson_state (
    lesson_id INTEGER PRIMARY KEY,
    list_signature TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS courses (
    id INTEGER PRIMARY KEY,
    code TEXT,
    name TEXT,
    year TEXT,
    session TEXT,
    status TEXT,
    realm_id INTEGER,
    created_at TEXT,
    categories TEXT,
    web_url TEXT
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT,
    role TEXT,
    course_role TEXT,
    email TEXT,
    username TEXT,
    avatar TEXT
);
CREATE TABLE IF NOT EXISTS threads (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses(id),
    number INTEGER NOT NULL,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    category TEXT,
    subcategory TEXT,
    subsubcategory TEXT,
    user_id INTEGER REFERENCES users(id),
    anonymous_id INTEGER,
    is_anonymous INTEGER NOT NULL,
    is_private INTEGER NOT NULL,
    is_pinned INTEGER NOT NULL,
    is_locked INTEGER NOT NULL,
    is_endorsed INTEGER NOT NULL,
    is_answered INTEGER NOT NULL,
    is_staff_answered INTEGER NOT NULL,
    is_student_answered INTEGER NOT NULL,
    is_megathread INTEGER NOT NULL,
    is_archived INTEGER NOT NULL,
    accepted_id INTEGER,
    duplicate_id INTEGER,
    approved_status TEXT,
    reply_count INTEGER NOT NULL,
    unresolved_count INTEGER NOT NULL,
    vote_count INTEGER NOT NULL,
    star_count INTEGER NOT NULL,
    flag_count INTEGER NOT NULL,
    view_count INTEGER NOT NULL,
    unique_view_count INTEGER NOT NULL,
    created_at TEXT,
    updated_at TEXT,
    deleted_at TEXT,
    pinned_at TEXT,
    web_url TEXT,
    content_xml TEXT,
    content_markdown TEXT,
    content_text TEXT,
    extra TEXT
);
CREATE INDEX IF NOT EXISTS threads_course_number ON threads (course_id, number);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    course_id INTEGER REFERENCES courses(id),
    parent_id INTEGER REFERENCES comments(id),
    type TEXT NOT NULL,
    kind TEXT,
    number INTEGER,
    depth INTEGER NOT NULL,
    position INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id),
    anonymous_id INTEGER,
    is_anonymous INTEGER NOT NULL,
    is_private INTEGER NOT NULL,
    is_endorsed INTEGER NOT NULL,
    is_resolved INTEGER NOT NULL,
    is_accepted INTEGER NOT NULL,
    vote_count INTEGER NOT NULL,
    flag_count INTEGER NOT NULL,
    created_at TEXT,
    updated_at TEXT,
    deleted_at TEXT,
    content_xml TEXT,
    content_markdown TEXT,
    content_text TEXT,
    extra TEXT
);
CREATE INDEX IF NOT EXISTS comments_thread ON comments (thread_id, position);
CREATE TABLE IF NOT EXISTS thread_participants (
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    posts INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE TABLE IF NOT EXISTS modules (
    id INTEGER PRIMARY KEY,
    course_id INTEGER REFERENCES courses(id),
    name TEXT,
    created_at TEXT,
    updated_at TEXT
);
CREATE TABLE IF NOT EXISTS lessons (
    id INTEGER PRIMARY KEY,
    course_id INTEGER REFERENCES courses(id),
    module_id INTEGER REFERENCES modules(id),
    number INTEGER,
    position INTEGER,
    title TEXT,
    type TEXT,
    kind TEXT,
    state TEXT,
    is_hidden INTEGER NOT NULL,
    is_unlisted INTEGER NOT NULL,
    is_timed INTEGER NOT NULL,
    slide_count INTEGER,
    available_at TEXT,
    due_at TEXT,
    locked_at TEXT,
    solutions_at TEXT,
    created_at TEXT,
    updated_at TEXT,
    extra TEXT
);
CREATE TABLE IF NOT EXISTS slides (
    id INTEGER PRIMARY KEY,
    lesson_id INTEGER NOT NULL REFERENCES lessons(id),
    course_id INTEGER REFERENCES courses(id),
    position INTEGER,
    type TEXT,
    title TEXT,
    is_hidden INTEGER NOT NULL,
    challenge_id INTEGER,
    points INTEGER,
    auto_points INTEGER,
    created_at TEXT,
    updated_at TEXT,
    content_xml TEXT,
    passage_xml TEXT,
    content_markdown TEXT,
    content_text TEXT,
    extra TEXT
);
CREATE INDEX IF NOT EXISTS slides_lesson ON slides (lesson_id, position);
CREATE TABLE IF NOT EXISTS resources (
    id INTEGER PRIMARY KEY,
    course_id INTEGER REFERENCES courses(id),
    name TEXT,
    category TEXT,
    session TEXT,
    extension TEXT,
    link TEXT,
    size INTEGER,
    staff_only INTEGER NOT NULL,
    embedding INTEGER NOT NULL,
    release_at TEXT,
    created_at TEXT,
    updated_at TEXT,
    extra TEXT
);
"""

# Full-text indexes: table name, then the indexed columns.
FTS_TABLES: dict[str, tuple[str, ...]] = {
    "threads": ("title", "content_text"),
    "comments": ("content_text",),
    "slides": ("title", "content_text"),
}


def _fts_statements(table: str, columns: tuple[str, ...]) -> str:
    """Build an external-content FTS5 index and the triggers that keep it current.

    The triggers follow the external-content recipe of the SQLite FTS5
    documentation: an index row is removed with the special ``'delete'``
    insert, giving the old values.
    """
    fts = f"{table}_fts"
    cols = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    return f"""
CREATE VIRTUAL TABLE IF NOT EXISTS [{fts}] USING FTS5 (
    {cols}, tokenize='porter unicode61', content=[{table}]
);
CREATE TRIGGER IF NOT EXISTS [{table}_ai] AFTER INSERT ON [{table}] BEGIN
    INSERT INTO [{fts}] (rowid, {cols}) VALUES (new.rowid, {new});
END;
CREATE TRIGGER IF NOT EXISTS [{table}_ad] AFTER DELETE ON [{table}] BEGIN
    INSERT INTO [{fts}] ([{fts}], rowid, {cols}) VALUES ('delete', old.rowid, {old});
END;
CREATE TRIGGER IF NOT EXISTS [{table}_au] AFTER UPDATE ON [{table}] BEGIN
    INSERT INTO [{fts}] ([{fts}], rowid, {cols}) VALUES ('delete', old.rowid, {old});
    INSERT INTO [{fts}] (rowid, {cols}) VALUES (new.rowid, {new});
END;
"""


def create_schema(connection: sqlite3.Connection) -> None:
    """Create every table, index and trigger that does not exist yet.

    Raises:
        ArchiveError: The file contains an archive with a newer schema version.
    """
    connection.executescript(_TABLES)
    for table, columns in FTS_TABLES.items():
        connection.executescript(_fts_statements(table, columns))
    row = connection.execute(
        "SELECT value FROM archive_meta WHERE key = 'schema_version'"
    ).fetchone()
    if row is None:
        connection.execute(
            "INSERT INTO archive_meta (key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
    elif int(row[0]) > SCHEMA_VERSION:
        raise ArchiveError(
            f"The archive has schema version {row[0]}, newer than version "
            f"{SCHEMA_VERSION} of this pyedstem. Upgrade pyedstem to update it."
        )
    connection.commit()
