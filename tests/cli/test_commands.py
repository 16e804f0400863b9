"""Every ``edstem`` command, run as a subprocess against the sandbox over loopback."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyedstem import EdStemClient
from pyedstem.content import markdown_to_ed_document
from pyedstem.testing import Sandbox, SandboxServer

from .conftest import Result, clean_env, edstem, edstem_many

COURSE_CODE = "CS101"


@pytest.fixture(scope="module")
def reader(cli_sandbox: Sandbox, cli_server: SandboxServer) -> Iterator[EdStemClient]:
    """A staff client that checks what the commands print."""
    with EdStemClient(cli_sandbox.tokens["staff"], base_url=cli_server.base_url) as c:
        yield c


@pytest.fixture(scope="module")
def lesson_id(reader: EdStemClient, cli_sandbox: Sandbox) -> int:
    """A lesson of the demo course."""
    return reader.lessons.list(cli_sandbox.demo_course_id)[0].id


@pytest.fixture(scope="module")
def reads(
    cli_sandbox: Sandbox,
    cli_server: SandboxServer,
    lesson_id: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Result]:
    """The output of every read-only command, run in parallel subprocesses."""
    home = tmp_path_factory.mktemp("reads")
    course = str(cli_sandbox.demo_course_id)
    commands = {
        "courses": ["courses", "list", "--json"],
        "course_show": ["courses", "show", COURSE_CODE],
        "threads": ["threads", "list", course, "--limit", "5", "--csv"],
        "search": ["threads", "search", course, "recursion", "--json"],
        "show": ["threads", "show", f"{COURSE_CODE}#3"],
        "unanswered": ["threads", "unanswered", COURSE_CODE, "--json"],
        "lessons": ["lessons", "list", course, "--csv"],
        "lesson_show": ["lessons", "show", str(lesson_id)],
        "results": ["lessons", "results", str(lesson_id), "--csv"],
        "analytics_users": ["analytics", "users", course, "--csv"],
        "analytics_discussion": ["analytics", "discussion", course, "--json"],
        "analytics_challenges": ["analytics", "challenges", course],
        "activity": ["activity", course, "--limit", "5", "--json"],
    }
    return edstem_many(commands, clean_env(cli_sandbox, cli_server, home), home)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[Sandbox, EdStemClient, dict[str, str]]]:
    """A sandbox of its own for a test that posts, with a client and an env."""
    sandbox = Sandbox(seed=1, threads_per_course=20)
    with (
        sandbox.serve() as server,
        EdStemClient(sandbox.tokens["staff"], base_url=server.base_url) as client,
    ):
        yield sandbox, client, clean_env(sandbox, server, tmp_path)


def _ok(result: Result) -> Result:
    assert result.code == 0, result.stderr
    return result


def test_courses_list_json(reads: dict[str, Result], reader: EdStemClient) -> None:
    courses = json.loads(_ok(reads["courses"]).stdout)
    assert {c["id"] for c in courses} == {c.id for c in reader.courses.list_active()}
    assert all(c["role"] == "staff" for c in courses)


def test_courses_show_by_code(reads: dict[str, Result], cli_sandbox: Sandbox) -> None:
    out = _ok(reads["course_show"]).stdout
    assert str(cli_sandbox.demo_course_id) in out
    assert "Categories:" in out


def test_threads_list_csv(
    reads: dict[str, Result], reader: EdStemClient, cli_sandbox: Sandbox
) -> None:
    rows = list(csv.DictReader(io.StringIO(_ok(reads["threads"]).stdout)))
    newest = reader.threads.list(cli_sandbox.demo_course_id, limit=5, sort="new")
    assert [int(r["ID"]) for r in rows] == [t.id for t in newest]
    assert {"#", "ID", "Title", "Author", "Replies", "URL"} <= set(rows[0])


def test_threads_search_json(
    reads: dict[str, Result], reader: EdStemClient, cli_sandbox: Sandbox
) -> None:
    found = json.loads(_ok(reads["search"]).stdout)
    expected = reader.threads.search(cli_sandbox.demo_course_id, query="recursion")
    assert [t["id"] for t in found] == [t.id for t in expected[:20]]
    assert found


def test_threads_show_renders_thread(
    reads: dict[str, Result], reader: EdStemClient, cli_sandbox: Sandbox
) -> None:
    out = _ok(reads["show"]).stdout
    thread = reader.threads.get_by_number(cli_sandbox.demo_course_id, 3)
    assert out.splitlines()[0] == thread.title
    assert f"#3 (id {thread.id})" in out
    assert "<paragraph>" not in out
    if thread.comments:
        assert f"Comments ({len(thread.comments)})" in out


def test_threads_unanswered_json(
    reads: dict[str, Result], reader: EdStemClient, cli_sandbox: Sandbox
) -> None:
    rows = json.loads(_ok(reads["unanswered"]).stdout)
    everything = reader.threads.iter_all(cli_sandbox.demo_course_id)
    expected = {t.id for t in everything if t.type == "question" and not t.is_answered}
    created = [r["created_at"] for r in rows]
    assert {r["id"] for r in rows} == expected
    assert expected
    assert created == sorted(created)


def test_lessons_commands(
    reads: dict[str, Result], reader: EdStemClient, cli_sandbox: Sandbox, lesson_id: int
) -> None:
    lessons = list(csv.DictReader(io.StringIO(_ok(reads["lessons"]).stdout)))
    shown = _ok(reads["lesson_show"]).stdout
    results = list(csv.DictReader(io.StringIO(_ok(reads["results"]).stdout)))
    detail = reader.lessons.get(lesson_id)
    assert len(lessons) == len(reader.lessons.list(cli_sandbox.demo_course_id))
    assert detail.title is not None
    assert detail.title in shown
    assert all(slide.title and slide.title in shown for slide in detail.slides)
    assert len(results) == len(reader.lessons.list_results(lesson_id))


def test_analytics_commands(
    reads: dict[str, Result], reader: EdStemClient, cli_sandbox: Sandbox
) -> None:
    users = list(csv.DictReader(io.StringIO(_ok(reads["analytics_users"]).stdout)))
    discussion = json.loads(_ok(reads["analytics_discussion"]).stdout)
    course_id = cli_sandbox.demo_course_id
    assert set(discussion) == set(reader.analytics.get_discussion(course_id))
    assert len(users) == len(reader.analytics.get_users(course_id))
    assert _ok(reads["analytics_challenges"]).stdout.strip()


def test_activity_json(reads: dict[str, Result]) -> None:
    items = json.loads(_ok(reads["activity"]).stdout)
    assert 0 < len(items) <= 5
    assert all(item["type"] in ("thread", "comment") for item in items)


def test_answer_dry_run_sends_nothing(
    env: dict[str, str], tmp_path: Path, cli_sandbox: Sandbox
) -> None:
    reply = tmp_path / "reply.md"
    markdown = "Use **pytest**:\n\n```python\nassert add(1, 2) == 3\n```\n"
    reply.write_text(markdown, encoding="utf-8")
    posts_before = len(cli_sandbox.requests.find("POST"))
    result = _ok(edstem(["answer", "4521", "--file", str(reply), "--dry-run"], env))
    assert result.stdout.strip() == markdown_to_ed_document(markdown)
    assert "Nothing was sent." in result.stderr
    assert len(cli_sandbox.requests.find("POST")) == posts_before


def test_answer_posts_from_stdin(
    fresh: tuple[Sandbox, EdStemClient, dict[str, str]],
) -> None:
    sandbox, reader, env = fresh
    question = next(
        t
        for t in reader.threads.iter_all(sandbox.demo_course_id)
        if t.type == "question" and not t.is_answered
    )
    result = _ok(edstem(["answer", str(question.id)], env, stdin="See *lecture 4*."))
    posted_id = int(result.stdout.split()[2])
    thread = reader.threads.get(question.id)
    answer = thread.find_comment(posted_id)
    assert result.stdout.startswith("Posted answer ")
    assert answer is not None
    assert answer.type == "answer"
    assert "<italic>lecture 4</italic>" in (answer.content or "")
    assert thread.is_answered


def test_comment_posts_argument_json(
    fresh: tuple[Sandbox, EdStemClient, dict[str, str]],
) -> None:
    sandbox, reader, env = fresh
    thread = reader.threads.list(sandbox.demo_course_id, limit=1)[0]
    result = _ok(
        edstem(["comment", str(thread.id), "Thanks, **fixed**.", "--json"], env)
    )
    posted = json.loads(result.stdout)
    assert posted["type"] == "comment"
    assert reader.threads.get(thread.id).find_comment(posted["id"]) is not None


def test_auth_login_status_logout(env: dict[str, str], tmp_path: Path) -> None:
    token = env.pop("EDSTEM_API_TOKEN")
    login = _ok(edstem(["auth", "login"], env, stdin=token + "\n"))
    config = tmp_path / "config" / "credentials.json"
    assert config.exists()
    status = _ok(edstem(["auth", "status"], env))
    logout = _ok(edstem(["auth", "logout"], env))
    assert "Logged in as" in login.stderr
    assert token not in status.stdout + status.stderr
    assert token[:4] in status.stdout
    assert "config file" in status.stdout
    assert "Account:" in status.stdout
    assert "Removed the saved token" in logout.stderr
    assert not config.exists()


def test_archive_and_export(
    env: dict[str, str], tmp_path: Path, reader: EdStemClient
) -> None:
    db = tmp_path / "course.db"
    archived = _ok(edstem(["archive", COURSE_CODE, "--db", str(db), "--json"], env))
    report = json.loads(archived.stdout)
    out = tmp_path / "md"
    exported = _ok(
        edstem(
            [
                "export",
                "--db",
                str(db),
                "--jsonl",
                str(tmp_path / "t.jsonl"),
                "--markdown",
                str(out),
            ],
            env,
        )
    )
    connection = sqlite3.connect(db)
    stored = connection.execute("SELECT count(*) FROM threads").fetchone()[0]
    connection.close()
    assert report["mode"] == "full"
    assert report["threads_fetched"] == stored
    assert stored > 0
    assert len(list(out.glob("*.md"))) == stored
    assert len((tmp_path / "t.jsonl").read_text("utf-8").splitlines()) == stored
    assert f"Wrote {stored} threads" in exported.stderr


def test_error_is_one_line(env: dict[str, str]) -> None:
    env["EDSTEM_API_TOKEN"] = "bad000.WRONG-TOKEN-0123456789"
    result = edstem(["courses", "list"], env)
    assert result.code == 3
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("edstem: error: Ed rejected the API token")
    assert "WRONG-TOKEN" not in result.stderr
    assert "Traceback" not in result.stderr
