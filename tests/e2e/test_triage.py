"""The staff triage helper: threads that still need a staff answer."""

from __future__ import annotations

from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem.models import Participant, ThreadSummary
from pyedstem.resources.threads import TriageRules
from pyedstem.testing import Sandbox


def _expected(sandbox: Sandbox) -> set[int]:
    """Compute the triage set from the sandbox's own state."""
    state = sandbox.state
    course_id = sandbox.demo_course_id
    staff_id = sandbox.users["staff"]
    expected = set()
    for thread in state.course_threads(course_id):
        if not state.can_see_thread(staff_id, thread):
            continue
        if thread.type != "question" or thread.deleted_at is not None:
            continue
        started_by_staff = not thread.is_anonymous and state.is_staff(
            thread.user_id, course_id
        )
        if started_by_staff or thread.is_staff_answered:
            continue
        expected.add(thread.id)
    return expected


def test_unanswered_matches_sandbox_state(
    reader: EdStemClient, shared_sandbox: Sandbox
) -> None:
    found = reader.threads.list_unanswered(shared_sandbox.demo_course_id)
    ids = [t.id for t in found]
    assert len(ids) == len(set(ids))
    assert set(ids) == _expected(shared_sandbox)
    assert ids
    assert all(t.type == "question" and not t.is_staff_answered for t in found)


def test_rules_can_be_switched_off(
    reader: EdStemClient, shared_sandbox: Sandbox
) -> None:
    course_id = shared_sandbox.demo_course_id
    default = {t.id for t in reader.threads.iter_unanswered(course_id)}
    with_posts = {
        t.id for t in reader.threads.iter_unanswered(course_id, questions_only=False)
    }
    with_answered = {
        t.id
        for t in reader.threads.iter_unanswered(course_id, skip_staff_answered=False)
    }
    everything = {
        t.id
        for t in reader.threads.iter_unanswered(
            course_id,
            questions_only=False,
            skip_deleted=False,
            skip_staff_started=False,
            skip_staff_answered=False,
        )
    }
    all_threads = {t.id for t in reader.threads.iter_all(course_id)}
    assert default < with_posts
    assert default < with_answered
    assert everything == all_threads


def test_staff_answer_removes_thread(staff: EdStemClient, sandbox: Sandbox) -> None:
    course_id = sandbox.demo_course_id
    first = next(staff.threads.iter_unanswered(course_id))
    staff.threads.post_answer(thread_id=first.id, markdown="Answered by staff.")
    remaining = {t.id for t in staff.threads.iter_unanswered(course_id)}
    assert first.id not in remaining


async def test_async_triage_matches_sync(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    listed = await async_staff.threads.list_unanswered(sandbox.demo_course_id)
    assert {t.id for t in listed} == _expected(sandbox)


def _thread(**fields: object) -> ThreadSummary:
    base = {
        "id": 1,
        "number": 1,
        "course_id": 2,
        "title": "t",
        "type": "question",
        "user_id": 5,
    }
    return ThreadSummary.model_validate({**base, **fields})


def test_rules_on_single_threads() -> None:
    rules = TriageRules()
    staff_post = _thread(user={"id": 5, "course_role": "staff"})
    assert rules.needs_answer(_thread())
    assert not rules.needs_answer(_thread(type="post"))
    assert not rules.needs_answer(_thread(deleted_at="2026-01-01T00:00:00+11:00"))
    assert not rules.needs_answer(_thread(is_staff_answered=True))
    assert not rules.needs_answer(staff_post)
    assert TriageRules(skip_staff_started=False).needs_answer(staff_post)
    anonymous = _thread(user_id=0, is_anonymous=True)
    assert rules.needs_answer(anonymous)
    assert isinstance(staff_post.author, Participant)
