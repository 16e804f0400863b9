"""Without the cli extra, edstem prints how to install it instead of a traceback."""

from __future__ import annotations

import subprocess
import sys

BLOCK_TYPER = """
import sys

class BlockTyper:
    def find_spec(self, name, path=None, target=None):
        if name == "typer" or name.startswith("typer."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, BlockTyper())
from pyedstem.cli import main
main()
"""


def test_missing_typer_prints_install_hint() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_TYPER, "courses", "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "pip install 'pyedstem[cli]'" in result.stderr
    assert "typer" in result.stderr
    assert "Traceback" not in result.stderr
