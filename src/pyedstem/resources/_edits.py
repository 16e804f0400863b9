"""Fetch-merge-write edits of Ed objects that must be sent back whole.

Ed's update routes for lessons, slides and challenges reset the fields that
a body leaves out, so an edit fetches the object, merges the changes into it
and sends every field back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from .._operation import APIRequest, Operation
from ..errors import InvalidArgumentError, WriteOutcomeUnknownError
from ._parse import object_field

T = TypeVar("T")


def deep_merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return `base` with `changes` applied, merging nested objects key by key."""
    merged = dict(base)
    for key, value in changes.items():
        current = merged.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def contains(actual: Any, expected: Any) -> bool:
    """Check that `actual` has every value of `expected`, recursing into objects."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and contains(actual[key], value)
            for key, value in expected.items()
        )
    return bool(actual == expected)


def edit_whole_object(
    get: APIRequest,
    key: str,
    changes: dict[str, Any],
    *,
    build_write: Callable[[dict[str, Any]], APIRequest],
    parse: Callable[[dict[str, Any]], T],
    leave_out: frozenset[str] = frozenset(),
) -> Operation[T]:
    """Fetch the object under `key`, merge `changes` and send it back whole.

    `leave_out` names keys of the fetched object that are not its own fields,
    such as a lesson's ``slides``. When the connection fails after the write
    was sent, the raised `WriteOutcomeUnknownError` checks whether the object
    now has the changed values.
    """
    if not changes:
        raise InvalidArgumentError(
            "Nothing to update: pass at least one field to change."
        )
    current = object_field(key)((yield get))
    kept = {name: value for name, value in current.items() if name not in leave_out}
    try:
        response = yield build_write(deep_merge(kept, changes))
    except WriteOutcomeUnknownError as exc:
        exc.checker = lambda: find_object_state(get, key, changes, parse)
        raise
    return parse(object_field(key)(response))


def find_object_state(
    get: APIRequest,
    key: str,
    expected: dict[str, Any],
    parse: Callable[[dict[str, Any]], T],
) -> Operation[T | None]:
    """Fetch an object and return it if it has the expected values, else None."""
    current = object_field(key)((yield get))
    return parse(current) if contains(current, expected) else None


def iso_time(value: datetime | str) -> str:
    """Return a timestamp in the ISO 8601 form Ed stores.

    Raises:
        InvalidArgumentError: A datetime has no timezone, so its instant is
            unknown.
    """
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        raise InvalidArgumentError(
            f"The datetime {value.isoformat()} has no timezone; pass an aware "
            "datetime, such as datetime(2025, 3, 1, 9, tzinfo=ZoneInfo(...))."
        )
    return value.isoformat()


def set_fields(**fields: Any) -> dict[str, Any]:
    """Return the fields that are not None, for an edit that keeps the rest."""
    return {name: value for name, value in fields.items() if value is not None}
