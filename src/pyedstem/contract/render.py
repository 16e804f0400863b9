"""Render a contract report as plain text or as Markdown for a bug report."""

from __future__ import annotations

from .results import CheckInfo, CheckResult, Evidence, Outcome, Report

__all__ = ["EVIDENCE_LEGEND", "render_markdown", "render_route_list", "render_text"]

EVIDENCE_LEGEND = (
    "Evidence marks: H = several independent clients agree; M = one or two "
    "clients; L = weak or conflicting evidence. Ed publishes no API "
    "reference, so a difference on an M or L route more likely means that "
    "pyedstem's sources are wrong than that Ed is broken."
)

_LABELS = {
    Outcome.PASSED: "passed",
    Outcome.DIFFERS: "differs",
    Outcome.SKIPPED: "skipped",
    Outcome.UNCHECKED: "unchecked",
}


def _summary(report: Report) -> str:
    weak = sum(
        1
        for r in report.results
        if r.outcome is Outcome.DIFFERS and r.info.evidence is not Evidence.HIGH
    )
    differs = report.count(Outcome.DIFFERS)
    weak_note = f" ({weak} on M or L routes)" if weak else ""
    return (
        f"{report.count(Outcome.PASSED)} passed, {differs} differ{weak_note}, "
        f"{report.count(Outcome.SKIPPED)} skipped, "
        f"{report.count(Outcome.UNCHECKED)} could not be checked."
    )


def _header(report: Report) -> list[tuple[str, str]]:
    return [
        ("Versions", report.versions),
        ("Target", f"{report.target}, {report.base_url}"),
        ("Writes", report.write_mode),
        ("Role in the course", report.course_role),
        ("Started", report.started_at),
    ]


def _cleanup_lines(report: Report) -> list[str]:
    if not report.cleanup:
        return ["nothing was written."]
    lines = []
    for note in report.cleanup:
        state = "undone" if note.restored else "NOT undone"
        lines.append(f"{note.action}: {state}; {note.detail}.")
    return lines


def _route(info: CheckInfo) -> str:
    return f"{info.method} {info.route}"


def render_text(report: Report) -> str:
    """Render the report as plain text."""
    lines = ["pyedstem contract report", ""]
    lines += [f"{name}: {value}" for name, value in _header(report)]
    if report.problem is not None:
        lines += ["", f"PROBLEM: {report.problem}"]
    lines += ["", EVIDENCE_LEGEND, ""]
    for result in report.results:
        lines += _text_result(result)
    lines += ["", f"Summary: {_summary(report)}", "", "Cleanup:"]
    lines += [f"- {line}" for line in _cleanup_lines(report)]
    return "\n".join(lines) + "\n"


def _text_result(result: CheckResult) -> list[str]:
    info = result.info
    head = (
        f"[{info.evidence.value}] {_LABELS[result.outcome]:<9} "
        f"{_route(info)}  ({info.title})"
    )
    if result.outcome is Outcome.PASSED:
        return [head]
    if result.outcome is not Outcome.DIFFERS:
        return [head, f"      {result.reason}"]
    lines = [head, f"      {result.verdict}."]
    if result.status is not None and result.differences[0].where != "status":
        lines.append(f"      - status received: {result.status}")
    lines += [f"      - {difference}" for difference in result.differences]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: Report) -> str:
    """Render the report as Markdown, ready to paste into a GitHub issue."""
    lines = ["## pyedstem contract report", "", "| | |", "|---|---|"]
    lines += [f"| {name} | {_cell(value)} |" for name, value in _header(report)]
    if report.problem is not None:
        lines += ["", f"**Problem:** {report.problem}"]
    lines += ["", EVIDENCE_LEGEND, ""]
    lines += _markdown_table(report)

    differing = [r for r in report.results if r.outcome is Outcome.DIFFERS]
    if differing:
        lines += ["", "### Differences"]
        for result in differing:
            lines += _markdown_difference(result)

    others = [
        r for r in report.results if r.outcome in (Outcome.SKIPPED, Outcome.UNCHECKED)
    ]
    if others:
        lines += ["", "### Skipped or not checked", ""]
        lines += [
            f"- `{_route(r.info)}` ({r.info.title}): {_cell(r.verdict)}" for r in others
        ]

    lines += ["", "### Cleanup", ""]
    lines += [f"- {line}" for line in _cleanup_lines(report)]
    lines += ["", f"**Summary:** {_summary(report)}"]
    return "\n".join(lines) + "\n"


def _markdown_table(report: Report) -> list[str]:
    lines = ["| Mark | Result | Route | Check |", "|---|---|---|---|"]
    for result in report.results:
        info = result.info
        label = _LABELS[result.outcome]
        if result.outcome in (Outcome.DIFFERS, Outcome.UNCHECKED):
            label = f"**{label}**"
        lines.append(
            f"| {info.evidence.value} | {label} | `{_route(info)}` | {info.title} |"
        )
    return lines


def _markdown_difference(result: CheckResult) -> list[str]:
    info = result.info
    lines = [
        "",
        f"#### [{info.evidence.value}] `{_route(info)}` ({info.title})",
        "",
        f"{result.verdict}.",
        "",
    ]
    if result.status is not None and result.differences[0].where != "status":
        lines.append(f"- status received: {result.status}")
    for difference in result.differences:
        lines.append(
            f"- `{difference.where}`: expected {difference.expected}, got "
            f"{difference.received}"
            + (f" (in {difference.count} items)" if difference.count > 1 else "")
        )
    return lines


def render_route_list(infos: list[CheckInfo]) -> str:
    """Render the route list with evidence marks and the opt-in each needs."""
    lines = [EVIDENCE_LEGEND, ""]
    for info in infos:
        tier = "" if info.tier.value == "read" else f"  [writes: {info.tier.value}]"
        lines.append(f"[{info.evidence.value}] {_route(info)}  ({info.title}){tier}")
    return "\n".join(lines) + "\n"
