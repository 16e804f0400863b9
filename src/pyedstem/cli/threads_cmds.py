"""``edstem threads``: list, search, show one thread, and triage unanswered ones."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from ..models import ThreadSummary
from . import resolve
from .courses_cmds import CourseArg
from .errors import EXIT_USAGE, CliError
from .output import (
    Column,
    CsvFlag,
    Format,
    JsonFlag,
    age,
    emit,
    pick_format,
    print_json,
    short_time,
    stdout,
)
from .render import render_thread, thread_record
from .session import session

threads_app = typer.Typer(
    help="List, search and read threads, and find questions without an answer.",
    no_args_is_help=True,
)

THREAD_TYPES = ("question", "post", "announcement")

THREAD_COLUMNS = (
    Column("number", "#"),
    Column("id", "ID"),
    Column("title", "Title", wide=True),
    Column("type", "Type", in_table=False),
    Column("category", "Category", wrap=True),
    Column("subcategory", "Subcategory", in_table=False),
    Column("author", "Author", wrap=True),
    Column("replies", "Replies"),
    Column("votes", "Votes"),
    Column("answered", "Answered", in_table=False),
    Column("staff_answered", "Staff answered", in_table=False),
    Column("views", "Views", in_table=False),
    Column("private", "Private", in_table=False),
    Column("pinned", "Pinned", in_table=False),
    Column("locked", "Locked", in_table=False),
    Column("created_at", "Created", render=lambda value: short_time(value)[:10]),
    Column("updated_at", "Updated", in_table=False),
    Column("url", "URL", in_table=False),
)

UNANSWERED_COLUMNS = (
    Column("number", "#"),
    Column("id", "ID"),
    Column("title", "Title", wide=True),
    Column("category", "Category", wrap=True),
    Column("author", "Author", wrap=True),
    Column("age", "Waiting"),
    Column("votes", "Votes"),
    Column("replies", "Replies"),
    Column("created_at", "Created", in_table=False),
    Column("url", "URL", in_table=False),
)

LimitOption = Annotated[
    int,
    typer.Option(
        "--limit", "-n", min=0, help="Maximum number of threads, or 0 for all."
    ),
]
ThreadArg = Annotated[
    str,
    typer.Argument(
        help="Thread id, a pasted discussion link, or course and number (CS101#42)."
    ),
]


def _take(threads: Iterable[ThreadSummary], limit: int) -> list[ThreadSummary]:
    return list(threads if limit == 0 else itertools.islice(threads, limit))


def _emit_threads(
    threads: list[ThreadSummary],
    columns: tuple[Column, ...],
    fmt: Format,
    region: str | None,
    *,
    empty: str,
    extra: dict[int, dict[str, Any]] | None = None,
) -> None:
    records = [
        {**thread_record(t, region), **(extra or {}).get(t.id, {})} for t in threads
    ]
    dumps = [t.model_dump(mode="json") for t in threads]
    emit(records, columns, fmt, json_data=dumps, empty=empty)


@threads_app.command("list")
def list_threads(
    ctx: typer.Context,
    course: CourseArg,
    filter_by: Annotated[
        str | None,
        typer.Option(
            "--filter",
            help="Ed's list filter: unanswered, unresolved, unread, new, "
            "endorsed, starred, watching, private, public, staff or mine.",
        ),
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", help="Only this category.")
    ] = None,
    thread_type: Annotated[
        str | None,
        typer.Option("--type", help="Only question, post or announcement threads."),
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="Ed's sort order, such as new or top.")
    ] = "new",
    limit: LimitOption = 50,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List a course's threads, newest first, pinned threads on top."""
    fmt = pick_format(as_json, as_csv)
    if thread_type is not None and thread_type not in THREAD_TYPES:
        raise CliError(
            f"Invalid --type {thread_type!r}. Use one of: {', '.join(THREAD_TYPES)}.",
            EXIT_USAGE,
        )
    state = session(ctx)
    course_id = resolve.course_id(state, course)
    client = state.client()
    filters: dict[str, Any] = {}
    if filter_by:
        filters["filter"] = filter_by
    if category:
        filters["category"] = category
    threads: Iterable[ThreadSummary] = client.threads.iter_all(
        course_id, limit=100, sort=sort, **filters
    )
    # Ed's list takes no type parameter, so the type is filtered here.
    if thread_type is not None:
        threads = (t for t in threads if t.type == thread_type)
    if category:
        threads = (t for t in threads if t.category == category)
    _emit_threads(
        _take(threads, limit), THREAD_COLUMNS, fmt, client.region, empty="No threads."
    )


@threads_app.command("search")
def search_threads(
    ctx: typer.Context,
    course: CourseArg,
    query: Annotated[str, typer.Argument(help="The text to search for.")],
    limit: LimitOption = 20,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Search a course's threads with Ed's search, best match first."""
    fmt = pick_format(as_json, as_csv)
    state = session(ctx)
    course_id = resolve.course_id(state, course)
    client = state.client()
    found = client.threads.search(course_id, query=query)
    _emit_threads(
        _take(found, limit),
        THREAD_COLUMNS,
        fmt,
        client.region,
        empty=f"No threads match {query!r}.",
    )


@threads_app.command("show")
def show_thread(
    ctx: typer.Context, thread: ThreadArg, as_json: JsonFlag = False
) -> None:
    """Show a thread with its answers and comments rendered as Markdown."""
    state = session(ctx)
    thread_id = resolve.thread_id(state, thread)
    client = state.client()
    detail = client.threads.get(thread_id)
    if pick_format(as_json) is Format.JSON:
        print_json(detail.model_dump(mode="json"))
        return
    render_thread(stdout(), detail, client.region)


@threads_app.command("unanswered")
def unanswered(
    ctx: typer.Context,
    course: CourseArg,
    all_types: Annotated[
        bool,
        typer.Option("--all-types", help="Also list posts and announcements."),
    ] = False,
    staff_started: Annotated[
        bool,
        typer.Option(
            "--include-staff-started", help="Also list threads that staff started."
        ),
    ] = False,
    limit: LimitOption = 0,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List the questions without a staff answer, the longest-waiting first.

    A question that only students answered is listed. Deleted threads are
    left out.
    """
    fmt = pick_format(as_json, as_csv)
    state = session(ctx)
    course_id = resolve.course_id(state, course)
    client = state.client()
    waiting = client.threads.list_unanswered(
        course_id, questions_only=not all_types, skip_staff_started=not staff_started
    )
    latest = datetime.max.replace(tzinfo=UTC)
    waiting.sort(key=lambda t: (t.created_at_datetime or latest, t.id))
    now = datetime.now(UTC)
    ages = {t.id: {"age": age(t.created_at_datetime, now)} for t in waiting}
    _emit_threads(
        _take(waiting, limit),
        UNANSWERED_COLUMNS,
        fmt,
        client.region,
        empty="No unanswered questions.",
        extra=ages,
    )
