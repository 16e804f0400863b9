"""Edits of locked threads over loopback: no silent unlock, always relocked."""

from __future__ import annotations

import pytest

from pyedstem import (
    AsyncEdStemClient,
    EdStemClient,
    InvalidArgumentError,
    ServerError,
    WriteOutcomeUnknownError,
)
from pyedstem.testing import Sandbox

DOC = '<document version="2.0"><paragraph>Where is lab 3?</paragraph></document>'


def _locked_question(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> int:
    thread = student.threads.create(
        sandbox.demo_course_id,
        title="Lab 3 location",
        document=DOC,
        type="question",
        category="Labs",
    )
    staff.threads.lock(thread.id)
    return thread.id


def _sent_since(sandbox: Sandbox, logged: int) -> list[tuple[str, str, int | None]]:
    return [
        (record.method, record.template or record.path, record.status)
        for record in sandbox.requests.snapshot()[logged:]
    ]


def _add_put_fault(sandbox: Sandbox, thread_id: int) -> None:
    sandbox.faults.add(
        method="PUT",
        path=f"/threads/{thread_id}",
        kind="status",
        status=500,
        times=1,
    )


def test_locked_without_unlock_writes_nothing(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _locked_question(staff, student, sandbox)
    stored = sandbox.state.threads[thread_id]
    updated_at = stored.updated_at
    logged = len(sandbox.requests)

    with pytest.raises(InvalidArgumentError, match="Pass unlock=True"):
        staff.threads.update(thread_id, title="Renamed")

    assert _sent_since(sandbox, logged) == [("GET", "/threads/{thread_id}", 200)]
    assert stored.is_locked is True
    assert stored.title == "Lab 3 location"
    assert stored.updated_at == updated_at


def test_unlock_option_edits_and_relocks(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _locked_question(staff, student, sandbox)
    logged = len(sandbox.requests)

    staff.threads.update(thread_id, title="Renamed", unlock=True)

    stored = sandbox.state.threads[thread_id]
    assert stored.title == "Renamed"
    assert stored.is_locked is True
    assert _sent_since(sandbox, logged) == [
        ("GET", "/threads/{thread_id}", 200),
        ("POST", "/threads/{thread_id}/unlock", 200),
        ("PUT", "/threads/{thread_id}", 200),
        ("POST", "/threads/{thread_id}/lock", 200),
    ]


def test_failed_edit_still_relocks(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _locked_question(staff, student, sandbox)
    _add_put_fault(sandbox, thread_id)
    logged = len(sandbox.requests)

    with pytest.raises(ServerError):
        staff.threads.update(thread_id, title="Renamed", unlock=True)

    stored = sandbox.state.threads[thread_id]
    assert stored.is_locked is True
    assert stored.title == "Lab 3 location"
    assert _sent_since(sandbox, logged) == [
        ("GET", "/threads/{thread_id}", 200),
        ("POST", "/threads/{thread_id}/unlock", 200),
        ("PUT", "/threads/{thread_id}", 500),
        ("POST", "/threads/{thread_id}/lock", 200),
    ]


def test_dropped_edit_relocks_and_checks(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _locked_question(staff, student, sandbox)
    sandbox.faults.add(
        method="PUT", path=f"/threads/{thread_id}", kind="drop_after_commit", times=1
    )

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        staff.threads.update(thread_id, title="Renamed", unlock=True)
    found = staff.check_write(caught.value)

    stored = sandbox.state.threads[thread_id]
    assert stored.is_locked is True
    assert stored.title == "Renamed"
    assert found is not None
    assert found.title == "Renamed"


async def test_async_failed_edit_relocks(
    async_staff: AsyncEdStemClient,
    staff: EdStemClient,
    student: EdStemClient,
    sandbox: Sandbox,
) -> None:
    thread_id = _locked_question(staff, student, sandbox)
    _add_put_fault(sandbox, thread_id)

    with pytest.raises(ServerError):
        await async_staff.threads.update(thread_id, title="Renamed", unlock=True)

    stored = sandbox.state.threads[thread_id]
    assert stored.is_locked is True
    assert stored.title == "Lab 3 location"
    relocks = sandbox.requests.find("POST", path=f"/api/threads/{thread_id}/lock")
    assert len(relocks) == 2


def test_unlocked_thread_skips_lock_calls(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread = student.threads.create(
        sandbox.demo_course_id, title="Lab 4", document=DOC, category="Labs"
    )
    logged = len(sandbox.requests)

    staff.threads.update(thread.id, title="Lab 4 room", unlock=True)

    stored = sandbox.state.threads[thread.id]
    assert stored.title == "Lab 4 room"
    assert stored.is_locked is False
    assert [method for method, _, _ in _sent_since(sandbox, logged)] == ["GET", "PUT"]
