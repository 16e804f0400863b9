"""``python -m pyedstem.demo`` runs the main job against the sandbox and exits 0."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path


def test_demo_runs_main_job(tmp_path: Path) -> None:
    db = tmp_path / "course.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDSTEM_")}
    env["COLUMNS"] = "120"
    done = subprocess.run(
        [sys.executable, "-m", "pyedstem.demo", "--db", str(db), "--threads", "120"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )

    out = done.stdout
    posted = re.search(r"Posted answer (\d+) to thread (\d+)\.", out)
    connection = sqlite3.connect(db)
    answer = connection.execute(
        "SELECT thread_id, type FROM comments WHERE id = ?",
        (int(posted.group(1)) if posted else 0,),
    ).fetchall()
    connection.close()

    assert done.returncode == 0, done.stderr
    assert "$ edstem courses list" in out
    assert "$ edstem threads unanswered CS101" in out
    assert '<document version="2.0">' in out
    assert posted is not None
    assert re.search(r"Answers \(\d+\)", out)
    assert "needs a base case that stops it" in out.split("$ edstem threads show")[1]
    assert "Run:       full" in out
    assert "Run:       incremental" in out
    assert ", 1 fetched," in out
    assert re.search(r"\d+ threads match; the best five:", out)
    assert answer == [(int(posted.group(2)), "answer")]
    assert "Traceback" not in done.stderr
