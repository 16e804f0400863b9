"""``edstem archive`` (course to SQLite) and ``edstem export`` (SQLite to files)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from types import TracebackType
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..archive import (
    ArchiveOptions,
    ArchiveReport,
    Privacy,
    archive_course,
    export_jsonl,
    export_markdown,
)
from . import resolve
from .courses_cmds import CourseArg
from .errors import EXIT_INTERRUPTED, EXIT_USAGE, CliError
from .output import JsonFlag, note, print_json, stderr, stdout
from .session import session


class RichProgress:
    """Shows archive phases as progress bars with a time-left estimate on stderr."""

    def __init__(self) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=stderr(),
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def phase(self, name: str, total: int | None) -> None:
        """Start a new bar, which shows a running count while `total` is None."""
        if self._task is not None:
            self._progress.update(self._task, total=self._progress.tasks[-1].completed)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, count: int = 1) -> None:
        """Move the current bar forward."""
        if self._task is not None:
            self._progress.advance(self._task, count)


def _report_lines(report: ArchiveReport) -> list[tuple[str, str]]:
    return [
        ("Archive", str(report.db_path)),
        ("Run", f"{report.mode}{' (resumed)' if report.resumed else ''}"),
        (
            "Threads",
            f"{report.threads_listed} listed, {report.threads_fetched} fetched, "
            f"{report.threads_unchanged} unchanged, {report.threads_removed} removed",
        ),
        (
            "Private",
            f"{report.private_skipped} private threads left out"
            if report.private_skipped
            else "none left out",
        ),
        ("Lessons", f"{report.lessons_fetched} fetched"),
        ("Resources", str(report.resources)),
        ("Time", f"{report.seconds:.1f} s"),
    ]


def archive(
    ctx: typer.Context,
    course: CourseArg,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="The SQLite file. Default: edstem-COURSE_ID.db.",
            dir_okay=False,
        ),
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private", help="Also store private threads and comments."
        ),
    ] = False,
    include_personal: Annotated[
        bool,
        typer.Option(
            "--include-personal",
            help="Also store emails, usernames, avatars, pseudonym numbers and "
            "the authors of anonymous posts.",
        ),
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Fetch every thread again, changed or not.")
    ] = False,
    lessons: Annotated[
        bool, typer.Option("--lessons/--no-lessons", help="Store lessons and slides.")
    ] = True,
    resources: Annotated[
        bool,
        typer.Option("--resources/--no-resources", help="Store resource metadata."),
    ] = True,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency", min=1, max=64, help="Requests in flight at once."
        ),
    ] = 8,
    rate_limit: Annotated[
        float | None,
        typer.Option(
            "--rate-limit",
            min=0.1,
            help="Maximum requests per second. Default: no limit.",
        ),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Show progress bars. Default: when stderr is a terminal.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Archive a course into SQLite, fetching only what changed since the last run.

    Stores threads with every answer, comment and participant, lessons with
    slides, and resources. An interrupted run continues where it stopped
    when the same command runs again.
    """
    state = session(ctx)
    limits: dict[str, float] = {"max_concurrency": concurrency}
    if rate_limit is not None:
        limits["max_requests_per_second"] = rate_limit
    client = state.client(**limits)
    course_id = resolve.course_id(state, course)
    path = db or Path(f"edstem-{course_id}.db")
    options = ArchiveOptions(
        privacy=Privacy(
            include_private=include_private, include_personal=include_personal
        ),
        lessons=lessons,
        resources=resources,
        full=full,
        workers=concurrency,
    )
    show = progress if progress is not None else sys.stderr.isatty()
    try:
        if show:
            with RichProgress() as bars:
                report = archive_course(client, course_id, path, options, bars)
        else:
            report = archive_course(client, course_id, path, options)
    except KeyboardInterrupt as exc:
        raise CliError(
            f"Interrupted. {path} keeps every thread stored so far, so run the "
            "same command again to continue.",
            EXIT_INTERRUPTED,
        ) from exc
    for warning in report.warnings:
        note(f"Warning: {warning}")
    if as_json:
        data = dataclasses.asdict(report)
        data["db_path"] = str(report.db_path)
        print_json(data)
        return
    console = stdout()
    for label, value in _report_lines(report):
        console.print(f"{label + ':':<10} {value}", markup=False)


def export(
    db: Annotated[
        Path,
        typer.Option("--db", help="The archive to read.", exists=True, dir_okay=False),
    ],
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl",
            help="Write one JSON object per thread to this file.",
            dir_okay=False,
        ),
    ] = None,
    markdown: Annotated[
        Path | None,
        typer.Option(
            "--markdown",
            help="Write one Markdown file per thread into this folder.",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Export an archive to JSON Lines and/or a folder of Markdown files."""
    if jsonl is None and markdown is None:
        raise CliError("Pass --jsonl FILE, --markdown DIR, or both.", EXIT_USAGE)
    if jsonl is not None:
        count = export_jsonl(db, jsonl)
        note(f"Wrote {count} threads to {jsonl}.")
    if markdown is not None:
        count = export_markdown(db, markdown)
        note(f"Wrote {count} Markdown files to {markdown}.")
