"""Expected JSON shapes and the comparison that lists how a body differs.

A shape lists the keys a response must have and the JSON type of each
value, so that a difference can be described without quoting the value
itself: ``threads[].user_id: expected integer, got string``. Nothing in a
`Difference` comes from a response except JSON type names, the number of
items affected and, for error codes, a snake_case code word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "ANY",
    "BOOL",
    "INT",
    "LIST",
    "NUMBER",
    "OBJECT",
    "STR",
    "Difference",
    "FieldSpec",
    "Shape",
    "compare",
    "const",
    "is_code_word",
    "json_type",
    "lazy",
    "list_of",
    "nullable",
    "obj",
    "optional",
]

# Ed's error codes are snake_case words such as ``bad_token``. Only strings of
# that form are shown, because any other string could be a name or a post.
_CODE_WORD = re.compile(r"[a-z]+(?:_[a-z]+)+")


def is_code_word(value: str) -> bool:
    """Check whether a string has the snake_case form of Ed's error codes."""
    return _CODE_WORD.fullmatch(value) is not None


def json_type(value: Any) -> str:
    """Return the JSON type name of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


@dataclass(frozen=True, slots=True)
class Difference:
    """One way in which a response differs from the expectation.

    Attributes:
        where: The place in the response, such as ``threads[].user_id``,
            ``status`` or ``body``.
        expected: What pyedstem expected there.
        received: What Ed sent, described by type, never by value.
        count: How many list items showed this difference.
    """

    where: str
    expected: str
    received: str
    count: int = 1

    def __str__(self) -> str:
        items = f" (in {self.count} items)" if self.count > 1 else ""
        return f"{self.where}: expected {self.expected}, got {self.received}{items}"


class Shape:
    """Base of the expected shapes."""

    def describe(self) -> str:
        """Name the expected value in a difference message."""
        raise NotImplementedError

    def check(self, value: Any, where: str, found: _Collector) -> None:
        """Record every way `value` differs from this shape."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class _Type(Shape):
    """A value of one JSON type, with any content."""

    kind: str
    nullable: bool = False

    def describe(self) -> str:
        return f"{self.kind} or null" if self.nullable else self.kind

    def check(self, value: Any, where: str, found: _Collector) -> None:
        if value is None and self.nullable:
            return
        actual = json_type(value)
        if self.kind == "any" or actual == self.kind:
            return
        if self.kind == "number" and actual == "integer":
            return
        found.add(where, self.describe(), actual)


@dataclass(frozen=True, slots=True)
class _Const(Shape):
    """One exact string, such as the error code ``bad_token``."""

    value: str
    nullable: bool = False

    def describe(self) -> str:
        return f"the string {self.value!r}"

    def check(self, value: Any, where: str, found: _Collector) -> None:
        if value == self.value or (value is None and self.nullable):
            return
        if isinstance(value, str):
            described = (
                f"the string {value!r}" if is_code_word(value) else "another string"
            )
            found.add(where, self.describe(), described)
            return
        found.add(where, self.describe(), json_type(value))


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A key of an object: its shape and whether Ed may leave it out."""

    shape: Shape
    required: bool = True


@dataclass(frozen=True, slots=True)
class _Object(Shape):
    """A JSON object with the listed keys; other keys are allowed."""

    fields: tuple[tuple[str, FieldSpec], ...]
    nullable: bool = False

    def describe(self) -> str:
        return "object or null" if self.nullable else "object"

    def check(self, value: Any, where: str, found: _Collector) -> None:
        if value is None and self.nullable:
            return
        if not isinstance(value, dict):
            found.add(where, self.describe(), json_type(value))
            return
        for key, spec in self.fields:
            path = f"{where}.{key}" if where else key
            if key not in value:
                if spec.required:
                    found.add(path, spec.shape.describe(), "no such key")
                continue
            spec.shape.check(value[key], path, found)


@dataclass(frozen=True, slots=True)
class _List(Shape):
    """A JSON array whose every item has the item shape."""

    item: Shape
    nullable: bool = False

    def describe(self) -> str:
        return "array or null" if self.nullable else "array"

    def check(self, value: Any, where: str, found: _Collector) -> None:
        if value is None and self.nullable:
            return
        if not isinstance(value, list):
            found.add(where, self.describe(), json_type(value))
            return
        for item in value:
            self.item.check(item, f"{where}[]", found)


@dataclass(frozen=True, slots=True)
class _Lazy(Shape):
    """A shape built on first use, for recursive shapes such as replies."""

    build: Callable[[], Shape]

    def describe(self) -> str:
        return self.build().describe()

    def check(self, value: Any, where: str, found: _Collector) -> None:
        self.build().check(value, where, found)


@dataclass(slots=True)
class _Collector:
    """Differences found so far, merged by place and kind, in order."""

    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def add(self, where: str, expected: str, received: str) -> None:
        key = (where or "body", expected, received)
        self.counts[key] = self.counts.get(key, 0) + 1

    def __iter__(self) -> Iterator[Difference]:
        for (where, expected, received), count in self.counts.items():
            yield Difference(where, expected, received, count)


INT: Shape = _Type("integer")
STR: Shape = _Type("string")
BOOL: Shape = _Type("boolean")
NUMBER: Shape = _Type("number")
OBJECT: Shape = _Type("object")
LIST: Shape = _Type("array")
ANY: Shape = _Type("any")


def nullable(shape: Shape) -> Shape:
    """Return a copy of `shape` that also accepts JSON null."""
    if isinstance(shape, _Type | _Const | _Object | _List):
        return replace(shape, nullable=True)
    raise TypeError(f"nullable() does not take {type(shape).__name__}")


def optional(shape: Shape) -> FieldSpec:
    """Mark an object key that Ed may leave out."""
    return FieldSpec(shape, required=False)


def obj(**fields: Shape | FieldSpec) -> Shape:
    """Build an object shape from its keys; other keys in the body are allowed."""
    specs = tuple(
        (key, spec if isinstance(spec, FieldSpec) else FieldSpec(spec))
        for key, spec in fields.items()
    )
    return _Object(specs)


def list_of(item: Shape) -> Shape:
    """Build an array shape whose items all have `item`'s shape."""
    return _List(item)


def const(value: str) -> Shape:
    """Build the shape of one exact string."""
    return _Const(value)


def lazy(build: Callable[[], Shape]) -> Shape:
    """Refer to a shape defined later, for recursive structures."""
    return _Lazy(build)


def compare(shape: Shape, value: Any) -> list[Difference]:
    """List every way a decoded JSON body differs from `shape`."""
    found = _Collector()
    shape.check(value, "", found)
    return list(found)
