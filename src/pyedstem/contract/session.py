"""One contract run's state: the client, the ids found so far, and the evaluation.

Checks send their requests through `Session.send`, which goes through the
library's own pipeline (headers, error mapping, retries of reads), so that
the suite tests what pyedstem does. It returns an `Exchange` whatever
happened, so that no response can crash the run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import pydantic

from .._operation import APIRequest, APIResponse, Operation
from ..client import EdStemClient
from ..errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    ConfigurationError,
    ResponseValidationError,
)
from .redact import Redactor
from .results import CheckInfo, CheckResult, CleanupNote, Outcome
from .settings import ContractTarget
from .shapes import STR, Difference, Shape, compare, is_code_word, json_type, obj

__all__ = [
    "COURSE_ROLES",
    "ERROR_BODY",
    "Access",
    "Exchange",
    "Session",
    "body_differences",
    "empty_body_differences",
    "finish",
    "parse_differences",
    "send_request",
    "skipped",
    "status_difference",
]

ERROR_BODY = obj(code=STR, message=STR)
"""Ed's error body: ``{"code": "bad_token", "message": "..."}``."""

# Roles that see Ed's staff pages. Whether tutors and mentors see them is not
# known, so both 200 and 403 pass for them there.
_STAFF_ROLES = frozenset({"staff", "admin"})
COURSE_ROLES = frozenset({"student", "mentor", "tutor", "staff", "admin"})
"""The course roles Ed is known to use."""


class Access(Enum):
    """The roles that may read a route, as far as the sources tell."""

    EVERYONE = "everyone"
    STAFF = "staff"
    """Staff pages: Ed returns 403 to students."""
    UNCLEAR = "unclear"
    """Staff read it; whether Ed returns 403 to others is not known."""


@dataclass(slots=True)
class Exchange:
    """A request and whatever came back.

    Attributes:
        request: The request sent.
        status: The HTTP status, or None when no response arrived.
        response: The response, for a 2xx status.
        error: The pipeline's exception, for a 4xx or 5xx status.
        failure: Why no usable response arrived (connection, redirect).
    """

    request: APIRequest
    status: int | None = None
    response: APIResponse | None = None
    error: APIStatusError | None = None
    failure: str | None = None

    @property
    def error_code(self) -> str | None:
        """Ed's error ``code``, for an error status."""
        return self.error.ed_code if self.error is not None else None


@dataclass(slots=True)
class Session:
    """The state of one contract run.

    Attributes:
        target: Where the run goes and what it may write.
        client: The pyedstem client whose pipeline sends every request.
        ids: Ids found so far, such as ``course_id`` and ``thread_id``.
        course_role: The token's role in the course, once ``GET /user`` ran;
            None for a role name outside `COURSE_ROLES`.
        enrolled: Whether ``GET /user`` listed the course among the account's.
        token_rejected: Whether Ed rejected the token on any request.
        authors: Thread authors of the course, most threads first.
        lesson_ids: The course's lessons, in Ed's order.
        search_word: A word from a thread title, used as a search query.
        write_problem: Why the named thread may not be written to, if it may not.
        redactor: The personal values read so far, for scrubbing the report.
        cleanup: What the run wrote and whether it was undone.
    """

    target: ContractTarget
    client: EdStemClient
    ids: dict[str, int] = field(default_factory=dict)
    course_role: str | None = None
    enrolled: bool = False
    token_rejected: bool = False
    authors: list[int] = field(default_factory=list)
    lesson_ids: list[int] = field(default_factory=list)
    search_word: str | None = None
    write_problem: str | None = None
    redactor: Redactor = field(default_factory=Redactor)
    cleanup: list[CleanupNote] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ids["course_id"] = self.target.course_id
        if self.target.thread_id is not None:
            self.ids["write_thread_id"] = self.target.thread_id
        self.redactor.add_secret(self.target.api_token)
        self.redactor.add_ids(self.ids.values())

    def remember(self, name: str, value: Any) -> None:
        """Store an id found in a response, if it is a positive integer."""
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            self.ids.setdefault(name, value)
            self.redactor.add_id(value)

    def count_authors(self, threads: Any) -> None:
        """Rank the authors of a thread list by their number of threads."""
        if not isinstance(threads, list):
            return
        counts: Counter[int] = Counter()
        for thread in threads:
            author = thread.get("user_id") if isinstance(thread, dict) else None
            if isinstance(author, int) and not isinstance(author, bool) and author > 0:
                counts[author] += 1
                self.redactor.add_id(author)
        self.authors = [author for author, _ in counts.most_common()]

    def missing(self, needs: tuple[str, ...]) -> str | None:
        """Return the first id in `needs` that no earlier check found."""
        return next((name for name in needs if name not in self.ids), None)

    def expected_statuses(self, access: Access) -> frozenset[int]:
        """Return the statuses that pass, given the token's role in the course."""
        if access is Access.EVERYONE or self.course_role in _STAFF_ROLES:
            return frozenset({200})
        if access is Access.STAFF and self.course_role == "student":
            return frozenset({403})
        return frozenset({200, 403})

    def send(self, request: APIRequest) -> Exchange:
        """Send a request through pyedstem's pipeline and capture the outcome."""
        exchange = send_request(self.client, request)
        if isinstance(exchange.error, AuthenticationError):
            self.token_rejected = True
        return exchange


