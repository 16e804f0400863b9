"""Contract run results: one result per check, cleanup notes and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .shapes import Difference

__all__ = [
    "CheckInfo",
    "CheckResult",
    "CleanupNote",
    "Evidence",
    "Outcome",
    "Report",
    "Tier",
]


class Evidence(StrEnum):
    """The strength of the public evidence behind what a check expects."""

    HIGH = "H"
    """Several independent clients, or a real captured response, agree."""
    MEDIUM = "M"
    """One or two clients, or live tests of one client."""
    LOW = "L"
    """One weak source, or sources that conflict."""

    @property
    def meaning(self) -> str:
        """A short phrase for reports."""
        return _EVIDENCE_MEANING[self]


_EVIDENCE_MEANING = {
    Evidence.HIGH: "several independent clients agree",
    Evidence.MEDIUM: "one or two clients",
    Evidence.LOW: "weak or conflicting evidence",
}


class Tier(StrEnum):
    """The opt-in a check needs."""

    READ = "read"
    """Reads only; always runs."""
    REVERSIBLE = "reversible"
    """Writes that the suite undoes afterwards, on the named thread."""
    PERMANENT = "permanent"
    """Writes that Ed gives no way to undo, such as posting a comment."""


class Outcome(StrEnum):
    """The result of one check."""

    PASSED = "passed"
    DIFFERS = "differs"
    SKIPPED = "skipped"
    UNCHECKED = "unchecked"
    """No response arrived, for example after a timeout."""


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """A check as the route list shows it, before it runs.

    Attributes:
        id: A stable name, such as ``threads.list``; pytest uses it as the
            test id.
        method: The HTTP method.
        route: The route template relative to the API base.
        evidence: The evidence mark of what the check expects.
        title: What is checked, such as ``response shape`` or ``page cap``.
        tier: The opt-in the check needs.
    """

    id: str
    method: str
    route: str
    evidence: Evidence
    title: str
    tier: Tier = Tier.READ


@dataclass(slots=True)
class CheckResult:
    """The outcome of one check.

    Attributes:
        info: The check.
        outcome: Passed, differs, skipped or unchecked.
        status: The HTTP status Ed sent, when a response arrived.
        differences: How Ed's response differs from the expectation.
        reason: Why the check was skipped or could not run.
    """

    info: CheckInfo
    outcome: Outcome
    status: int | None = None
    differences: list[Difference] = field(default_factory=list)
    reason: str = ""

    @property
    def verdict(self) -> str:
        """One line on how to read the outcome."""
        if self.outcome is Outcome.PASSED:
            return "passed"
        if self.outcome is Outcome.SKIPPED:
            return f"skipped: {self.reason}"
        if self.outcome is Outcome.UNCHECKED:
            return f"could not be checked: {self.reason}"
        if self.info.evidence is Evidence.HIGH:
            return (
                "Ed differs from our sources; several clients agree on this, "
                "so pyedstem may fail here"
            )
        return (
            f"Ed differs from our sources ({self.info.evidence.meaning}); "
            "the sources may be wrong, not Ed"
        )


@dataclass(frozen=True, slots=True)
class CleanupNote:
    """A change the suite made on Ed, and whether it was undone.

    Attributes:
        action: The change, such as ``sent star and then unstar to the thread``.
        restored: Whether the change was undone.
        detail: The state after the undo, or the step the user must take by hand.
    """

    action: str
    restored: bool
    detail: str


@dataclass(slots=True)
class Report:
    """A finished contract run, with personal values already replaced.

    Attributes:
        target: ``live Ed`` or ``sandbox``.
        base_url: The API base URL, without credentials or query.
        write_mode: ``off``, ``reversible`` or ``all``.
        course_role: The token's role in the course, such as ``staff``.
        versions: pyedstem, Python and httpx versions.
        started_at: When the run started, in UTC (ISO 8601).
        results: One result per check, in the order they ran.
        cleanup: What the suite wrote and whether it was undone.
        problem: A setup problem that stopped the run early, such as a
            rejected token; None when the run went through.
    """

    target: str
    base_url: str
    write_mode: str
    course_role: str
    versions: str
    started_at: str
    results: list[CheckResult] = field(default_factory=list)
    cleanup: list[CleanupNote] = field(default_factory=list)
    problem: str | None = None

    def result(self, check_id: str) -> CheckResult:
        """Return the result of one check by its id.

        Raises:
            KeyError: No check has this id.
        """
        for result in self.results:
            if result.info.id == check_id:
                return result
        raise KeyError(f"No contract check has the id {check_id!r}.")

    def count(self, outcome: Outcome) -> int:
        """Count the results with one outcome."""
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def ok(self) -> bool:
        """Whether the run went through and every check passed or was skipped."""
        return self.problem is None and not any(
            r.outcome in (Outcome.DIFFERS, Outcome.UNCHECKED) for r in self.results
        )
