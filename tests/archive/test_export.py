"""Exports of an archive to JSON Lines and Markdown, and safe file names."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from pyedstem.archive import ArchiveError, export_jsonl, export_markdown
from pyedstem.archive.filenames import MAX_TITLE_BYTES, slugify, thread_filename

from .conftest import query


def _walk(items: list[dict[str, object]]) -> list[dict[str, object]]:
    found = []
    for item in items:
        found.append(item)
        replies = item["replies"]
        assert isinstance(replies, list)
        found.extend(_walk(replies))
    return found


def test_jsonl_one_thread_per_line(archived: Path, tmp_path: Path) -> None:
    out = tmp_path / "threads.jsonl"
    count = export_jsonl(archived, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    stored = query(archived, "SELECT id FROM threads")
    assert count == len(stored)
    assert len(lines) == count
    assert {r["id"] for r in records} == {row[0] for row in stored}


def test_jsonl_nests_every_comment(archived: Path, tmp_path: Path) -> None:
    out = tmp_path / "threads.jsonl"
    export_jsonl(archived, out)
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        nested = _walk(record["answers"]) + _walk(record["comments"])
        stored = query(
            archived,
            "SELECT id, parent_id FROM comments WHERE thread_id = ?",
            record["id"],
        )
        assert sorted(c["id"] for c in nested) == sorted(row[0] for row in stored)
        for comment in nested:
            for reply in comment["replies"]:
                assert reply["parent_id"] == comment["id"]
        assert all(c["type"] == "answer" for c in record["answers"])


def test_markdown_one_file_per_thread(archived: Path, tmp_path: Path) -> None:
    out = tmp_path / "threads"
    count = export_markdown(archived, out)
    files = sorted(out.iterdir())
    titles = {row[0] for row in query(archived, "SELECT title FROM threads")}
    first_lines = {f.read_text(encoding="utf-8").splitlines()[0] for f in files}
    assert count == len(files)
    assert count == len(query(archived, "SELECT id FROM threads"))
    assert first_lines == {f"# {title}" for title in titles}


def test_markdown_shows_answers(archived: Path, tmp_path: Path) -> None:
    number, title = query(
        archived,
        "SELECT number, title FROM threads WHERE id IN "
        "(SELECT thread_id FROM comments WHERE type = 'answer') LIMIT 1",
    )[0]
    export_markdown(archived, tmp_path)
    text = (tmp_path / thread_filename(number, title, set())).read_text("utf-8")
    assert "## Answers (" in text
    assert "### Answer by " in text


def test_markdown_removes_stale_exports(archived: Path, tmp_path: Path) -> None:
    stale = tmp_path / "9999-old-title.md"
    stale.write_text("old", encoding="utf-8")
    notes = tmp_path / "notes.md"
    notes.write_text("mine", encoding="utf-8")
    export_markdown(archived, tmp_path)
    assert not stale.exists()
    assert notes.read_text(encoding="utf-8") == "mine"


def test_export_rejects_missing_archive(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="No archive"):
        export_jsonl(tmp_path / "missing.db", tmp_path / "out.jsonl")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Question about recursion", "question-about-recursion"),
        ("a/b\\c:d*e?f", "a-b-c-d-e-f"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-thread"),
        ("   ", "untitled"),
        ("???", "untitled"),
        ("Über café naïve", "über-café-naïve"),
        ("日本語のタイトル", "日本語のタイトル"),
        ("Help 🙏 with loops", "help-with-loops"),
        ("tabs\tand\nnewlines", "tabs-and-newlines"),
        ("trailing dots...", "trailing-dots"),
    ],
)
def test_slugify_cases(title: str, expected: str) -> None:
    assert slugify(title) == expected


def test_slugify_keeps_nfc_form() -> None:
    decomposed = unicodedata.normalize("NFD", "café")
    assert slugify(decomposed) == "café"


def test_slugify_caps_bytes_on_character_boundary() -> None:
    slug = slugify("é" * 300)
    assert len(slug.encode("utf-8")) <= MAX_TITLE_BYTES
    assert slug == "é" * (MAX_TITLE_BYTES // 2)


def test_thread_filename_unique_ignoring_case() -> None:
    used: set[str] = set()
    first = thread_filename(7, "Loops", used)
    second = thread_filename(7, "LOOPS", used)
    third = thread_filename(7, "loops", used)
    assert first == "0007-loops.md"
    assert second == "0007-loops-2.md"
    assert third == "0007-loops-3.md"
