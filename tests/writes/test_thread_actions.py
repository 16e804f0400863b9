"""Thread actions: routes, accept-answer fallback, duplicates, unknown outcomes."""

from __future__ import annotations

import httpx
import pytest

from pyedstem import (
    EdStemClient,
    InvalidArgumentError,
    NotFoundError,
    WriteOutcomeUnknownError,
)

from .conftest import FakeEd, comment_json, detail_reply

ACTIONS = [
    "lock",
    "unlock",
    "pin",
    "unpin",
    "endorse",
    "unendorse",
    "star",
    "unstar",
    "upvote",
    "unvote",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_action_posts_its_route(ed: FakeEd, client: EdStemClient, action: str) -> None:
    ed.on(f"POST /threads/11/{action}", httpx.Response(204))

    result = getattr(client.threads, action)(11)

    assert result is None
    assert ed.sent() == [f"POST /threads/11/{action}"]
    assert ed.requests[0].content == b""


@pytest.mark.parametrize("thread_id", [0, -3, True, "11"])
def test_action_rejects_bad_id_unsent(
    ed: FakeEd, client: EdStemClient, thread_id: object
) -> None:
    with pytest.raises(InvalidArgumentError, match="thread_id"):
        client.threads.lock(thread_id)  # type: ignore[arg-type]
    assert ed.requests == []


def test_lock_unknown_outcome_reads_state(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("POST /threads/11/lock", httpx.ReadError("reset"))
    ed.on("GET /threads/11", detail_reply(is_locked=True), detail_reply())

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        client.threads.lock(11)
    locked = client.check_write(caught.value)
    unlocked = client.check_write(caught.value)

    assert locked.is_locked is True
    assert unlocked is None


def test_star_unknown_outcome_reads_viewer_state(
    ed: FakeEd, client: EdStemClient
) -> None:
    ed.on("POST /threads/11/star", httpx.ReadError("reset"))
    ed.on("GET /threads/11", detail_reply(is_starred=True))

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        client.threads.star(11)

    assert client.check_write(caught.value).is_starred is True


def test_accept_answer_uses_comment_route(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /threads/11", detail_reply(answers=[comment_json(5, type="answer")]))
    ed.on("POST /comments/5/accept", httpx.Response(200))

    client.threads.accept_answer(11, 5)

    assert ed.sent() == ["GET /threads/11", "POST /comments/5/accept"]


def test_accept_answer_falls_back_on_404(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /threads/11", detail_reply(answers=[comment_json(5, type="answer")]))
    ed.on("POST /comments/5/accept", httpx.Response(404, json={"code": "nf"}))
    ed.on("POST /threads/11/accept/5", httpx.Response(204))

    client.threads.accept_answer(11, 5)

    assert ed.sent("POST") == ["POST /comments/5/accept", "POST /threads/11/accept/5"]


def test_accept_answer_fallback_404_raises(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /threads/11", detail_reply(answers=[comment_json(5, type="answer")]))
    ed.on("POST /comments/5/accept", httpx.Response(404))
    ed.on("POST /threads/11/accept/5", httpx.Response(404))

    with pytest.raises(NotFoundError):
        client.threads.accept_answer(11, 5)


def test_accept_answer_rejects_comment(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /threads/11", detail_reply(comments=[comment_json(6)]))

    with pytest.raises(InvalidArgumentError, match="not an answer of thread 11"):
        client.threads.accept_answer(11, 6)

    assert ed.sent("POST") == []


def test_accept_unknown_outcome_reads_accepted_id(
    ed: FakeEd, client: EdStemClient
) -> None:
    answers = [comment_json(5, type="answer")]
    ed.on(
        "GET /threads/11",
        detail_reply(answers=answers),
        detail_reply(answers=answers, accepted_id=5),
    )
    ed.on("POST /comments/5/accept", httpx.ReadError("reset"))

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        client.threads.accept_answer(11, 5)

    assert client.check_write(caught.value).accepted_id == 5


def test_mark_duplicate_sends_original(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("POST /threads/11/mark_duplicate", httpx.Response(201))

    client.threads.mark_duplicate(11, duplicate_of=9)

    assert ed.body() == {"duplicate_id": 9}


def test_mark_duplicate_of_itself_rejected(ed: FakeEd, client: EdStemClient) -> None:
    with pytest.raises(InvalidArgumentError, match="cannot duplicate itself"):
        client.threads.mark_duplicate(11, duplicate_of=11)
    assert ed.requests == []


async def test_async_pin_posts_route(ed: FakeEd, async_client: object) -> None:
    ed.on("POST /threads/11/pin", httpx.Response(200))

    await async_client.threads.pin(11)  # type: ignore[attr-defined]

    assert ed.sent() == ["POST /threads/11/pin"]
