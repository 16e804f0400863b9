"""Small response parsers shared by the resource groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._operation import APIRequest, APIResponse, Operation, check_id, single


def list_field(key: str) -> Callable[[APIResponse], list[dict[str, Any]]]:
    """Return a parser for a body whose `key` contains a list of objects.

    A missing key reads as an empty list, because Ed leaves out empty
    collections on some routes.
    """

    def parse(response: APIResponse) -> list[dict[str, Any]]:
        value = response.field(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise response.invalid(f"the field {key!r} is not a list")
        return value

    return parse


def object_field(key: str) -> Callable[[APIResponse], dict[str, Any]]:
    """Return a parser for a body whose `key` contains an object."""

    def parse(response: APIResponse) -> dict[str, Any]:
        value = response.field(key)
        if not isinstance(value, dict):
            raise response.invalid(f"the field {key!r} is not an object")
        return value

    return parse


def whole_object(response: APIResponse) -> dict[str, Any]:
    """Return the whole body as an object; an empty body gives ``{}``."""
    if not response.content.strip():
        return {}
    return response.json_object()


def nothing(response: APIResponse) -> None:
    """Accept any body of an action endpoint, including an empty one."""
    return


def get_list(
    route: str, key: str, **path_params: int
) -> Operation[list[dict[str, Any]]]:
    """Build a GET of a list of raw objects held under `key`."""
    for name, value in path_params.items():
        check_id(name, value)
    return single(APIRequest("GET", route, path_params), list_field(key))


def get_object(route: str, **path_params: int) -> Operation[dict[str, Any]]:
    """Build a GET whose whole body is returned as an object."""
    for name, value in path_params.items():
        check_id(name, value)
    return single(APIRequest("GET", route, path_params), whole_object)
