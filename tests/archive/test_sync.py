"""Archive runs against the sandbox Ed over loopback: content, privacy, incremental."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from pyedstem import ServerError
from pyedstem.archive import ArchiveError, ArchiveOptions, Privacy, archive_course
from pyedstem.testing import Sandbox

from .conftest import Ed, content_snapshot, public_comment_ids, query


def _thread_fetches(sandbox: Sandbox) -> list[str]:
    return [
        r.path for r in sandbox.requests.find("GET", template="/threads/{thread_id}")
    ]


def test_full_run_stores_public_threads(shared_ed: Ed, tmp_path: Path) -> None:
    ed = shared_ed
    db = tmp_path / "course.db"
    report = archive_course(ed.client, ed.course_id, db)
    listed = list(ed.client.threads.iter_all(ed.course_id))
    public = {t.id for t in listed if not t.is_private}
    stored = {row[0] for row in query(db, "SELECT id FROM threads")}
    assert stored == public
    assert report.mode == "full"
    assert report.threads_listed == len(listed)
    assert report.threads_fetched == len(public)
    assert report.private_skipped == len(listed) - len(public)
    assert report.private_skipped > 0


def test_full_run_stores_every_public_comment(shared_ed: Ed, archived: Path) -> None:
    ed, db = shared_ed, archived
    for (thread_id,) in query(db, "SELECT id FROM threads"):
        detail = ed.client.threads.get(thread_id)
        stored = query(db, "SELECT id FROM comments WHERE thread_id = ?", thread_id)
        assert {row[0] for row in stored} == public_comment_ids(detail)


def test_bodies_stored_three_ways(shared_ed: Ed, archived: Path) -> None:
    ed, db = shared_ed, archived
    thread_id, xml, markdown, text = query(
        db,
        "SELECT id, content_xml, content_markdown, content_text FROM threads "
        "WHERE content_xml LIKE '%<bold>%' LIMIT 1",
    )[0]
    assert xml == ed.client.threads.get(thread_id).content
    assert "**" in markdown
    assert "<bold>" not in markdown
    assert "<" not in text
    assert text.strip()


def test_participants_and_authors(shared_ed: Ed, archived: Path) -> None:
    ed, db = shared_ed, archived
    thread_id, user_id = query(
        db, "SELECT id, user_id FROM threads WHERE is_anonymous = 0 LIMIT 1"
    )[0]
    detail = ed.client.threads.get(thread_id)
    name = query(db, "SELECT name FROM users WHERE id = ?", user_id)[0][0]
    links = query(
        db, "SELECT user_id FROM thread_participants WHERE thread_id = ?", thread_id
    )
    assert user_id == detail.user_id
    assert name == detail.author_name
    assert (user_id,) in links


def test_private_and_personal_left_out(archived: Path) -> None:
    db = archived
    anonymous = query(
        db, "SELECT user_id, anonymous_id FROM threads WHERE is_anonymous = 1"
    )
    assert query(db, "SELECT count(*) FROM threads WHERE is_private = 1") == [(0,)]
    assert query(db, "SELECT count(*) FROM comments WHERE is_private = 1") == [(0,)]
    assert query(db, "SELECT count(*) FROM users WHERE email IS NOT NULL") == [(0,)]
    assert anonymous
    assert all(row == (None, None) for row in anonymous)
    assert query(
        db,
        "SELECT count(*) FROM comments WHERE is_anonymous = 1 AND user_id IS NOT NULL",
    ) == [(0,)]


def test_include_private_and_personal(shared_ed: Ed, tmp_path: Path) -> None:
    ed = shared_ed
    db = tmp_path / "course.db"
    privacy = Privacy(include_private=True, include_personal=True)
    report = archive_course(
        ed.client, ed.course_id, db, ArchiveOptions(privacy=privacy)
    )
    listed = {t.id for t in ed.client.threads.iter_all(ed.course_id)}
    stored = {row[0] for row in query(db, "SELECT id FROM threads")}
    emails = query(db, "SELECT email FROM users WHERE email IS NOT NULL")
    assert stored == listed
    assert report.private_skipped == 0
    assert emails
    assert all("@" in email for (email,) in emails)
    assert (
        query(
            db,
            "SELECT count(*) FROM threads WHERE is_anonymous = 1 AND anonymous_id > 0",
        )[0][0]
        > 0
    )


def test_unchanged_course_fetches_no_thread(ed: Ed, tmp_path: Path) -> None:
    db = tmp_path / "course.db"
    archive_course(ed.client, ed.course_id, db)
    before = content_snapshot(db)
    ed.sandbox.requests.clear()
    report = archive_course(ed.client, ed.course_id, db)
    assert report.mode == "incremental"
    assert report.threads_fetched == 0
    assert report.lessons_fetched == 0
    assert report.threads_unchanged == len(before["threads"])
    assert _thread_fetches(ed.sandbox) == []
    assert content_snapshot(db) == before


def test_incremental_run_fetches_changed_threads(ed: Ed, tmp_path: Path) -> None:
    db = tmp_path / "course.db"
    archive_course(ed.client, ed.course_id, db)
    answered_id = query(db, "SELECT min(id) FROM threads WHERE type = 'question'")[0][0]
    edited_id = query(db, "SELECT min(id) FROM threads WHERE type != 'question'")[0][0]
    posted = ed.client.threads.post_answer(
        thread_id=answered_id, markdown="A new answer about **recursion**."
    )
    ed.client.threads.update(edited_id, title="Renamed thread about tuples")
    ed.sandbox.requests.clear()
    report = archive_course(ed.client, ed.course_id, db)
    assert report.threads_fetched == 2
    assert sorted(_thread_fetches(ed.sandbox)) == sorted(
        [f"/api/threads/{answered_id}", f"/api/threads/{edited_id}"]
    )
    assert query(
        db, "SELECT thread_id, type FROM comments WHERE id = ?", posted.id
    ) == [(answered_id, "answer")]
    assert query(db, "SELECT title FROM threads WHERE id = ?", edited_id) == [
        ("Renamed thread about tuples",)
    ]
    found = query(db, "SELECT rowid FROM threads_fts WHERE threads_fts MATCH 'renamed'")
    assert found == [(edited_id,)]


def test_thread_made_private_is_removed(ed: Ed, tmp_path: Path) -> None:
    db = tmp_path / "course.db"
    archive_course(ed.client, ed.course_id, db)
    thread_id = query(db, "SELECT id FROM threads WHERE reply_count > 0 LIMIT 1")[0][0]
    ed.client.threads.update(thread_id, is_private=True)
    report = archive_course(ed.client, ed.course_id, db)
    assert report.threads_removed == 1
    assert query(db, "SELECT count(*) FROM threads WHERE id = ?", thread_id) == [(0,)]
    assert query(
        db, "SELECT count(*) FROM comments WHERE thread_id = ?", thread_id
    ) == [(0,)]
    assert query(db, "SELECT count(*) FROM threads_fts WHERE rowid = ?", thread_id) == [
        (0,)
    ]


def test_deleted_thread_is_removed_for_students(ed: Ed, tmp_path: Path) -> None:
    db = tmp_path / "course.db"
    with ed.client_for("student") as student:
        archive_course(student, ed.course_id, db)
        thread_id = query(db, "SELECT id FROM threads ORDER BY id LIMIT 1")[0][0]
        ed.sandbox.state.delete_thread(ed.sandbox.state.threads[thread_id])
        report = archive_course(student, ed.course_id, db)
    assert report.threads_removed == 1
    assert query(db, "SELECT count(*) FROM threads WHERE id = ?", thread_id) == [(0,)]


def test_failed_run_resumes_to_same_content(ed: Ed, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.db"
    archive_course(ed.client, ed.course_id, baseline)
    thread_ids = [
        row[0] for row in query(baseline, "SELECT id FROM threads ORDER BY id")
    ]
    broken = thread_ids[len(thread_ids) // 2]
    ed.sandbox.faults.add(kind="status", status=500, path=f"/threads/{broken}", times=1)
    db = tmp_path / "course.db"
    with pytest.raises(ServerError):
        archive_course(ed.client, ed.course_id, db)
    assert query(db, "SELECT status FROM archive_runs") == [("failed",)]
    partial = query(db, "SELECT count(*) FROM threads")[0][0]
    report = archive_course(ed.client, ed.course_id, db)
    assert partial < len(thread_ids)
    assert report.threads_fetched == len(thread_ids) - partial
    assert content_snapshot(db) == content_snapshot(baseline)
    assert query(db, "SELECT status FROM archive_runs ORDER BY id") == [
        ("failed",),
        ("complete",),
    ]


def test_privacy_change_refetches_everything(shared_ed: Ed, tmp_path: Path) -> None:
    ed = shared_ed
    db = tmp_path / "course.db"
    first = archive_course(ed.client, ed.course_id, db)
    options = ArchiveOptions(privacy=Privacy(include_personal=True))
    second = archive_course(ed.client, ed.course_id, db, options)
    assert second.mode == "full"
    assert second.threads_fetched == first.threads_fetched
    assert query(db, "SELECT count(*) FROM users WHERE email IS NOT NULL")[0][0] > 0


def test_lessons_and_resources_stored(shared_ed: Ed, archived: Path) -> None:
    ed, db = shared_ed, archived
    runs = query(db, "SELECT lessons_fetched FROM archive_runs")
    lessons = ed.client.lessons.list(ed.course_id)
    slide_count = sum(
        len(ed.client.lessons.get(lesson.id).slides) for lesson in lessons
    )
    resources = ed.client.courses.list_resources(ed.course_id)
    assert runs == [(len(lessons),)]
    assert query(db, "SELECT count(*) FROM lessons") == [(len(lessons),)]
    assert query(db, "SELECT count(*) FROM slides") == [(slide_count,)]
    assert query(db, "SELECT count(*) FROM resources") == [(len(resources),)]
    assert (
        query(db, "SELECT count(*) FROM slides WHERE content_text IS NOT NULL")[0][0]
        > 0
    )


def test_other_course_rejected(shared_ed: Ed, tmp_path: Path) -> None:
    ed = shared_ed
    db = tmp_path / "course.db"
    archive_course(ed.client, ed.course_id, db, ArchiveOptions(lessons=False))
    other = ed.sandbox.other_course_id
    with pytest.raises(ArchiveError, match=str(other)):
        archive_course(ed.client, other, db)


def test_newer_schema_rejected(shared_ed: Ed, tmp_path: Path) -> None:
    ed = shared_ed
    db = tmp_path / "course.db"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE archive_meta (key TEXT PRIMARY KEY, value TEXT)")
    connection.execute("INSERT INTO archive_meta VALUES ('schema_version', '99')")
    connection.commit()
    connection.close()
    with pytest.raises(ArchiveError, match="schema version 99"):
        archive_course(ed.client, ed.course_id, db)


def test_not_a_database_rejected(shared_ed: Ed, tmp_path: Path) -> None:
    ed = shared_ed
    db = tmp_path / "notes.db"
    db.write_text("these are notes, not SQLite\n" * 100)
    with pytest.raises(ArchiveError, match=r"notes\.db"):
        archive_course(ed.client, ed.course_id, db)


def test_database_readable_by_sqlite_utils(archived: Path) -> None:
    assert not archived.with_name("course.db-wal").exists()
    db = sqlite_utils.Database(archived)
    thread_id, title = db.execute("SELECT id, title FROM threads LIMIT 1").fetchone()
    word = max(title.split(), key=len)
    hits = list(db["threads"].search(word))
    comment_keys = {(fk.column, fk.other_table) for fk in db["comments"].foreign_keys}
    assert db["threads"].detect_fts() == "threads_fts"
    assert db["comments"].detect_fts() == "comments_fts"
    assert db["slides"].detect_fts() == "slides_fts"
    assert thread_id in {hit["id"] for hit in hits}
    assert ("thread_id", "threads") in comment_keys
    assert ("user_id", "users") in comment_keys
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_privacy_downgrade_removes_personal(shared_ed: Ed, tmp_path: Path) -> None:
    ed = shared_ed
    db = tmp_path / "course.db"
    everything = Privacy(include_private=True, include_personal=True)
    archive_course(ed.client, ed.course_id, db, ArchiveOptions(privacy=everything))
    archive_course(ed.client, ed.course_id, db)
    fresh = tmp_path / "fresh.db"
    archive_course(ed.client, ed.course_id, fresh)
    assert query(db, "SELECT count(*) FROM users WHERE email IS NOT NULL") == [(0,)]
    assert query(db, "SELECT count(*) FROM threads WHERE is_private = 1") == [(0,)]
    assert query(db, "SELECT count(*) FROM threads WHERE anonymous_id IS NOT NULL") == [
        (0,)
    ]
    assert content_snapshot(db) == content_snapshot(fresh)
