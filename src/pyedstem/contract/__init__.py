"""A contract suite that checks Ed's API against what pyedstem relies on.

Ed publishes no API reference; pyedstem was built from other clients' code.
This suite checks, route by route, the status codes, top-level keys and field
types, page caps, error bodies and empty action bodies that pyedstem expects,
and marks each result with the evidence behind the expectation (H, M or L).
It runs against the sandbox Ed in pyedstem's own tests, and against live Ed
when a user opts in::

    EDSTEM_LIVE_TOKEN=... EDSTEM_LIVE_COURSE=12345 \\
        python -m pyedstem.contract --format markdown > report.md

or, as pytest tests, ``pytest --pyargs pyedstem.contract``. The report contains
no personal values (names, emails, ids, content, tokens), so that it can be
pasted into a bug report.
"""

from .render import render_markdown, render_route_list, render_text
from .results import (
    CheckInfo,
    CheckResult,
    CleanupNote,
    Evidence,
    Outcome,
    Report,
    Tier,
)
from .runner import Check, default_checks, route_list, run_contract
from .settings import LIVE_SKIP_MESSAGE, ContractTarget, WriteMode, target_from_env
from .shapes import Difference

__all__ = [
    "LIVE_SKIP_MESSAGE",
    "Check",
    "CheckInfo",
    "CheckResult",
    "CleanupNote",
    "ContractTarget",
    "Difference",
    "Evidence",
    "Outcome",
    "Report",
    "Tier",
    "WriteMode",
    "default_checks",
    "render_markdown",
    "render_route_list",
    "render_text",
    "route_list",
    "run_contract",
    "target_from_env",
]
