"""HTML to Markdown with markdownify, in the forms the Ed Markdown syntax reads."""

from __future__ import annotations

import logging
from typing import Any

from bs4.exceptions import ParserRejectedMarkup
from markdownify import MarkdownConverter

from ._ed_to_markdown import SPOILER_OPENING
from ._markdown_escape import escape_text, html_attribute, link_destination

logger = logging.getLogger(__name__)


def convert_html(html: str) -> str:
    """Convert HTML to Markdown with ATX headings; the caller strips the result."""
    converter = _EdHtmlConverter(
        heading_style="atx",
        bullets="-",
        escape_misc=True,
        newline_style="backslash",
        table_infer_header=True,
        code_language_callback=_code_language,
    )
    try:
        return str(converter.convert(html))
    except ParserRejectedMarkup:
        # html.parser of CPython 3.11 rejects some "<!" markup, such as "<![x".
        logger.warning('HTML was rejected by the parser; its "<!" markup is text')
        return str(converter.convert(html.replace("<!", "&lt;!")))


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
