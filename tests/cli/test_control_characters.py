"""Text written by students cannot send control sequences to the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyedstem import EdStemClient
from pyedstem.cli.output import printable
from pyedstem.testing import Sandbox

from .conftest import clean_env, edstem

HOSTILE = "EVIL\x1b]0;pwned\x07\x1b[2J\x1b[31mRED\x9b1m"


def test_printable_escapes_controls_keeps_newlines() -> None:
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("a\x9bb") == "a\\x9bb"
    assert printable("line\nnext\tcell") == "line\nnext\tcell"


@pytest.mark.parametrize(
    "args",
    [
        ["threads", "list", "CS101", "-n", "100"],
        ["threads", "list", "CS101", "-n", "100", "--csv"],
        ["threads", "list", "CS101", "-n", "100", "--json"],
        ["threads", "show", "{thread_id}"],
    ],
    ids=["table", "csv", "json", "show"],
)
def test_hostile_title_is_escaped_in_output(args: list[str], tmp_path: Path) -> None:
    sandbox = Sandbox(seed=1, threads_per_course=30)
    with sandbox.serve() as server:
        with EdStemClient(
            sandbox.tokens["student"], base_url=server.base_url
        ) as client:
            course = client.courses.get(sandbox.demo_course_id)
            thread = client.threads.create(
                sandbox.demo_course_id,
                title=HOSTILE,
                markdown=f"Body {HOSTILE}",
                type="question",
                category=course.categories()[0],
            )
        env = clean_env(sandbox, server, tmp_path)
        argv = [a.replace("{thread_id}", str(thread.id)) for a in args]
        result = edstem(argv, env)
    assert result.code == 0, result.stderr
    assert "EVIL" in result.stdout
    for control in ("\x1b", "\x07", "\x9b"):
        assert control not in result.stdout
        assert control not in result.stderr
