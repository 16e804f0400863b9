"""Thread and comment writes over loopback, checked in the sandbox's state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem.testing import Sandbox
from pyedstem.testing.world import Comment, Thread

DOC = '<document version="2.0"><paragraph>Where is lab 3?</paragraph></document>'
REPLY = '<document version="2.0"><paragraph>Room B12.</paragraph></document>'


def _stored(sandbox: Sandbox, thread_id: int) -> Thread:
    return sandbox.state.threads[thread_id]


def _comment(sandbox: Sandbox, comment_id: int) -> Comment:
    return sandbox.state.comments[comment_id]


def _question(student: EdStemClient, sandbox: Sandbox) -> int:
    thread = student.threads.create(
        sandbox.demo_course_id,
        title="Lab 3 location",
        document=DOC,
        type="question",
        category="Labs",
    )
    return thread.id


@pytest.mark.parametrize(
    ("role", "fields"),
    [
        (
            "student",
            {
                "type": "question",
                "category": "Lectures",
                "subcategory": "Week 3",
                "is_anonymous": True,
            },
        ),
        (
            "student",
            {
                "type": "post",
                "category": "General",
                "is_private": True,
                "anonymous_comments": True,
            },
        ),
        (
            "staff",
            {
                "type": "announcement",
                "category": "Admin",
                "is_pinned": True,
                "is_megathread": True,
            },
        ),
    ],
)
def test_create_stores_thread(
    request: pytest.FixtureRequest,
    sandbox: Sandbox,
    role: str,
    fields: dict[str, Any],
) -> None:
    client: EdStemClient = request.getfixturevalue(role)
    threads_before = len(sandbox.state.threads)

    created = client.threads.create(
        sandbox.demo_course_id, title="Week 3 lab", document=DOC, **fields
    )

    stored = _stored(sandbox, created.id)
    assert len(sandbox.state.threads) == threads_before + 1
    assert stored.course_id == sandbox.demo_course_id
    assert stored.user_id == sandbox.users[role]
    assert stored.title == "Week 3 lab"
    assert stored.content_text == DOC
    assert stored.subcategory == fields.get("subcategory", "")
    for name, value in fields.items():
        assert getattr(stored, name) == value, name
    flags = ("is_private", "is_anonymous", "is_megathread", "anonymous_comments")
    for flag in flags:
        assert getattr(stored, flag) is fields.get(flag, False), flag


def test_create_converts_markdown(student: EdStemClient, sandbox: Sandbox) -> None:
    created = student.threads.create(
        sandbox.demo_course_id,
        title="Room question",
        markdown="Is it room **B12**?",
        category="General",
    )

    content = _stored(sandbox, created.id).content_text or ""
    assert content.startswith("<document")
    assert "<bold>B12</bold>" in content


async def test_async_create_stores_thread(
    async_staff: AsyncEdStemClient, sandbox: Sandbox
) -> None:
    created = await async_staff.threads.create(
        sandbox.demo_course_id,
        title="Exam room",
        document=DOC,
        type="announcement",
        category="Exams",
        subcategory="Final",
    )

    stored = _stored(sandbox, created.id)
    assert stored.type == "announcement"
    assert stored.category == "Exams"
    assert stored.subcategory == "Final"
    assert stored.user_id == sandbox.users["staff"]


def test_update_changes_given_fields(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)

    staff.threads.update(
        thread_id,
        title="Lab 3 room",
        category="Lectures",
        subcategory="Week 4",
        is_private=True,
    )

    stored = _stored(sandbox, thread_id)
    assert stored.title == "Lab 3 room"
    assert stored.category == "Lectures"
    assert stored.subcategory == "Week 4"
    assert stored.is_private is True
    assert stored.type == "question"
    assert stored.content_text == DOC
    assert stored.is_anonymous is False
    assert stored.editor_id == sandbox.users["staff"]


def test_update_replaces_body(student: EdStemClient, sandbox: Sandbox) -> None:
    thread_id = _question(student, sandbox)

    student.threads.update(thread_id, markdown="Found it: room *B12*.")

    stored = _stored(sandbox, thread_id)
    assert "<italic>B12</italic>" in (stored.content_text or "")
    assert stored.title == "Lab 3 location"


async def test_async_update_changes_type(
    async_staff: AsyncEdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)

    await async_staff.threads.update(thread_id, type="post")

    stored = _stored(sandbox, thread_id)
    assert stored.type == "post"
    assert stored.title == "Lab 3 location"


StateCheck = Callable[[Thread, int], bool]

# Each pair of actions sets a state and clears it again; the check reads the
# state for the acting user.
ACTION_PAIRS: list[tuple[str, str, StateCheck]] = [
    ("lock", "unlock", lambda thread, user: thread.is_locked),
    ("pin", "unpin", lambda thread, user: thread.is_pinned),
    ("endorse", "unendorse", lambda thread, user: thread.is_endorsed),
    ("star", "unstar", lambda thread, user: user in (thread.starred_by or set())),
    ("upvote", "unvote", lambda thread, user: user in (thread.voters or set())),
]


@pytest.mark.parametrize(
    ("action", "undo", "check"), ACTION_PAIRS, ids=[p[0] for p in ACTION_PAIRS]
)
def test_thread_action_pair_changes_state(
    staff: EdStemClient,
    student: EdStemClient,
    sandbox: Sandbox,
    action: str,
    undo: str,
    check: StateCheck,
) -> None:
    thread_id = _question(student, sandbox)
    stored = _stored(sandbox, thread_id)
    user = sandbox.users["staff"]
    before = check(stored, user)

    getattr(staff.threads, action)(thread_id)
    after_action = check(stored, user)
    getattr(staff.threads, undo)(thread_id)
    after_undo = check(stored, user)

    assert before is False
    assert after_action is True
    assert after_undo is False


def test_star_and_vote_counts(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    stored = _stored(sandbox, thread_id)

    staff.threads.star(thread_id)
    staff.threads.upvote(thread_id)
    student.threads.upvote(thread_id)

    assert stored.star_count == 1
    assert stored.vote_count == 2
    assert stored.voters == {sandbox.users["staff"], sandbox.users["student"]}


async def test_async_action_pairs_change_state(
    async_staff: AsyncEdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    stored = _stored(sandbox, thread_id)
    user = sandbox.users["staff"]

    for action, undo, check in ACTION_PAIRS:
        await getattr(async_staff.threads, action)(thread_id)
        assert check(stored, user) is True, action
        await getattr(async_staff.threads, undo)(thread_id)
        assert check(stored, user) is False, undo


def test_mark_duplicate_stores_original(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    original = _question(student, sandbox)
    repeat = _question(student, sandbox)

    staff.threads.mark_duplicate(repeat, duplicate_of=original)

    assert _stored(sandbox, repeat).duplicate_id == original
    assert _stored(sandbox, original).duplicate_id is None


def test_accept_answer_stores_accepted_id(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    answer = staff.threads.post_answer(thread_id=thread_id, markdown="Room B12.")

    student.threads.accept_answer(thread_id, answer.id)

    assert _stored(sandbox, thread_id).accepted_id == answer.id
    accepts = sandbox.requests.find("POST", template="/comments/{comment_id}/accept")
    assert len(accepts) == 1


def test_accept_answer_falls_back_on_404(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    answer = staff.threads.post_answer(thread_id=thread_id, markdown="Room B12.")
    sandbox.faults.add(
        method="POST",
        path="/comments/{comment_id}/accept",
        kind="status",
        status=404,
        times=1,
    )

    staff.threads.accept_answer(thread_id, answer.id)

    assert _stored(sandbox, thread_id).accepted_id == answer.id
    fallback = sandbox.requests.find(
        "POST", template="/threads/{thread_id}/accept/{comment_id}"
    )
    assert [r.path for r in fallback] == [
        f"/api/threads/{thread_id}/accept/{answer.id}"
    ]


async def test_async_duplicate_and_accept(
    async_staff: AsyncEdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    original = _question(student, sandbox)
    thread_id = _question(student, sandbox)
    answer = await async_staff.threads.post_answer(
        thread_id=thread_id, markdown="Room B12."
    )

    await async_staff.threads.mark_duplicate(thread_id, duplicate_of=original)
    await async_staff.threads.accept_answer(thread_id, answer.id)

    stored = _stored(sandbox, thread_id)
    assert stored.duplicate_id == original
    assert stored.accepted_id == answer.id


def test_post_answer_and_comment_stored(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)

    answer = staff.threads.post_answer(thread_id=thread_id, markdown="Room B12.")
    comment = student.threads.post_comment(thread_id, document=REPLY, is_private=True)

    stored = _stored(sandbox, thread_id)
    assert [a.id for a in stored.answers] == [answer.id]
    assert [c.id for c in stored.comments] == [comment.id]
    assert stored.is_staff_answered is True
    assert _comment(sandbox, answer.id).type == "answer"
    assert _comment(sandbox, comment.id).type == "comment"
    assert _comment(sandbox, comment.id).is_private is True
    assert _comment(sandbox, comment.id).content_text == REPLY


async def test_async_post_comment_stored(
    async_staff: AsyncEdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)

    comment = await async_staff.threads.post_comment(thread_id, document=REPLY)

    stored = _comment(sandbox, comment.id)
    assert stored.thread_id == thread_id
    assert stored.user_id == sandbox.users["staff"]
    assert stored.parent_id is None


def test_reply_nests_under_parent(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    answer = staff.threads.post_answer(thread_id=thread_id, markdown="Room B12.")

    reply = student.comments.reply(answer.id, thread_id=thread_id, document=REPLY)

    stored = _comment(sandbox, reply.id)
    assert stored.parent_id == answer.id
    assert stored.thread_id == thread_id
    assert [c.id for c in _comment(sandbox, answer.id).comments] == [reply.id]


async def test_async_reply_nests_under_parent(
    async_staff: AsyncEdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    comment = student.threads.post_comment(thread_id, document=DOC)

    reply = await async_staff.comments.reply(
        comment.id, thread_id=thread_id, document=REPLY
    )

    assert _comment(sandbox, reply.id).parent_id == comment.id


def test_comment_update_replaces_body(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    comment = student.threads.post_comment(thread_id, document=DOC)

    staff.comments.update(comment.id, document=REPLY, is_private=True)

    stored = _comment(sandbox, comment.id)
    assert stored.content_text == REPLY
    assert stored.is_private is True
    assert stored.is_anonymous is False
    assert stored.editor_id == sandbox.users["staff"]


async def test_async_comment_update(
    async_staff: AsyncEdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    comment = student.threads.post_comment(thread_id, document=DOC)

    await async_staff.comments.update(comment.id, markdown="Room *B12*.")

    stored = _comment(sandbox, comment.id)
    assert "<italic>B12</italic>" in (stored.content_text or "")
    assert stored.editor_id == sandbox.users["staff"]


CommentCheck = Callable[[Comment, int], bool]

COMMENT_PAIRS: list[tuple[str, str, CommentCheck]] = [
    ("endorse", "unendorse", lambda comment, user: comment.is_endorsed),
    ("resolve", "unresolve", lambda comment, user: comment.is_resolved),
    ("upvote", "unvote", lambda comment, user: user in (comment.voters or set())),
]


@pytest.mark.parametrize(
    ("action", "undo", "check"), COMMENT_PAIRS, ids=[p[0] for p in COMMENT_PAIRS]
)
def test_comment_action_pair_changes_state(
    staff: EdStemClient,
    student: EdStemClient,
    sandbox: Sandbox,
    action: str,
    undo: str,
    check: CommentCheck,
) -> None:
    thread_id = _question(student, sandbox)
    # A student's comment starts unresolved; staff comments start resolved.
    comment = student.threads.post_comment(thread_id, document=DOC)
    stored = _comment(sandbox, comment.id)
    user = sandbox.users["staff"]
    before = check(stored, user)

    getattr(staff.comments, action)(comment.id)
    after_action = check(stored, user)
    getattr(staff.comments, undo)(comment.id)
    after_undo = check(stored, user)

    assert before is False
    assert after_action is True
    assert after_undo is False


async def test_async_comment_pairs_change_state(
    async_staff: AsyncEdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox)
    comment = student.threads.post_comment(thread_id, document=DOC)
    stored = _comment(sandbox, comment.id)
    user = sandbox.users["staff"]

    for action, undo, check in COMMENT_PAIRS:
        await getattr(async_staff.comments, action)(comment.id)
        assert check(stored, user) is True, action
        await getattr(async_staff.comments, undo)(comment.id)
        assert check(stored, user) is False, undo
