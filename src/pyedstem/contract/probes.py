"""Checks that need more than one request: page caps and error responses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._operation import APIRequest
from ..client import EdStemClient
from ..errors import APIStatusError, AuthenticationError, NotFoundError
from ..resources import threads
from .reads import decoded
from .results import CheckInfo, CheckResult, Evidence
from .session import (
    ERROR_BODY,
    Exchange,
    Session,
    finish,
    send_request,
    skipped,
    status_difference,
)
from .shapes import STR, Difference, Shape, compare, const, json_type, obj

__all__ = ["ERROR_CHECKS", "PAGE_CAP_CHECKS", "ErrorCheck", "PageCapCheck"]

# A thread id far above any that Ed has handed out, so that Ed returns 404.
UNKNOWN_THREAD_ID = 1_999_999_999
# A token Ed cannot know, in the form one source gives for Ed's tokens: six
# characters, a dot and forty more.
INVALID_TOKEN = "pyedst." + "contract0suite0invalid0token0".ljust(40, "0")
# The number of users whose activity the cap check tries before it gives up.
_MAX_SUBJECTS = 4


@dataclass(frozen=True, slots=True)
class PageCapCheck:
    """A check that Ed clips a list at `cap` items, as pyedstem's pager expects.

    pyedstem requests pages of at most `cap` items and stops at a shorter
    page. A request for ``cap + 1`` items must return exactly `cap` when more
    exist. Fewer, while more exist, would make the pager stop early.

    Attributes:
        info: The check's id, route and evidence.
        cap: The page cap the sources give.
        items_key: The key of the list in the body.
        noun: What the subjects are, for the skip message.
        subjects: The ids to try, such as the course or users.
        build: Builds the request for (subject, limit, offset).
    """

    info: CheckInfo
    cap: int
    items_key: str
    noun: str
    subjects: Callable[[Session], list[int]]
    build: Callable[[Session, int, int, int], APIRequest]

    @property
    def infos(self) -> tuple[CheckInfo, ...]:
        """The route list entries of this check."""
        return (self.info,)

    def run(self, session: Session) -> list[CheckResult]:
        """Ask for one item more than the cap and count what arrives."""
        subjects = self.subjects(session)
        if not subjects:
            return [skipped(self.info, f"no {self.noun} was found to check with")]
        for subject in subjects[:_MAX_SUBJECTS]:
            requested = self.cap + 1
            exchange = session.send(self.build(session, subject, requested, 0))
            count, problems = self._count(exchange)
            if exchange.failure is not None or problems:
                return [finish(self.info, exchange, problems)]
            if count == self.cap:
                return [finish(self.info, exchange, [])]
            if count > self.cap:
                return [
                    finish(
                        self.info,
                        exchange,
                        [
                            Difference(
                                f"number of {self.items_key}",
                                f"{self.cap} for limit={requested} (Ed clips pages)",
                                f"{count}; pyedstem still works, with more requests",
                            )
                        ],
                    )
                ]
            after = session.send(self.build(session, subject, self.cap, count))
            more, problems = self._count(after)
            if after.failure is not None or problems:
                return [finish(self.info, after, problems)]
            if more:
                return [
                    finish(
                        self.info,
                        exchange,
                        [
                            Difference(
                                f"number of {self.items_key}",
                                f"{self.cap} for limit={requested} while more exist",
                                f"{count}; pyedstem's pager stops at a short page, "
                                "so it would miss the rest",
                            )
                        ],
                    )
                ]
        return [
            skipped(
                self.info,
                f"no {self.noun} has more than {self.cap} {self.items_key}, "
                "so the cap cannot be seen",
            )
        ]

    def _count(self, exchange: Exchange) -> tuple[int, list[Difference]]:
        problems = status_difference(exchange, frozenset({200}))
        if exchange.response is None or problems:
            return 0, problems
        body = decoded(exchange.response)
        items = body.get(self.items_key) if isinstance(body, dict) else None
        if not isinstance(items, list):
            where = self.items_key if isinstance(body, dict) else "body"
            received = json_type(items) if isinstance(body, dict) else json_type(body)
            return 0, [Difference(where, "array", received)]
        return len(items), []


def _thread_page(
    session: Session, course_id: int, limit: int, offset: int
) -> APIRequest:
    return threads.list_request(
        course_id, limit=limit, offset=offset, sort="date", filters={}
    )


def _activity_page(
    session: Session, user_id: int, limit: int, offset: int
) -> APIRequest:
    # The same parameters as pyedstem's activity pager, with a chosen limit.
    course_id = session.ids["course_id"]
    return APIRequest(
        "GET",
        "/users/{user_id}/profile/activity",
        {"user_id": user_id},
        params={
            "courseID": course_id,
            "course_id": course_id,
            "limit": limit,
            "offset": offset,
            "filter": "all",
        },
    )


def _activity_subjects(session: Session) -> list[int]:
    own = [session.ids["user_id"]] if "user_id" in session.ids else []
    return list(dict.fromkeys([*own, *session.authors]))


PAGE_CAP_CHECKS: tuple[PageCapCheck, ...] = (
    PageCapCheck(
        CheckInfo(
            "threads.page_cap",
            "GET",
            "/courses/{course_id}/threads",
            Evidence.HIGH,
            "page cap of 100",
        ),
        cap=100,
        items_key="threads",
        noun="course",
        subjects=lambda s: [s.ids["course_id"]],
        build=_thread_page,
    ),
    PageCapCheck(
        CheckInfo(
            "users.activity_page_cap",
            "GET",
            "/users/{user_id}/profile/activity",
            Evidence.MEDIUM,
            "page cap of 50",
        ),
        cap=50,
        items_key="items",
        noun="user",
        subjects=_activity_subjects,
        build=_activity_page,
    ),
)


@dataclass(frozen=True, slots=True)
class ErrorCheck:
    """A check of an error response: its status, its body and pyedstem's exception.

    Attributes:
        info: The check's id, route and evidence.
        statuses: The statuses that pass.
        shape: The expected error body.
        error_class: The exception pyedstem must raise.
        send: Sends the request that must fail.
    """

    info: CheckInfo
    statuses: frozenset[int]
    shape: Shape
    error_class: type[APIStatusError]
    send: Callable[[Session], Exchange]

    @property
    def infos(self) -> tuple[CheckInfo, ...]:
        """The route list entries of this check."""
        return (self.info,)

    def run(self, session: Session) -> list[CheckResult]:
        """Send the failing request and compare the error."""
        exchange = self.send(session)
        differences = status_difference(exchange, self.statuses)
        error = exchange.error
        if exchange.failure is None and not differences and error is not None:
            differences = self._body_differences(error.body)
            if not isinstance(error, self.error_class):
                differences.append(
                    Difference(
                        "pyedstem's exception",
                        self.error_class.__name__,
                        type(error).__name__,
                    )
                )
        return [finish(self.info, exchange, differences)]

    def _body_differences(self, body: Any) -> list[Difference]:
        if body is None:
            return [Difference("body", "a JSON error object", "no JSON")]
        return compare(self.shape, body)


def _send_bad_token(session: Session) -> Exchange:
    client = session.client
    with EdStemClient(
        INVALID_TOKEN,
        base_url=client.base_url,
        http_client=client._pipeline.http,
        max_retries=0,
    ) as stranger:
        return send_request(stranger, APIRequest("GET", "/user"))


def _send_unknown_thread(session: Session) -> Exchange:
    return session.send(
        APIRequest("GET", "/threads/{thread_id}", {"thread_id": UNKNOWN_THREAD_ID})
    )


ERROR_CHECKS: tuple[ErrorCheck, ...] = (
    ErrorCheck(
        CheckInfo("errors.bad_token", "GET", "/user", Evidence.MEDIUM, "invalid token"),
        frozenset({400, 401}),
        obj(code=const("bad_token"), message=STR),
        AuthenticationError,
        _send_bad_token,
    ),
    ErrorCheck(
        CheckInfo(
            "errors.not_found",
            "GET",
            "/threads/{thread_id}",
            Evidence.MEDIUM,
            "unknown thread",
        ),
        frozenset({404}),
        ERROR_BODY,
        NotFoundError,
        _send_unknown_thread,
    ),
)
