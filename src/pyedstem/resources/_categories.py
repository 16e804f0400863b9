"""A course's discussion categories, checked before a thread is written.

The course object lists them in ``settings.discussion.categories``. Current
responses nest them as ``{name, subcategories}`` objects, one level inside
another. Older responses gave a category's subcategories as plain strings.
A plain string in place of a category object is read as a category without
subcategories. Every shape is read into one tree of names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._operation import APIRequest, Operation, check_id
from ..errors import InvalidArgumentError
from ._parse import object_field

CategoryTree = dict[str, "CategoryTree"]
"""Category names, each with the tree of its subcategories."""

CATEGORY_FIELDS = ("category", "subcategory", "subsubcategory")

_PLURALS = {
    "category": "categories",
    "subcategory": "subcategories",
    "subsubcategory": "sub-subcategories",
}


def category_tree(course: Mapping[str, Any]) -> CategoryTree | None:
    """Read the category tree of a course object.

    Returns:
        The tree, empty when the course has no categories, or None when the
        course object has no category list at all.
    """
    settings = course.get("settings")
    discussion = settings.get("discussion") if isinstance(settings, Mapping) else None
    items = discussion.get("categories") if isinstance(discussion, Mapping) else None
    if not isinstance(items, list):
        return None
    return _tree(items)


def _tree(items: list[Any]) -> CategoryTree:
    tree: CategoryTree = {}
    for item in items:
        if isinstance(item, str):
            tree[item] = {}
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str):
            children = item.get("subcategories")
            tree[item["name"]] = _tree(children) if isinstance(children, list) else {}
    return tree


def fetch_category_tree(course_id: int) -> Operation[CategoryTree | None]:
    """Fetch a course and return its category tree."""
    check_id("course_id", course_id)
    response = yield APIRequest("GET", "/courses/{course_id}", {"course_id": course_id})
    return category_tree(object_field("course")(response))


def check_category(
    course_id: int, tree: CategoryTree, values: Mapping[str, str]
) -> None:
    """Check a category, subcategory and sub-subcategory against a course's tree.

    Args:
        course_id: The course, named in the error.
        tree: The course's categories.
        values: The thread's ``category``, ``subcategory`` and
            ``subsubcategory``; empty or missing ones are unset.

    Raises:
        InvalidArgumentError: A value is not in the tree, or a deeper level
            is set without the level above it.
    """
    names = [values.get(field) or "" for field in CATEGORY_FIELDS]
    level = tree
    place = f"course {course_id}"
    for depth, (field, name) in enumerate(zip(CATEGORY_FIELDS, names, strict=True)):
        if not name:
            _check_nothing_below(depth, field, names)
            return
        if name not in level:
            raise InvalidArgumentError(_unknown_message(field, name, place, level))
        level = level[name]
        place = f"{field} {name!r}"


def _check_nothing_below(depth: int, field: str, names: list[str]) -> None:
    below = zip(CATEGORY_FIELDS[depth + 1 :], names[depth + 1 :], strict=True)
    for deeper, name in below:
        if name:
            raise InvalidArgumentError(
                f"{deeper}={name!r} needs a {field}; pass {field}= as well."
            )


def _unknown_message(field: str, name: str, place: str, level: CategoryTree) -> str:
    plural = _PLURALS[field]
    if not level:
        return f"Unknown {field} {name!r}: {place} has no {plural}. Pass {field}=''."
    valid = ", ".join(repr(option) for option in level)
    return (
        f"Unknown {field} {name!r} in {place}; the valid {plural} are {valid}. "
        f"Pass {field}= with one of them."
    )
