"""Thread creation and edits: request bodies, checks and unknown outcomes."""

from __future__ import annotations

import httpx
import pytest

from pyedstem import (
    EdStemClient,
    InvalidArgumentError,
    ValidationError,
    WriteOutcomeUnknownError,
)

from .conftest import (
    CATEGORIES,
    ME,
    FakeEd,
    course_reply,
    detail_reply,
    json_reply,
    thread_json,
)

DOC = '<document version="2.0"><paragraph>Lab 2 is out.</paragraph></document>'
NEW_DOC = '<document version="2.0"><paragraph>Edited.</paragraph></document>'


def test_create_sends_every_thread_field(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /courses/100", course_reply(CATEGORIES))
    ed.on("POST /courses/100/threads", json_reply({"thread": thread_json(55)}))

    thread = client.threads.create(
        100, title="Lab 2", document=DOC, type="announcement", category="Labs"
    )

    assert thread.id == 55
    assert ed.sent() == ["GET /courses/100", "POST /courses/100/threads"]
    assert ed.body() == {
        "thread": {
            "title": "Lab 2",
            "content": DOC,
            "type": "announcement",
            "category": "Labs",
            "subcategory": "",
            "subsubcategory": "",
            "is_pinned": False,
            "is_private": False,
            "is_anonymous": False,
            "is_megathread": False,
            "anonymous_comments": False,
        }
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"title": " ", "document": DOC}, "title must not be blank"),
        ({"title": "T", "document": DOC, "type": "poll"}, "type must be one of"),
        ({"title": "T"}, "exactly one of markdown= or document="),
        ({"title": "T", "document": DOC, "markdown": "x"}, "exactly one"),
        ({"title": "T", "document": "<p>hi</p>"}, "must be Ed XML"),
    ],
)
def test_create_rejects_bad_input_unsent(
    ed: FakeEd, client: EdStemClient, arguments: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        client.threads.create(100, **arguments)  # type: ignore[arg-type]
    assert ed.requests == []


def test_create_unknown_outcome_finds_thread(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("POST /courses/100/threads", httpx.ReadError("connection reset"))
    ed.on("GET /user", ME)
    listed = [
        thread_json(60, title="Lab 2", content=DOC, user_id=8),
        thread_json(61, title="Lab 2", content=DOC, user_id=7),
        thread_json(62, title="Other", content=DOC, user_id=7),
    ]
    ed.on("GET /courses/100/threads", json_reply({"threads": listed, "users": []}))

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        client.threads.create(100, title="Lab 2", document=DOC)
    found = client.check_write(caught.value)

    assert ed.sent("POST") == ["POST /courses/100/threads"]
    assert found.id == 61


def test_create_unknown_outcome_none_when_absent(
    ed: FakeEd, client: EdStemClient
) -> None:
    ed.on("POST /courses/100/threads", httpx.ReadError("connection reset"))
    ed.on("GET /user", ME)
    ed.on("GET /courses/100/threads", json_reply({"threads": [], "users": []}))

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        client.threads.create(100, title="Lab 2", document=DOC)

    assert client.check_write(caught.value) is None


def test_update_merges_into_whole_thread(ed: FakeEd, client: EdStemClient) -> None:
    current = thread_json(11, answers=[{"id": 3}], is_private=True)
    ed.on("GET /threads/11", json_reply({"thread": current, "users": []}))
    ed.on(
        "PUT /threads/11",
        json_reply({"status": "ok", "thread": thread_json(11, title="New title")}),
    )

    thread = client.threads.update(11, title="New title", document=NEW_DOC)

    sent = ed.body()["thread"]
    assert thread.title == "New title"
    assert ed.sent() == ["GET /threads/11", "PUT /threads/11"]
    assert sent["title"] == "New title"
    assert sent["content"] == NEW_DOC
    assert sent["is_private"] is True
    assert sent["category"] == "General"
    assert "answers" not in sent
    assert "comments" not in sent


def test_update_without_changes_is_rejected(ed: FakeEd, client: EdStemClient) -> None:
    with pytest.raises(InvalidArgumentError, match="Nothing to update"):
        client.threads.update(11)
    assert ed.requests == []


def test_update_locked_thread_needs_unlock(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /threads/11", detail_reply(is_locked=True))

    with pytest.raises(InvalidArgumentError, match="unlock=True"):
        client.threads.update(11, title="New title")

    assert ed.sent() == ["GET /threads/11"]


def test_update_unlock_relocks_after_edit(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /threads/11", detail_reply(is_locked=True))
    ed.on("POST /threads/11/unlock", httpx.Response(200))
    ed.on("PUT /threads/11", json_reply({"thread": thread_json(11, title="N")}))
    ed.on("POST /threads/11/lock", httpx.Response(200))

    client.threads.update(11, title="N", unlock=True)

    assert ed.sent() == [
        "GET /threads/11",
        "POST /threads/11/unlock",
        "PUT /threads/11",
        "POST /threads/11/lock",
    ]


def test_update_unlock_relocks_after_failure(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /threads/11", detail_reply(is_locked=True))
    ed.on("POST /threads/11/unlock", httpx.Response(200))
    ed.on("PUT /threads/11", json_reply({"code": "bad", "message": "no"}, 400))
    ed.on("POST /threads/11/lock", httpx.Response(200))

    with pytest.raises(ValidationError):
        client.threads.update(11, title="N", unlock=True)

    assert ed.sent()[-1] == "POST /threads/11/lock"


def test_update_unknown_outcome_compares_fields(
    ed: FakeEd, client: EdStemClient
) -> None:
    ed.on(
        "GET /threads/11",
        detail_reply(),
        detail_reply(title="New title"),
        detail_reply(),
    )
    ed.on("PUT /threads/11", httpx.WriteTimeout("timed out"))

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        client.threads.update(11, title="New title")
    landed = client.check_write(caught.value)
    missing = client.check_write(caught.value)

    assert landed.title == "New title"
    assert missing is None
    assert ed.sent("PUT") == ["PUT /threads/11"]


async def test_async_update_matches_sync(ed: FakeEd, async_client: object) -> None:
    ed.on("GET /threads/11", detail_reply())
    ed.on("PUT /threads/11", json_reply({"thread": thread_json(11, type="post")}))

    thread = await async_client.threads.update(11, type="post")  # type: ignore[attr-defined]

    assert thread.type == "post"
    assert ed.body()["thread"]["type"] == "post"
