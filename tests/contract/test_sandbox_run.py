"""The whole contract suite against the sandbox Ed, over loopback HTTP."""

from __future__ import annotations

from collections import Counter

import pytest

from pyedstem import EdStemClient
from pyedstem.contract import (
    Outcome,
    Report,
    Tier,
    WriteMode,
    default_checks,
    route_list,
    run_contract,
)
from pyedstem.contract.reads import READ_CHECKS
from pyedstem.contract.session import Session
from pyedstem.testing import Sandbox, SandboxServer

from .conftest import public_thread_id, sandbox_target


def _failures(report: Report) -> list[str]:
    return [
        f"{r.info.id}: {r.outcome.value} {r.reason} {[str(d) for d in r.differences]}"
        for r in report.results
        if r.outcome in (Outcome.DIFFERS, Outcome.UNCHECKED)
    ]


@pytest.fixture(scope="module")
def staff_report(shared_sandbox: Sandbox, shared_server: SandboxServer) -> Report:
    """One read-only run as staff, shared by the tests that only inspect it."""
    return run_contract(sandbox_target(shared_sandbox, shared_server))


def test_read_checks_pass_as_staff(staff_report: Report) -> None:
    report = staff_report

    assert _failures(report) == []
    assert report.ok
    assert report.course_role == "staff"
    reads = [r for r in report.results if r.info.tier is Tier.READ]
    assert all(r.outcome is Outcome.PASSED for r in reads), [
        (r.info.id, r.reason) for r in reads if r.outcome is not Outcome.PASSED
    ]
    writes = [r for r in report.results if r.info.tier is not Tier.READ]
    assert writes
    assert all(r.outcome is Outcome.SKIPPED for r in writes)
    assert all("EDSTEM_LIVE_WRITE" in r.reason for r in writes)
    assert report.cleanup == []


def test_every_check_reports_once(staff_report: Report) -> None:
    ids = [r.info.id for r in staff_report.results]
    assert ids == [info.id for info in route_list()]
    assert Counter(ids).most_common(1)[0][1] == 1


def test_staff_pages_pass_with_403_for_student(
    shared_sandbox: Sandbox, shared_server: SandboxServer
) -> None:
    report = run_contract(sandbox_target(shared_sandbox, shared_server, role="student"))

    assert _failures(report) == []
    assert report.course_role == "student"
    admin = report.result("courses.admin")
    assert admin.outcome is Outcome.PASSED
    assert admin.status == 403


def test_requests_go_through_pyedstem_without_view(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    thread_id = public_thread_id(sandbox)
    target = sandbox_target(
        sandbox, server, write_mode=WriteMode.ALL, thread_id=thread_id
    )

    run_contract(target)

    records = sandbox.requests.snapshot()
    assert len(records) > 40
    for record in records:
        assert "view" not in record.params, record.path
        assert record.headers["user-agent"].startswith("pyedstem/"), record.path


def test_writes_pass_and_restore_the_thread(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    thread_id = public_thread_id(sandbox)
    # Start from a starred, locked thread, so that each pair must run in the
    # order that ends where it began.
    with EdStemClient(sandbox.tokens["staff"], base_url=server.base_url) as staff:
        staff.threads.star(thread_id)
        staff.threads.lock(thread_id)
        before = staff.threads.get(thread_id)
        comments_before = len(list(before.walk_comments()))

        report = run_contract(
            sandbox_target(
                sandbox, server, write_mode=WriteMode.ALL, thread_id=thread_id
            )
        )
        after = staff.threads.get(thread_id)

    assert _failures(report) == []
    assert all(r.outcome is Outcome.PASSED for r in report.results)
    for field in ("is_starred", "is_locked", "is_pinned", "is_endorsed", "vote"):
        assert getattr(after, field) == getattr(before, field), field
    assert after.is_starred is True
    assert after.is_locked is True
    toggles = [n for n in report.cleanup if n.action.startswith("sent ")]
    assert len(toggles) == 5
    assert all(note.restored for note in toggles)
    assert toggles[0].action == "sent unstar and then star to the thread"
    lasting = [n for n in report.cleanup if not n.restored]
    assert [n.action for n in lasting] == [
        "posted a private comment to the thread",
        "uploaded a 1x1 image, pyedstem-contract-check.png",
    ]
    posted = list(after.walk_comments())
    assert len(posted) == comments_before + 1
    newest = max(posted, key=lambda c: c.id)
    assert newest.is_private
    assert "pyedstem contract suite" in (newest.content or "")


def test_student_skips_staff_actions(sandbox: Sandbox, server: SandboxServer) -> None:
    target = sandbox_target(
        sandbox,
        server,
        role="student",
        write_mode=WriteMode.REVERSIBLE,
        thread_id=public_thread_id(sandbox),
    )

    report = run_contract(target)

    assert _failures(report) == []
    assert report.result("threads.star").outcome is Outcome.PASSED
    lock = report.result("threads.lock")
    assert lock.outcome is Outcome.SKIPPED
    assert lock.reason == "needs a staff or admin role in the course"
    comment = report.result("threads.comment")
    assert comment.outcome is Outcome.SKIPPED
    assert "EDSTEM_LIVE_WRITE=all" in comment.reason


def test_thread_outside_course_blocks_writes(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    other = next(iter(sandbox.state.course_threads(sandbox.other_course_id)))
    target = sandbox_target(
        sandbox, server, write_mode=WriteMode.ALL, thread_id=other.id
    )

    report = run_contract(target)

    writes = [r for r in report.results if r.info.tier is not Tier.READ]
    assert all(r.outcome is Outcome.SKIPPED for r in writes)
    assert all("not in the course" in r.reason for r in writes)
    assert report.cleanup == []
    assert not any(r.method == "POST" for r in sandbox.requests.snapshot())


@pytest.mark.parametrize("check", READ_CHECKS, ids=lambda c: c.info.id)
def test_read_check_sends_its_route(
    check: object, shared_sandbox: Sandbox, shared_server: SandboxServer
) -> None:
    from pyedstem.contract.reads import ReadCheck

    assert isinstance(check, ReadCheck)
    with EdStemClient("unused-token", base_url=shared_server.base_url) as client:
        session = Session(sandbox_target(shared_sandbox, shared_server), client)
        for name in (
            "user_id",
            "thread_id",
            "thread_number",
            "lesson_id",
            "slide_id",
            "quiz_slide_id",
            "challenge_id",
        ):
            session.ids[name] = 7
        request = next(check.build(session))

    assert (request.method, request.route) == (check.info.method, check.info.route)


def test_default_checks_cover_all_tiers() -> None:
    tiers = Counter(info.tier for check in default_checks() for info in check.infos)

    assert tiers[Tier.READ] >= 30
    assert tiers[Tier.REVERSIBLE] == 10
    assert tiers[Tier.PERMANENT] == 2
