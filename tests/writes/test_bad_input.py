"""Bad input to discussion writes fails before any write and changes nothing.

Each test runs against the sandbox over loopback and compares the sandbox's
state and request log before and after the rejected call.
"""

from __future__ import annotations

from typing import Any

import pytest

from pyedstem import EdStemClient, InvalidArgumentError
from pyedstem.testing import Sandbox

DOC = '<document version="2.0"><paragraph>Where is lab 3?</paragraph></document>'
DEMO_CATEGORIES = (
    "'General', 'Lectures', 'Assignments', 'Labs', 'Exams', 'Admin', 'Social'"
)


def _thread_fields(sandbox: Sandbox, thread_id: int) -> dict[str, Any]:
    thread = sandbox.state.threads[thread_id]
    names = ("title", "type", "category", "subcategory", "content_text")
    fields = {name: getattr(thread, name) for name in names}
    fields.update(is_locked=thread.is_locked, updated_at=thread.updated_at)
    return fields


def _question(student: EdStemClient, sandbox: Sandbox) -> int:
    thread = student.threads.create(
        sandbox.demo_course_id,
        title="Lab 3 location",
        document=DOC,
        type="question",
        category="Labs",
    )
    return thread.id


def _new_requests(sandbox: Sandbox, logged: int) -> list[tuple[str, str | None]]:
    return [(r.method, r.template) for r in sandbox.requests.snapshot()[logged:]]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"title": "   "}, "title must not be blank"),
        ({"title": ""}, "title must not be blank"),
        ({"type": "poll"}, "type must be one of post, question, announcement"),
        ({"document": "   "}, "The post is empty"),
    ],
)
def test_create_rejects_without_request(
    student: EdStemClient, sandbox: Sandbox, arguments: dict[str, str], message: str
) -> None:
    course_id = sandbox.demo_course_id
    threads_before = len(sandbox.state.course_threads(course_id))
    logged = len(sandbox.requests)
    call: dict[str, Any] = {"title": "Lab 3", "document": DOC, "category": "Labs"}
    call.update(arguments)

    with pytest.raises(InvalidArgumentError, match=message):
        student.threads.create(course_id, **call)

    assert len(sandbox.requests) == logged
    assert len(sandbox.state.course_threads(course_id)) == threads_before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"category": "Lecture"},
            f"Unknown category 'Lecture' in course {{course}}; the valid "
            f"categories are {DEMO_CATEGORIES}.",
        ),
        (
            {"category": "Lectures", "subcategory": "Week 13"},
            "Unknown subcategory 'Week 13' in category 'Lectures'; the valid "
            "subcategories are 'Week 1', 'Week 2',",
        ),
        (
            {"category": "Labs", "subcategory": "Lab 1"},
            "Unknown subcategory 'Lab 1': category 'Labs' has no subcategories.",
        ),
        (
            {"subcategory": "A1"},
            "subcategory='A1' needs a category",
        ),
    ],
)
def test_create_rejects_unknown_category(
    student: EdStemClient, sandbox: Sandbox, arguments: dict[str, str], message: str
) -> None:
    course_id = sandbox.demo_course_id
    threads_before = len(sandbox.state.course_threads(course_id))
    logged = len(sandbox.requests)
    call: dict[str, Any] = {"title": "Lab 3", "document": DOC, "category": ""}
    call.update(arguments)

    with pytest.raises(InvalidArgumentError) as caught:
        student.threads.create(course_id, **call)

    assert str(caught.value).startswith(message.format(course=course_id))
    assert len(sandbox.state.course_threads(course_id)) == threads_before
    sent = _new_requests(sandbox, logged)
    assert all(method == "GET" for method, _ in sent)
    assert len(sent) <= 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"title": " "}, "title must not be blank"),
        ({"type": "poll"}, "type must be one of"),
        ({"markdown": ""}, "The post is empty"),
        ({}, "Nothing to update"),
    ],
)
def test_update_rejects_without_request(
    staff: EdStemClient,
    student: EdStemClient,
    sandbox: Sandbox,
    arguments: dict[str, str],
    message: str,
) -> None:
    thread_id = _question(student, sandbox)
    before = _thread_fields(sandbox, thread_id)
    logged = len(sandbox.requests)

    with pytest.raises(InvalidArgumentError, match=message):
        staff.threads.update(thread_id, **arguments)  # type: ignore[arg-type]

    assert len(sandbox.requests) == logged
    assert _thread_fields(sandbox, thread_id) == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"category": "Lecture"}, "Unknown category 'Lecture' in course"),
        (
            {"category": "Lectures", "subcategory": "Week 13"},
            "Unknown subcategory 'Week 13' in category 'Lectures'",
        ),
        (
            {"category": "Assignments"},
            "Unknown subcategory 'Week 3' in category 'Assignments'",
        ),
        ({"subcategory": "A1"}, "Unknown subcategory 'A1' in category 'Lectures'"),
    ],
)
def test_update_rejects_unknown_category(
    staff: EdStemClient,
    student: EdStemClient,
    sandbox: Sandbox,
    arguments: dict[str, str],
    message: str,
) -> None:
    thread = student.threads.create(
        sandbox.demo_course_id,
        title="Week 3 lecture",
        document=DOC,
        category="Lectures",
        subcategory="Week 3",
    )
    before = _thread_fields(sandbox, thread.id)
    logged = len(sandbox.requests)

    with pytest.raises(InvalidArgumentError, match=message):
        staff.threads.update(thread.id, title="Moved", **arguments)

    assert _thread_fields(sandbox, thread.id) == before
    assert _new_requests(sandbox, logged) == [
        ("GET", "/threads/{thread_id}"),
        ("GET", "/courses/{course_id}"),
    ]


def test_locked_bad_category_stays_locked(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    staff.threads.lock(thread_id)
    before = _thread_fields(sandbox, thread_id)
    logged = len(sandbox.requests)

    with pytest.raises(InvalidArgumentError, match="Unknown category 'Lab'"):
        staff.threads.update(thread_id, category="Lab", unlock=True)

    assert _thread_fields(sandbox, thread_id) == before
    assert before["is_locked"] is True
    assert all(method == "GET" for method, _ in _new_requests(sandbox, logged))


def test_reply_in_other_thread_rejected(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    first = _question(student, sandbox)
    second = _question(student, sandbox)
    comment = staff.threads.post_comment(first, document=DOC)
    comments_before = len(sandbox.state.comments)
    logged = len(sandbox.requests)

    with pytest.raises(InvalidArgumentError) as caught:
        student.comments.reply(comment.id, thread_id=second, document=DOC)

    assert str(caught.value) == (
        f"Comment {comment.id} is not in thread {second}, and Ed would file the "
        "reply anyway. Pass the thread that contains the comment."
    )
    assert _new_requests(sandbox, logged) == [("GET", "/threads/{thread_id}")]
    assert len(sandbox.state.comments) == comments_before
    assert sandbox.state.comments[comment.id].comments == []
    assert sandbox.state.threads[second].comments == []
