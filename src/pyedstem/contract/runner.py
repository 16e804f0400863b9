"""Run the contract checks against one Ed and collect the report."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from .._constants import DEFAULT_BASE_URL
from .._version import __version__
from ..client import EdStemClient
from .probes import ERROR_CHECKS, PAGE_CAP_CHECKS
from .reads import READ_CHECKS
from .redact import Redactor
from .results import CheckInfo, CheckResult, CleanupNote, Outcome, Report, Tier
from .session import Session, skipped
from .settings import ContractTarget, WriteMode
from .shapes import Difference
from .writes import WRITE_CHECKS, check_write_thread

__all__ = ["Check", "default_checks", "route_list", "run_contract"]


class Check(Protocol):
    """A contract check: its route list entries and how to run it."""

    @property
    def infos(self) -> tuple[CheckInfo, ...]:
        """The route list entries; `run` returns one result for each."""
        ...

    def run(self, session: Session) -> list[CheckResult]:
        """Send the check's requests and return one result per entry."""
        ...


def default_checks() -> tuple[Check, ...]:
    """Return every check, in the order they run: reads, caps, errors, writes."""
    return (*READ_CHECKS, *PAGE_CAP_CHECKS, *ERROR_CHECKS, *WRITE_CHECKS)


def route_list(checks: Sequence[Check] | None = None) -> list[CheckInfo]:
    """Return the route list entries of the checks, without sending anything."""
    return [info for check in checks or default_checks() for info in check.infos]


def run_contract(
    target: ContractTarget,
    *,
    checks: Sequence[Check] | None = None,
    http_client: httpx.Client | None = None,
) -> Report:
    """Run the contract checks against one Ed.

    Args:
        target: The Ed to check and what the run may write.
        checks: The checks to run; every check by default.
        http_client: An httpx client to send requests with; the caller
            keeps ownership and closes it.

    Returns:
        The report, with every personal value already replaced.

    Raises:
        ConfigurationError: The region or base URL of `target` is invalid.
    """
    started = datetime.now(UTC).replace(microsecond=0)
    client = EdStemClient(
        target.api_token,
        base_url=target.base_url or DEFAULT_BASE_URL,
        region=target.region,
        http_client=http_client,
        max_requests_per_second=target.max_requests_per_second,
    )
    with client:
        session = Session(target, client)
        results: list[CheckResult] = []
        problem: str | None = None
        writes_checked = False
        for check in checks or default_checks():
            if problem is not None:
                results += [skipped(info, _STOPPED) for info in check.infos]
                continue
            if (
                not writes_checked
                and _writes(check)
                and target.write_mode is not WriteMode.OFF
            ):
                check_write_thread(session)
                writes_checked = True
            outcome = _run_one(check, session)
            problem = _setup_problem(session, check)
            if session.token_rejected:
                # The difference is the token's, not Ed's.
                outcome = [
                    CheckResult(r.info, Outcome.UNCHECKED, r.status, reason=_REJECTED)
                    for r in outcome
                ]
            results.extend(outcome)
    report = Report(
        target=target.label,
        base_url=_public_url(client.base_url),
        write_mode=_write_mode_text(target.write_mode),
        course_role=session.course_role or "unknown",
        versions=(
            f"pyedstem {__version__}, Python {platform.python_version()}, "
            f"httpx {httpx.__version__}"
        ),
        started_at=started.isoformat().replace("+00:00", "Z"),
        results=results,
        cleanup=session.cleanup,
        problem=problem,
    )
    _scrub(report, session.redactor)
    return report


_STOPPED = "the run stopped at the problem above"
_REJECTED = "Ed rejected the API token"


def _setup_problem(session: Session, check: Check) -> str | None:
    """Name a problem that makes every further check meaningless, if any."""
    if session.token_rejected:
        return (
            "Ed rejected the API token. Check EDSTEM_LIVE_TOKEN, and that "
            "EDSTEM_LIVE_REGION or EDSTEM_LIVE_BASE_URL names the region of "
            "the account."
        )
    first = check.infos[0]
    if first.id == "user.get" and session.ids.get("user_id") and not session.enrolled:
        return (
            "GET /user does not list the course named in EDSTEM_LIVE_COURSE "
            "among the account's courses. Check the course id, and that the "
            "account is enrolled in it."
        )
    return None


def _writes(check: Check) -> bool:
    return any(info.tier is not Tier.READ for info in check.infos)


def _run_one(check: Check, session: Session) -> list[CheckResult]:
    try:
        return check.run(session)
    except Exception as exc:  # A bug in one check must not hide the other results.
        reason = (
            f"the contract suite itself failed ({type(exc).__name__}); "
            "please report this to pyedstem"
        )
        return [
            CheckResult(info, Outcome.UNCHECKED, reason=reason) for info in check.infos
        ]


def _write_mode_text(mode: WriteMode) -> str:
    return {
        WriteMode.OFF: "off (read-only)",
        WriteMode.REVERSIBLE: "reversible actions on the named thread",
        WriteMode.ALL: "all, including a comment and an upload that stay",
    }[mode]


def _public_url(url: str) -> str:
    """Drop credentials and the query from a URL."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _scrub(report: Report, redactor: Redactor) -> None:
    for result in report.results:
        result.reason = redactor.scrub(result.reason)
        result.differences = [
            Difference(
                redactor.scrub(d.where),
                redactor.scrub(d.expected),
                redactor.scrub(d.received),
                d.count,
            )
            for d in result.differences
        ]
    report.cleanup = [
        CleanupNote(
            redactor.scrub(note.action), note.restored, redactor.scrub(note.detail)
        )
        for note in report.cleanup
    ]
