"""The live contract checks as pytest tests: ``pytest --pyargs pyedstem.contract``.

Each check is one test, so that pytest's summary names the routes where Ed
differs. Without ``EDSTEM_LIVE_TOKEN`` every test is skipped, with a message
on how to enable them. For a report to paste into a bug report, run
``python -m pyedstem.contract --format markdown`` instead.
"""

from __future__ import annotations

import pytest

from pyedstem.contract import (
    LIVE_SKIP_MESSAGE,
    Outcome,
    Report,
    route_list,
    run_contract,
    target_from_env,
)


@pytest.fixture(scope="module")
def live_report() -> Report:
    """Run every check once against the Ed the variables name."""
    target = target_from_env()
    if target is None:
        pytest.skip(LIVE_SKIP_MESSAGE)
    return run_contract(target)


@pytest.mark.parametrize("check_id", [info.id for info in route_list()])
def test_route(live_report: Report, check_id: str) -> None:
    """Check that Ed's response matches what pyedstem relies on."""
    result = live_report.result(check_id)
    if result.outcome is Outcome.SKIPPED:
        pytest.skip(result.reason)
    if result.outcome is not Outcome.PASSED:
        details = "".join(f"\n  - {difference}" for difference in result.differences)
        pytest.fail(
            f"[{result.info.evidence.value}] {result.info.method} "
            f"{result.info.route} ({result.info.title}): {result.verdict}"
            f"{details}",
            pytrace=False,
        )
