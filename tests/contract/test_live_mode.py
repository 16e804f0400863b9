"""Live mode: opt-in variables, skip messages, the command and cleanup.

Live Ed is out of reach in tests, so the same live-mode code is pointed at
the sandbox over loopback through the ``EDSTEM_LIVE_*`` variables.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pyedstem.contract import (
    LIVE_SKIP_MESSAGE,
    Outcome,
    WriteMode,
    render_text,
    run_contract,
    target_from_env,
)
from pyedstem.contract.__main__ import main
from pyedstem.errors import ConfigurationError
from pyedstem.testing import Sandbox, SandboxServer

from .conftest import public_thread_id

TOKEN = "abcdef.secret-live-token-value"


def _live_env(sandbox: Sandbox, server: SandboxServer, **more: str) -> dict[str, str]:
    env = {
        "EDSTEM_LIVE_TOKEN": sandbox.tokens["staff"],
        "EDSTEM_LIVE_COURSE": str(sandbox.demo_course_id),
        "EDSTEM_LIVE_BASE_URL": server.base_url,
        # Loopback needs no spacing between requests.
        "EDSTEM_LIVE_REQUESTS_PER_SECOND": "1000",
    }
    env.update(more)
    return env


def _clean_environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("EDSTEM_")}


def test_no_token_turns_live_mode_off() -> None:
    assert target_from_env({}) is None
    assert target_from_env({"EDSTEM_LIVE_TOKEN": "  "}) is None
    assert target_from_env({"EDSTEM_LIVE_COURSE": "123"}) is None


def test_variables_fill_the_target() -> None:
    target = target_from_env(
        {
            "EDSTEM_LIVE_TOKEN": TOKEN,
            "EDSTEM_LIVE_COURSE": "12345",
            "EDSTEM_LIVE_REGION": "us",
            "EDSTEM_LIVE_WRITE": "all",
            "EDSTEM_LIVE_THREAD": "678",
        }
    )

    assert target is not None
    assert target.course_id == 12345
    assert target.region == "us"
    assert target.base_url is None
    assert target.write_mode is WriteMode.ALL
    assert target.thread_id == 678
    assert target.max_requests_per_second == 4.0
    assert TOKEN not in repr(target)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "EDSTEM_LIVE_TOKEN is set but EDSTEM_LIVE_COURSE is not"),
        (
            {"EDSTEM_LIVE_COURSE": "cs101"},
            "EDSTEM_LIVE_COURSE must be a positive integer Ed id, got 'cs101'",
        ),
        (
            {"EDSTEM_LIVE_COURSE": "5", "EDSTEM_LIVE_WRITE": "1"},
            "no thread is named; set EDSTEM_LIVE_THREAD",
        ),
        (
            {"EDSTEM_LIVE_COURSE": "5", "EDSTEM_LIVE_WRITE": "maybe"},
            "EDSTEM_LIVE_WRITE must be 1 (writes the suite undoes) or all",
        ),
        (
            {"EDSTEM_LIVE_COURSE": "5", "EDSTEM_LIVE_THREAD": "-3"},
            "EDSTEM_LIVE_THREAD must be a positive integer Ed id, got '-3'",
        ),
        (
            {"EDSTEM_LIVE_COURSE": "5", "EDSTEM_LIVE_REQUESTS_PER_SECOND": "0"},
            "EDSTEM_LIVE_REQUESTS_PER_SECOND must be a positive number",
        ),
    ],
)
def test_invalid_variables_name_the_fix(
    variables: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        target_from_env({"EDSTEM_LIVE_TOKEN": TOKEN, **variables})

    assert message in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_command_without_variables_says_how_to_enable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("EDSTEM_LIVE_"):
            monkeypatch.delenv(name)

    status = main([])

    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert LIVE_SKIP_MESSAGE in captured.err


def test_command_rejects_unknown_region(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EDSTEM_LIVE_TOKEN", TOKEN)
    monkeypatch.setenv("EDSTEM_LIVE_COURSE", "5")
    monkeypatch.setenv("EDSTEM_LIVE_REGION", "mars")

    status = main([])

    err = capsys.readouterr().err
    assert status == 2
    assert "Unknown Ed region 'mars'" in err
    assert TOKEN not in err


def test_command_lists_routes_without_sending(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["--list"])

    out = capsys.readouterr().out
    assert status == 0
    assert "[H] GET /courses/{course_id}/threads  (page cap of 100)" in out
    assert "[H] POST /threads/{thread_id}/lock  (empty body and effect)" in out
    assert "[writes: reversible]" in out


def test_command_writes_markdown_report(
    sandbox: Sandbox,
    server: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    env = _live_env(
        sandbox,
        server,
        EDSTEM_LIVE_WRITE="1",
        EDSTEM_LIVE_THREAD=str(public_thread_id(sandbox)),
    )
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    output = tmp_path / "report.md"

    status = main(["--format", "markdown", "--output", str(output)])

    report = output.read_text(encoding="utf-8")
    assert status == 0
    assert report.startswith("## pyedstem contract report\n")
    assert "| Target | live Ed, http://127.0.0.1:" in report
    assert "| Writes | reversible actions on the named thread |" in report
    assert "| H | passed | `POST /threads/{thread_id}/lock` |" in report
    assert "- sent lock and then unlock to the thread: undone;" in report
    assert "| H | skipped | `POST /files` | upload |" in report


def test_failed_undo_is_reported_for_cleanup(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    thread_id = public_thread_id(sandbox)
    sandbox.faults.add(
        kind="status", method="POST", path="/threads/{thread_id}/unlock", status=500
    )
    target = target_from_env(
        _live_env(
            sandbox,
            server,
            EDSTEM_LIVE_WRITE="1",
            EDSTEM_LIVE_THREAD=str(thread_id),
        )
    )
    assert target is not None

    report = run_contract(target)

    assert report.result("threads.lock").outcome is Outcome.PASSED
    assert report.result("threads.unlock").outcome is Outcome.DIFFERS
    assert not report.ok
    note = next(n for n in report.cleanup if "lock" in n.action)
    assert not note.restored
    assert "open the thread on Ed and set it back" in note.detail
    assert "sent lock and then unlock to the thread: NOT undone" in render_text(report)
    assert sandbox.state.threads[thread_id].is_locked


def test_undo_runs_after_unknown_outcome(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    thread_id = public_thread_id(sandbox)
    sandbox.faults.add(
        kind="drop_after_commit",
        method="POST",
        path="/threads/{thread_id}/star",
        times=1,
    )
    target = target_from_env(
        _live_env(
            sandbox,
            server,
            EDSTEM_LIVE_WRITE="1",
            EDSTEM_LIVE_THREAD=str(thread_id),
        )
    )
    assert target is not None

    report = run_contract(target)

    star = report.result("threads.star")
    assert star.outcome is Outcome.UNCHECKED
    assert star.reason == "no response arrived (WriteOutcomeUnknownError)"
    assert report.result("threads.unstar").outcome is Outcome.PASSED
    note = next(n for n in report.cleanup if "star" in n.action)
    assert note.restored


def test_module_command_runs_in_subprocess(
    shared_sandbox: Sandbox, shared_server: SandboxServer
) -> None:
    env = {**_clean_environ(), **_live_env(shared_sandbox, shared_server)}

    done = subprocess.run(
        [sys.executable, "-m", "pyedstem.contract", "--format", "markdown"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("## pyedstem contract report")
    assert "| H | passed | `GET /user` | response shape |" in done.stdout
    assert shared_sandbox.tokens["staff"] not in done.stdout + done.stderr


def _run_pytest(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # The shipped tests need no plugins, and loading every installed one makes
    # the subprocess start slowly.
    env = {**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--pyargs",
            "pyedstem.contract",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
        ],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_pytest_entry_skips_without_variables(tmp_path: Path) -> None:
    done = _run_pytest(_clean_environ(), tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "skipped" in done.stdout
    assert "Live contract checks are off" in done.stdout
    assert "passed" not in done.stdout


def test_pytest_entry_fails_on_the_route_that_differs(
    sandbox: Sandbox, server: SandboxServer, tmp_path: Path
) -> None:
    sandbox.faults.add(
        kind="status", method="GET", path="/courses/{course_id}/labs", status=500
    )
    env = {**_clean_environ(), **_live_env(sandbox, server)}

    done = _run_pytest(env, tmp_path)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout
    assert "test_route[courses.labs]" in done.stdout
    assert (
        "[M] GET /courses/{course_id}/labs (response shape): Ed differs from our "
        "sources (one or two clients)" in done.stdout
    )
    assert "status: expected 200, got 500" in done.stdout
    assert sandbox.tokens["staff"] not in done.stdout


def test_rejected_token_stops_the_run(
    shared_sandbox: Sandbox,
    shared_server: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = _live_env(shared_sandbox, shared_server, EDSTEM_LIVE_TOKEN=TOKEN)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    status = main([])

    captured = capsys.readouterr()
    assert status == 2
    assert "error: Ed rejected the API token." in captured.err
    assert "PROBLEM: Ed rejected the API token." in captured.out
    assert (
        "[H] unchecked GET /user  (response shape)\n"
        "      Ed rejected the API token\n" in captured.out
    )
    assert "skipped   GET /user/tokens" in captured.out
    assert "the run stopped at the problem above" in captured.out
    assert TOKEN not in captured.out + captured.err


def test_course_outside_account_stops_the_run(
    shared_sandbox: Sandbox, shared_server: SandboxServer
) -> None:
    target = target_from_env(
        _live_env(
            shared_sandbox,
            shared_server,
            EDSTEM_LIVE_TOKEN=shared_sandbox.tokens["outsider"],
        )
    )
    assert target is not None

    report = run_contract(target)

    assert report.problem is not None
    assert "does not list the course named in EDSTEM_LIVE_COURSE" in report.problem
    assert not report.ok
    assert report.result("user.get").outcome is Outcome.PASSED
    rest = [r for r in report.results if r.info.id != "user.get"]
    assert all(r.outcome is Outcome.SKIPPED for r in rest)
