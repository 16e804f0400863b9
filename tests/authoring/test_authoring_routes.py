"""Request bodies of lesson, slide and challenge writes, over a mock transport.

`test_authoring_state` runs the same methods against the sandbox over loopback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs

import httpx
import pytest

from pyedstem import EdStemClient, InvalidArgumentError

from ..writes.conftest import BASE_URL, TOKEN, FakeEd, json_reply

SLIDE = {"id": 9, "lesson_id": 3, "type": "document", "title": "", "content": ""}


@pytest.fixture
def ed() -> FakeEd:
    return FakeEd()


@pytest.fixture
def client(ed: FakeEd) -> Iterator[EdStemClient]:
    http = httpx.Client(transport=httpx.MockTransport(ed))
    with EdStemClient(TOKEN, base_url=BASE_URL, http_client=http) as c:
        yield c
    http.close()


def _form(request: httpx.Request) -> dict[str, object]:
    fields = parse_qs(request.content.decode())
    return json.loads(fields["slide"][0])  # type: ignore[no-any-return]


def test_create_lesson_then_sets_title(ed: FakeEd, client: EdStemClient) -> None:
    untitled = {"id": 3, "title": "Untitled Lesson", "is_hidden": True}
    ed.on("POST /courses/100/lessons", json_reply({"lesson": untitled}))
    ed.on("GET /lessons/3", json_reply({"lesson": {**untitled, "slides": []}}))
    ed.on("PUT /lessons/3", json_reply({"lesson": {**untitled, "title": "Week 4"}}))

    lesson = client.lessons.create(100, title="Week 4", module_id=12)

    assert lesson.title == "Week 4"
    assert ed.sent() == [
        "POST /courses/100/lessons",
        "GET /lessons/3",
        "PUT /lessons/3",
    ]
    put = ed.body()["lesson"]
    assert put["title"] == "Week 4"
    assert put["module_id"] == 12
    assert put["is_hidden"] is True
    assert "slides" not in put


def test_create_slide_copy_uses_clone(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("POST /lessons/slides/5/clone", json_reply({"slide": SLIDE}))

    slide = client.lessons.create_slide(3, copy_of=5, is_hidden=True)

    assert slide.id == 9
    assert ed.body() == {"lesson_id": 3, "is_hidden": True}


def test_create_slide_new_then_titles(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("POST /lessons/3/slides", json_reply({"slide": SLIDE}))
    ed.on("GET /lessons/slides/9", json_reply({"slide": SLIDE}))
    ed.on("PUT /lessons/slides/9", json_reply({"slide": {**SLIDE, "title": "Quiz"}}))

    slide = client.lessons.create_slide(3, type="quiz", title="Quiz")

    assert slide.title == "Quiz"
    assert _form(ed.requests[0]) == {"type": "quiz", "is_hidden": False}
    assert _form(ed.requests[2])["title"] == "Quiz"
    assert _form(ed.requests[2])["lesson_id"] == 3


def test_create_slide_needs_one_source(ed: FakeEd, client: EdStemClient) -> None:
    with pytest.raises(InvalidArgumentError, match="exactly one of type="):
        client.lessons.create_slide(3, type="quiz", copy_of=5)
    with pytest.raises(InvalidArgumentError, match="exactly one of type="):
        client.lessons.create_slide(3)
    assert ed.requests == []


def test_delete_slide_sends_delete(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("DELETE /lessons/slides/9", httpx.Response(204))

    client.lessons.delete_slide(9)

    assert ed.sent() == ["DELETE /lessons/slides/9"]


def test_submit_all_posts_route(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("POST /challenges/4/submit_all", httpx.Response(200))

    client.challenges.submit_all(4)

    assert ed.sent() == ["POST /challenges/4/submit_all"]
