"""Run ``edstem`` as a subprocess against a sandbox Ed served on loopback.

`edstem` runs the installed console script (the real entry point) in a new
process. `edstem_inline` calls the same entry function in the test process,
for the many small error and option cases where a new interpreter per case
would only add start-up time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyedstem.cli import run
from pyedstem.testing import Sandbox, SandboxServer

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("edstem")
# Seconds a command may take before the test fails instead of hanging.
COMMAND_TIMEOUT = 120


@dataclass(frozen=True)
class Result:
    """What a command printed and its exit code."""

    code: int
    stdout: str
    stderr: str


def command_line(args: Sequence[str]) -> list[str]:
    """Return the argv that starts ``edstem`` with `args` in a new process."""
    if SCRIPT.exists():
        return [str(SCRIPT), *args]
    return [sys.executable, "-m", "pyedstem.cli", *args]


def edstem(
    args: Sequence[str],
    env: dict[str, str],
    *,
    stdin: str | None = None,
    cwd: Path | None = None,
) -> Result:
    """Run ``edstem`` in a subprocess and wait for it."""
    done = subprocess.run(
        command_line(args),
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def clean_env(sandbox: Sandbox, server: SandboxServer, home: Path) -> dict[str, str]:
    """Build a subprocess environment that points ``edstem`` at the sandbox.

    Every inherited ``EDSTEM_*`` variable is dropped, the config folder is
    private to the test, and no OS keyring is used.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDSTEM_")}
    env.update(
        {
            "EDSTEM_API_TOKEN": sandbox.tokens["staff"],
            "EDSTEM_BASE_URL": server.base_url,
            "EDSTEM_CONFIG_DIR": str(home / "config"),
            "EDSTEM_TOKEN_STORE": "file",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "PYTHONPATH": str(REPO_ROOT),
            "COLUMNS": "200",
            "NO_COLOR": "1",
        }
    )
    return env


@pytest.fixture(scope="module")
def cli_sandbox() -> Sandbox:
    """A 60-thread sandbox shared by a test module."""
    return Sandbox(seed=1, threads_per_course=60)


@pytest.fixture(scope="module")
def cli_server(cli_sandbox: Sandbox) -> Iterator[SandboxServer]:
    """The module's sandbox served on 127.0.0.1."""
    with cli_sandbox.serve() as server:
        yield server


@pytest.fixture
def env(
    cli_sandbox: Sandbox, cli_server: SandboxServer, tmp_path: Path
) -> dict[str, str]:
    """The environment of one test's subprocesses."""
    return clean_env(cli_sandbox, cli_server, tmp_path)


@pytest.fixture
def edstem_inline(
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., Result]:
    """Return a function that runs ``edstem`` in this process with `env`."""
    for key in list(os.environ):
        if key.startswith("EDSTEM_"):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)

    def call(*args: str, stdin: str = "") -> Result:
        monkeypatch.setattr("sys.stdin", _Input(stdin))
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return call


class _Input:
    """A stdin replacement that is not a terminal."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines(keepends=True)
        self._text = text

    def isatty(self) -> bool:
        return False

    def read(self) -> str:
        text, self._text, self._lines = self._text, "", []
        return text

    def readline(self) -> str:
        if not self._lines:
            return ""
        line = self._lines.pop(0)
        self._text = "".join(self._lines)
        return line
