"""The ``edstem`` command: global options and the command tree."""

from __future__ import annotations

import logging
from typing import Annotated, Literal

import typer

from .._version import __version__
from .archive_cmds import archive, export
from .auth_cmds import auth_app
from .courses_cmds import courses_app
from .lessons_cmds import activity, analytics_app, lessons_app
from .post_cmds import answer, comment
from .session import session
from .threads_cmds import threads_app

app = typer.Typer(
    name="edstem",
    help="Read, answer and archive Ed Discussion and Ed Lessons from the shell.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(auth_app, name="auth")
app.add_typer(courses_app, name="courses")
app.add_typer(threads_app, name="threads")
app.add_typer(lessons_app, name="lessons")
app.add_typer(analytics_app, name="analytics")
app.command("answer")(answer)
app.command("comment")(comment)
app.command("activity")(activity)
app.command("archive")(archive)
app.command("export")(export)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"edstem (pyedstem {__version__})")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Ed API token. Other users can see command-line arguments, so "
            "prefer EDSTEM_API_TOKEN or 'edstem auth login'.",
            show_default=False,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="API base URL, such as https://us.edstem.org/api. "
            "Default: EDSTEM_BASE_URL, the saved login, or Ed's au host.",
            show_default=False,
        ),
    ] = None,
    region: Annotated[
        Literal["au", "us", "eu"] | None,
        typer.Option(
            "--region",
            help="Ed region whose host to use. "
            "Default: EDSTEM_REGION or the saved login.",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Log requests (without tokens or bodies) to stderr and show "
            "tracebacks of errors.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Read, answer and archive Ed Discussion and Ed Lessons from the shell.

    Data goes to stdout: tables, or JSON and CSV with --json and --csv on
    the commands that list things. Progress and errors go to stderr.
    """
    state = session(ctx)
    state.token = token
    state.base_url = base_url
    state.region = region
    state.debug = debug
    if debug:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        library_logger = logging.getLogger("pyedstem")
        library_logger.addHandler(handler)
        library_logger.setLevel(logging.DEBUG)
        ctx.call_on_close(lambda: library_logger.removeHandler(handler))
    ctx.call_on_close(state.close)
