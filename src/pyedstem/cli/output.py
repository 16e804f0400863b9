"""Output: tables for people, JSON and CSV for scripts, diagnostics on stderr.

Data always goes to stdout. ``--json`` prints the full objects as Ed and
pyedstem return them. ``--csv`` prints the columns a table shows plus the
ones too wide for a terminal.
"""

from __future__ import annotations

import csv
import enum
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .errors import EXIT_USAGE, CliError

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print JSON to stdout instead of a table.")
]
CsvFlag = Annotated[
    bool, typer.Option("--csv", help="Print CSV to stdout instead of a table.")
]


class Format(enum.Enum):
    """The output format of a command."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def pick_format(as_json: bool, as_csv: bool = False) -> Format:
    """Return the format chosen by ``--json`` or ``--csv``.

    Raises:
        CliError: Both flags are given.
    """
    if as_json and as_csv:
        raise CliError("Pass --json or --csv, not both.", EXIT_USAGE)
    if as_json:
        return Format.JSON
    return Format.CSV if as_csv else Format.TABLE


# Width of tables written to a file or pipe, where no terminal sets one.
PIPE_WIDTH = 120


def stdout() -> Console:
    """Return a console on stdout, for data."""
    console = Console(soft_wrap=False, highlight=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console.width = PIPE_WIDTH
    return console


def stderr() -> Console:
    """Return a console on stderr, for progress and diagnostics."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def note(message: str) -> None:
    """Print a diagnostic line to stderr."""
    stderr().print(message, markup=False)


# Control characters other than newline and tab: C0, DEL and C1. Titles and
# names are written by students, and an escape sequence in one would reach the
# reader's terminal (set the window title, clear the screen).
_CONTROL_CHARACTERS = [
    *(chr(code) for code in range(0x20) if chr(code) not in "\n\t"),
    *(chr(code) for code in range(0x7F, 0xA0)),
]
_VISIBLE_CONTROLS = str.maketrans({c: f"\\x{ord(c):02x}" for c in _CONTROL_CHARACTERS})
# json.dumps escapes C0 characters itself but leaves DEL and C1 as they are.
_JSON_CONTROLS = str.maketrans(
    {chr(code): f"\\u{code:04x}" for code in range(0x7F, 0xA0)}
)


def printable(text: str) -> str:
    """Return `text` with control characters shown as ``\\xNN`` escapes.

    Args:
        text: Text from Ed, such as a title or a name.

    Returns:
        The text, safe to write to a terminal; newlines and tabs are kept.
    """
    return text.translate(_VISIBLE_CONTROLS)


def print_json(data: Any) -> None:
    """Print JSON to stdout, UTF-8 and indented, with control characters escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(text.translate(_JSON_CONTROLS))
    sys.stdout.write("\n")


@dataclass(frozen=True)
class Column:
    """A column of a table or CSV file.

    Attributes:
        key: The record key the value comes from.
        header: The column heading.
        in_table: Whether a terminal table shows it. CSV shows every column.
        render: Turns the value into table text. CSV writes the raw value.
        wide: Whether the column keeps at least 20 characters and folds
            longer text onto more lines.
        wrap: Whether the column may wrap its text on a narrow terminal.
            Other columns stay on one line and are cut with an ellipsis.
    """

    key: str
    header: str
    in_table: bool = True
    render: Callable[[Any], str] | None = None
    wide: bool = False
    wrap: bool = False


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return printable(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return printable(str(value))


def emit(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    *,
    json_data: Any = None,
    empty: str = "Nothing found.",
) -> None:
    """Print records as a table, CSV or JSON.

    Args:
        records: One mapping per row.
        columns: The columns of the table and CSV.
        fmt: The output format.
        json_data: The data ``--json`` prints, or None for the records.
        empty: The stderr note printed when a table has no rows.
    """
    if fmt is Format.JSON:
        print_json(list(records) if json_data is None else json_data)
        return
    if fmt is Format.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([column.header for column in columns])
        for record in records:
            writer.writerow([_cell(record.get(column.key)) for column in columns])
        return
    if not records:
        note(empty)
        return
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    shown = [column for column in columns if column.in_table]
    for column in shown:
        if column.wide:
            table.add_column(column.header, min_width=20, overflow="fold")
        elif column.wrap:
            table.add_column(column.header)
        else:
            table.add_column(column.header, no_wrap=True, overflow="ellipsis")
    for record in records:
        table.add_row(
            *[
                printable((column.render or _cell)(record.get(column.key)))
                if record.get(column.key) is not None
                else ""
                for column in shown
            ]
        )
    stdout().print(table)


def flat_records(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return raw Ed objects as flat records: nested values become JSON text."""
    return [
        {
            key: _cell(value) if isinstance(value, dict | list) else value
            for key, value in row.items()
        }
        for row in rows
    ]


def columns_of(
    records: Sequence[Mapping[str, Any]], table_limit: int = 8
) -> list[Column]:
    """Return columns for raw records: every key, the first few in the table."""
    keys: list[str] = []
    for record in records:
        keys.extend(key for key in record if key not in keys)
    return [
        Column(key, key, in_table=index < table_limit) for index, key in enumerate(keys)
    ]


def short_time(value: Any) -> str:
    """Render an Ed timestamp as ``YYYY-MM-DD HH:MM`` in its own offset."""
    text = str(value)
    return text[:16].replace("T", " ") if len(text) >= 16 else text


def age(created: datetime | None, now: datetime | None = None) -> str:
    """Render the time since `created` as ``3d 4h``, ``5h 2m`` or ``7m``."""
    if created is None:
        return ""
    seconds = max(0, int(((now or datetime.now(UTC)) - created).total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"
