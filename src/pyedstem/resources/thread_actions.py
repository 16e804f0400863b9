"""Thread actions: lock, pin, endorse, star, vote, accept and mark duplicate.

Each action is one body-less ``POST`` that sets a few fields of a thread.
`ThreadActions` and `AsyncThreadActions` are part of the ``client.threads``
group; `Threads` and `AsyncThreads` inherit them.
"""

from __future__ import annotations

from typing import Any

from .._operation import APIRequest, APIResponse, Operation, check_id
from ..errors import InvalidArgumentError, NotFoundError, WriteOutcomeUnknownError
from ..models import ThreadDetail
from ._base import AsyncResource, SyncResource, async_twin_of
from ._discussion import get_request, parse_thread_detail

__all__ = ["AsyncThreadActions", "ThreadActions"]

# The fields each action sets, which a check after an unknown outcome reads.
_ACTION_STATE: dict[str, dict[str, Any]] = {
    "lock": {"is_locked": True},
    "unlock": {"is_locked": False},
    "pin": {"is_pinned": True},
    "unpin": {"is_pinned": False},
    "endorse": {"is_endorsed": True},
    "unendorse": {"is_endorsed": False},
    "star": {"is_starred": True},
    "unstar": {"is_starred": False},
    "upvote": {"vote": 1},
    "unvote": {"vote": 0},
}


def find_thread_state(
    thread_id: int, expected: dict[str, Any]
) -> Operation[ThreadDetail | None]:
    """Fetch a thread and return it if its fields have the expected values."""
    thread = parse_thread_detail((yield get_request(thread_id)))
    raw = thread.model_dump()
    if all(raw.get(key) == value for key, value in expected.items()):
        return thread
    return None


def thread_action(thread_id: int, action: str) -> Operation[None]:
    """Send one of Ed's body-less thread actions, such as ``lock``."""
    check_id("thread_id", thread_id)
    request = APIRequest(
        "POST", f"/threads/{{thread_id}}/{action}", {"thread_id": thread_id}
    )
    yield from send_checked(request, thread_id, _ACTION_STATE[action])


def send_checked(
    request: APIRequest, thread_id: int, expected: dict[str, Any]
) -> Operation[APIResponse]:
    """Send a write that changes a thread's fields to the `expected` values.

    When the connection fails after sending, the raised
    `WriteOutcomeUnknownError` checks the thread for those values.
    """
    try:
        return (yield request)
    except WriteOutcomeUnknownError as exc:
        exc.checker = lambda: find_thread_state(thread_id, expected)
        raise


def accept_answer(thread_id: int, answer_id: int) -> Operation[None]:
    """Mark an answer of a thread as the accepted one.

    NOTE: other clients use two routes, ``POST /comments/{comment_id}/accept``
    and ``POST /threads/{thread_id}/accept/{comment_id}``. The first is sent,
    and the second only when Ed returns 404 for the first.
    """
    check_id("thread_id", thread_id)
    check_id("answer_id", answer_id)
    thread = parse_thread_detail((yield get_request(thread_id)))
    if not any(answer.id == answer_id for answer in thread.answers):
        raise InvalidArgumentError(
            f"Comment {answer_id} is not an answer of thread {thread_id}; "
            "pass the id of one of the thread's answers."
        )
    expected = {"accepted_id": answer_id}
    try:
        yield from send_checked(
            APIRequest(
                "POST", "/comments/{comment_id}/accept", {"comment_id": answer_id}
            ),
            thread_id,
            expected,
        )
    except NotFoundError:
        fallback = APIRequest(
            "POST",
            "/threads/{thread_id}/accept/{comment_id}",
            {"thread_id": thread_id, "comment_id": answer_id},
        )
        yield from send_checked(fallback, thread_id, expected)


def mark_duplicate(thread_id: int, duplicate_of: int) -> Operation[None]:
    """Mark a thread as a duplicate of another thread of the same course.

    NOTE: only one client uses this route, and none shows its response.
    """
    check_id("thread_id", thread_id)
    check_id("duplicate_of", duplicate_of)
    if thread_id == duplicate_of:
        raise InvalidArgumentError(
            f"A thread cannot duplicate itself; got {thread_id} twice."
        )
    request = APIRequest(
        "POST",
        "/threads/{thread_id}/mark_duplicate",
        {"thread_id": thread_id},
        json={"duplicate_id": duplicate_of},
    )
    yield from send_checked(request, thread_id, {"duplicate_id": duplicate_of})


