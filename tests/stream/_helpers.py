"""Helpers shared by the stream tests: a hang guard and event lookup."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pyedstem.stream import StreamEvent

T = TypeVar("T")
DOC = '<document version="2.0"><paragraph>Is lab 3 due Friday?</paragraph></document>'
# Only a guard against a hung test; no assertion depends on timing.
GUARD_SECONDS = 30


def guarded(work: Callable[[], T]) -> T:
    """Run `work` in a thread and fail the test if it never returns."""
    box: list[Any] = []

    def run() -> None:
        try:
            box.append(("ok", work()))
        except BaseException as exc:  # handed to the test thread below
            box.append(("error", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(GUARD_SECONDS)
    assert box, "the stream produced nothing; the test is stuck"
    kind, value = box[0]
    if kind == "error":
        raise value
    return value  # type: ignore[no-any-return]


def next_of(events: Iterator[StreamEvent], event_type: str) -> StreamEvent:
    return guarded(lambda: next(e for e in events if e.type == event_type))
