"""Fixtures of the write tests: the sandbox Ed over loopback, and a routed fake.

The loopback fixtures live in `tests.writes.loopback`. The routed fake over
`httpx.MockTransport` replays the responses a test registers. A request to
any other route gets a 599 response that names it, so the test fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from pyedstem import AsyncEdStemClient, EdStemClient

# pytest registers the fixtures that a conftest imports.
from .loopback import (  # noqa: F401
    async_staff,
    sandbox,
    staff,
    student,
    tls_context,
)

BASE_URL = "https://ed.test/api"
STATIC_URL = "https://static.ed.test"
TOKEN = "abc123.WRITE-TESTS-TOKEN-0123456789abcdefghijklmnop"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def json_reply(body: Any, status: int = 200) -> httpx.Response:
    """Build a JSON response."""
    return httpx.Response(status, json=body)


class FakeEd:
    """Replays registered replies by ``"METHOD /path"`` and records requests."""

    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = {}
        self.requests: list[httpx.Request] = []

    def on(self, route: str, *replies: Reply) -> None:
        """Queue replies for a route such as ``"POST /threads/1/lock"``.

        The last reply repeats once the others are used up.
        """
        self.replies.setdefault(route, []).extend(replies)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/api")
        queue = self.replies.get(f"{request.method} {path}")
        if not queue:
            return httpx.Response(599, text=f"unexpected {request.method} {path}")
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, Exception):
            raise reply
        if callable(reply) and not isinstance(reply, httpx.Response):
            return reply(request)
        return reply

    def sent(self, method: str | None = None) -> list[str]:
        """Return ``"METHOD /path"`` of each request, optionally of one method."""
        return [
            f"{r.method} {r.url.path.removeprefix('/api')}"
            for r in self.requests
            if method is None or r.method == method
        ]

    def body(self, index: int = -1) -> Any:
        """Return the decoded JSON body of a recorded request."""
        return json.loads(self.requests[index].content)


@pytest.fixture
def ed() -> FakeEd:
    """A fresh fake Ed."""
    return FakeEd()


@pytest.fixture
def client(ed: FakeEd) -> Iterator[EdStemClient]:
    """A sync client whose requests go to the fake Ed."""
    http = httpx.Client(transport=httpx.MockTransport(ed))
    with EdStemClient(
        TOKEN, base_url=BASE_URL, http_client=http, static_base_url=STATIC_URL
    ) as c:
        yield c
    http.close()


@pytest.fixture
async def async_client(ed: FakeEd) -> Any:
    """An async client whose requests go to the fake Ed."""
    http = httpx.AsyncClient(transport=httpx.MockTransport(ed))
    async with AsyncEdStemClient(
        TOKEN, base_url=BASE_URL, http_client=http, static_base_url=STATIC_URL
    ) as c:
        yield c
    await http.aclose()


def thread_json(thread_id: int = 11, **fields: Any) -> dict[str, Any]:
    """Build a thread object as Ed returns it."""
    thread: dict[str, Any] = {
        "id": thread_id,
        "number": 4,
        "course_id": 100,
        "user_id": 7,
        "title": "Week 3 question",
        "type": "question",
        "category": "General",
        "subcategory": "",
        "subsubcategory": "",
        "content": '<document version="2.0"><paragraph>Hi</paragraph></document>',
        "is_locked": False,
        "is_pinned": False,
        "is_private": False,
        "is_anonymous": False,
        "created_at": "2025-03-01T10:00:00.000000+11:00",
        "answers": [],
        "comments": [],
    }
    thread.update(fields)
    return thread


def comment_json(comment_id: int, **fields: Any) -> dict[str, Any]:
    """Build an answer or comment object as Ed returns it."""
    comment: dict[str, Any] = {
        "id": comment_id,
        "thread_id": 11,
        "course_id": 100,
        "user_id": 7,
        "type": "comment",
        "parent_id": None,
        "content": '<document version="2.0"><paragraph>ok</paragraph></document>',
        "created_at": "2025-03-01T11:00:00.000000+11:00",
        "comments": [],
    }
    comment.update(fields)
    return comment


def detail_reply(**fields: Any) -> httpx.Response:
    """Build a ``GET /threads/{id}`` response."""
    return json_reply({"thread": thread_json(**fields), "users": []})


def course_reply(categories: Any) -> httpx.Response:
    """Build a ``GET /courses/{id}`` response with these discussion categories."""
    course = {
        "id": 100,
        "code": "COMP1010",
        "settings": {"discussion": {"categories": categories}},
    }
    return json_reply({"course": course})


# The recursive category shape of current course objects.
CATEGORIES = [
    {"name": "General", "subcategories": [], "thread_template": None},
    {
        "name": "Labs",
        "subcategories": [
            {"name": "Lab 1", "subcategories": [], "thread_template": None},
            {
                "name": "Lab 2",
                "subcategories": [{"name": "Part A", "subcategories": []}],
            },
        ],
        "thread_template": None,
    },
]


ME = json_reply({"user": {"id": 7, "name": "Staff A"}, "courses": [], "realms": []})
