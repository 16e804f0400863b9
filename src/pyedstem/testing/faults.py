"""Fault injection: make chosen routes slow, fail, or break the connection.

A fault matches a request by method and path. ``path`` is a route template
such as ``/courses/{course_id}/threads`` (relative to ``/api``), a concrete
path such as ``/threads/42``, or ``"*"`` for any request. The first fault
that matches and still has hits left applies; ``times`` bounds its hits and
``None`` means every matching request until :meth:`FaultSet.clear`.

Kinds and what they do to a matching request:

==================== ======================================================
``latency``          wait ``seconds``, then run the route and reply.
``status``           answer ``status`` (default 503) with Ed's JSON error
                     body and no state change; ``retry_after`` adds a
                     ``Retry-After`` header (seconds or an HTTP date).
                     429 uses the code ``rate_limit``.
``html``             answer ``status`` (default 502) with an HTML error page,
                     as a proxy in front of Ed would, and no state change.
``drop``             close the connection before the route runs.
``drop_after_commit`` run the route (its change is kept), then close the
                     connection without answering.
``truncate``         run the route, send the headers with the full
                     ``Content-Length`` but only ``keep`` (a fraction) of the
                     body, then close the connection.
``empty``            run the route, then answer 200 with an empty body.
``timeout``          run the route, then hold the answer for ``seconds``
                     (default 30) so that the client's read timeout fires.
==================== ======================================================
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal[
    "latency",
    "status",
    "html",
    "drop",
    "drop_after_commit",
    "truncate",
    "empty",
    "timeout",
]
FAULT_KINDS: tuple[str, ...] = (
    "latency",
    "status",
    "html",
    "drop",
    "drop_after_commit",
    "truncate",
    "empty",
    "timeout",
)


@dataclass(slots=True)
class Fault:
    """One injected fault and how often it has fired.

    Attributes:
        kind: What the fault does (see the module docstring).
        method: HTTP method to match, or "*".
        path: Route template, concrete path (both relative to ``/api``) or "*".
        times: Hits left before the fault retires, or None for no bound.
        status: Status code for ``status`` and ``html`` faults.
        retry_after: ``Retry-After`` value: seconds, or an HTTP-date string.
        seconds: Delay for ``latency`` and ``timeout`` faults.
        keep: Fraction of the body a ``truncate`` fault sends (0 to 1).
        code: Ed error code for ``status`` faults (derived from the status if None).
        message: Ed error message for ``status`` faults.
        fired: How many requests the fault has hit so far.
    """

    kind: FaultKind
    method: str = "*"
    path: str = "*"
    times: int | None = None
    status: int | None = None
    retry_after: float | str | None = None
    seconds: float = 0.0
    keep: float = 0.5
    code: str | None = None
    message: str | None = None
    fired: int = 0

    def matches(self, method: str, template: str | None, path: str) -> bool:
        """Check whether the fault applies to a request."""
        if self.times is not None and self.times <= 0:
            return False
        if self.method != "*" and self.method.upper() != method:
            return False
        return self.path in ("*", path) or (
            template is not None and self.path == template
        )


@dataclass(frozen=True, slots=True)
class FaultHit:
    """A record of one fault firing."""

    kind: str
    method: str
    path: str
    template: str | None


@dataclass(slots=True)
class FaultSet:
    """The faults of one sandbox; shared by its mock handlers and servers."""

    faults: list[Fault] = field(default_factory=list)
    hits: list[FaultHit] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self,
        *,
        kind: FaultKind,
        method: str = "*",
        path: str = "*",
        times: int | None = None,
        status: int | None = None,
        retry_after: float | str | None = None,
        seconds: float | None = None,
        keep: float = 0.5,
        code: str | None = None,
        message: str | None = None,
    ) -> Fault:
        """Add a fault and return it (its ``fired`` attribute counts its hits).

        Raises:
            ValueError: If ``kind`` is unknown or a parameter is out of range.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(
                f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}"
            )
        if times is not None and times < 0:
            raise ValueError(f"times must be >= 0 or None, got {times}")
        if not 0.0 <= keep <= 1.0:
            raise ValueError(f"keep must be between 0 and 1, got {keep}")
        if status is not None and not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code, got {status}")
        if path != "*" and not path.startswith("/"):
            raise ValueError(f"path must start with '/' or be '*', got {path!r}")
        if path.startswith("/api/"):
            path = path[4:]
        default_seconds = 30.0 if kind == "timeout" else 0.0
        fault = Fault(
            kind=kind,
            method=method.upper(),
            path=path,
            times=times,
            status=status,
            retry_after=retry_after,
            seconds=default_seconds if seconds is None else seconds,
            keep=keep,
            code=code,
            message=message,
        )
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault and forget the hit records."""
        with self._lock:
            self.faults.clear()
            self.hits.clear()

    def take(self, method: str, template: str | None, path: str) -> Fault | None:
        """Return the first live fault for a request and count the hit."""
        with self._lock:
            for fault in self.faults:
                if fault.matches(method, template, path):
                    fault.fired += 1
                    if fault.times is not None:
                        fault.times -= 1
                    self.hits.append(FaultHit(fault.kind, method, path, template))
                    return fault
        return None

    @property
    def total_fired(self) -> int:
        """How many requests any fault has hit since the last :meth:`clear`."""
        return len(self.hits)

    def fired(self, kind: str | None = None, path: str | None = None) -> int:
        """Count the hits, optionally only of one kind and/or one path or template."""
        return sum(
            1
            for hit in self.hits
            if (kind is None or hit.kind == kind)
            and (path is None or path in (hit.path, hit.template))
        )

    def __len__(self) -> int:
        return len(self.faults)
