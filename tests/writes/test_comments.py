"""Comment writes: top-level comments, replies, edits and comment actions."""

from __future__ import annotations

import httpx
import pytest

from pyedstem import EdStemClient, InvalidArgumentError, WriteOutcomeUnknownError

from .conftest import ME, FakeEd, comment_json, detail_reply, json_reply

DOC = '<document version="2.0"><paragraph>See the FAQ.</paragraph></document>'


def test_post_comment_sends_comment_type(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("POST /threads/11/comments", json_reply({"comment": comment_json(30)}, 201))

    posted = client.threads.post_comment(11, document=DOC, is_private=True)

    assert posted.id == 30
    assert ed.body() == {
        "comment": {
            "type": "comment",
            "content": DOC,
            "is_private": True,
            "is_anonymous": False,
        }
    }


def test_reply_checks_thread_then_posts(ed: FakeEd, client: EdStemClient) -> None:
    answer = comment_json(5, type="answer", comments=[comment_json(8, parent_id=5)])
    ed.on("GET /threads/11", detail_reply(answers=[answer]))
    ed.on("POST /comments/8/comments", json_reply({"comment": comment_json(31)}))

    reply = client.comments.reply(8, thread_id=11, document=DOC)

    assert reply.id == 31
    assert ed.sent() == ["GET /threads/11", "POST /comments/8/comments"]
    assert ed.body()["comment"]["type"] == "comment"
    assert ed.body()["comment"]["content"] == DOC


def test_reply_outside_thread_is_rejected(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /threads/11", detail_reply(comments=[comment_json(6)]))

    with pytest.raises(InvalidArgumentError, match="not in thread 11"):
        client.comments.reply(99, thread_id=11, document=DOC)

    assert ed.sent("POST") == []


def test_reply_blank_is_rejected_unsent(ed: FakeEd, client: EdStemClient) -> None:
    with pytest.raises(InvalidArgumentError, match="empty"):
        client.comments.reply(8, thread_id=11, document="  ")
    assert ed.requests == []


def test_reply_unknown_outcome_finds_reply(ed: FakeEd, client: EdStemClient) -> None:
    before = comment_json(5, type="answer")
    after = comment_json(
        5,
        type="answer",
        comments=[
            comment_json(40, parent_id=9, content=DOC),
            comment_json(41, parent_id=5, content=DOC),
        ],
    )
    ed.on(
        "GET /threads/11", detail_reply(answers=[before]), detail_reply(answers=[after])
    )
    ed.on("POST /comments/5/comments", httpx.ReadError("reset"))
    ed.on("GET /user", ME)

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        client.comments.reply(5, thread_id=11, document=DOC)
    found = client.check_write(caught.value)

    assert found.id == 41
    assert ed.sent("POST") == ["POST /comments/5/comments"]


def test_update_sends_content_and_given_flags(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("PUT /comments/30", json_reply({"comment": comment_json(30, content=DOC)}))

    updated = client.comments.update(30, document=DOC, is_anonymous=True)

    assert updated.content == DOC
    assert ed.body() == {"comment": {"content": DOC, "is_anonymous": True}}


def test_update_needs_a_body(ed: FakeEd, client: EdStemClient) -> None:
    with pytest.raises(InvalidArgumentError, match="markdown= or document="):
        client.comments.update(30, is_private=True)
    assert ed.requests == []


@pytest.mark.parametrize(
    "action", ["endorse", "unendorse", "resolve", "unresolve", "upvote", "unvote"]
)
def test_comment_action_posts_route(
    ed: FakeEd, client: EdStemClient, action: str
) -> None:
    ed.on(f"POST /comments/30/{action}", httpx.Response(204))

    getattr(client.comments, action)(30)

    assert ed.sent() == [f"POST /comments/30/{action}"]


async def test_async_reply_checks_thread(ed: FakeEd, async_client: object) -> None:
    ed.on("GET /threads/11", detail_reply(comments=[comment_json(6)]))
    ed.on("POST /comments/6/comments", json_reply({"comment": comment_json(32)}))

    reply = await async_client.comments.reply(6, thread_id=11, document=DOC)  # type: ignore[attr-defined]

    assert reply.id == 32
