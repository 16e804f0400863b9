"""Posting answers changes the sandbox's state, once."""

from __future__ import annotations

import pytest

from pyedstem import (
    AsyncEdStemClient,
    EdStemClient,
    InvalidArgumentError,
    WriteOutcomeUnknownError,
)
from pyedstem.testing import Sandbox


def _unanswered_question(client: EdStemClient, sandbox: Sandbox) -> int:
    thread = next(client.threads.iter_all(sandbox.demo_course_id, filter="unanswered"))
    return thread.id


def test_post_answer_is_stored(staff: EdStemClient, sandbox: Sandbox) -> None:
    thread_id = _unanswered_question(staff, sandbox)
    posted = staff.threads.post_answer(
        thread_id=thread_id,
        markdown="Use **`pip install`** and see [the docs](https://docs.python.org).",
    )
    assert posted.type == "answer"
    assert posted.id > 0
    assert "<bold>" in (posted.content or "") or "<b>" in (posted.content or "")
    thread = staff.threads.get(thread_id)
    assert [a.id for a in thread.answers].count(posted.id) == 1
    assert thread.is_answered
    assert thread.is_staff_answered
    stored = thread.find_comment(posted.id)
    assert stored is not None
    assert "https://docs.python.org" in (stored.content or "")


def test_private_anonymous_answer_flags(staff: EdStemClient, sandbox: Sandbox) -> None:
    thread_id = _unanswered_question(staff, sandbox)
    posted = staff.threads.post_answer(
        thread_id=thread_id, markdown="Hidden", is_private=True, is_anonymous=True
    )
    assert posted.is_private
    assert posted.is_anonymous


@pytest.mark.parametrize("markdown", ["", "   \n\t"])
def test_blank_answer_is_rejected_before_sending(
    staff: EdStemClient, sandbox: Sandbox, markdown: str
) -> None:
    thread_id = _unanswered_question(staff, sandbox)
    before = len(sandbox.requests)
    with pytest.raises(InvalidArgumentError):
        staff.threads.post_answer(thread_id=thread_id, markdown=markdown)
    assert len(sandbox.requests) == before


def test_dropped_answer_sent_once_then_found(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _unanswered_question(staff, sandbox)
    sandbox.faults.add(
        method="POST",
        path="/threads/{thread_id}/comments",
        kind="drop_after_commit",
        times=1,
    )
    with pytest.raises(WriteOutcomeUnknownError) as caught:
        staff.threads.post_answer(thread_id=thread_id, markdown="Exactly once, please.")
    posts = [r for r in sandbox.requests if r.method == "POST"]
    assert len(posts) == 1
    found = staff.check_write(caught.value)
    assert found is not None
    thread = staff.threads.get(thread_id)
    matching = [a for a in thread.answers if "Exactly once" in (a.content or "")]
    assert len(matching) == 1
    assert found.id == matching[0].id


def test_dropped_before_commit_checks_to_none(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _unanswered_question(staff, sandbox)
    sandbox.faults.add(
        method="POST", path="/threads/{thread_id}/comments", kind="drop", times=1
    )
    with pytest.raises(WriteOutcomeUnknownError) as caught:
        staff.threads.post_answer(thread_id=thread_id, markdown="Never stored")
    assert staff.check_write(caught.value) is None
    thread = staff.threads.get(thread_id)
    assert not [a for a in thread.answers if "Never stored" in (a.content or "")]


async def test_async_post_answer(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    thread = None
    async for item in async_staff.threads.iter_all(
        sandbox.demo_course_id, filter="unanswered"
    ):
        thread = item
        break
    assert thread is not None
    posted = await async_staff.threads.post_answer(
        thread_id=thread.id, markdown="async *answer*"
    )
    detail = await async_staff.threads.get(thread.id)
    assert posted.id in {a.id for a in detail.answers}
