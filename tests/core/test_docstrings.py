"""Public methods document their parameters and return values.

The API reference is generated from Google-style docstrings, so a method
without an ``Args:`` or ``Returns:`` section has no parameter or return table
there. The async resource classes copy their docstrings from the sync ones at
import time, so checking the sync classes covers both.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import pytest

import pyedstem.content
from pyedstem import EdStemClient

SECTION_HEADER = re.compile(r"^\s*(\w[\w ]*):\s*$", re.MULTILINE)
ARGUMENT_LINE = re.compile(r"^\s+\**(\w+)(?: \([^)]*\))?:", re.MULTILINE)


def _public_methods(cls: type) -> dict[str, Callable[..., Any]]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def _documented_callables() -> dict[str, Callable[..., Any]]:
    client = EdStemClient("token")
    try:
        groups = [
            type(value)
            for name, value in sorted(vars(client).items())
            if not name.startswith("_") and hasattr(value, "_pipeline")
        ]
    finally:
        client.close()
    found: dict[str, Callable[..., Any]] = {}
    for cls in [*groups, EdStemClient]:
        for name, method in _public_methods(cls).items():
            found[f"{cls.__name__}.{name}"] = method
    for name in pyedstem.content.__all__:
        value = getattr(pyedstem.content, name)
        if inspect.isfunction(value):
            found[f"content.{name}"] = value
    return found


def _sections(docstring: str) -> dict[str, str]:
    """Split a Google-style docstring into its sections, keyed by header."""
    headers = list(SECTION_HEADER.finditer(docstring))
    sections: dict[str, str] = {}
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else None
        sections[header.group(1)] = docstring[header.end() : end]
    return sections


def _parameter_names(function: Callable[..., Any]) -> list[str]:
    parameters = inspect.signature(function).parameters.values()
    return [p.name for p in parameters if p.name not in ("self", "cls")]


def _returns_none(function: Callable[..., Any]) -> bool:
    annotation = inspect.signature(function).return_annotation
    return annotation in (None, "None")


CALLABLES = _documented_callables()


def test_walk_finds_every_group() -> None:
    owners = {qualified.split(".")[0] for qualified in CALLABLES}
    expected = {"Threads", "Comments", "Lessons", "Challenges", "EdStemClient"}
    assert expected <= owners
    assert "content" in owners


@pytest.mark.parametrize("qualified", sorted(CALLABLES))
def test_docstring_lists_parameters(qualified: str) -> None:
    function = CALLABLES[qualified]
    names = _parameter_names(function)
    if not names:
        return
    sections = _sections(inspect.getdoc(function) or "")
    assert "Args" in sections, f"{qualified} has parameters but no Args section"
    documented = ARGUMENT_LINE.findall(sections["Args"])
    missing = [name for name in names if name not in documented]
    assert not missing, f"{qualified} does not document {missing}"


@pytest.mark.parametrize("qualified", sorted(CALLABLES))
def test_docstring_describes_result(qualified: str) -> None:
    function = CALLABLES[qualified]
    if _returns_none(function):
        return
    sections = _sections(inspect.getdoc(function) or "")
    has_result = "Returns" in sections or "Yields" in sections
    assert has_result, f"{qualified} returns a value but has no Returns section"
