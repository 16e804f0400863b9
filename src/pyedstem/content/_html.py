"""HTML (and Ed XML given where HTML was expected) to Markdown."""

from __future__ import annotations

import logging
import re
from typing import Any

from bs4.exceptions import ParserRejectedMarkup
from markdownify import MarkdownConverter

from ._ed_to_markdown import SPOILER_OPENING, ed_document_to_markdown
from ._markdown_escape import escape_text, html_attribute, link_destination
from ._xml import remove_forbidden_characters

logger = logging.getLogger(__name__)

# Ed element names that HTML does not have. A body that starts with one is Ed XML.
_ED_ONLY_TAGS = frozenset(
    (
        "document",
        "paragraph",
        "heading",
        "list",
        "list-item",
        "snippet",
        "snippet-file",
        "callout",
        "image",
        "file",
        "spoiler",
        "web-snippet",
        "web-snippet-file",
        "table-row",
        "table-cell",
        "bold",
        "italic",
        "underline",
        "strike",
        "link",
        "break",
        "mention",
    )
)


def html_to_markdown(content: str) -> str:
    """Convert Ed HTML, or Ed XML, to Markdown with ATX (``#``) headings.

    Thread and comment ``content`` is Ed XML, so a body whose first element is an
    Ed element (``<document>``, ``<paragraph>`` and so on) goes to
    ``ed_document_to_markdown``. So does a body that starts with an element of both
    vocabularies, such as ``<table>``, and contains an Ed block element. Anything
    else, such as the HTML of a lesson slide, is converted with markdownify.
    ``<details>``, ``<u>``, ``<video>`` and sized ``<img>`` come out in the forms
    that ``markdown_to_ed_document`` reads, and scripts and styles are dropped.

    Args:
        content: HTML or Ed XML.

    Returns:
        Markdown without a trailing newline.
    """
    if _is_ed_xml(content):
        return ed_document_to_markdown(content)
    converter = _EdHtmlConverter(
        heading_style="atx",
        bullets="-",
        escape_misc=True,
        newline_style="backslash",
        table_infer_header=True,
        code_language_callback=_code_language,
    )
    html = remove_forbidden_characters(content)
    try:
        markdown = converter.convert(html)
    except ParserRejectedMarkup:
        # html.parser of CPython 3.11 rejects some "<!" markup, such as "<![x".
        logger.warning('HTML was rejected by the parser; its "<!" markup is text')
        markdown = converter.convert(html.replace("<!", "&lt;!"))
    return str(markdown).strip()


# Elements of both vocabularies, and Ed block names that show Ed XML after one.
_SHARED_TAGS = frozenset(("table", "pre", "blockquote", "video", "math", "figure"))
_ED_BLOCK_NAME = re.compile(
    r"<(?:paragraph|table-row|table-cell|list-item|snippet|callout|spoiler)[\s/>]"
)


def _is_ed_xml(content: str) -> bool:
    first = _first_tag_name(content)
    if first in _ED_ONLY_TAGS:
        return True
    return first in _SHARED_TAGS and _ED_BLOCK_NAME.search(content) is not None


def _first_tag_name(content: str) -> str:
    """Return the lower-case name of the first element, skipping declarations."""
    position = 0
    while True:
        start = content.find("<", position)
        if start == -1:
            return ""
        if content.startswith(("<?", "<!"), start):
            end = content.find(">", start)
            if end == -1:
                return ""
            position = end + 1
            continue
        end = start + 1
        while end < len(content) and (content[end].isalnum() or content[end] in "-_:"):
            end += 1
        return content[start + 1 : end].lower()


def _code_language(element: Any) -> str | None:
    for candidate in (element, element.find("code")):
        if candidate is None:
            continue
        for name in candidate.get("class") or []:
            for prefix in ("language-", "lang-"):
                if name.startswith(prefix):
                    return str(name[len(prefix) :])
    return None


# The type stub of markdownify omits the methods that subclasses override.
_BASE_ESCAPE = MarkdownConverter.escape  # type: ignore[attr-defined]


class _EdHtmlConverter(MarkdownConverter):
    """markdownify with the HTML forms that the Ed Markdown syntax gives meaning."""

    def convert_details(self, el: Any, text: str, parent_tags: set[str]) -> str:
        summary = el.find("summary")
        title = summary.get_text().strip() if summary is not None else ""
        lead = f"\n\n{title}" if title and title.casefold() != "spoiler" else ""
        return f"{lead}\n\n{SPOILER_OPENING}\n\n{text.strip()}\n\n</details>\n\n"

    def escape(self, text: str, parent_tags: set[str]) -> str:
        escaped = str(_BASE_ESCAPE(self, text, parent_tags))
        # "\\[x\\]" would be display math to the Ed Markdown reader.
        return escaped.replace("\\]", "&#93;")

    def convert_summary(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return ""

    def convert_u(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"<u>{text}</u>" if text.strip() else text

    convert_ins = convert_u

    def convert_video(self, el: Any, text: str, parent_tags: set[str]) -> str:
        source = el.get("src") or ""
        if not source:
            inner = el.find("source")
            source = inner.get("src") or "" if inner is not None else ""
        if not source:
            return str(text)
        return f'<video src="{html_attribute(source)}"></video>'

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        width, height = el.get("width") or "", el.get("height") or ""
        source, alt = el.get("src") or "", el.get("alt") or ""
        if not (width.isdigit() or height.isdigit()):
            return f"![{escape_text(alt, True)}]({link_destination(source)})"
        html = f'<img src="{html_attribute(source)}"'
        if alt:
            html += f' alt="{html_attribute(alt)}"'
        if width.isdigit():
            html += f' width="{width}"'
        if height.isdigit():
            html += f' height="{height}"'
        return html + ">"
