"""Every ``edstem`` command, run as a subprocess against the sandbox over loopback.

Each test starts one or a few processes, so that pytest-xdist spreads the
start-up time of the interpreter over its workers.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pyedstem import EdStemClient
from pyedstem.content import markdown_to_ed_document
from pyedstem.testing import Sandbox, SandboxServer

from .conftest import Result, clean_env, edstem

COURSE_CODE = "CS101"

Read = Callable[..., Result]


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
def course(cli_sandbox: Sandbox) -> str:
    """The demo course's id as a command-line argument."""
    return str(cli_sandbox.demo_course_id)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder for the read-only commands of this module."""
    return tmp_path_factory.mktemp("reads")


@pytest.fixture
def read(cli_sandbox: Sandbox, cli_server: SandboxServer, home: Path) -> Read:
    """Return a function that runs a read-only command in a subprocess."""

    def call(*args: str) -> Result:
        result = edstem(list(args), clean_env(cli_sandbox, cli_server, home), cwd=home)
        assert result.code == 0, result.stderr
        return result

    return call


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


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_courses_list_json(read: Read, reader: EdStemClient) -> None:
    courses = json.loads(read("courses", "list", "--json").stdout)
    assert {c["id"] for c in courses} == {c.id for c in reader.courses.list_active()}
    assert all(c["role"] == "staff" for c in courses)


def test_courses_show_by_code(read: Read, cli_sandbox: Sandbox) -> None:
    out = read("courses", "show", COURSE_CODE).stdout
    assert str(cli_sandbox.demo_course_id) in out
    assert "Categories:" in out


def test_threads_list_csv(read: Read, reader: EdStemClient, course: str) -> None:
    rows = _csv(read("threads", "list", course, "-n", "5", "--csv").stdout)
    newest = reader.threads.list(int(course), limit=5, sort="new")
    assert [int(r["ID"]) for r in rows] == [t.id for t in newest]
    assert {"#", "ID", "Title", "Author", "Replies", "URL"} <= set(rows[0])


def test_threads_search_json(read: Read, reader: EdStemClient, course: str) -> None:
    found = json.loads(read("threads", "search", course, "recursion", "--json").stdout)
    expected = reader.threads.search(int(course), query="recursion")
    assert [t["id"] for t in found] == [t.id for t in expected[:20]]
    assert found


def test_threads_show_renders_thread(
    read: Read, reader: EdStemClient, course: str
) -> None:
    out = read("threads", "show", f"{COURSE_CODE}#3").stdout
    thread = reader.threads.get_by_number(int(course), 3)
    assert out.splitlines()[0] == thread.title
    assert f"#3 (id {thread.id})" in out
    assert "<paragraph>" not in out
    if thread.comments:
        assert f"Comments ({len(thread.comments)})" in out


def test_threads_unanswered_json(read: Read, reader: EdStemClient, course: str) -> None:
    rows = json.loads(read("threads", "unanswered", COURSE_CODE, "--json").stdout)
    expected = {t.id for t in reader.threads.list_unanswered(int(course))}
    created = [r["created_at"] for r in rows]
    assert {r["id"] for r in rows} == expected
    assert expected
    assert created == sorted(created)
    assert all(r["type"] == "question" and not r["is_staff_answered"] for r in rows)


def test_lessons_list_csv(read: Read, reader: EdStemClient, course: str) -> None:
    lessons = _csv(read("lessons", "list", course, "--csv").stdout)
    expected = reader.lessons.list(int(course))
    assert [int(row["ID"]) for row in lessons] == [lesson.id for lesson in expected]


def test_lessons_show_slides(read: Read, reader: EdStemClient, lesson_id: int) -> None:
    shown = read("lessons", "show", str(lesson_id)).stdout
    detail = reader.lessons.get(lesson_id)
    assert detail.title is not None
    assert detail.title in shown
    assert detail.slides
    assert all(slide.title and slide.title in shown for slide in detail.slides)


def test_lessons_results_csv(read: Read, reader: EdStemClient, lesson_id: int) -> None:
    results = _csv(read("lessons", "results", str(lesson_id), "--csv").stdout)
    expected = reader.lessons.list_results(lesson_id)
    assert [int(row["user_id"]) for row in results] == [r["user_id"] for r in expected]


def test_analytics_users_csv(read: Read, reader: EdStemClient, course: str) -> None:
    users = _csv(read("analytics", "users", course, "--csv").stdout)
    assert len(users) == len(reader.analytics.get_users(int(course)))
    assert users


def test_analytics_discussion_json(
    read: Read, reader: EdStemClient, course: str
) -> None:
    discussion = json.loads(read("analytics", "discussion", course, "--json").stdout)
    assert set(discussion) == set(reader.analytics.get_discussion(int(course)))


def test_analytics_challenges_table(
    read: Read, reader: EdStemClient, course: str
) -> None:
    out = read("analytics", "challenges", course).stdout
    report = reader.analytics.get_challenges(int(course))
    assert all(key in out for key in report)


def test_activity_json(read: Read, course: str) -> None:
    items = json.loads(read("activity", course, "-n", "5", "--json").stdout)
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
