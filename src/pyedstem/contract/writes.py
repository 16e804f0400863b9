"""Write checks, run only on the thread the user names and only when enabled.

Reversible checks send an action and its opposite (star, then unstar) in the
order that leaves the thread as it was, then read the thread again to prove
it. The opposite action is sent even when the first one failed. Permanent
checks (a private comment, a file upload) leave something behind that Ed
offers no route to delete, and the report lists what stays and where.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from .._operation import APIRequest
from ..resources._discussion import post_comment
from ..resources.files import upload_file
from ..resources.thread_actions import thread_action
from .reads import decoded
from .results import CheckInfo, CheckResult, CleanupNote, Evidence, Outcome, Tier
from .session import (
    Exchange,
    Session,
    body_differences,
    empty_body_differences,
    finish,
    parse_differences,
    skipped,
    status_difference,
)
from .settings import ENV_THREAD, ENV_WRITE, WriteMode
from .shapes import INT, STR, Difference, obj
from .shapes_ed import UPLOADED_FILE

__all__ = ["WRITE_CHECKS", "PostCommentCheck", "ToggleCheck", "UploadCheck"]

# Ed sends an empty body for actions, with status 204 or 200 (201 in one client).
_ACTION_OK = frozenset({200, 201, 204})
_CREATED_OK = frozenset({200, 201})
_STAFF_ROLES = frozenset({"staff", "admin"})

COMMENT_OPENING = "Posted by the pyedstem contract suite"
COMMENT_TEXT = (
    f"{COMMENT_OPENING} to check the comment route. It is private and safe to delete."
)
_COMMENT_DOCUMENT = (
    f'<document version="2.0"><paragraph>{COMMENT_TEXT}</paragraph></document>'
)
# A 1x1 transparent PNG, the smallest image Ed would show.
_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
UPLOAD_NAME = "pyedstem-contract-check.png"


def write_skip_reason(session: Session, tier: Tier) -> str | None:
    """Return why writes of `tier` may not run, or None when they may."""
    mode = session.target.write_mode
    if mode is WriteMode.OFF:
        value = "all" if tier is Tier.PERMANENT else "1"
        return f"writes are off; set {ENV_WRITE}={value} and {ENV_THREAD} to run it"
    if tier is Tier.PERMANENT and mode is not WriteMode.ALL:
        return f"Ed cannot undo this write; set {ENV_WRITE}=all to run it"
    return session.write_problem


def check_write_thread(session: Session) -> None:
    """Make sure the named thread exists and belongs to the course, before any write."""
    thread_id = session.ids.get("write_thread_id")
    if thread_id is None:
        session.write_problem = f"no thread is named in {ENV_THREAD}"
        return
    exchange = _get_thread(session, thread_id)
    thread = _thread_of(exchange)
    if thread is None:
        session.write_problem = (
            f"the thread named in {ENV_THREAD} could not be read "
            f"(status {exchange.status}), so nothing was written"
        )
    elif thread.get("course_id") != session.target.course_id:
        session.write_problem = (
            f"the thread named in {ENV_THREAD} is not in the course, so nothing "
            "was written"
        )


def _get_thread(session: Session, thread_id: int) -> Exchange:
    return session.send(
        APIRequest("GET", "/threads/{thread_id}", {"thread_id": thread_id})
    )


def _thread_of(exchange: Exchange) -> dict[str, Any] | None:
    if exchange.response is None:
        return None
    body = decoded(exchange.response)
    thread = body.get("thread") if isinstance(body, dict) else None
    return thread if isinstance(thread, dict) else None


def _describe_value(value: Any) -> str:
    """Describe a flag or a vote, the only values a toggle reads back."""
    if isinstance(value, bool) or (isinstance(value, int) and -1 <= value <= 1):
        return str(value).lower()
    return "a " + type(value).__name__ if value is not None else "null"


@dataclass(frozen=True, slots=True)
class ToggleCheck:
    """An action and its opposite on the named thread, such as lock and unlock.

    Attributes:
        on: The action that sets the field, such as ``lock``.
        off: The action that clears it.
        field: The thread field the actions set; pyedstem's check after an
            unknown write outcome reads it.
        on_value: The field's value after `on`.
        off_value: The field's value after `off`.
        staff_only: Whether the actions need a staff role.
    """

    on: CheckInfo
    off: CheckInfo
    field: str
    on_value: Any
    off_value: Any
    staff_only: bool = False

    @property
    def infos(self) -> tuple[CheckInfo, ...]:
        """The route list entries of this check."""
        return (self.on, self.off)

    def run(self, session: Session) -> list[CheckResult]:
        """Send both actions, the undo last, and check the thread afterwards."""
        reason = write_skip_reason(session, Tier.REVERSIBLE)
        if reason is None and self.staff_only and session.course_role == "student":
            reason = "needs a staff or admin role in the course"
        if reason is not None:
            return [skipped(self.on, reason), skipped(self.off, reason)]

        thread_id = session.ids["write_thread_id"]
        original, problem = self._read(session, thread_id)
        if problem is not None:
            return [
                CheckResult(info, Outcome.UNCHECKED, reason=problem)
                for info in self.infos
            ]

        steps = [(self.on, self.on_value), (self.off, self.off_value)]
        if original == self.on_value:
            steps.reverse()
        results = {
            info.id: self._act(session, thread_id, info, value) for info, value in steps
        }

        final, problem = self._read(session, thread_id)
        first, undo = steps[0][0], steps[1][0]
        restored = problem is None and final == original
        session.cleanup.append(
            CleanupNote(
                f"sent {_verb(first)} and then {_verb(undo)} to the thread",
                restored,
                f"the thread's {self.field} is back to {_describe_value(original)}"
                if restored
                else f"the thread's {self.field} may still differ from before "
                f"({_describe_value(original)}); open the thread on Ed and set it back",
            )
        )
        return [results[self.on.id], results[self.off.id]]

    def _act(
        self, session: Session, thread_id: int, info: CheckInfo, value_after: Any
    ) -> CheckResult:
        operation = thread_action(thread_id, _verb(info))
        exchange = session.send(next(operation))
        allowed = _ACTION_OK
        if self.staff_only and session.course_role not in _STAFF_ROLES:
            # Whether Ed lets tutors and mentors do this is not known.
            allowed = allowed | {403}
        differences = status_difference(exchange, allowed)
        if exchange.response is not None and not differences:
            differences = empty_body_differences(exchange)
            differences += parse_differences(operation, exchange.response)
            after, problem = self._read(session, thread_id)
            where = f"thread.{self.field} after the action"
            if problem is not None:
                differences.append(
                    Difference(where, _describe_value(value_after), problem)
                )
            elif after != value_after:
                differences.append(
                    Difference(
                        where, _describe_value(value_after), _describe_value(after)
                    )
                )
        operation.close()
        return finish(info, exchange, differences)

    def _read(self, session: Session, thread_id: int) -> tuple[Any, str | None]:
        exchange = _get_thread(session, thread_id)
        thread = _thread_of(exchange)
        if thread is None:
            return None, f"GET /threads/{{thread_id}} failed (status {exchange.status})"
        if self.field not in thread:
            return None, f"GET /threads/{{thread_id}} has no {self.field} field"
        return thread[self.field], None


def _verb(info: CheckInfo) -> str:
    return info.route.rsplit("/", 1)[-1]


def _toggle(
    on: str,
    off: str,
    evidence: Evidence,
    field: str,
    values: tuple[Any, Any],
    *,
    staff_only: bool = False,
) -> ToggleCheck:
    def info(action: str) -> CheckInfo:
        return CheckInfo(
            f"threads.{action}",
            "POST",
            f"/threads/{{thread_id}}/{action}",
            evidence,
            "empty body and effect",
            Tier.REVERSIBLE,
        )

    return ToggleCheck(info(on), info(off), field, *values, staff_only=staff_only)


@dataclass(frozen=True, slots=True)
class PostCommentCheck:
    """The check that posts a private comment to the named thread, as pyedstem does."""

    info: CheckInfo

    @property
    def infos(self) -> tuple[CheckInfo, ...]:
        """The route list entries of this check."""
        return (self.info,)

    def run(self, session: Session) -> list[CheckResult]:
        """Post the comment and compare the response."""
        reason = write_skip_reason(session, Tier.PERMANENT)
        if reason is not None:
            return [skipped(self.info, reason)]
        operation = post_comment(
            session.ids["write_thread_id"],
            comment_type="comment",
            document=_COMMENT_DOCUMENT,
            is_private=True,
        )
        exchange = session.send(next(operation))
        differences = status_difference(exchange, _CREATED_OK)
        if exchange.response is not None and not differences:
            shape = obj(
                comment=obj(
                    id=INT,
                    user_id=INT,
                    thread_id=INT,
                    type=STR,
                    content=STR,
                    created_at=STR,
                )
            )
            differences = body_differences(exchange, shape)
            differences += parse_differences(operation, exchange.response)
        operation.close()
        if exchange.response is not None or exchange.failure is not None:
            session.cleanup.append(
                CleanupNote(
                    "posted a private comment to the thread"
                    if exchange.response is not None
                    else "may have posted a private comment to the thread",
                    False,
                    "no route to delete comments is known; delete it on the "
                    f"thread's page on Ed (it starts with {COMMENT_OPENING!r})",
                )
            )
        return [finish(self.info, exchange, differences)]


@dataclass(frozen=True, slots=True)
class UploadCheck:
    """The check that uploads a 1x1 PNG, as pyedstem does."""

    info: CheckInfo

    @property
    def infos(self) -> tuple[CheckInfo, ...]:
        """The route list entries of this check."""
        return (self.info,)

    def run(self, session: Session) -> list[CheckResult]:
        """Upload the image and compare the response."""
        reason = write_skip_reason(session, Tier.PERMANENT)
        if reason is not None:
            return [skipped(self.info, reason)]
        operation = upload_file(
            (UPLOAD_NAME, _PIXEL_PNG, "image/png"),
            static_base_url=session.client._pipeline.endpoints.static_base_url,
        )
        exchange = session.send(next(operation))
        differences = status_difference(exchange, _CREATED_OK)
        if exchange.response is not None and not differences:
            differences = body_differences(exchange, obj(file=UPLOADED_FILE))
            differences += parse_differences(operation, exchange.response)
        operation.close()
        if exchange.response is not None or exchange.failure is not None:
            session.cleanup.append(
                CleanupNote(
                    f"uploaded a 1x1 image, {UPLOAD_NAME}",
                    False,
                    "no route to delete files is known; the file is linked from "
                    "no post",
                )
            )
        return [finish(self.info, exchange, differences)]


WRITE_CHECKS = (
    _toggle("star", "unstar", Evidence.HIGH, "is_starred", (True, False)),
    _toggle("upvote", "unvote", Evidence.MEDIUM, "vote", (1, 0)),
    _toggle(
        "lock", "unlock", Evidence.HIGH, "is_locked", (True, False), staff_only=True
    ),
    _toggle(
        "pin", "unpin", Evidence.MEDIUM, "is_pinned", (True, False), staff_only=True
    ),
    _toggle(
        "endorse",
        "unendorse",
        Evidence.MEDIUM,
        "is_endorsed",
        (True, False),
        staff_only=True,
    ),
    PostCommentCheck(
        CheckInfo(
            "threads.comment",
            "POST",
            "/threads/{thread_id}/comments",
            Evidence.HIGH,
            "post a private comment",
            Tier.PERMANENT,
        )
    ),
    UploadCheck(
        CheckInfo(
            "files.upload", "POST", "/files", Evidence.HIGH, "upload", Tier.PERMANENT
        )
    ),
)
"""The write checks, in the order they run."""
