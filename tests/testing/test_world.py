"""The world generator: determinism, mix of content, lazy replies and size."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from pyedstem.testing import Sandbox, World, generate_world
from pyedstem.testing._text import parse_document
from pyedstem.testing.generate_replies import update_counters
from pyedstem.testing.state import SandboxState
from pyedstem.testing.world import DEFERRED_COUNTERS, Comment, Thread

ROLES = ("admin", "staff", "tutor", "student", "student2", "outsider")


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(1)


def demo_threads(world: World) -> list[Thread]:
    return [t for t in world.threads.values() if t.course_id == world.demo_course_id]


def fingerprint(world: World) -> list[tuple[object, ...]]:
    return [
        (t.id, t.title, t.user_id, t.type, t.reply_count, t.is_answered, t.created_at)
        for t in world.threads.values()
    ]


def test_same_seed_same_world(world: World) -> None:
    again = generate_world(1)
    assert fingerprint(again) == fingerprint(world)
    assert again.named_tokens == world.named_tokens


def test_other_seed_other_world(world: World) -> None:
    other = generate_world(2)
    assert other.named_tokens != world.named_tokens
    assert fingerprint(other) != fingerprint(world)


def test_courses_and_roles(world: World) -> None:
    statuses = Counter(course.status for course in world.courses.values())
    assert statuses == {"active": 2, "archived": 1}
    assert set(world.named_tokens) == set(ROLES)
    assert set(world.named_users) == set(ROLES)
    assert 55 <= len(world.users) <= 65
    roles = {e.role for e in world.enrollments.values()}
    assert roles == {"admin", "staff", "tutor", "mentor", "student"}
    for user in world.users.values():
        assert user.email.endswith("@example.edu")
    outsider = world.named_users["outsider"]
    assert not any(user == outsider for user, _ in world.enrollments)


def test_token_shape(world: World) -> None:
    for token in world.named_tokens.values():
        head, _, tail = token.partition(".")
        assert len(head) == 6
        assert len(tail) == 40


def test_demo_course_mix(world: World) -> None:
    threads = demo_threads(world)
    assert len(threads) == 1500
    kinds = Counter(thread.type for thread in threads)
    assert set(kinds) == {"post", "question", "announcement"}
    live = [t for t in threads if t.deleted_at is None]
    unanswered = [t for t in live if t.type == "question" and not t.is_answered]
    staff_answered = [t for t in live if t.is_staff_answered]
    assert len(unanswered) >= 40
    assert staff_answered
    assert any(t.is_student_answered and not t.is_staff_answered for t in live)
    assert any(t.is_anonymous for t in threads)
    assert any(t.is_private for t in threads)
    assert 1 <= sum(t.deleted_at is not None for t in threads) <= 40
    assert any(t.is_pinned for t in threads)
    assert {t.category for t in threads} == {
        c.name for c in world.courses[world.demo_course_id].categories
    }


def test_bodies_are_ed_documents(world: World) -> None:
    tags: set[str] = set()
    for thread in demo_threads(world)[:300]:
        for item in [thread, *_replies(thread)]:
            root = parse_document(SandboxState.content_of(item))
            tags.update(element.tag for element in root.iter())
    expected = {"paragraph", "bold", "code", "snippet", "math", "list", "link"}
    assert expected <= tags
    assert {"image", "callout", "heading"} <= tags


def _replies(thread: Thread) -> list[Comment]:
    found: list[Comment] = []
    stack = [*thread.answers, *thread.comments]
    while stack:
        comment = stack.pop()
        found.append(comment)
        stack.extend(comment.comments)
    return found


def test_nested_replies_exist(world: World) -> None:
    depths = []
    for thread in demo_threads(world)[:400]:
        for answer in [*thread.answers, *thread.comments]:
            for reply in answer.comments:
                depths.append(2 + bool(reply.comments))
    assert 2 in depths
    assert 3 in depths


def test_lazy_counters_match_built_replies() -> None:
    world = generate_world(3, threads_per_course=400)
    for thread in list(world.threads.values())[:400]:
        planned = {name: getattr(thread, name) for name in DEFERRED_COUNTERS}
        update_counters(thread, world.enrollments)
        rebuilt = {name: getattr(thread, name) for name in DEFERRED_COUNTERS}
        assert rebuilt == planned, thread.id
        if thread.accepted_id is not None:
            assert thread.accepted_id in {answer.id for answer in thread.answers}


def test_assigned_counter_survives_lazy_fill() -> None:
    world = generate_world(4, threads_per_course=20)
    thread = next(iter(world.threads.values()))
    thread.accepted_id = 12345
    assert thread.reply_count >= 0
    assert thread.accepted_id == 12345


def test_reply_numbers_and_pseudonyms(world: World) -> None:
    for thread in demo_threads(world)[:200]:
        replies = _replies(thread)
        numbers = sorted(reply.number for reply in replies)
        assert numbers == list(range(2, 2 + len(replies)))


def test_comment_index_builds_on_lookup() -> None:
    sandbox = Sandbox(seed=5, threads_per_course=50)
    thread = next(
        t
        for t in sandbox.state.threads.values()
        if t.reply_count and not t.replies_built
    )
    comment_id = thread.first_reply_id
    assert not thread.replies_built
    comment = sandbox.state.comments[comment_id]
    assert comment.thread_id == thread.id
    assert thread.replies_built
    assert comment_id + 31 not in sandbox.state.comments


def test_negative_thread_count_rejected() -> None:
    with pytest.raises(ValueError, match="threads_per_course"):
        generate_world(1, threads_per_course=-1)


def test_small_world_keeps_courses() -> None:
    world = generate_world(1, threads_per_course=10)
    counts = Counter(thread.course_id for thread in world.threads.values())
    assert counts == dict.fromkeys(world.courses, 10)


@pytest.mark.slow
def test_hundred_thousand_threads_build_quickly() -> None:
    start = time.process_time()
    world = generate_world(1, threads_per_course=100_000)
    elapsed = time.process_time() - start
    assert len(demo_threads(world)) == 100_000
    # About 2.4 s of CPU on the development machine; the bound leaves room.
    assert elapsed < 10
    sandbox = Sandbox(world=world)
    headers = {"Authorization": f"Bearer {sandbox.tokens['staff']}"}
    path = f"/api/courses/{sandbox.demo_course_id}/threads"
    response = sandbox.handle("GET", path, query={"limit": "100"}, headers=headers)
    assert response.status == 200
