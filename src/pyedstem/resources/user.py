"""The account behind the token: profile, enrollments, tokens and activity."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from .._constants import ACTIVITY_PAGE_MAX
from .._operation import APIRequest, APIResponse, Operation, check_id, single
from ..errors import InvalidArgumentError
from ..models import CurrentUserResponse
from ._base import AsyncResource, OffsetPager, SyncResource, async_twin_of
from ._parse import list_field

__all__ = ["AsyncUser", "User"]

ACTIVITY_FILTERS = frozenset({"all", "thread", "answer", "comment"})


def get_current_user() -> Operation[CurrentUserResponse]:
    """Fetch the token's account, enrollments and realms."""
    return single(
        APIRequest("GET", "/user"),
        lambda r: CurrentUserResponse.model_validate(r.json_object()),
    )


def list_tokens() -> Operation[list[dict[str, Any]]]:
    """List the account's API tokens."""
    return single(APIRequest("GET", "/user/tokens"), list_field("tokens"))


def activity_pager(
    user_id: int, *, course_id: int, limit: int | None, filter_by: str
) -> OffsetPager[dict[str, Any]]:
    """Build the pager over a user's activity, in pages of Ed's maximum of 50."""
    check_id("user_id", user_id)
    check_id("course_id", course_id)
    if limit is not None and limit < 1:
        raise InvalidArgumentError(f"limit must be 1 or more, got {limit!r}.")
    if filter_by not in ACTIVITY_FILTERS:
        known = ", ".join(sorted(ACTIVITY_FILTERS))
        raise InvalidArgumentError(
            f"Unknown activity filter {filter_by!r}; use one of: {known}."
        )

    def build(size: int, offset: int) -> APIRequest:
        # NOTE: clients disagree on the course parameter's name (courseID in
        # the older clients, course_id in the 2026 ones), so both are sent.
        return APIRequest(
            "GET",
            "/users/{user_id}/profile/activity",
            {"user_id": user_id},
            params={
                "courseID": course_id,
                "course_id": course_id,
                "limit": size,
                "offset": offset,
                "filter": filter_by,
            },
        )

    def parse(response: APIResponse) -> list[dict[str, Any]]:
        return list_field("items")(response)

    return OffsetPager(build, parse, page_size=ACTIVITY_PAGE_MAX, max_items=limit)


class User(SyncResource):
    """The account behind the API token."""

    def get_activity(
        self, user_id: int, *, course_id: int, limit: int, filter_by: str
    ) -> list[dict[str, Any]]:
        """Fetch a user's recent threads, answers and comments in a course.

        Endpoint: ``GET /users/{user_id}/profile/activity``. Ed returns at most
        50 items a request; larger limits are fetched page by page.

        Args:
            user_id: Numeric Ed user id.
            course_id: The course to look in.
            limit: Maximum number of items.
            filter_by: ``all``, ``thread``, ``answer`` or ``comment``.

        Returns:
            Activity items, newest first, each ``{"type", "value"}``.
        """
        pager = activity_pager(
            user_id, course_id=course_id, limit=limit, filter_by=filter_by
        )
        return list(self._iterate(pager))

    def iter_activity(
        self, user_id: int, *, course_id: int, filter_by: str = "all"
    ) -> Iterator[dict[str, Any]]:
        """Iterate over all of a user's activity in a course.

        Endpoint: ``GET /users/{user_id}/profile/activity``, 50 items a page.

        Args:
            user_id: Numeric Ed user id.
            course_id: The course to look in.
            filter_by: ``all``, ``thread``, ``answer`` or ``comment``.

        Yields:
            Each activity item, newest first.
        """
        return self._iterate(
            activity_pager(
                user_id, course_id=course_id, limit=None, filter_by=filter_by
            )
        )

    def get_current_user(self) -> CurrentUserResponse:
        """Fetch the token's account with its course enrollments.

        Endpoint: ``GET /user``.

        Returns:
            The account, its enrollments and realms.

        Raises:
            AuthenticationError: Ed rejected the token.
        """
        return self._run(get_current_user())

    def list_tokens(self) -> list[dict[str, Any]]:
        """List the API tokens of the account.

        Endpoint: ``GET /user/tokens``.

        Returns:
            The tokens as raw dictionaries.
        """
        return self._run(list_tokens())


@async_twin_of(User)
class AsyncUser(AsyncResource):
    async def get_activity(
        self, user_id: int, *, course_id: int, limit: int, filter_by: str
    ) -> list[dict[str, Any]]:
        pager = activity_pager(
            user_id, course_id=course_id, limit=limit, filter_by=filter_by
        )
        return [item async for item in self._iterate(pager)]

    def iter_activity(
        self, user_id: int, *, course_id: int, filter_by: str = "all"
    ) -> AsyncIterator[dict[str, Any]]:
        return self._iterate(
            activity_pager(
                user_id, course_id=course_id, limit=None, filter_by=filter_by
            )
        )

    async def get_current_user(self) -> CurrentUserResponse:
        return await self._run(get_current_user())

    async def list_tokens(self) -> list[dict[str, Any]]:
        return await self._run(list_tokens())
