"""The ``edstem`` command line (installed with ``pip install 'pyedstem[cli]'``).

`main` is the console-script entry point. `run` returns the exit code
instead of exiting, for callers that embed the command.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._entry import app

__all__ = ["app", "main", "run"]

# The packages of the cli extra; the library itself needs none of them.
_EXTRA_PACKAGES = frozenset({"typer", "click", "rich", "keyring", "platformdirs"})


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: ``sys.argv[1:]``) and return its exit code.

    Args:
        argv: The arguments after the program name.

    Returns:
        The exit code: 0 on success, 2 for a usage error, 1 or more on failure.
    """
    from ._entry import run as run_command

    return run_command(argv)


def main() -> None:
    """Run ``edstem`` with the process arguments and exit with its code.

    Without the ``cli`` extra installed, it prints how to install it and
    exits with 1 instead of a traceback.
    """
    try:
        from ._entry import run as run_command
    except ModuleNotFoundError as exc:
        if exc.name not in _EXTRA_PACKAGES:
            raise
        sys.stderr.write(
            f"edstem: error: the command line needs the package {exc.name!r}. "
            "Install it with: pip install 'pyedstem[cli]'\n"
        )
        sys.exit(1)
    sys.exit(run_command())


def __getattr__(name: str) -> Any:
    if name == "app":
        from ._entry import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
