"""The base classes of the resource groups: operation runners and the pager."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Hashable, Iterator
from typing import Any, Generic, TypeVar

from .._operation import (
    APIRequest,
    APIResponse,
    Operation,
    parse_response,
    run_async,
    run_sync,
)
from .._pipeline import AsyncPipeline, SyncPipeline

T = TypeVar("T")
ResourceT = TypeVar("ResourceT", bound=type)


class OffsetPager(Generic[T]):
    """Walks a limit/offset list endpoint, without I/O.

    Ed's list responses carry no total and no next-page marker, and Ed clips
    `limit` to a maximum (100 for threads). The pager requests pages of at
    most that size, advances the offset by what arrived, and stops at an
    empty page or at a page shorter than it requested. Items already yielded
    are skipped by key, because offsets drift when new threads arrive while
    the walk is under way.
    """

    def __init__(
        self,
        build: Callable[[int, int], APIRequest],
        parse: Callable[[APIResponse], list[T]],
        *,
        page_size: int,
        key: Callable[[T], Hashable] | None = None,
        max_items: int | None = None,
    ) -> None:
        self._build = build
        self._parse = parse
        self._page_size = page_size
        self._key = key
        self._max_items = max_items
        self._offset = 0
        self._count = 0
        self._done = False
        self._seen: set[Hashable] = set()

    def next_request(self) -> APIRequest | None:
        """Return the request for the next page, or None when the walk is over."""
        if self._done:
            return None
        limit = self._page_size
        if self._max_items is not None:
            limit = min(limit, self._max_items - self._count)
        return self._build(limit, self._offset)

    def feed(self, response: APIResponse) -> list[T]:
        """Take one page's response and return its items not yet seen."""
        request = response.request
        requested = int(request.query.get("limit", self._page_size))
        items = self._parse(response)
        self._offset += len(items)
        if len(items) < requested or not items:
            self._done = True
        fresh = items
        if self._key is not None:
            fresh = []
            for item in items:
                key = self._key(item)
                if key not in self._seen:
                    self._seen.add(key)
                    fresh.append(item)
        if self._max_items is not None:
            fresh = fresh[: self._max_items - self._count]
            if self._count + len(fresh) >= self._max_items:
                self._done = True
        self._count += len(fresh)
        return fresh


class SyncResource:
    """Base of the blocking resource groups."""

    def __init__(self, pipeline: SyncPipeline) -> None:
        self._pipeline = pipeline

    def _run(self, operation: Operation[T]) -> T:
        return run_sync(operation, self._pipeline.send)

    def _iterate(self, pager: OffsetPager[T]) -> Iterator[T]:
        while (request := pager.next_request()) is not None:
            yield from parse_response(self._pipeline.send(request), pager.feed)


class AsyncResource:
    """Base of the asyncio resource groups."""

    def __init__(self, pipeline: AsyncPipeline) -> None:
        self._pipeline = pipeline

    async def _run(self, operation: Operation[T]) -> T:
        return await run_async(operation, self._pipeline.send)

    async def _iterate(self, pager: OffsetPager[T]) -> AsyncIterator[T]:
        while (request := pager.next_request()) is not None:
            response = await self._pipeline.send(request)
            for item in parse_response(response, pager.feed):
                yield item


def async_twin_of(sync_cls: type) -> Callable[[ResourceT], ResourceT]:
    """Give an async resource class the docstrings of its sync twin.

    The sync class carries the documentation once; the async methods take it
    over, with a first line that says they are awaitable.
    """

    def decorate(async_cls: ResourceT) -> ResourceT:
        if async_cls.__doc__ is None and sync_cls.__doc__:
            async_cls.__doc__ = (
                f"Async twin of `{sync_cls.__name__}`.\n\n{sync_cls.__doc__}"
            )
        for name, member in vars(async_cls).items():
            twin: Any = getattr(sync_cls, name, None)
            if name.startswith("_") or twin is None or not callable(member):
                continue
            if member.__doc__ is None and twin.__doc__:
                member.__doc__ = inspect.cleandoc(twin.__doc__)
        return async_cls

    return decorate
