"""The live, inspectable state of a sandbox Ed and every change made to it.

:class:`SandboxState` wraps a :class:`~pyedstem.testing.world.World` with the
indexes the routes need (threads by course and number, comments by id,
uploaded files) and with the mutations the write routes perform. Every
mutation runs under :attr:`SandboxState.lock` and announces itself to the
registered listeners, which is how the live stream learns about new threads
and comments. Tests may read any attribute directly; they should take the lock
when a server is running.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pyedstem.testing._text import build_body
from pyedstem.testing._time import now_micros
from pyedstem.testing.generate_replies import update_counters, walk
from pyedstem.testing.world import (
    Comment,
    Course,
    Enrollment,
    Thread,
    UploadedFile,
    User,
    World,
)


@dataclass(frozen=True, slots=True)
class StateEvent:
    """A change that the live stream forwards to subscribed clients.

    Attributes:
        course_id: Course the change belongs to.
        type: Stream event type, e.g. ``thread.new`` or ``comment.delete``.
        thread_id: Thread the change concerns.
        comment_id: Comment the change concerns, if any.
    """

    course_id: int
    type: str
    thread_id: int
    comment_id: int | None = None


Listener = Callable[[StateEvent], None]


class CommentIndex(Mapping[int, Comment]):
    """Every answer and comment by id.

    Replies of generated threads are created only when first needed (see
    :class:`~pyedstem.testing.world.Thread`). Each such thread owns a block of
    ids starting at its ``first_reply_id``, so a lookup of an unknown id finds
    the owning thread by bisection and builds its replies.
    """

    def __init__(self) -> None:
        self._known: dict[int, Comment] = {}
        self._starts: list[int] = []
        self._owners: list[Thread] = []

    def add(self, comment: Comment) -> None:
        """Index one comment."""
        self._known[comment.id] = comment

    def add_thread(self, thread: Thread) -> None:
        """Index a thread's replies, or its id block if they are not built yet."""
        if thread.replies_built:
            for comment in walk(thread):
                self._known[comment.id] = comment
            return
        position = bisect.bisect_left(self._starts, thread.first_reply_id)
        self._starts.insert(position, thread.first_reply_id)
        self._owners.insert(position, thread)

    def _load(self, comment_id: int) -> None:
        position = bisect.bisect_right(self._starts, comment_id) - 1
        if position >= 0:
            for comment in walk(self._owners[position]):
                self._known[comment.id] = comment

    def __getitem__(self, comment_id: int) -> Comment:
        found = self._known.get(comment_id)
        if found is None:
            self._load(comment_id)
            found = self._known[comment_id]
        return found

    def __contains__(self, comment_id: object) -> bool:
        if not isinstance(comment_id, int):
            return False
        return self.get(comment_id) is not None

    def _load_all(self) -> None:
        for owner in self._owners:
            for comment in walk(owner):
                self._known[comment.id] = comment

    def __iter__(self) -> Iterator[int]:
        self._load_all()
        return iter(list(self._known))

    def __len__(self) -> int:
        self._load_all()
        return len(self._known)

    def max_known_id(self) -> int:
        """Return the largest comment id built so far (0 if none)."""
        return max(self._known, default=0)


