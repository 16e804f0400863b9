"""Options, references, token sources and errors of ``edstem``, run in-process.

These call the console script's entry function in the test process, still
over real HTTP to the sandbox on loopback.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest

from pyedstem import AuthenticationError, EdStemClient
from pyedstem.cli.auth_cmds import find_host, mask_token
from pyedstem.cli.errors import CliError
from pyedstem.cli.resolve import check_link_region, parse_link
from pyedstem.models import CurrentUserResponse
from pyedstem.testing import Sandbox

from .conftest import Result
from .file_keyring import JsonFileKeyring

Inline = Callable[..., Result]


def _course(sandbox: Sandbox) -> str:
    return str(sandbox.demo_course_id)


def _base(edstem_inline: Inline) -> str:
    # The inline fixture has put the sandbox's URL into the environment.
    return os.environ["EDSTEM_BASE_URL"]


def test_version_flag(edstem_inline: Inline) -> None:
    result = edstem_inline("--version")
    assert result.code == 0
    assert result.stdout.startswith("edstem (pyedstem ")


def test_courses_all_csv(edstem_inline: Inline, cli_sandbox: Sandbox) -> None:
    result = edstem_inline("courses", "list", "--all", "--csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.code == 0
    assert {int(r["ID"]) for r in rows} >= {cli_sandbox.demo_course_id}
    assert result.stderr == ""


def test_json_and_csv_conflict(edstem_inline: Inline) -> None:
    result = edstem_inline("courses", "list", "--json", "--csv")
    assert result.code == 2
    assert "not both" in result.stderr


def test_ambiguous_code_lists_candidates(
    edstem_inline: Inline, cli_sandbox: Sandbox, env: dict[str, str]
) -> None:
    result = edstem_inline(
        "--token", cli_sandbox.tokens["admin"], "threads", "list", "CS 101"
    )
    assert result.code == 2
    assert str(cli_sandbox.demo_course_id) in result.stderr
    assert str(cli_sandbox.archived_course_id) in result.stderr
    assert "Pass the course id" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_code_not_found(edstem_inline: Inline) -> None:
    result = edstem_inline("threads", "list", "NOPE999")
    assert result.code == 4
    assert "No course with code 'NOPE999'" in result.stderr


def test_course_by_link(edstem_inline: Inline, cli_sandbox: Sandbox) -> None:
    link = f"https://edstem.org/au/courses/{cli_sandbox.demo_course_id}/discussion/"
    result = edstem_inline("courses", "show", link, "--json")
    assert result.code == 0
    assert json.loads(result.stdout)["id"] == cli_sandbox.demo_course_id


def test_thread_by_link(edstem_inline: Inline, cli_sandbox: Sandbox) -> None:
    with EdStemClient(cli_sandbox.tokens["staff"], base_url=_base(edstem_inline)) as c:
        thread = c.threads.list(cli_sandbox.demo_course_id, limit=1)[0]
    link = f"edstem.org/us/courses/{cli_sandbox.demo_course_id}/discussion/{thread.id}"
    result = edstem_inline("threads", "show", link, "--json")
    assert result.code == 0
    assert json.loads(result.stdout)["id"] == thread.id


def test_link_of_other_region_rejected() -> None:
    link = parse_link("https://edstem.org/us/courses/12/discussion/34")
    with (
        EdStemClient("abc123.token", region="au") as client,
        pytest.raises(CliError, match="'us' region"),
    ):
        check_link_region(link, client)


def test_invalid_thread_reference(edstem_inline: Inline) -> None:
    result = edstem_inline("threads", "show", "not-a-thread")
    assert result.code == 2
    assert "Invalid thread 'not-a-thread'" in result.stderr


def test_missing_thread_not_found(edstem_inline: Inline) -> None:
    result = edstem_inline("threads", "show", "999999999")
    assert result.code == 4
    assert result.stderr.startswith("edstem: error: Not found:")


def test_answer_needs_text(edstem_inline: Inline) -> None:
    empty = edstem_inline("answer", "123", "--dry-run", stdin="   \n")
    both = edstem_inline("answer", "123", "text", "--file", "x.md", "--dry-run")
    assert empty.code == 2
    assert "empty" in empty.stderr
    assert both.code == 2
    assert "not both" in both.stderr


def test_answer_dry_run_json(edstem_inline: Inline) -> None:
    result = edstem_inline(
        "answer", "123", "Hello *there*", "--dry-run", "--json", "--private"
    )
    body = json.loads(result.stdout)
    assert result.code == 0
    assert body["thread_id"] == 123
    assert body["is_private"] is True
    assert body["content"].startswith('<document version="2.0">')
    assert "(private)" in result.stderr


def _question(sandbox: Sandbox, base_url: str) -> int:
    with EdStemClient(sandbox.tokens["staff"], base_url=base_url) as client:
        return next(
            t.id
            for t in client.threads.iter_all(sandbox.demo_course_id)
            if t.type == "question" and not t.is_answered
        )


def test_answer_after_dropped_response_found(
    edstem_inline: Inline, cli_sandbox: Sandbox
) -> None:
    thread_id = _question(cli_sandbox, _base(edstem_inline))
    cli_sandbox.faults.add(
        kind="drop_after_commit",
        method="POST",
        path=f"/threads/{thread_id}/comments",
        times=1,
    )
    result = edstem_inline("answer", str(thread_id), "Landed once.")
    comments = [
        r
        for r in cli_sandbox.requests.find("POST")
        if r.path.endswith(f"/{thread_id}/comments")
    ]
    assert result.code == 0
    assert result.stdout.startswith("Posted answer ")
    assert "Looking for it on Ed." in result.stderr
    assert len(comments) == 1


def test_answer_after_dropped_request_not_posted(
    edstem_inline: Inline, cli_sandbox: Sandbox
) -> None:
    thread_id = _question(cli_sandbox, _base(edstem_inline))
    cli_sandbox.faults.add(
        kind="drop", method="POST", path=f"/threads/{thread_id}/comments", times=1
    )
    result = edstem_inline("answer", str(thread_id), "Never arrives.")
    assert result.code == 1
    assert "was not posted" in result.stderr
    assert "Run the command again" in result.stderr


def test_no_token(edstem_inline: Inline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDSTEM_API_TOKEN")
    result = edstem_inline("courses", "list")
    assert result.code == 3
    assert "No API token" in result.stderr


def test_token_from_dotenv(
    edstem_inline: Inline, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("EDSTEM_API_TOKEN")
    (tmp_path / ".env").write_text("EDSTEM_API_TOKEN=abcd1234.from-dotenv-file\n")
    result = edstem_inline("auth", "status", "--offline", "--json")
    status = json.loads(result.stdout)
    assert result.code == 0
    assert status["token_source"] == ".env file"
    assert status["token"].startswith("abcd")
    assert "from-dotenv-file" not in result.stdout


def test_option_token_wins(edstem_inline: Inline) -> None:
    result = edstem_inline(
        "--token", "zzzz9999.option-token", "auth", "status", "--offline"
    )
    assert result.code == 0
    assert "--token option" in result.stdout
    assert "option-token" not in result.stdout


def test_debug_shows_traceback(edstem_inline: Inline) -> None:
    result = edstem_inline(
        "--debug", "--token", "bad000.WRONG-TOKEN-42", "courses", "list"
    )
    assert result.code == 3
    assert "Traceback" in result.stderr
    assert "WRONG-TOKEN-42" not in result.stderr


def test_login_bad_token_rejected(edstem_inline: Inline, tmp_path: Path) -> None:
    result = edstem_inline("auth", "login", stdin="bad000.NOT-A-TOKEN\n")
    assert result.code == 3
    assert "rejected the token on the given host" in result.stderr
    assert not (tmp_path / "config" / "credentials.json").exists()


def test_login_file_store_private(
    edstem_inline: Inline, env: dict[str, str], tmp_path: Path
) -> None:
    token = env["EDSTEM_API_TOKEN"]
    result = edstem_inline("--token", token, "auth", "login", "--store", "file")
    config = tmp_path / "config" / "credentials.json"
    saved = json.loads(config.read_text(encoding="utf-8"))
    assert result.code == 0
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    assert saved["token"] == token
    assert saved["store"] == "file"
    assert saved["base_url"] == env["EDSTEM_BASE_URL"]


def test_saved_login_used_without_env(
    edstem_inline: Inline, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = env["EDSTEM_API_TOKEN"]
    edstem_inline("auth", "login", stdin=token)
    monkeypatch.delenv("EDSTEM_API_TOKEN")
    monkeypatch.delenv("EDSTEM_BASE_URL")
    result = edstem_inline("auth", "status", "--json")
    status = json.loads(result.stdout)
    assert result.code == 0
    assert status["token_source"] == "config file"
    assert status["base_url"] == env["EDSTEM_BASE_URL"]
    assert status["courses_active"] > 0


def test_login_uses_keyring(
    edstem_inline: Inline,
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyring_file = tmp_path / "keyring.json"
    monkeypatch.setenv("EDSTEM_TEST_KEYRING_FILE", str(keyring_file))
    monkeypatch.setenv("EDSTEM_TOKEN_STORE", "auto")
    previous = keyring.get_keyring()
    keyring.set_keyring(JsonFileKeyring())
    try:
        token = env["EDSTEM_API_TOKEN"]
        login = edstem_inline("auth", "login", stdin=token)
        saved = json.loads(
            (tmp_path / "config" / "credentials.json").read_text("utf-8")
        )
        stored = keyring_file.read_text(encoding="utf-8")
        monkeypatch.delenv("EDSTEM_API_TOKEN")
        status = edstem_inline("auth", "status", "--offline", "--json")
        logout = edstem_inline("auth", "logout")
        after = keyring_file.read_text(encoding="utf-8")
    finally:
        keyring.set_keyring(previous)
    assert login.code == 0
    assert "OS keyring" in login.stderr
    assert saved["store"] == "keyring"
    assert "token" not in saved
    assert token in stored
    assert json.loads(status.stdout)["token_source"] == "OS keyring"
    assert "OS keyring" in logout.stderr
    assert token not in after


def test_keyring_required_but_missing(
    edstem_inline: Inline, env: dict[str, str]
) -> None:
    result = edstem_inline(
        "--token", env["EDSTEM_API_TOKEN"], "auth", "login", "--store", "keyring"
    )
    assert result.code == 1
    assert "no OS keyring is available" in result.stderr


def test_logout_without_login(edstem_inline: Inline) -> None:
    result = edstem_inline("auth", "logout")
    assert result.code == 0
    assert "No saved login" in result.stderr
    assert "EDSTEM_API_TOKEN is still set" in result.stderr


def _me() -> CurrentUserResponse:
    return CurrentUserResponse.model_validate({"user": {"id": 1, "name": "Ada"}})


def test_find_host_tries_regions_in_order() -> None:
    tried: list[dict[str, str]] = []

    def check(host: dict[str, str]) -> CurrentUserResponse:
        tried.append(host)
        if host["region"] != "us":
            raise AuthenticationError(status_code=401, method="GET", path="/user")
        return _me()

    host, me = find_host(check, {})
    assert host == {"region": "us"}
    assert me.user.name == "Ada"
    assert tried == [{"region": "au"}, {"region": "us"}]


def test_find_host_all_regions_reject() -> None:
    def check(host: dict[str, str]) -> CurrentUserResponse:
        raise AuthenticationError(status_code=401, method="GET", path="/user")

    with pytest.raises(AuthenticationError):
        find_host(check, {})


def test_find_host_explicit_only() -> None:
    tried: list[dict[str, str]] = []

    def check(host: dict[str, str]) -> CurrentUserResponse:
        tried.append(host)
        return _me()

    host, _ = find_host(check, {"base_url": "http://127.0.0.1:1/api"})
    assert tried == [{"base_url": "http://127.0.0.1:1/api"}]
    assert host == tried[0]


@pytest.mark.parametrize(
    ("token", "shown"),
    [
        ("abcd1234.0123456789", "abcd******** (19 characters)"),
        ("short", "***** (5 characters)"),
    ],
)
def test_mask_token(token: str, shown: str) -> None:
    assert mask_token(token) == shown


def test_activity_of_token_owner(edstem_inline: Inline, cli_sandbox: Sandbox) -> None:
    result = edstem_inline("activity", _course(cli_sandbox), "--limit", "3", "--csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.code == 0
    assert 0 < len(rows) <= 3


def test_archive_rerun_incremental(
    edstem_inline: Inline, cli_sandbox: Sandbox, tmp_path: Path
) -> None:
    db = str(tmp_path / "course.db")
    first = edstem_inline("archive", _course(cli_sandbox), "--db", db, "--json")
    second = edstem_inline("archive", _course(cli_sandbox), "--db", db, "--json")
    other = edstem_inline("archive", str(cli_sandbox.other_course_id), "--db", db)
    assert first.code == 0
    assert json.loads(first.stdout)["mode"] == "full"
    assert json.loads(second.stdout)["mode"] == "incremental"
    assert json.loads(second.stdout)["threads_fetched"] == 0
    assert other.code == 1
    assert "Pass another --db file" in other.stderr


def test_archive_table_summary(
    edstem_inline: Inline, cli_sandbox: Sandbox, tmp_path: Path
) -> None:
    db = str(tmp_path / "course.db")
    result = edstem_inline(
        "archive", _course(cli_sandbox), "--db", db, "--no-lessons", "--progress"
    )
    assert result.code == 0
    assert "Threads:" in result.stdout
    assert "Lessons:   0 fetched" in result.stdout
    assert "Fetching threads" in result.stderr


def test_export_needs_target(edstem_inline: Inline, tmp_path: Path) -> None:
    db = tmp_path / "course.db"
    db.write_bytes(b"")
    result = edstem_inline("export", "--db", str(db))
    assert result.code == 2
    assert "--jsonl FILE, --markdown DIR" in result.stderr


# The smallest valid PNG: 1x1 pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_comment_uploads_local_image(
    edstem_inline: Inline, cli_sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "figs").mkdir()
    (tmp_path / "figs" / "plot.png").write_bytes(PNG)
    note = tmp_path / "note.md"
    note.write_text("See the plot:\n\n![plot](figs/plot.png)\n", encoding="utf-8")
    with EdStemClient(cli_sandbox.tokens["staff"], base_url=_base(edstem_inline)) as c:
        thread = c.threads.list(cli_sandbox.demo_course_id, limit=1)[0]
        result = edstem_inline("comment", str(thread.id), "--file", str(note), "--json")
        posted = json.loads(result.stdout)
        stored = c.threads.get(thread.id).find_comment(posted["id"])
    uploads = cli_sandbox.requests.find("POST", template="/files")
    assert result.code == 0, result.stderr
    assert "Uploaded 1 local image(s)." in result.stderr
    assert len(uploads) >= 1
    assert stored is not None
    assert "figs/plot.png" not in (stored.content or "")
    assert "<image" in (stored.content or "")


def test_answer_rejects_local_image(edstem_inline: Inline) -> None:
    result = edstem_inline("answer", "123", "![plot](plot.png)")
    assert result.code == 2
    assert "local images (plot.png)" in result.stderr


def test_invalid_setting_is_usage_error(
    edstem_inline: Inline, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDSTEM_TIMEOUT_SECONDS", "soon")
    result = edstem_inline("courses", "list")
    assert result.code == 2
    assert result.stderr.startswith("edstem: error: Invalid setting: timeout_seconds")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bogus"], "No such command 'bogus'"),
        (["threads", "list"], "Missing argument 'course'"),
        (["threads", "list", "1", "--limit", "-3"], "Invalid value for '--limit'"),
        (["--region", "mars", "courses", "list"], "Invalid value for '--region'"),
    ],
)
def test_usage_errors(edstem_inline: Inline, args: list[str], message: str) -> None:
    result = edstem_inline(*args)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
