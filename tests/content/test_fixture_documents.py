"""Sample Ed documents: expected Markdown and text, and lossless round trips.

Each ``NN_*.xml`` file under ``fixtures/`` is an Ed document with its expected
Markdown in ``NN_*.md`` and plain text in ``NN_*.txt``. The JSON files contain an
API response, request bodies, and an archive that kept Ed's plain-text field.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pyedstem.content import (
    ed_document_to_markdown,
    ed_document_to_text,
    html_to_markdown,
    markdown_to_ed_document,
)

FIXTURES = Path(__file__).parent / "fixtures"
DOCUMENTS = sorted(FIXTURES.glob("*.xml"))
DOCUMENT_IDS = [path.stem for path in DOCUMENTS]

# Ed allows bare inline content in these containers. The writer wraps it in a
# paragraph, as most Ed writers do.
PARAGRAPH_CONTAINERS = frozenset(("callout", "blockquote", "spoiler", "table-cell"))
BLOCK_CONTAINERS = PARAGRAPH_CONTAINERS | {
    "document",
    "list",
    "list-item",
    "table",
    "table-row",
    "figure",
    "web-snippet",
}
INLINE_TAGS = frozenset(
    (
        "bold",
        "italic",
        "underline",
        "strike",
        "code",
        "link",
        "break",
        "math",
        "mention",
    )
)
LANGUAGE_ALIASES = {"python": "py"}


def canonical(element: ET.Element) -> ET.Element:
    """Rewrite equivalent spellings of Ed XML into the one the writer produces.

    These count as equal:

    - a document with or without ``version``, and whitespace between blocks;
    - a newline or a ``<break/>`` inside ``pre``;
    - a ``snippet`` with or without ``snippet-file``, ``runnable`` and
      ``line-numbers``, and the languages ``python`` and ``py``;
    - bare inline content in a callout, blockquote, spoiler or table cell, and
      the same content in a paragraph;
    - a bare ``image`` and ``figure/image``;
    - an empty ``math`` between blocks and no element at all.
    """
    tag = element.tag
    result = ET.Element(tag, dict(element.attrib))
    if tag == "document":
        result.set("version", "2.0")
    if tag == "pre":
        lines = "".join(_pre_pieces(element)).split("\n")
        result.text = lines[0]
        for line in lines[1:]:
            ET.SubElement(result, "break").tail = line
        return result
    if tag == "snippet":
        language = result.get("language", "")
        result.set("language", LANGUAGE_ALIASES.get(language, language))
        result.set("runnable", result.get("runnable", "false"))
        result.set("line-numbers", result.get("line-numbers", "true"))
        code_holder = element.find("snippet-file")
        holder = code_holder if code_holder is not None else element
        code = "".join(holder.itertext())
        ET.SubElement(result, "snippet-file", {"id": "code"}).text = code
        return result
    if tag not in BLOCK_CONTAINERS:
        _fill(result, _children(element))
        return result

    run: list[ET.Element | str] = []
    for item in [*_children(element), None]:
        if isinstance(item, str) or (item is not None and item.tag in INLINE_TAGS):
            run.append(item)
            continue
        if (
            tag in PARAGRAPH_CONTAINERS
            and "".join(_text_of(part) for part in run).strip()
        ):
            paragraph = ET.SubElement(result, "paragraph")
            _fill(paragraph, run)
        elif tag not in PARAGRAPH_CONTAINERS:
            # Elsewhere the run can only contain block math and whitespace.
            for part in run:
                if not isinstance(part, str) and "".join(part.itertext()).strip():
                    result.append(canonical(part))
        run = []
        if item is None or (
            item.tag == "math" and not "".join(item.itertext()).strip()
        ):
            continue
        if item.tag == "image" and tag != "figure":
            ET.SubElement(result, "figure").append(canonical(item))
        else:
            result.append(canonical(item))
    return result


def _text_of(item: ET.Element | str) -> str:
    return item if isinstance(item, str) else "".join(item.itertext()) or item.tag


def _pre_pieces(element: ET.Element) -> list[str]:
    pieces = [element.text or ""]
    for child in element:
        pieces.append("\n" if child.tag == "break" else "".join(child.itertext()))
        pieces.append(child.tail or "")
    return pieces


def _children(element: ET.Element) -> list[ET.Element | str]:
    items: list[ET.Element | str] = []
    if element.text:
        items.append(element.text)
    for child in element:
        items.append(child)
        if child.tail:
            items.append(child.tail)
    return items


def _fill(element: ET.Element, items: list[ET.Element | str]) -> None:
    for item in items:
        if isinstance(item, str):
            if len(element):
                element[-1].tail = (element[-1].tail or "") + item
            else:
                element.text = (element.text or "") + item
        else:
            copy = canonical(item)
            copy.tail = None
            element.append(copy)


CODE_TAGS = frozenset(("snippet-file", "pre", "code", "web-snippet-file", "math"))


def structure(element: ET.Element, in_code: bool = False) -> object:
    """Return a comparable form: tag, attributes, text and tail, recursively.

    Outside code, runs of whitespace compare equal to one space and edge spaces
    are ignored, as Ed collapses them. This also equates ``<bold>Due </bold>x``
    with ``<bold>Due</bold> x``.
    """
    in_code = in_code or element.tag in CODE_TAGS

    def text(value: str | None) -> str:
        return (value or "") if in_code else " ".join((value or "").split())

    return (
        element.tag,
        sorted(element.attrib.items()),
        text(element.text),
        [structure(child, in_code) for child in element],
        " ".join((element.tail or "").split()),
    )


def words(element: ET.Element) -> list[str]:
    """Return the words of all text and of link, media and language attributes."""
    pieces = list(element.itertext())
    for node in element.iter():
        for name in ("href", "src", "url", "filename", "alt", "language"):
            if name in node.attrib:
                pieces.append(node.attrib[name])
    return sorted(re.findall(r"\w+", " ".join(pieces)))


@pytest.mark.parametrize("path", DOCUMENTS, ids=DOCUMENT_IDS)
def test_fixture_markdown(path: Path) -> None:
    expected = path.with_suffix(".md").read_text(encoding="utf-8").rstrip("\n")
    assert ed_document_to_markdown(path.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("path", DOCUMENTS, ids=DOCUMENT_IDS)
def test_fixture_text(path: Path) -> None:
    expected = path.with_suffix(".txt").read_text(encoding="utf-8").rstrip("\n")
    assert ed_document_to_text(path.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("path", DOCUMENTS, ids=DOCUMENT_IDS)
def test_fixture_round_trip_keeps_structure(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    round_trip = markdown_to_ed_document(ed_document_to_markdown(original))
    expected = structure(canonical(ET.fromstring(original)))
    assert structure(canonical(ET.fromstring(round_trip))) == expected


@pytest.mark.parametrize("path", DOCUMENTS, ids=DOCUMENT_IDS)
def test_fixture_round_trip_keeps_words(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    round_trip = markdown_to_ed_document(ed_document_to_markdown(original))
    original_words = words(canonical(ET.fromstring(original)))
    round_trip_words = words(ET.fromstring(round_trip))
    assert round_trip_words == original_words


@pytest.mark.parametrize("path", DOCUMENTS, ids=DOCUMENT_IDS)
def test_fixture_markdown_is_stable(path: Path) -> None:
    markdown = ed_document_to_markdown(path.read_text(encoding="utf-8"))
    again = ed_document_to_markdown(markdown_to_ed_document(markdown))
    assert again == markdown


def html_fragments() -> list[str]:
    text = (FIXTURES / "html_fragments.html").read_text(encoding="utf-8")
    return [part.split("-->", 1)[1].strip() for part in text.split("<!--")[1:]]


def test_html_fragment_nbsp_and_br() -> None:
    assert html_to_markdown(html_fragments()[0]) == "a\u00a0b\\\nc"


def test_html_fragment_drops_script() -> None:
    markdown = html_to_markdown(html_fragments()[1])
    assert markdown == "Reply \\& details\n\nQuestion body"


@pytest.mark.parametrize("index", [2, 3])
def test_html_fragment_broken_ed_trees_keep_text(index: int) -> None:
    markdown = html_to_markdown(html_fragments()[index])
    assert "the docs" in markdown
    assert "https://a.b/?x=1&y=2" in markdown
    assert "**B**" in markdown
    assert '<img src="https://s/i.png" width="10" height="5">' in markdown


def _posts(post: dict[str, object]) -> list[dict[str, object]]:
    """Return a thread or comment and every answer and comment below it."""
    found = [post]
    for key in ("answers", "comments"):
        children = post.get(key) or []
        assert isinstance(children, list)
        for child in children:
            found.extend(_posts(child))
    return found


def test_api_response_text_matches_document_field() -> None:
    response = json.loads((FIXTURES / "thread_detail_response.json").read_text())
    posts = _posts(response["thread"])
    assert len(posts) == 3
    for post in posts:
        assert ed_document_to_text(str(post["content"])) == post["document"]


def test_api_response_content_round_trip() -> None:
    response = json.loads((FIXTURES / "thread_detail_response.json").read_text())
    for post in _posts(response["thread"]):
        content = str(post["content"])
        assert markdown_to_ed_document(ed_document_to_markdown(content)) == content


def test_request_bodies_round_trip() -> None:
    requests = json.loads((FIXTURES / "create_and_edit_requests.json").read_text())
    contents = [str(next(iter(body.values()))["content"]) for body in requests.values()]
    assert len(contents) == 4
    for content in contents:
        assert markdown_to_ed_document(ed_document_to_markdown(content)) == content


def test_request_body_with_break() -> None:
    requests = json.loads((FIXTURES / "create_and_edit_requests.json").read_text())
    answer = requests["POST /api/threads/{thread_id}/comments"]["comment"]["content"]
    assert ed_document_to_markdown(answer) == "Hi there\n\nThanks,\\\nTutor B"


def test_plain_text_document_field() -> None:
    thread = json.loads((FIXTURES / "archived_thread_plain_text.json").read_text())
    content = thread["content"]
    assert ed_document_to_markdown(content) == "Hello,\n\nI was under the impression..."
    assert ed_document_to_text(content) == content
    answer = thread["answers"][0]["content"]
    expected = "Maybe you're talking about this: https://..."
    assert ed_document_to_markdown(answer) == expected
