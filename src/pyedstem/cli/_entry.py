"""The entry functions of ``edstem``, which need the ``cli`` extra."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import typer

from .app import app
from .errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, describe
from .session import Session

__all__ = ["app", "run"]


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command with `argv` (default: ``sys.argv[1:]``) and return its exit code.

    Errors end as one line on stderr and a non-zero code, and ``--debug``
    adds the traceback.
    """
    state = Session()
    try:
        command = typer.main.get_command(app)
        result = command.main(
            args=list(argv) if argv is not None else None,
            prog_name="edstem",
            standalone_mode=False,
            obj=state,
        )
    except typer.exceptions.TyperException as exc:
        # Usage errors (a missing argument, an unknown command) print the
        # usage and their message, as click formats them.
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            sys.stderr.write(f"edstem: error: {exc}\n")
        return int(getattr(exc, "exit_code", EXIT_USAGE))
    except typer.Abort as exc:
        interrupted = isinstance(exc.__cause__, KeyboardInterrupt)
        sys.stderr.write(
            "edstem: interrupted.\n" if interrupted else "edstem: aborted.\n"
        )
        return EXIT_INTERRUPTED if interrupted else 1
    except (Exception, KeyboardInterrupt) as exc:
        if state.debug:
            traceback.print_exc()
        message, code = describe(exc)
        sys.stderr.write(f"edstem: error: {message}\n")
        return code
    finally:
        state.close()
    if result == EXIT_INTERRUPTED:
        # typer turns Ctrl-C into a silent exit with code 130.
        sys.stderr.write("edstem: interrupted.\n")
    return result if isinstance(result, int) else EXIT_OK
