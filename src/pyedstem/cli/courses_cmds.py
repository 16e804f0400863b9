"""``edstem courses``: the token's courses, and one course's details."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from . import resolve
from .output import (
    Column,
    CsvFlag,
    Format,
    JsonFlag,
    emit,
    pick_format,
    print_json,
    stdout,
)
from .session import session

courses_app = typer.Typer(help="List your courses and show one.", no_args_is_help=True)

COURSE_COLUMNS = (
    Column("id", "ID"),
    Column("code", "Code"),
    Column("name", "Name", wide=True),
    Column("session", "Session"),
    Column("year", "Year"),
    Column("status", "Status"),
    Column("role", "Role"),
    Column("last_active", "Last active", in_table=False),
)

CourseArg = Annotated[
    str, typer.Argument(help="Course id, course code (CS101) or a pasted Ed link.")
]


@courses_app.command("list")
def list_courses(
    ctx: typer.Context,
    all_courses: Annotated[
        bool, typer.Option("--all", help="Include archived and inactive courses.")
    ] = False,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List the courses of the token's account (active ones unless --all)."""
    fmt = pick_format(as_json, as_csv)
    me = session(ctx).client().user.get_current_user()
    enrollments = [e for e in me.courses if all_courses or e.course.is_active]
    records: list[dict[str, Any]] = [
        {
            "id": e.course.id,
            "code": e.course.code,
            "name": e.course.name,
            "session": e.course.session,
            "year": e.course.year,
            "status": e.course.status,
            "role": e.role,
            "last_active": e.last_active,
        }
        for e in enrollments
    ]
    empty = (
        "No courses."
        if all_courses
        else "No active courses. Pass --all to see the others."
    )
    emit(records, COURSE_COLUMNS, fmt, empty=empty)


@courses_app.command("show")
def show_course(
    ctx: typer.Context, course: CourseArg, as_json: JsonFlag = False
) -> None:
    """Show a course: code, name, term, status and discussion categories."""
    state = session(ctx)
    info = state.client().courses.get(resolve.course_id(state, course))
    if pick_format(as_json) is Format.JSON:
        print_json(info.model_dump(mode="json"))
        return
    console = stdout()
    term = " ".join(part for part in (info.session, info.year) if part)
    console.print(
        f"{info.code or ''} {info.name or ''}".strip(), style="bold", markup=False
    )
    for label, value in (
        ("ID", info.id),
        ("Term", term),
        ("Status", info.status),
        ("Categories", ", ".join(info.categories()) or "none"),
    ):
        console.print(f"{label + ':':<11} {value}", markup=False)
