"""Category trees of course objects, and the check before a thread is written."""

from __future__ import annotations

from typing import Any

import pytest

from pyedstem import EdStemClient, InvalidArgumentError
from pyedstem.resources._categories import category_tree, check_category

from .conftest import CATEGORIES, FakeEd, course_reply, json_reply, thread_json

DOC = '<document version="2.0"><paragraph>Lab 2 is out.</paragraph></document>'

# The older shape: subcategories as plain strings.
STRING_SUBCATEGORIES = [
    {"name": "General", "subcategories": []},
    {"name": "Labs", "subcategories": ["Lab 1", "Lab 2"]},
]


def _course(categories: Any) -> dict[str, Any]:
    return {"id": 100, "settings": {"discussion": {"categories": categories}}}


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        (
            CATEGORIES,
            {
                "General": {},
                "Labs": {"Lab 1": {}, "Lab 2": {"Part A": {}}},
            },
        ),
        (STRING_SUBCATEGORIES, {"General": {}, "Labs": {"Lab 1": {}, "Lab 2": {}}}),
        (["General", "Labs"], {"General": {}, "Labs": {}}),
        ([], {}),
        ([{"subcategories": []}, 7, "Admin"], {"Admin": {}}),
    ],
)
def test_category_tree_reads_each_shape(
    categories: list[Any], expected: dict[str, Any]
) -> None:
    assert category_tree(_course(categories)) == expected


@pytest.mark.parametrize(
    "course",
    [{"id": 100}, {"settings": {}}, {"settings": {"discussion": None}}, _course(None)],
)
def test_category_tree_missing_list(course: dict[str, Any]) -> None:
    assert category_tree(course) is None


TREE = {"General": {}, "Labs": {"Lab 1": {}, "Lab 2": {"Part A": {}}}}


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"category": "General"},
        {"category": "Labs", "subcategory": "Lab 1"},
        {"category": "Labs", "subcategory": "Lab 2", "subsubcategory": "Part A"},
        {"category": "Labs", "subcategory": "", "subsubcategory": ""},
    ],
)
def test_check_category_accepts_known(values: dict[str, str]) -> None:
    check_category(100, TREE, values)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"category": "Lab"},
            "Unknown category 'Lab' in course 100; the valid categories are "
            "'General', 'Labs'. Pass category= with one of them.",
        ),
        (
            {"category": "Labs", "subcategory": "Lab 3"},
            "Unknown subcategory 'Lab 3' in category 'Labs'; the valid "
            "subcategories are 'Lab 1', 'Lab 2'.",
        ),
        (
            {"category": "General", "subcategory": "Lab 1"},
            "Unknown subcategory 'Lab 1': category 'General' has no subcategories. "
            "Pass subcategory=''.",
        ),
        (
            {"category": "Labs", "subcategory": "Lab 2", "subsubcategory": "B"},
            "Unknown subsubcategory 'B' in subcategory 'Lab 2'; the valid "
            "sub-subcategories are 'Part A'.",
        ),
        (
            {"subcategory": "Lab 1"},
            "subcategory='Lab 1' needs a category; pass category= as well.",
        ),
        (
            {"category": "Labs", "subsubcategory": "Part A"},
            "subsubcategory='Part A' needs a subcategory; pass subcategory= as well.",
        ),
    ],
)
def test_check_category_names_bad_value(values: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        check_category(100, TREE, values)

    assert str(caught.value).startswith(message)


def test_check_category_course_without_any() -> None:
    with pytest.raises(InvalidArgumentError, match="course 100 has no categories"):
        check_category(100, {}, {"category": "General"})


def test_create_checks_string_subcategories(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /courses/100", course_reply(STRING_SUBCATEGORIES))

    with pytest.raises(InvalidArgumentError, match="'Lab 1', 'Lab 2'"):
        client.threads.create(
            100, title="Lab 3", document=DOC, category="Labs", subcategory="Lab 3"
        )

    assert ed.sent() == ["GET /courses/100"]


def test_create_checks_string_categories(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /courses/100", course_reply(["General", "Labs"]))

    with pytest.raises(InvalidArgumentError, match="Unknown category 'Exams'"):
        client.threads.create(100, title="Exam", document=DOC, category="Exams")

    assert ed.sent() == ["GET /courses/100"]


def test_create_skips_check_without_list(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("GET /courses/100", course_reply(None))
    ed.on("POST /courses/100/threads", json_reply({"thread": thread_json(56)}))

    thread = client.threads.create(100, title="Exam", document=DOC, category="Exams")

    assert thread.id == 56
    assert ed.sent() == ["GET /courses/100", "POST /courses/100/threads"]
