"""The sync and async clients expose the same methods with the same signatures."""

from __future__ import annotations

import inspect
import typing
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from pyedstem import AsyncEdStemClient, EdStemClient

ONLY_SYNC = {"close"}
ONLY_ASYNC = {"aclose"}


def _groups() -> list[str]:
    client = EdStemClient("token")
    try:
        return sorted(
            name
            for name, value in vars(client).items()
            if not name.startswith("_") and hasattr(value, "_pipeline")
        )
    finally:
        client.close()


def _public_methods(cls: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, callable)
        if not name.startswith("_")
    }


def _normalised_return(function: Any) -> Any:
    hints = typing.get_type_hints(function)
    annotation = hints.get("return")
    origin = typing.get_origin(annotation)
    if origin in (Iterator, AsyncIterator):
        return ("iterator", typing.get_args(annotation))
    return annotation


def _parameters(function: Any) -> list[tuple[str, Any, Any]]:
    hints = typing.get_type_hints(function)
    return [
        (p.name, p.kind, p.default, hints.get(p.name))
        for p in inspect.signature(function).parameters.values()
    ]


GROUPS = _groups()


def test_both_clients_have_the_same_groups() -> None:
    client = AsyncEdStemClient("token")
    async_groups = sorted(
        name
        for name, value in vars(client).items()
        if not name.startswith("_") and hasattr(value, "_pipeline")
    )
    assert async_groups == GROUPS
    assert {"user", "courses", "threads", "lessons", "analytics", "challenges"} <= set(
        GROUPS
    )


@pytest.mark.parametrize("group", GROUPS)
def test_group_twins_match(group: str) -> None:
    sync_cls = type(getattr(EdStemClient("token"), group))
    async_cls = type(getattr(AsyncEdStemClient("token"), group))
    sync_methods = _public_methods(sync_cls)
    async_methods = _public_methods(async_cls)
    assert sorted(sync_methods) == sorted(async_methods)
    for name, sync_method in sync_methods.items():
        async_method = async_methods[name]
        assert _parameters(sync_method) == _parameters(async_method), name
        assert _normalised_return(sync_method) == _normalised_return(async_method), name
        if name.startswith("iter_"):
            assert not inspect.iscoroutinefunction(async_method), name
        else:
            assert inspect.iscoroutinefunction(async_method), name
        assert async_method.__doc__, f"{async_cls.__name__}.{name} has no docstring"


def test_client_twins_match() -> None:
    sync_methods = set(_public_methods(EdStemClient)) - ONLY_SYNC
    async_methods = set(_public_methods(AsyncEdStemClient)) - ONLY_ASYNC
    assert sync_methods == async_methods
    for name in sync_methods:
        sync_params = _parameters(getattr(EdStemClient, name))
        async_params = _parameters(getattr(AsyncEdStemClient, name))
        if name != "__init__":
            assert sync_params == async_params, name


@pytest.mark.parametrize("group", GROUPS)
def test_every_resource_method_names_its_route(group: str) -> None:
    sync_cls = type(getattr(EdStemClient("token"), group))
    for name, method in _public_methods(sync_cls).items():
        assert "Endpoint:" in (method.__doc__ or ""), f"{sync_cls.__name__}.{name}"


VERBS = ("list", "get", "iter", "create", "update", "delete", "search", "post")


@pytest.mark.parametrize("group", GROUPS)
def test_method_names_use_known_verbs(group: str) -> None:
    sync_cls = type(getattr(EdStemClient("token"), group))
    for name in _public_methods(sync_cls):
        verb = name.split("_")[0]
        assert verb in VERBS or verb in ACTIONS, f"{sync_cls.__name__}.{name}"


# Named Ed actions besides the standard verbs.
ACTIONS = {
    "lock",
    "unlock",
    "pin",
    "unpin",
    "endorse",
    "unendorse",
    "star",
    "unstar",
    "upvote",
    "unvote",
    "accept",
    "resolve",
    "unresolve",
    "reply",
    "mark",
    "upload",
    "export",
    "submit",
    "complete",
    "edit",
}
