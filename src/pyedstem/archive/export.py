"""Exports of an archive database: JSON Lines and a folder of Markdown files.

Both read the SQLite file only, so they work offline and show exactly what
the archive holds, with the privacy settings it was written with.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import ArchiveError
from .filenames import thread_filename

__all__ = ["export_jsonl", "export_markdown"]

Record = dict[str, Any]

# Names that an earlier Markdown export wrote: four or more digits, a hyphen.
_EXPORTED_NAME = re.compile(r"^\d{4,}-.*\.md$")


def _open_read_only(db_path: Path) -> sqlite3.Connection:
    if not db_path.is_file():
        raise ArchiveError(
            f"No archive at {str(db_path)!r}. Create one with "
            "'edstem archive COURSE --db FILE' first."
        )
    connection = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        connection.execute("SELECT 1 FROM threads LIMIT 1")
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise ArchiveError(
            f"{str(db_path)!r} is not an edstem archive ({exc})."
        ) from exc
    return connection


def _author(users: dict[int, Record], user_id: int | None) -> Record | None:
    if user_id is None:
        return None
    user = users.get(user_id, {"id": user_id})
    return {key: user.get(key) for key in ("id", "name", "course_role")}


def _decoded(row: sqlite3.Row) -> Record:
    record = dict(row)
    if isinstance(record.get("extra"), str):
        record["extra"] = json.loads(record["extra"])
    return record


def iter_threads(connection: sqlite3.Connection) -> Iterator[Record]:
    """Yield every thread as a nested record, in thread-number order.

    Each record has the ``threads`` columns, an ``author``, and ``answers``
    and ``comments`` lists whose items carry their replies in ``replies``.
    """
    users = {
        int(row["id"]): dict(row) for row in connection.execute("SELECT * FROM users")
    }
    for thread_row in connection.execute("SELECT * FROM threads ORDER BY number, id"):
        thread = _decoded(thread_row)
        thread["author"] = _author(users, thread["user_id"])
        by_id: dict[int, Record] = {}
        children: dict[int, list[Record]] = defaultdict(list)
        top: list[Record] = []
        comments = connection.execute(
            "SELECT * FROM comments WHERE thread_id = ? ORDER BY position",
            (thread["id"],),
        )
        for comment_row in comments:
            comment = _decoded(comment_row)
            comment["author"] = _author(users, comment["user_id"])
            comment["replies"] = children[comment["id"]]
            by_id[comment["id"]] = comment
            parent = comment["parent_id"]
            if parent is not None and parent in by_id:
                children[parent].append(comment)
            else:
                top.append(comment)
        thread["answers"] = [c for c in top if c["type"] == "answer"]
        thread["comments"] = [c for c in top if c["type"] != "answer"]
        yield thread


def export_jsonl(db_path: Path, out_path: Path) -> int:
    """Write one JSON object per thread, with its answers and comments nested.

    Returns:
        The number of threads written.

    Raises:
        ArchiveError: `db_path` is not an archive.
    """
    connection = _open_read_only(db_path)
    count = 0
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with out_path.open("w", encoding="utf-8", newline="\n") as out:
            for thread in iter_threads(connection):
                out.write(json.dumps(thread, ensure_ascii=False, sort_keys=True))
                out.write("\n")
                count += 1
    finally:
        connection.close()
    return count


def export_markdown(db_path: Path, out_dir: Path) -> int:
    """Write one UTF-8 Markdown file per thread into `out_dir`.

    File names are ``NNNN-title.md`` (the thread number, then the title made
    safe). Files of that form left by an earlier export, whose threads are
    gone or renamed, are removed. Other files in the folder are kept.

    Returns:
        The number of files written.

    Raises:
        ArchiveError: `db_path` is not an archive.
    """
    connection = _open_read_only(db_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    written: set[str] = set()
    try:
        for thread in iter_threads(connection):
            name = thread_filename(thread["number"], thread["title"], used)
            path = out_dir / name
            path.write_text(render_thread(thread), encoding="utf-8", newline="\n")
            written.add(name)
    finally:
        connection.close()
    for old in out_dir.iterdir():
        if _EXPORTED_NAME.match(old.name) and old.name not in written:
            old.unlink()
    return len(written)


def _who(record: Record) -> str:
    author = record.get("author")
    if record.get("is_anonymous"):
        return "Anonymous"
    if author is None or not author.get("name"):
        return "Unknown author"
    role = author.get("course_role")
    return f"{author['name']} ({role})" if role else str(author["name"])


def _marks(record: Record) -> str:
    marks = [
        label
        for key, label in (
            ("is_accepted", "accepted"),
            ("is_endorsed", "endorsed"),
            ("is_private", "private"),
        )
        if record.get(key)
    ]
    return f" [{', '.join(marks)}]" if marks else ""


def _body(record: Record) -> str:
    markdown = record.get("content_markdown")
    return str(markdown).strip() if markdown else "*(no text)*"


def render_thread(thread: Record) -> str:
    """Render a thread record of `iter_threads` as a Markdown document."""
    category = " / ".join(
        part
        for part in (
            thread.get("category"),
            thread.get("subcategory"),
            thread.get("subsubcategory"),
        )
        if part
    )
    status = "answered" if thread.get("is_answered") else "unanswered"
    lines = [
        f"# {thread['title']}",
        "",
        f"- Thread: #{thread['number']} (id {thread['id']}), {thread['type']}, "
        f"{status}{_marks(thread)}",
        f"- Category: {category or 'none'}",
        f"- Author: {_who(thread)}",
        f"- Created: {thread.get('created_at') or 'unknown'}",
    ]
    if thread.get("updated_at"):
        lines.append(f"- Updated: {thread['updated_at']}")
    if thread.get("web_url"):
        lines.append(f"- Link: <{thread['web_url']}>")
    lines += ["", _body(thread), ""]
    for key, title, label in (
        ("answers", "Answers", "Answer"),
        ("comments", "Comments", "Comment"),
    ):
        if thread[key]:
            lines += [f"## {title} ({len(thread[key])})", ""]
            for item in thread[key]:
                lines += _render_comment(item, label, level=3)
    return "\n".join(lines).rstrip("\n") + "\n"


def _render_comment(comment: Record, label: str, *, level: int) -> list[str]:
    heading = "#" * min(level, 6)
    when = comment.get("created_at") or "unknown time"
    lines = [
        f"{heading} {label} by {_who(comment)}, {when}{_marks(comment)}",
        "",
        _body(comment),
        "",
    ]
    for reply in comment["replies"]:
        lines += _render_comment(reply, "Reply", level=level + 1)
    return lines
