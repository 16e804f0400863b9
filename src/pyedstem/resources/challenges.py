"""Code challenges."""

from __future__ import annotations

import builtins
from typing import Any

from .._operation import Operation
from ._base import AsyncResource, SyncResource, async_twin_of
from ._parse import get_list

__all__ = ["AsyncChallenges", "Challenges"]


def list_challenges(course_id: int) -> Operation[builtins.list[dict[str, Any]]]:
    """Fetch a course's challenges."""
    return get_list(
        "/courses/{course_id}/challenges", "challenges", course_id=course_id
    )


class Challenges(SyncResource):
    """Code challenges of a course."""

    def list(self, course_id: int) -> builtins.list[dict[str, Any]]:
        """List a course's challenges.

        Endpoint: ``GET /courses/{course_id}/challenges``.
        """
        return self._run(list_challenges(course_id))


@async_twin_of(Challenges)
class AsyncChallenges(AsyncResource):
    async def list(self, course_id: int) -> builtins.list[dict[str, Any]]:
        return await self._run(list_challenges(course_id))