class ThreadActions(SyncResource):
    """Moderation and per-user thread actions, part of `Threads`."""

    def lock(self, thread_id: int) -> None:
        """Lock a thread, so that no one but staff can reply or edit it.

        Endpoint: ``POST /threads/{thread_id}/lock``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "lock"))

    def unlock(self, thread_id: int) -> None:
        """Unlock a locked thread.

        Endpoint: ``POST /threads/{thread_id}/unlock``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "unlock"))

    def pin(self, thread_id: int) -> None:
        """Pin a thread to the top of the course's thread list.

        Endpoint: ``POST /threads/{thread_id}/pin``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "pin"))

    def unpin(self, thread_id: int) -> None:
        """Unpin a pinned thread.

        Endpoint: ``POST /threads/{thread_id}/unpin``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "unpin"))

    def endorse(self, thread_id: int) -> None:
        """Endorse a thread as staff.

        Endpoint: ``POST /threads/{thread_id}/endorse``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "endorse"))

    def unendorse(self, thread_id: int) -> None:
        """Withdraw the staff endorsement of a thread.

        Endpoint: ``POST /threads/{thread_id}/unendorse``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "unendorse"))

    def star(self, thread_id: int) -> None:
        """Star a thread for the token's user.

        Endpoint: ``POST /threads/{thread_id}/star``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "star"))

    def unstar(self, thread_id: int) -> None:
        """Remove the token's user's star from a thread.

        Endpoint: ``POST /threads/{thread_id}/unstar``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "unstar"))

    def upvote(self, thread_id: int) -> None:
        """Upvote a thread as the token's user.

        Endpoint: ``POST /threads/{thread_id}/upvote``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "upvote"))

    def unvote(self, thread_id: int) -> None:
        """Withdraw the token's user's vote on a thread.

        Endpoint: ``POST /threads/{thread_id}/unvote``.

        Args:
            thread_id: Global Ed id of the thread.

        Raises:
            InvalidArgumentError: ``thread_id`` is not a positive integer.
            NotFoundError: No such thread in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(thread_action(thread_id, "unvote"))

    def accept_answer(self, thread_id: int, answer_id: int) -> None:
        """Accept one of a question's answers.

        Endpoint: ``POST /comments/{answer_id}/accept``, or ``POST
        /threads/{thread_id}/accept/{answer_id}`` when Ed returns 404 for
        the first route. A ``GET /threads/{thread_id}`` first checks that the
        answer belongs to the thread.

        Args:
            thread_id: Global Ed id of the question thread.
            answer_id: Numeric Ed id of the answer to accept.

        Raises:
            InvalidArgumentError: An id is not a positive integer, or the
                comment is not an answer of the thread.
            NotFoundError: No such thread in this region.
            PermissionDeniedError: The token's user is neither the thread's
                author nor staff.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(accept_answer(thread_id, answer_id))

    def mark_duplicate(self, thread_id: int, *, duplicate_of: int) -> None:
        """Mark a thread as a duplicate of an earlier thread.

        Endpoint: ``POST /threads/{thread_id}/mark_duplicate``.

        Args:
            thread_id: The thread that repeats a question.
            duplicate_of: The global id of the thread it duplicates.

        Raises:
            InvalidArgumentError: An id is not a positive integer, or both ids
                are the same thread.
            PermissionDeniedError: The token's user is not staff in the course.
            NotFoundError: Either thread does not exist in this region.
            WriteOutcomeUnknownError: The outcome of the action is unknown, and
                ``client.check_write(error)`` returns the thread if it landed.
        """
        self._run(mark_duplicate(thread_id, duplicate_of))


@async_twin_of(ThreadActions)
class AsyncThreadActions(AsyncResource):
    async def lock(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "lock"))

    async def unlock(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "unlock"))

    async def pin(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "pin"))

    async def unpin(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "unpin"))

    async def endorse(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "endorse"))

    async def unendorse(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "unendorse"))

    async def star(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "star"))

    async def unstar(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "unstar"))

    async def upvote(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "upvote"))

    async def unvote(self, thread_id: int) -> None:
        await self._run(thread_action(thread_id, "unvote"))

    async def accept_answer(self, thread_id: int, answer_id: int) -> None:
        await self._run(accept_answer(thread_id, answer_id))

    async def mark_duplicate(self, thread_id: int, *, duplicate_of: int) -> None:
        await self._run(mark_duplicate(thread_id, duplicate_of))
