"""Thread list, search and filter semantics of ``GET /courses/{c}/threads``.

Ed caps ``limit`` at 100 whatever the client requests. The sandbox defaults it
to 30 when omitted (NOTE: Ed's own default is not documented). Pinned threads
come first in every sort, and paging with ``offset`` walks that one order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator

from pyedstem.testing.state import SandboxState
from pyedstem.testing.world import Thread

MAX_LIMIT = 100
DEFAULT_LIMIT = 30

SORTS = ("new", "date", "old", "top", "active", "activity", "unanswered", "hot")
"""Sort values the sandbox distinguishes; any other value sorts like ``new``."""

FILTERS = (
    "unread",
    "unanswered",
    "unresolved",
    "resolved",
    "new",
    "endorsed",
    "watching",
    "starred",
    "private",
    "public",
    "staff",
    "mine",
)
"""Filter values the sandbox applies; any other value filters nothing.

NOTE: Ed's exact filter semantics are not documented. These follow the web
app's labels. For example, ``unresolved`` keeps questions without an answer
and threads with an unresolved follow-up comment.
"""

Predicate = Callable[[Thread], bool]


def clip_limit(requested: int | None, default: int = DEFAULT_LIMIT) -> int:
    """Clip a page size to ``1..MAX_LIMIT`` (a non-positive value gives the default)."""
    if requested is None or requested <= 0:
        return default
    return min(requested, MAX_LIMIT)


def filter_predicate(
    state: SandboxState, viewer: int, name: str | None
) -> Predicate | None:
    """Return the predicate for a ``filter`` value, or None to keep everything."""
    if not name:
        return None
    seen = state.seen_map(viewer)

    def unresolved(thread: Thread) -> bool:
        open_question = thread.type == "question" and not thread.is_answered
        return open_question or thread.unresolved_count > 0

    predicates: dict[str, Predicate] = {
        "unread": lambda t: t.id not in seen,
        "unanswered": lambda t: t.type == "question" and not t.is_answered,
        "unresolved": unresolved,
        "resolved": lambda t: not unresolved(t),
        "new": lambda t: t.id in seen and state.new_reply_count(viewer, t) > 0,
        "endorsed": lambda t: t.is_endorsed,
        "watching": lambda t: bool(t.watchers and t.watchers.get(viewer)),
        "starred": lambda t: bool(t.starred_by and viewer in t.starred_by),
        "private": lambda t: t.is_private,
        "public": lambda t: not t.is_private,
        "staff": lambda t: (
            not t.is_anonymous and state.is_staff(t.user_id, t.course_id)
        ),
        "mine": lambda t: t.user_id == viewer,
    }
    return predicates.get(name)


def _ordered(threads: list[Thread], sort: str) -> Iterable[Thread]:
    """Return the course's threads in ``sort`` order without copying for ``new``."""
    if sort == "old":
        return threads
    if sort == "top":
        return sorted(threads, key=lambda t: (t.vote_count, t.created_at), reverse=True)
    if sort in ("active", "activity", "hot"):
        return sorted(threads, key=lambda t: (t.last_activity_at, t.id), reverse=True)
    if sort == "unanswered":
        return sorted(
            threads,
            key=lambda t: (t.type == "question" and not t.is_answered, t.created_at),
            reverse=True,
        )
    return reversed(threads)


def list_threads(
    state: SandboxState,
    viewer: int,
    course_id: int,
    *,
    sort: str,
    filter_name: str | None,
    category: str | None,
    limit: int,
    offset: int,
) -> list[Thread]:
    """Return one page of the course's thread list, as visible to ``viewer``."""
    threads = state.course_threads(course_id)
    keep = filter_predicate(state, viewer, filter_name)

    def visible(thread: Thread) -> bool:
        if not state.can_see_thread(viewer, thread):
            return False
        if category and thread.category != category:
            return False
        return keep is None or keep(thread)

    pinned = [thread for thread in state.pinned_threads(course_id) if visible(thread)]
    pinned_ids = {thread.id for thread in pinned}
    rest: Iterator[Thread] = (
        thread
        for thread in _ordered(threads, sort)
        if thread.id not in pinned_ids and visible(thread)
    )
    pinned_order = list(_ordered(pinned, sort))
    everything = itertools.chain(pinned_order, rest)
    return list(itertools.islice(everything, offset, offset + limit))


def search_threads(
    state: SandboxState,
    viewer: int,
    course_id: int,
    *,
    query: str,
    sort: str,
    category: str | None,
    subcategory: str | None,
    limit: int,
    offset: int,
) -> list[Thread]:
    """Return one page of search results over titles and plain-text bodies.

    Every word of ``query`` must occur (case-insensitively) in the title or the
    body. ``relevance`` puts title matches first, then newest first;
    ``newest`` and ``oldest`` sort by creation time.
    """
    words = [word.casefold() for word in query.split()]
    matches: list[tuple[bool, Thread]] = []
    for thread in state.course_threads(course_id):
        if not state.can_see_thread(viewer, thread):
            continue
        if category and thread.category != category:
            continue
        if subcategory and thread.subcategory != subcategory:
            continue
        title = thread.title.casefold()
        if all(word in title for word in words):
            matches.append((True, thread))
            continue
        text = f"{title}\n{state.document_of(thread).casefold()}"
        if all(word in text for word in words):
            matches.append((False, thread))
    if sort == "oldest":
        matches.sort(key=lambda match: match[1].created_at)
    elif sort == "newest":
        matches.sort(key=lambda match: match[1].created_at, reverse=True)
    else:
        matches.sort(key=lambda match: (match[0], match[1].created_at), reverse=True)
    return [thread for _, thread in matches[offset : offset + limit]]