class SandboxState:
    """Indexes and mutations over a world.

    Attributes:
        world: The world this state started from; mutations change it in place.
        lock: Lock held by every route and mutation.
        threads: Threads by id (the world's own dictionary).
        comments: Every answer and comment by id (a lazy :class:`CommentIndex`).
        files: Uploaded files by id.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.lock = threading.RLock()
        self.threads = world.threads
        self.comments = CommentIndex()
        self.files: dict[str, UploadedFile] = {}
        self._listeners: list[Listener] = []
        self._course_threads: dict[int, list[Thread]] = {c: [] for c in world.courses}
        self._by_number: dict[tuple[int, int], Thread] = {}
        self._pinned: dict[int, set[int]] = {c: set() for c in world.courses}
        self._max_number: dict[int, int] = dict.fromkeys(world.courses, 0)
        for thread in world.threads.values():
            self._index_thread(thread)
        for threads in self._course_threads.values():
            threads.sort(key=lambda thread: (thread.created_at, thread.id))
        self._next_thread_id = max(world.threads, default=400_000) + 1
        self._next_comment_id = (
            max(world.next_comment_id, self.comments.max_known_id(), 700_000) + 1
        )
        self._micros = 0
        self.course_cache: dict[int, tuple[tuple[Any, ...], Any]] = {}
        """Rendered course objects, keyed by course id (see ``render``)."""
        self.list_cache: Any = None
        """Cache of encoded thread-list items, set by the rendering layer."""

    def _index_thread(self, thread: Thread) -> None:
        self._course_threads[thread.course_id].append(thread)
        self._by_number[(thread.course_id, thread.number)] = thread
        if thread.is_pinned:
            self._pinned[thread.course_id].add(thread.id)
        current = self._max_number[thread.course_id]
        self._max_number[thread.course_id] = max(current, thread.number)
        self.comments.add_thread(thread)

    # Listeners

    def add_listener(self, listener: Listener) -> None:
        """Register ``listener`` to be called after every change."""
        with self.lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Unregister a listener added with :meth:`add_listener`."""
        with self.lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def emit(self, event: StateEvent) -> None:
        """Send ``event`` to every listener."""
        for listener in list(self._listeners):
            listener(event)

    # Lookups

    def now(self) -> int:
        """Return the current time, strictly increasing between calls."""
        self._micros = max(self._micros + 1, now_micros())
        return self._micros

    @property
    def users(self) -> dict[int, User]:
        """Users by id."""
        return self.world.users

    @property
    def courses(self) -> dict[int, Course]:
        """Courses by id."""
        return self.world.courses

    def user_for_token(self, token: str) -> User | None:
        """Return the user owning ``token``, or None for an unknown token."""
        api_token = self.world.tokens.get(token)
        if api_token is None:
            return None
        return self.world.users.get(api_token.user_id)

    def token_for(self, user_id: int) -> str:
        """Return the API token of ``user_id``.

        Raises:
            KeyError: If the user has no token.
        """
        for token in self.world.tokens.values():
            if token.user_id == user_id:
                return token.token
        raise KeyError(f"user {user_id} has no API token")

    def enrollment(self, user_id: int, course_id: int) -> Enrollment | None:
        """Return the user's enrollment in the course, if any."""
        return self.world.enrollments.get((user_id, course_id))

    def is_staff(self, user_id: int, course_id: int) -> bool:
        """Check whether the user has a staff role in the course."""
        enrollment = self.world.enrollments.get((user_id, course_id))
        return enrollment is not None and enrollment.is_staff

    def enrollments_of(self, user_id: int) -> list[Enrollment]:
        """Return the user's enrollments, newest course first."""
        found = [e for (u, _), e in self.world.enrollments.items() if u == user_id]
        found.sort(
            key=lambda e: self.world.courses[e.course_id].created_at, reverse=True
        )
        return found

    def members(self, course_id: int) -> list[Enrollment]:
        """Return the course's enrollments."""
        return [e for (_, c), e in self.world.enrollments.items() if c == course_id]

    def course_threads(self, course_id: int) -> list[Thread]:
        """Return the course's threads, oldest first (deleted ones included)."""
        return self._course_threads.get(course_id, [])

    def pinned_threads(self, course_id: int) -> list[Thread]:
        """Return the course's pinned threads, oldest first."""
        pinned = [
            self.threads[thread_id] for thread_id in self._pinned.get(course_id, ())
        ]
        pinned.sort(key=lambda thread: (thread.created_at, thread.id))
        return pinned

    def thread_by_number(self, course_id: int, number: int) -> Thread | None:
        """Return the thread with the course-local ``number``."""
        return self._by_number.get((course_id, number))

    def thread_of(self, comment: Comment) -> Thread:
        """Return the thread a comment belongs to."""
        return self.threads[comment.thread_id]

    def walk_replies(self, thread: Thread) -> Iterator[Comment]:
        """Yield every answer and comment of the thread, depth first."""
        stack = [*reversed(thread.comments), *reversed(thread.answers)]
        while stack:
            comment = stack.pop()
            yield comment
            stack.extend(reversed(comment.comments))

    # Visibility and per-viewer state

    def can_see_thread(self, user_id: int, thread: Thread) -> bool:
        """Check whether the user may read the thread.

        Members see every public thread. Private threads are visible only to
        staff and their author, and deleted threads only to staff.
        """
        enrollment = self.world.enrollments.get((user_id, thread.course_id))
        if enrollment is None:
            return False
        if enrollment.is_staff:
            return True
        if thread.deleted_at is not None:
            return False
        return not thread.is_private or thread.user_id == user_id

    def can_see_comment(self, user_id: int, comment: Comment) -> bool:
        """Check whether the user may read the comment.

        Private comments are visible only to staff and their author.
        """
        if self.is_staff(user_id, comment.course_id):
            return True
        if comment.deleted_at is not None:
            return False
        return not comment.is_private or comment.user_id == user_id

    def seen_map(self, user_id: int) -> dict[int, int]:
        """Return the user's map of thread id to the time it was last read."""
        return self.world.seen.setdefault(user_id, {})

    def new_reply_count(self, user_id: int, thread: Thread) -> int:
        """Count the replies added since the user last read the thread."""
        glanced = self.seen_map(user_id).get(thread.id)
        if glanced is None:
            return 0
        return sum(
            1
            for reply in self.walk_replies(thread)
            if reply.created_at > glanced and reply.deleted_at is None
        )

    def record_thread_view(self, user_id: int, thread: Thread) -> None:
        """Record a read of the thread (``GET /threads/{t}?view=1``)."""
        seen = self.seen_map(user_id)
        if thread.id not in seen:
            thread.unique_view_count += 1
        thread.view_count += 1
        seen[thread.id] = self.now()

    # Bodies

    @staticmethod
    def content_of(item: Thread | Comment) -> str:
        """Return the Ed XML body of a thread or comment."""
        if item.content_text is not None:
            return item.content_text
        return build_body(item.body_kind, item.body_seed)[0]

    @staticmethod
    def document_of(item: Thread | Comment) -> str:
        """Return the plain-text rendering of a thread or comment body."""
        if item.document_text is not None:
            return item.document_text
        return build_body(item.body_kind, item.body_seed)[1]

    # Thread mutations

    def create_thread(
        self, user_id: int, course_id: int, fields: dict[str, Any]
    ) -> Thread:
        """Create a thread from validated fields and announce ``thread.new``."""
        now = self.now()
        number = self._max_number[course_id] + 1
        thread = Thread(
            id=self._next_thread_id,
            course_id=course_id,
            number=number,
            user_id=user_id,
            type=fields["type"],
            title=fields["title"],
            category=fields["category"],
            subcategory=fields.get("subcategory", ""),
            subsubcategory=fields.get("subsubcategory", ""),
            created_at=now,
            last_activity_at=now,
            body_kind=fields["type"],
            body_seed=0,
            content_text=fields["content"],
            document_text=fields["document"],
            is_private=fields.get("is_private", False),
            is_anonymous=fields.get("is_anonymous", False),
            is_megathread=fields.get("is_megathread", False),
            anonymous_comments=fields.get("anonymous_comments", False),
            is_pinned=fields.get("is_pinned", False),
            pinned_at=now if fields.get("is_pinned", False) else None,
            anonymous_id=1 if fields.get("is_anonymous", False) else 0,
        )
        self._next_thread_id += 1
        self.threads[thread.id] = thread
        self._index_thread(thread)
        self.emit(StateEvent(course_id, "thread.new", thread.id))
        return thread

    def touch_thread(self, thread: Thread, editor_id: int | None = None) -> None:
        """Set ``updated_at`` (and ``editor_id``) and announce ``thread.update``."""
        thread.updated_at = self.now()
        if editor_id is not None:
            thread.editor_id = editor_id
        self.emit(StateEvent(thread.course_id, "thread.update", thread.id))

    def set_pinned(self, thread: Thread, pinned: bool) -> None:
        """Pin or unpin a thread."""
        thread.is_pinned = pinned
        thread.pinned_at = self.now() if pinned else None
        if pinned:
            self._pinned[thread.course_id].add(thread.id)
        else:
            self._pinned[thread.course_id].discard(thread.id)
        self.touch_thread(thread)

    def set_star(self, user_id: int, thread: Thread, starred: bool) -> None:
        """Star or unstar a thread for one user."""
        starred_by = thread.starred_by if thread.starred_by is not None else set()
        if starred and user_id not in starred_by:
            starred_by.add(user_id)
            thread.star_count += 1
        elif not starred and user_id in starred_by:
            starred_by.discard(user_id)
            thread.star_count -= 1
        thread.starred_by = starred_by

    def set_thread_vote(self, user_id: int, thread: Thread, voted: bool) -> None:
        """Upvote or withdraw the user's vote on a thread."""
        voters = thread.voters if thread.voters is not None else set()
        if voted and user_id not in voters:
            voters.add(user_id)
            thread.vote_count += 1
        elif not voted and user_id in voters:
            voters.discard(user_id)
            thread.vote_count -= 1
        thread.voters = voters
        self.emit(StateEvent(thread.course_id, "thread.update", thread.id))

    def accept_answer(self, thread: Thread, comment: Comment) -> None:
        """Mark ``comment`` as the thread's accepted answer."""
        thread.accepted_id = comment.id
        self.refresh(thread)
        self.touch_thread(thread)

    def delete_thread(self, thread: Thread) -> None:
        """Soft-delete a thread (a test hook; no Ed route is known for it)."""
        thread.deleted_at = self.now()
        self.emit(StateEvent(thread.course_id, "thread.delete", thread.id))

    def refresh(self, thread: Thread) -> None:
        """Recompute the counters derived from the thread's replies."""
        update_counters(thread, self.world.enrollments)

    # Comment mutations

    def add_comment(
        self,
        user_id: int,
        thread: Thread,
        parent: Comment | None,
        fields: dict[str, Any],
    ) -> Comment:
        """Add an answer, comment or reply and announce ``comment.new``."""
        now = self.now()
        numbers = [reply.number for reply in self.walk_replies(thread)]
        comment = Comment(
            id=self._next_comment_id,
            thread_id=thread.id,
            course_id=thread.course_id,
            user_id=user_id,
            parent_id=parent.id if parent is not None else None,
            type=fields["type"],
            number=max(numbers, default=1) + 1,
            created_at=now,
            body_kind=fields["type"],
            body_seed=0,
            content_text=fields["content"],
            document_text=fields["document"],
            is_private=fields.get("is_private", False),
            is_anonymous=fields.get("is_anonymous", False),
            kind=fields.get("kind", "normal"),
            is_resolved=self.is_staff(user_id, thread.course_id),
        )
        if comment.is_anonymous:
            comment.anonymous_id = self._pseudonym(thread, user_id)
        self._next_comment_id += 1
        if parent is not None:
            parent.comments.append(comment)
        elif comment.type == "answer":
            thread.answers.append(comment)
        else:
            thread.comments.append(comment)
        self.comments.add(comment)
        thread.last_activity_at = now
        thread.updated_at = now
        self.refresh(thread)
        self.emit(StateEvent(thread.course_id, "comment.new", thread.id, comment.id))
        return comment

    def _pseudonym(self, thread: Thread, user_id: int) -> int:
        used = {thread.user_id: thread.anonymous_id} if thread.is_anonymous else {}
        for reply in self.walk_replies(thread):
            if reply.is_anonymous:
                used.setdefault(reply.user_id, reply.anonymous_id)
        return used.get(user_id, max(used.values(), default=0) + 1)

    def touch_comment(self, comment: Comment, editor_id: int | None = None) -> None:
        """Set ``updated_at`` (and ``editor_id``) and announce ``comment.update``."""
        comment.updated_at = self.now()
        if editor_id is not None:
            comment.editor_id = editor_id
        thread = self.thread_of(comment)
        self.refresh(thread)
        self.emit(
            StateEvent(comment.course_id, "comment.update", thread.id, comment.id)
        )

    def set_comment_vote(self, user_id: int, comment: Comment, voted: bool) -> None:
        """Upvote or withdraw the user's vote on a comment."""
        voters = comment.voters if comment.voters is not None else set()
        if voted and user_id not in voters:
            voters.add(user_id)
            comment.vote_count += 1
        elif not voted and user_id in voters:
            voters.discard(user_id)
            comment.vote_count -= 1
        comment.voters = voters

    def delete_comment(self, comment: Comment) -> None:
        """Soft-delete a comment (a test hook; no Ed route is known for it)."""
        comment.deleted_at = self.now()
        thread = self.thread_of(comment)
        self.refresh(thread)
        self.emit(
            StateEvent(comment.course_id, "comment.delete", thread.id, comment.id)
        )

    # Files

    def add_file(self, uploaded: UploadedFile) -> None:
        """Store an uploaded file."""
        self.files[uploaded.id] = uploaded
