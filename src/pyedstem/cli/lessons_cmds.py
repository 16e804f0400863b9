"""``edstem lessons``, ``edstem analytics`` and ``edstem activity``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from . import resolve
from .courses_cmds import CourseArg
from .output import (
    Column,
    CsvFlag,
    Format,
    JsonFlag,
    columns_of,
    emit,
    flat_records,
    pick_format,
    print_json,
    short_time,
    stdout,
)
from .session import session

lessons_app = typer.Typer(
    help="List lessons, show slides, export results.", no_args_is_help=True
)
analytics_app = typer.Typer(help="Course analytics (staff only).", no_args_is_help=True)

LessonArg = Annotated[str, typer.Argument(help="Lesson id or a pasted lesson link.")]

LESSON_COLUMNS = (
    Column("id", "ID"),
    Column("number", "No.", render=lambda value: "" if value == -1 else str(value)),
    Column("title", "Title", wide=True),
    Column("module", "Module", wrap=True),
    Column("type", "Type"),
    Column("state", "State"),
    Column("slide_count", "Slides"),
    Column("due_at", "Due", render=short_time),
    Column("available_at", "Available", in_table=False),
    Column("is_hidden", "Hidden", in_table=False),
)
SLIDE_COLUMNS = (
    Column("index", "No."),
    Column("id", "ID"),
    Column("title", "Title", wide=True),
    Column("type", "Type"),
    Column("is_hidden", "Hidden"),
    Column("challenge_id", "Challenge", in_table=False),
)
ACTIVITY_COLUMNS = (
    Column("type", "Type"),
    Column("id", "ID"),
    Column("thread_id", "Thread"),
    Column("title", "Title", wide=True),
    Column("created_at", "Created", render=short_time),
    Column("course_code", "Course", in_table=False),
)


@lessons_app.command("list")
def list_lessons(
    ctx: typer.Context,
    course: CourseArg,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List a course's lessons with their modules and due dates."""
    fmt = pick_format(as_json, as_csv)
    state = session(ctx)
    course_id = resolve.course_id(state, course)
    client = state.client()
    lessons = client.lessons.list(course_id)
    modules = {m.id: m.name for m in client.lessons.list_modules(course_id)}
    records = [
        {**lesson.model_dump(), "module": modules.get(lesson.module_id or 0)}
        for lesson in lessons
    ]
    emit(
        records,
        LESSON_COLUMNS,
        fmt,
        json_data=[lesson.model_dump(mode="json") for lesson in lessons],
        empty="No lessons.",
    )


@lessons_app.command("show")
def show_lesson(
    ctx: typer.Context,
    lesson: LessonArg,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Show a lesson and list its slides."""
    fmt = pick_format(as_json, as_csv)
    state = session(ctx)
    detail = state.client().lessons.get(resolve.lesson_id(state, lesson))
    if fmt is Format.JSON:
        print_json(detail.model_dump(mode="json"))
        return
    if fmt is Format.TABLE:
        console = stdout()
        console.print(detail.title or f"Lesson {detail.id}", style="bold", markup=False)
        due = short_time(detail.due_at) if detail.due_at else "no due date"
        console.print(f"id {detail.id} · {detail.state or ''} · {due}", markup=False)
    slides = [slide.model_dump() for slide in detail.slides]
    emit(slides, SLIDE_COLUMNS, fmt, empty="No slides.")


@lessons_app.command("results")
def lesson_results(
    ctx: typer.Context,
    lesson: LessonArg,
    user: Annotated[
        int | None, typer.Option("--user", min=1, help="Only this user's results.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Maximum number of rows.")
    ] = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Print a lesson's results, one row per student (CSV for spreadsheets)."""
    fmt = pick_format(as_json, as_csv)
    state = session(ctx)
    rows = state.client().lessons.list_results(
        resolve.lesson_id(state, lesson), user_id=user, limit=limit
    )
    records = flat_records(rows)
    emit(records, columns_of(records), fmt, json_data=rows, empty="No results.")


def _report(ctx: typer.Context, course: str, name: str, as_json: bool) -> None:
    state = session(ctx)
    course_id = resolve.course_id(state, course)
    analytics = state.client().analytics
    report = (
        analytics.get_discussion(course_id)
        if name == "discussion"
        else analytics.get_challenges(course_id)
    )
    if as_json:
        print_json(report)
        return
    records = [{"field": key, "value": value} for key, value in report.items()]
    emit(
        flat_records(records),
        (Column("field", "Field"), Column("value", "Value", wide=True)),
        Format.TABLE,
        empty=f"Ed sent an empty {name} report.",
    )


@analytics_app.command("users")
def analytics_users(
    ctx: typer.Context,
    course: CourseArg,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Print per-user analytics rows of a course."""
    fmt = pick_format(as_json, as_csv)
    state = session(ctx)
    rows = state.client().analytics.get_users(resolve.course_id(state, course))
    records = flat_records(rows)
    emit(records, columns_of(records), fmt, json_data=rows, empty="No users.")


@analytics_app.command("discussion")
def analytics_discussion(
    ctx: typer.Context, course: CourseArg, as_json: JsonFlag = False
) -> None:
    """Print a course's discussion analytics."""
    _report(ctx, course, "discussion", as_json)


@analytics_app.command("challenges")
def analytics_challenges(
    ctx: typer.Context, course: CourseArg, as_json: JsonFlag = False
) -> None:
    """Print a course's challenge analytics."""
    _report(ctx, course, "challenges", as_json)


def _activity_record(item: dict[str, Any]) -> dict[str, Any]:
    value = item.get("value") if isinstance(item.get("value"), dict) else {}
    assert isinstance(value, dict)
    return {
        "type": value.get("type") or item.get("type"),
        "id": value.get("id"),
        "thread_id": value.get("thread_id")
        or (value.get("id") if item.get("type") == "thread" else None),
        "title": value.get("title") or value.get("thread_title"),
        "created_at": value.get("created_at"),
        "course_code": value.get("course_code"),
    }


def activity(
    ctx: typer.Context,
    course: CourseArg,
    user: Annotated[
        int | None,
        typer.Option(
            "--user", min=1, help="The user's id. Default: the token's account."
        ),
    ] = None,
    filter_by: Annotated[
        str,
        typer.Option("--filter", help="all, thread, answer or comment."),
    ] = "all",
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="Maximum items.")
    ] = 30,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List a user's recent threads, answers and comments in a course."""
    fmt = pick_format(as_json, as_csv)
    state = session(ctx)
    course_id = resolve.course_id(state, course)
    client = state.client()
    user_id = user if user is not None else client.user.get_current_user().user.id
    items = client.user.get_activity(
        user_id, course_id=course_id, limit=limit, filter_by=filter_by
    )
    records = [_activity_record(item) for item in items]
    emit(records, ACTIVITY_COLUMNS, fmt, json_data=items, empty="No activity.")
