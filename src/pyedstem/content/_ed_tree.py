"""Tolerant parsing of Ed XML with defusedxml, for the readers of the format."""

from __future__ import annotations

import html.entities
import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ._xml import escape_text, remove_forbidden_characters

logger = logging.getLogger(__name__)

# Ed's block elements, around which the plain-text fallback starts a new paragraph.
BLOCK_TAGS = frozenset(
    (
        "paragraph",
        "heading",
        "list-item",
        "pre",
        "snippet",
        "callout",
        "figure",
        "math",
        "spoiler",
        "web-snippet-file",
        "table-row",
        "blockquote",
    )
)

_XML_NAMED_ENTITIES = frozenset(("amp", "lt", "gt", "quot", "apos"))
_REFERENCE = re.compile(
    r"&(?:(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});)?"
)
_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*\?>\s*")


def local_name(element: Element) -> str:
    """Return an element's tag in lower case, without any XML namespace."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def parse_ed_document(document: str) -> Element | None:
    """Parse Ed XML into an element tree rooted at a ``document`` element.

    A body without the ``document`` root is wrapped in one. On a parse error the
    text is repaired as Ed readers commonly must (a bare ``&``, HTML entities such
    as ``&nbsp;``, control characters) and parsed again. DTDs and entity
    declarations are refused rather than expanded.

    Returns:
        The root element, or None when the text is not well-formed even after
        repair; the caller then falls back to ``fallback_text``.
    """
    wrapped = _wrap_in_document(document)
    try:
        return fromstring(wrapped)
    except (ParseError, DefusedXmlException, UnicodeEncodeError):
        # UnicodeEncodeError: a lone surrogate, which the repair removes.
        pass
    try:
        return fromstring(_repair(wrapped))
    except (ParseError, DefusedXmlException) as error:
        logger.warning(
            "Ed document is not well-formed XML (%s at %s); using its text only",
            type(error).__name__,
            getattr(error, "position", "unknown position"),
        )
        return None


def _wrap_in_document(document: str) -> str:
    text = document.lstrip("\ufeff")
    declaration = _XML_DECLARATION.match(text)
    if declaration:
        text = text[declaration.end() :]
    stripped = text.lstrip()
    if stripped.startswith("<document") and stripped[9:10] in (
        ">",
        "/",
        " ",
        "\t",
        "\n",
    ):
        return stripped
    return f"<document>{text}</document>"


def _repair(text: str) -> str:
    return _REFERENCE.sub(_repair_reference, remove_forbidden_characters(text))


def _repair_reference(match: re.Match[str]) -> str:
    name = match.group(1)
    if name is None:
        return "&amp;"
    if name.startswith("#"):
        digits = name[1:]
        base = 16 if digits[:1] in ("x", "X") else 10
        code = int(digits.lstrip("xX"), base)
        character = chr(code) if code <= 0x10FFFF else ""
        return escape_text(character)
    if name in _XML_NAMED_ENTITIES:
        return match.group(0)
    replacement = html.entities.html5.get(name + ";")
    if replacement is None:
        return "&amp;" + name + ";"
    return escape_text(replacement)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "break":
            self.pieces.append("\n")
        elif tag in BLOCK_TAGS:
            self.pieces.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.pieces.append("\n\n")


def fallback_text(document: str) -> str:
    """Extract the text of a document that no XML parser accepts.

    Tags are dropped, ``<break/>`` becomes a newline, and the start and end of an
    Ed block element a blank line, so paragraphs stay apart.
    """
    # html.parser of CPython 3.11 raises AssertionError on a marked section with
    # an unknown keyword, such as "<![x", so those stay text.
    text = remove_forbidden_characters(document).replace("<![", "&lt;![")
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    return "".join(collector.pieces)


def is_plain_text(document: str) -> bool:
    """Return whether a body has no markup at all, like Ed's ``document`` field."""
    return "<" not in document


def iter_text_paragraphs(text: str) -> Iterator[str]:
    """Yield the non-blank paragraphs of plain text, separated by blank lines.

    Characters that XML 1.0 forbids are removed, as everywhere in this package.
    """
    text = remove_forbidden_characters(text.replace("\r\n", "\n"))
    for paragraph in re.split(r"\n[ \t]*\n", text):
        if paragraph.strip():
            yield paragraph.strip()
