"""Run the contract checks against live Ed: ``python -m pyedstem.contract``.

Reads ``EDSTEM_LIVE_*`` variables (see `pyedstem.contract.settings`) and
prints the report on standard output. The exit status is 0 when every check
passed or was skipped, 1 when Ed differs or a check got no response, and 2
when the variables are missing or invalid or Ed rejects the token or course.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigurationError
from .render import render_markdown, render_route_list, render_text
from .runner import route_list, run_contract
from .settings import LIVE_SKIP_MESSAGE, target_from_env

EXIT_OK = 0
EXIT_DIFFERS = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """Build the command-line parser."""
    parser = argparse.ArgumentParser(
        prog="python -m pyedstem.contract",
        description=(
            "Check Ed's API, route by route, against what pyedstem relies on. "
            "The report names no person, id or post, so it can go into a bug "
            "report as it is."
        ),
        epilog=LIVE_SKIP_MESSAGE,
    )
    parser.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="report format (default: text); markdown suits a GitHub issue",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="write the report to this file instead of standard output",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="print the checked routes with their evidence marks, send nothing",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    if args.list:
        sys.stdout.write(render_route_list(route_list()))
        return EXIT_OK
    try:
        target = target_from_env()
        if target is None:
            print(LIVE_SKIP_MESSAGE, file=sys.stderr)
            return EXIT_USAGE
        print(
            f"Running the contract checks against {target.label} "
            f"(writes: {target.write_mode.value}) ...",
            file=sys.stderr,
        )
        report = run_contract(target)
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text = render_markdown(report) if args.format == "markdown" else render_text(report)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"Report written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if report.problem is not None:
        print(f"error: {report.problem}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if report.ok else EXIT_DIFFERS


if __name__ == "__main__":
    sys.exit(main())
