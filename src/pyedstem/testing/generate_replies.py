"""Lazily built answers and comments of generated threads.

Planning and creating replies is the slowest part of generating a large
course, so a generated thread keeps only a reply seed and the first id of its
block of reply ids (:data:`REPLY_ID_BLOCK` ids, more than a plan can use).
:meth:`CourseReplies.plan` turns the seed into a list of :class:`ReplyNode`
tuples. :meth:`CourseReplies.counters` plans a thread the first time one of
its counters is read, and :meth:`CourseReplies.build` plans it again to
create the :class:`Comment` objects the first time its replies are read. Both
runs draw the same numbers, so the objects always agree with the counters.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pyedstem.testing._text import TOPICS
from pyedstem.testing._time import MICROS_PER_SECOND
from pyedstem.testing.world import Comment, Enrollment, Thread

DAY = 86_400 * MICROS_PER_SECOND
MINUTE = 60 * MICROS_PER_SECOND

_MASK = (1 << 64) - 1

REPLY_ID_BLOCK = 32
"""Reply ids reserved per generated thread; a plan has at most 30 replies."""
_ANSWER_COUNTS = (1, 1, 1, 2, 2, 3, 1, 2)
_COMMENT_COUNTS = (0, 0, 1, 1, 2, 3, 0, 1)
_NESTED_COUNTS = (0, 0, 0, 1, 1, 2, 0, 1)
_VOTES = (0, 0, 1, 1, 2, 4, 0, 1)


class Draws:
    """Cheap, reproducible 64-bit random words derived from one seed.

    Word ``k`` is the hash of ``(seed, k)``. Python does not randomise the
    hashes of integers and tuples, so the words are the same in every run of
    one Python version. ``random.Random`` would take microseconds to seed for
    each of 100,000 threads.
    """

    __slots__ = ("count", "seed")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.count = 0

    def next(self) -> int:
        """Return the next 64-bit word."""
        self.count += 1
        return hash((self.seed, self.count)) & _MASK


class ReplyNode(NamedTuple):
    """One planned answer or comment; ``parent`` indexes the plan (-1: top level)."""

    parent: int
    kind: str
    author: int
    created_at: int
    by_staff: bool
    anonymous: bool
    endorsed: bool
    resolved: bool
    votes: int
    body_seed: int


class CourseReplies:
    """Plans and builds the replies of one course's generated threads.

    Args:
        staff: Ids of users with staff roles who may reply.
        students: Ids of the other users who may reply.
        allow_anonymous: Whether students may reply anonymously.
        now: The world's reference time; no reply is later than it.
    """

    def __init__(
        self,
        staff: list[int],
        students: list[int],
        allow_anonymous: bool,
        now: int,
    ) -> None:
        self.staff = tuple(staff)
        self.students = tuple(students)
        self.allow_anonymous = allow_anonymous
        self.now = now

    def _node(
        self, rng: Draws, thread: Thread, parent: int, kind: str, start: int
    ) -> ReplyNode:
        bits = rng.next()
        by_staff = bits & 0xFF < (140 if kind == "answer" else 64)
        people = self.staff if by_staff else self.students
        created = start + MINUTE + (bits >> 20) % (3 * DAY)
        flags = (bits >> 16) & 0xF
        return ReplyNode(
            parent=parent,
            kind=kind,
            author=people[(bits >> 8) % len(people)],
            created_at=min(created, self.now - MINUTE),
            by_staff=by_staff,
            anonymous=self.allow_anonymous and not by_staff and (bits >> 50) & 0xF < 2,
            endorsed=kind == "answer" and not by_staff and flags < 3,
            resolved=kind == "comment" and (by_staff or flags < 12),
            votes=_VOTES[(bits >> 54) & 7],
            body_seed=(1 + (bits >> 8) % 9973) * len(TOPICS)
            + thread.body_seed % len(TOPICS),
        )

    def plan(self, thread: Thread) -> list[ReplyNode]:
        """Return the thread's replies as planned from its seed.

        Questions are answered less often when they are under five days old,
        which leaves a visible set of unanswered questions.
        """
        rng = Draws(thread.reply_seed)
        shape = rng.next()
        nodes: list[ReplyNode] = []
        if thread.type == "question":
            recent = thread.created_at > self.now - 5 * DAY
            if shape & 0xFF < (115 if recent else 230):
                for _ in range(_ANSWER_COUNTS[(shape >> 8) & 7]):
                    nodes.append(
                        self._node(rng, thread, -1, "answer", thread.created_at)
                    )
        for _ in range(_COMMENT_COUNTS[(shape >> 11) & 7]):
            nodes.append(self._node(rng, thread, -1, "comment", thread.created_at))
        for parent in range(len(nodes)):
            nested = rng.next()
            start = nodes[parent].created_at
            for position in range(_NESTED_COUNTS[nested & 7]):
                reply = len(nodes)
                nodes.append(self._node(rng, thread, parent, "comment", start))
                if (nested >> (3 + 2 * position)) & 3 == 0:
                    deeper_start = nodes[reply].created_at
                    nodes.append(
                        self._node(rng, thread, reply, "comment", deeper_start)
                    )
        return nodes

    def counters(self, thread: Thread) -> dict[str, Any]:
        """Return the counters, accepted answer and activity times of a plan."""
        nodes = self.plan(thread)
        answers = [index for index, node in enumerate(nodes) if node.kind == "answer"]
        unresolved = 0
        if thread.type == "question":
            unresolved = sum(
                1
                for node in nodes
                if node.kind == "comment" and not node.resolved and not node.by_staff
            )
        choice = Draws(thread.reply_seed ^ 0x5DEECE66D).next()
        accepted = None
        if answers and choice & 0xFF < 100:
            accepted = thread.first_reply_id + answers[(choice >> 8) % len(answers)]
        last_activity: int = thread.created_at
        updated = None
        if nodes:
            horizon = min(self.now, thread.created_at + 10 * DAY)
            last_activity = min(max(node.created_at for node in nodes), horizon)
            updated = last_activity
        return {
            "reply_count": len(nodes),
            "unresolved_count": unresolved,
            "is_answered": bool(answers),
            "is_staff_answered": any(nodes[i].by_staff for i in answers),
            "is_student_answered": any(not nodes[i].by_staff for i in answers),
            "is_endorsed": any(nodes[i].endorsed for i in answers),
            "accepted_id": accepted,
            "updated_at": updated,
            "last_activity_at": last_activity,
        }

    def build(self, thread: Thread) -> None:
        """Create the thread's answers and comments from its plan."""
        nodes = self.plan(thread)
        made: list[Comment] = []
        first = thread.first_reply_id
        for index, node in enumerate(nodes):
            comment = Comment(
                id=first + index,
                thread_id=thread.id,
                course_id=thread.course_id,
                user_id=node.author,
                parent_id=None if node.parent < 0 else first + node.parent,
                type=node.kind,
                number=0,
                created_at=node.created_at,
                body_kind=node.kind,
                body_seed=node.body_seed,
                is_anonymous=node.anonymous,
                is_private=thread.is_private,
                is_endorsed=node.endorsed,
                is_resolved=node.resolved,
                vote_count=node.votes,
            )
            made.append(comment)
            if node.parent >= 0:
                made[node.parent].comments.append(comment)
            elif node.kind == "answer":
                thread.built_answers.append(comment)
            else:
                thread.built_comments.append(comment)
        _number_replies(thread, made)


