"""The request log: every request a sandbox received, in arrival order.

Tests use it to prove what a client sent, for example that it never asked
for ``view=1``::

    assert not any("view" in record.params for record in sandbox.requests)
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MAX_RECORDS = 100_000


@dataclass(slots=True)
class RequestRecord:
    """One received request.

    Attributes:
        method: HTTP method.
        path: Full request path, e.g. ``/api/threads/42``.
        query: Query parameters as (name, value) pairs, in order.
        headers: Request headers with lower-case names.
        body: A copy of the request body.
        template: Route template that matched (relative to ``/api``), or None.
        status: Status of the reply, or None if the connection was dropped.
        user_id: Authenticated user, or None.
        time: Arrival time (``time.time()``).
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    body: bytes
    template: str | None = None
    status: int | None = None
    user_id: int | None = None
    time: float = 0.0

    @property
    def params(self) -> dict[str, list[str]]:
        """Query parameters by name, each with all of its values."""
        found: dict[str, list[str]] = {}
        for name, value in self.query:
            found.setdefault(name, []).append(value)
        return found

    def json(self) -> Any:
        """Decode the body as JSON."""
        return json.loads(self.body)


@dataclass(slots=True)
class RequestLog:
    """A bounded, thread-safe list of :class:`RequestRecord`.

    The log keeps the newest ``max_records`` records (100,000 by default).
    """

    max_records: int = DEFAULT_MAX_RECORDS
    _records: deque[RequestRecord] = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._records = deque(maxlen=self.max_records)

    def append(self, record: RequestRecord) -> None:
        """Add a record."""
        with self._lock:
            self._records.append(record)

    def clear(self) -> None:
        """Forget every record."""
        with self._lock:
            self._records.clear()

    def snapshot(self) -> list[RequestRecord]:
        """Return a copy of the records."""
        with self._lock:
            return list(self._records)

    def find(
        self,
        method: str | None = None,
        *,
        path: str | None = None,
        template: str | None = None,
    ) -> list[RequestRecord]:
        """Return the records matching a method, full path and/or route template."""
        return [
            record
            for record in self.snapshot()
            if (method is None or record.method == method.upper())
            and (path is None or record.path == path)
            and (template is None or record.template == template)
        ]

    @property
    def last(self) -> RequestRecord:
        """The newest record.

        Raises:
            IndexError: If the log is empty.
        """
        with self._lock:
            return self._records[-1]

    def __iter__(self) -> Iterator[RequestRecord]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index: int) -> RequestRecord:
        with self._lock:
            return self._records[index]
