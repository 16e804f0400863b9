"""Differences between Ed and the expectations read as differences, not crashes."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx

from pyedstem.contract import (
    Outcome,
    WriteMode,
    render_markdown,
    render_text,
    run_contract,
)
from pyedstem.contract.probes import ERROR_CHECKS, PAGE_CAP_CHECKS
from pyedstem.contract.reads import READ_CHECKS, ReadCheck
from pyedstem.contract.shapes import INT, OBJECT, obj
from pyedstem.contract.writes import WRITE_CHECKS
from pyedstem.testing import Sandbox, SandboxServer

from .conftest import RewritingTransport, public_thread_id, sandbox_target


def _read(check_id: str) -> ReadCheck:
    return next(check for check in READ_CHECKS if check.info.id == check_id)


def test_wrong_expectation_gives_readable_difference(
    shared_sandbox: Sandbox, shared_server: SandboxServer
) -> None:
    wrong = dataclasses.replace(
        _read("threads.list"), shape=obj(threads=OBJECT, sort_key=INT)
    )

    report = run_contract(sandbox_target(shared_sandbox, shared_server), checks=[wrong])

    result = report.result("threads.list")
    assert result.outcome is Outcome.DIFFERS
    assert result.status == 200
    assert [str(d) for d in result.differences] == [
        "threads: expected object, got array",
        "sort_key: expected integer, got string",
    ]
    text = render_text(report)
    assert "[H] differs   GET /courses/{course_id}/threads  (response shape)" in text
    assert "several clients agree on this, so pyedstem may fail here" in text
    assert "      - threads: expected object, got array" in text
    assert "      - status received: 200" in text
    markdown = render_markdown(report)
    assert "| H | **differs** | `GET /courses/{course_id}/threads` |" in markdown
    assert "- `threads`: expected object, got array" in markdown


def test_weak_route_failure_reads_as_source_difference(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    student = next(
        member
        for member in sandbox.state.members(sandbox.demo_course_id)
        if member.role == "student"
    )
    sandbox.state.users[student.user_id].email = None  # type: ignore[assignment]

    report = run_contract(
        sandbox_target(sandbox, server),
        checks=[
            _read("user.get"),
            _read("analytics.users"),
            _read("analytics.users_fields"),
        ],
    )

    assert report.result("analytics.users").outcome is Outcome.PASSED
    weak = report.result("analytics.users_fields")
    assert weak.info.evidence.value == "L"
    assert weak.outcome is Outcome.DIFFERS
    assert [str(d) for d in weak.differences] == [
        "users[].email: expected string, got null"
    ]
    assert weak.verdict == (
        "Ed differs from our sources (weak or conflicting evidence); "
        "the sources may be wrong, not Ed"
    )
    text = render_text(report)
    assert (
        "[L] differs   GET /courses/{course_id}/analytics/users  (row fields)" in text
    )
    assert "Traceback" not in text
    assert "1 differ (1 on M or L routes)" in text
    assert "#### [L] `GET /courses/{course_id}/analytics/users`" in render_markdown(
        report
    )


def test_body_pyedstem_cannot_read_is_reported(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    for thread in sandbox.state.course_threads(sandbox.demo_course_id):
        thread.title = None  # type: ignore[assignment]

    report = run_contract(
        sandbox_target(sandbox, server), checks=[_read("threads.list")]
    )

    result = report.result("threads.list")
    assert result.outcome is Outcome.DIFFERS
    messages = [str(d) for d in result.differences]
    assert "threads[].title: expected string, got null (in 20 items)" in messages
    assert (
        "pyedstem's parser: expected a body it can read, got title: string_type"
        in messages
    )


def test_error_status_names_ed_code(sandbox: Sandbox, server: SandboxServer) -> None:
    sandbox.faults.add(
        kind="status", method="GET", path="/courses/{course_id}/labs", status=500
    )

    report = run_contract(
        sandbox_target(sandbox, server), checks=[_read("courses.labs")]
    )

    result = report.result("courses.labs")
    assert result.outcome is Outcome.DIFFERS
    assert [str(d) for d in result.differences] == [
        "status: expected 200, got 500 with Ed code 'internal_error'"
    ]
    assert "status received" not in render_text(report)


def test_empty_success_body_is_a_difference(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    sandbox.faults.add(kind="empty", method="GET", path="/courses/{course_id}")

    report = run_contract(
        sandbox_target(sandbox, server), checks=[_read("courses.get")]
    )

    messages = [str(d) for d in report.result("courses.get").differences]
    assert messages[0] == "body: expected object, got an empty body"
    assert messages[1].startswith("pyedstem's parser: expected a body it can read")


def test_dropped_connection_is_unchecked(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    sandbox.faults.add(kind="drop", method="GET", path="/user/tokens")

    report = run_contract(
        sandbox_target(sandbox, server),
        checks=[_read("user.tokens"), _read("courses.get")],
    )

    dropped = report.result("user.tokens")
    assert dropped.outcome is Outcome.UNCHECKED
    assert dropped.reason == "no response arrived (APIConnectionError)"
    assert report.result("courses.get").outcome is Outcome.PASSED
    assert not report.ok
    assert "could not be checked: no response arrived" in render_markdown(report)


def test_error_body_code_mismatch_is_shown(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    sandbox.faults.add(
        kind="status", method="GET", path="/user", status=401, code="token_invalid"
    )

    report = run_contract(sandbox_target(sandbox, server), checks=[ERROR_CHECKS[0]])

    result = report.result("errors.bad_token")
    assert result.outcome is Outcome.DIFFERS
    assert [str(d) for d in result.differences] == [
        "code: expected the string 'bad_token', got the string 'token_invalid'"
    ]


def test_wrong_error_status_is_shown(sandbox: Sandbox, server: SandboxServer) -> None:
    sandbox.faults.add(
        kind="status", method="GET", path="/threads/{thread_id}", status=403
    )

    report = run_contract(sandbox_target(sandbox, server), checks=[ERROR_CHECKS[1]])

    assert [str(d) for d in report.result("errors.not_found").differences] == [
        "status: expected 404, got 403"
    ]


def test_short_pages_while_more_exist_break_the_pager(
    shared_sandbox: Sandbox, shared_server: SandboxServer
) -> None:
    def clip_at_50(request: httpx.Request, body: Any) -> Any:
        if isinstance(body, dict) and isinstance(body.get("threads"), list):
            return {**body, "threads": body["threads"][:50]}
        return body

    with httpx.Client(transport=RewritingTransport(clip_at_50)) as http:
        report = run_contract(
            sandbox_target(shared_sandbox, shared_server),
            checks=[PAGE_CAP_CHECKS[0]],
            http_client=http,
        )

    result = report.result("threads.page_cap")
    assert result.outcome is Outcome.DIFFERS
    assert [str(d) for d in result.differences] == [
        "number of threads: expected 100 for limit=101 while more exist, got 50; "
        "pyedstem's pager stops at a short page, so it would miss the rest"
    ]


def test_small_course_skips_page_cap(sandbox: Sandbox, server: SandboxServer) -> None:
    small = Sandbox(seed=1, threads_per_course=30)
    with small.serve() as small_server:
        report = run_contract(
            sandbox_target(small, small_server), checks=[PAGE_CAP_CHECKS[0]]
        )

    result = report.result("threads.page_cap")
    assert result.outcome is Outcome.SKIPPED
    assert result.reason == (
        "no course has more than 100 threads, so the cap cannot be seen"
    )


def test_action_body_is_a_difference(sandbox: Sandbox, server: SandboxServer) -> None:
    def answer_star(request: httpx.Request, body: Any) -> Any:
        if request.url.path.endswith("/star"):
            return {"status": "ok"}
        return body

    target = sandbox_target(
        sandbox,
        server,
        write_mode=WriteMode.REVERSIBLE,
        thread_id=public_thread_id(sandbox),
    )
    with httpx.Client(transport=RewritingTransport(answer_star)) as http:
        report = run_contract(target, checks=[WRITE_CHECKS[0]], http_client=http)

    assert [str(d) for d in report.result("threads.star").differences] == [
        "body: expected an empty body, got a JSON object"
    ]
    assert report.result("threads.unstar").outcome is Outcome.PASSED
    assert all(note.restored for note in report.cleanup)


def test_parser_location_hides_mapping_keys() -> None:
    from pyedstem.contract.session import _location

    assert _location(("courses", 0, "course", "id")) == "courses.0.course.id"
    assert _location(("tutorials", "Lab Ada Lovelace", "name")) == (
        "tutorials.<key>.name"
    )
    assert _location(()) == "body"