def _by_time(comment: Comment) -> int:
    return comment.created_at


def _number_replies(thread: Thread, replies: list[Comment]) -> None:
    """Sort replies by time, number them from 2 and give anonymous authors pseudonyms.

    The thread itself is number 1 and its anonymous author, if any, pseudonym 1.
    """
    thread.built_answers.sort(key=_by_time)
    thread.built_comments.sort(key=_by_time)
    for reply in replies:
        reply.comments.sort(key=_by_time)
    pseudonyms = {thread.user_id: 1} if thread.is_anonymous else {}
    for number, reply in enumerate(sorted(replies, key=_by_time), start=2):
        reply.number = number
        if reply.is_anonymous:
            next_pseudonym = len(pseudonyms) + 1
            reply.anonymous_id = pseudonyms.setdefault(reply.user_id, next_pseudonym)


def walk(thread: Thread) -> list[Comment]:
    """Return every answer and comment of the thread at any depth."""
    found: list[Comment] = []
    stack = [*thread.answers, *thread.comments]
    while stack:
        comment = stack.pop()
        found.append(comment)
        stack.extend(comment.comments)
    return found


def update_counters(
    thread: Thread, enrollments: dict[tuple[int, int], Enrollment]
) -> None:
    """Recompute the counters Ed derives from a thread's replies.

    ``reply_count`` counts every live answer and comment at any depth.
    ``unresolved_count`` counts the live comments on a question that are
    neither resolved nor written by staff. ``is_answered`` is true when the
    question has a live answer, and ``is_staff_answered`` and
    ``is_student_answered`` say who wrote one.
    """
    replies = [reply for reply in walk(thread) if reply.deleted_at is None]
    thread.reply_count = len(replies)
    answers = [answer for answer in thread.answers if answer.deleted_at is None]

    def is_staff(user_id: int) -> bool:
        enrollment = enrollments.get((user_id, thread.course_id))
        return enrollment is not None and enrollment.is_staff

    thread.is_answered = bool(answers)
    thread.is_staff_answered = any(is_staff(a.user_id) for a in answers)
    thread.is_student_answered = any(not is_staff(a.user_id) for a in answers)
    thread.is_endorsed = thread.is_endorsed or any(a.is_endorsed for a in answers)
    if thread.type == "question":
        thread.unresolved_count = sum(
            1
            for reply in replies
            if reply.type == "comment"
            and not reply.is_resolved
            and not is_staff(reply.user_id)
        )
    else:
        thread.unresolved_count = 0