def send_request(client: EdStemClient, request: APIRequest) -> Exchange:
    """Send a request through a client's pipeline and capture what came back."""
    exchange = Exchange(request)
    try:
        response = client._pipeline.send(request)
    except APIStatusError as exc:
        exchange.status = exc.status_code
        exchange.error = exc
    except ConfigurationError:
        # The pipeline raises this for a redirect, which it never follows.
        exchange.failure = (
            "Ed answered with a redirect, which pyedstem does not follow; "
            "the base URL or region is probably wrong for this account"
        )
    except APIConnectionError as exc:
        exchange.failure = f"no response arrived ({type(exc).__name__})"
    else:
        exchange.status = response.status_code
        exchange.response = response
    return exchange


def status_difference(exchange: Exchange, expected: frozenset[int]) -> list[Difference]:
    """Compare the status with the statuses that pass."""
    if exchange.status in expected:
        return []
    expected_text = " or ".join(str(code) for code in sorted(expected))
    received = str(exchange.status)
    code = exchange.error_code
    if code is not None and is_code_word(code):
        received += f" with Ed code {code!r}"
    return [Difference("status", expected_text, received)]


def decode_body(exchange: Exchange) -> tuple[Any, list[Difference]]:
    """Decode a 2xx JSON body; a body that is not JSON is a difference."""
    response = exchange.response
    if response is None:
        return None, []
    try:
        return response.json(), []
    except ResponseValidationError:
        kind = response.headers.get("content-type", "no content type").split(";")[0]
        return None, [
            Difference(
                "body",
                "JSON",
                f"{len(response.content)} bytes that are not JSON ({kind})",
            )
        ]


def body_differences(exchange: Exchange, shape: Shape) -> list[Difference]:
    """Compare a 2xx JSON body, or an error body, with its expected shape."""
    if exchange.error is not None:
        if exchange.error.body is None:
            return [Difference("body", "an error object {code, message}", "no JSON")]
        return compare(ERROR_BODY, exchange.error.body)
    body, problems = decode_body(exchange)
    if problems:
        return problems
    if body is None:
        return [Difference("body", shape.describe(), "an empty body")]
    return compare(shape, body)


def empty_body_differences(exchange: Exchange) -> list[Difference]:
    """Check that an action's success response has no body."""
    response = exchange.response
    if response is None or not response.content.strip():
        return []
    body, problems = decode_body(exchange)
    received = problems[0].received if problems else f"a JSON {json_type(body)}"
    return [Difference("body", "an empty body", received)]


def parse_differences(
    operation: Operation[Any], response: APIResponse
) -> list[Difference]:
    """Feed a response to pyedstem's own operation and report what it rejects.

    The operation has already yielded its request. A parse error becomes a
    difference that names the field and the kind of error, never the value.
    """
    where = "pyedstem's parser"
    expected = "a body it can read"
    try:
        operation.send(response)
    except StopIteration:
        return []
    except ResponseValidationError as exc:
        return [Difference(where, expected, str(exc))]
    except pydantic.ValidationError as exc:
        return [
            Difference(where, expected, f"{_location(error['loc'])}: {error['type']}")
            for error in exc.errors(include_input=False, include_url=False)
        ]
    except Exception as exc:  # A crash of pyedstem's parser is itself a finding.
        return [Difference(where, expected, f"a {type(exc).__name__} in the parser")]
    operation.close()
    return []


def _location(parts: tuple[int | str, ...]) -> str:
    """Join an error location, hiding keys that are not field names.

    A location inside a mapping contains the mapping's key, which can be an
    id or a name from the response. Field names and list indexes are safe.
    """
    names = [
        str(part) if isinstance(part, int) or _FIELD_NAME.fullmatch(part) else "<key>"
        for part in parts
    ]
    return ".".join(names) or "body"


_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def finish(
    info: CheckInfo,
    exchange: Exchange,
    differences: list[Difference],
) -> CheckResult:
    """Build a check's result from its exchange and the differences found."""
    if exchange.failure is not None:
        return CheckResult(info, Outcome.UNCHECKED, reason=exchange.failure)
    outcome = Outcome.DIFFERS if differences else Outcome.PASSED
    return CheckResult(info, outcome, exchange.status, differences)


def skipped(info: CheckInfo, reason: str) -> CheckResult:
    """Build the result of a check that did not run."""
    return CheckResult(info, Outcome.SKIPPED, reason=reason)
