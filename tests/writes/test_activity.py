"""User activity over loopback, paged through Ed's cap of 50 items a request."""

from __future__ import annotations

import pytest

from pyedstem import AsyncEdStemClient, EdStemClient, InvalidArgumentError
from pyedstem.testing import Sandbox

DOC = '<document version="2.0"><paragraph>Notes</paragraph></document>'
ROUTE = "/users/{user_id}/profile/activity"


def _add_threads(sandbox: Sandbox, user_id: int, count: int) -> None:
    for number in range(count):
        sandbox.state.create_thread(
            user_id,
            sandbox.demo_course_id,
            {
                "type": "post",
                "title": f"Week notes {number}",
                "category": "General",
                "content": DOC,
                "document": "Notes",
            },
        )


def _expected_thread_ids(sandbox: Sandbox, user_id: int) -> set[int]:
    return {
        thread.id
        for thread in sandbox.state.course_threads(sandbox.demo_course_id)
        if thread.user_id == user_id and not thread.is_anonymous
    }


def _pages(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [
        (record.params["limit"][0], record.params["offset"][0])
        for record in sandbox.requests.find("GET", template=ROUTE)
    ]


def test_iter_activity_pages_through_all(staff: EdStemClient, sandbox: Sandbox) -> None:
    user_id = sandbox.users["student"]
    _add_threads(sandbox, user_id, 120)
    expected = _expected_thread_ids(sandbox, user_id)

    items = list(
        staff.user.iter_activity(
            user_id, course_id=sandbox.demo_course_id, filter_by="thread"
        )
    )

    ids = [item["value"]["id"] for item in items]
    assert len(ids) == len(expected)
    assert set(ids) == expected
    assert all(item["type"] == "thread" for item in items)
    pages = _pages(sandbox)
    assert all(limit == "50" for limit, _ in pages)
    assert [int(offset) for _, offset in pages] == list(range(0, 50 * len(pages), 50))
    assert len(pages) == len(expected) // 50 + 1


def test_get_activity_stops_at_limit(staff: EdStemClient, sandbox: Sandbox) -> None:
    user_id = sandbox.users["student"]
    _add_threads(sandbox, user_id, 80)

    items = staff.user.get_activity(
        user_id, course_id=sandbox.demo_course_id, limit=70, filter_by="thread"
    )

    assert len(items) == 70
    assert len({item["value"]["id"] for item in items}) == 70
    assert _pages(sandbox) == [("50", "0"), ("20", "50")]


async def test_async_get_activity_pages(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    user_id = sandbox.users["student"]
    _add_threads(sandbox, user_id, 60)
    expected = _expected_thread_ids(sandbox, user_id)

    items = await async_staff.user.get_activity(
        user_id, course_id=sandbox.demo_course_id, limit=500, filter_by="thread"
    )

    assert {item["value"]["id"] for item in items} == expected
    assert len(_pages(sandbox)) == len(expected) // 50 + 1


def test_activity_bad_filter_unsent(staff: EdStemClient, sandbox: Sandbox) -> None:
    logged = len(sandbox.requests)

    with pytest.raises(InvalidArgumentError, match="Unknown activity filter 'posts'"):
        staff.user.get_activity(
            sandbox.users["student"],
            course_id=sandbox.demo_course_id,
            limit=10,
            filter_by="posts",
        )

    assert len(sandbox.requests) == logged
