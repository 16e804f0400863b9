"""Ed XML to Markdown: the block structure, in the syntax the Markdown reader takes.

Every Markdown form written here parses back to the same Ed element with
``markdown_to_ed_document``, so a document survives a round trip.
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple
from xml.etree.ElementTree import Element

from ._ed_inline import (
    CELL,
    HEADING,
    INLINE_TAGS,
    MAX_DEPTH,
    MEDIA,
    PARAGRAPH,
    InlineWriter,
    children_with_text,
)
from ._ed_tree import (
    fallback_text,
    is_plain_text,
    iter_text_paragraphs,
    local_name,
    parse_ed_document,
)
from ._markdown_escape import escape_line_starts, escape_text, fence_for
from ._markdown_to_ed import LANGUAGE_ALIASES

logger = logging.getLogger(__name__)

# Ed callout types to GitHub alert names. One Ed reader also accepts "danger".
ALERT_NAMES = {
    "info": "NOTE",
    "success": "TIP",
    "warning": "WARNING",
    "error": "CAUTION",
    "danger": "CAUTION",
}
SPOILER_OPENING = "<details><summary>Spoiler</summary>"
_TRAILING_BREAK = re.compile(r"\\\n\s*\Z")

BLOCK_TAGS = frozenset(
    (
        "document",
        "paragraph",
        "heading",
        "list",
        "list-item",
        "pre",
        "snippet",
        "codeblock",
        "callout",
        "figure",
        "image",
        "img",
        "file",
        "video",
        "math",
        "spoiler",
        "web-snippet",
        "web-snippet-file",
        "table",
        "table-row",
        "table-cell",
        "blockquote",
        "quote",
    )
)
# Elements that are blocks between paragraphs but inline inside one.
_INLINE_IN_PARAGRAPH = MEDIA | {"math", "figure"}


class _Block(NamedTuple):
    kind: str
    text: str


def ed_document_to_markdown(document: str) -> str:
    """Convert an Ed XML document to Markdown.

    Every element of Ed's format has a Markdown form that ``markdown_to_ed_document``
    reads back, as ``docs/content.md`` lists. Unknown elements keep their text.
    Malformed XML is repaired where Ed readers commonly must (bare ``&``, HTML
    entities); failing that, its text content is returned as Markdown paragraphs.

    Args:
        document: Ed XML, normally ``<document version="2.0">...</document>``. A
            fragment without the root is accepted, and text without any tag, such
            as Ed's plain-text ``document`` field, is read as plain text.

    Returns:
        Markdown without a trailing newline, or "" for an empty document.
    """
    if is_plain_text(document):
        return "\n\n".join(
            text_paragraph(paragraph) for paragraph in iter_text_paragraphs(document)
        )
    root = parse_ed_document(document)
    if root is None:
        return "\n\n".join(
            text_paragraph(paragraph)
            for paragraph in iter_text_paragraphs(fallback_text(document))
        )
    writer = _MarkdownWriter()
    markdown = "\n\n".join(block.text for block in writer.blocks(root, 0))
    if writer.inline.unknown:
        logger.debug(
            "Ed elements without a Markdown form were kept as text: %s",
            ", ".join(sorted(writer.inline.unknown)),
        )
    return markdown


def text_paragraph(text: str) -> str:
    """Write plain text as a Markdown paragraph, keeping its line breaks."""
    lines = [escape_text(line.strip()) for line in text.split("\n")]
    return escape_line_starts("\\\n".join(line for line in lines if line))


def _prefix_lines(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    prefixed = [(first + lines[0]).rstrip() if lines[0] else first.rstrip()]
    prefixed.extend((rest + line) if line else rest.rstrip() for line in lines[1:])
    return "\n".join(prefixed)


class _MarkdownWriter:
    def __init__(self) -> None:
        self.inline = InlineWriter()

    def blocks(
        self, container: Element, depth: int, in_paragraph: bool = False
    ) -> list[_Block]:
        """Render a container's children; loose inline content forms paragraphs."""
        if depth > MAX_DEPTH:
            text = "".join(container.itertext())
            return [_Block("paragraph", text_paragraph(text))] if text.strip() else []
        result: list[_Block] = []
        pending: list[Element | str] = []
        previous_list: tuple[str, bool] | None = None
        for item in children_with_text(container):
            if isinstance(item, str) or not self._is_block(item, in_paragraph):
                pending.append(item)
                continue
            self._flush(pending, result, depth)
            name = local_name(item)
            alternate = False
            if name == "list":
                style = _list_style(item)
                if (
                    previous_list
                    and previous_list[0] == style
                    and result[-1:]
                    and (result[-1].kind == "list")
                ):
                    alternate = not previous_list[1]
                previous_list = (style, alternate)
            result.extend(self._block(item, name, depth + 1, alternate))
        self._flush(pending, result, depth)
        return result

    def _is_block(self, element: Element, in_paragraph: bool) -> bool:
        name = local_name(element)
        if name in BLOCK_TAGS:
            return not (in_paragraph and name in _INLINE_IN_PARAGRAPH)
        if name in INLINE_TAGS:
            return False
        # An unknown element is a block between blocks or when it contains blocks.
        return not in_paragraph or any(
            self._is_block(child, in_paragraph) for child in element
        )

    def _flush(
        self, pending: list[Element | str], result: list[_Block], depth: int
    ) -> None:
        if not pending:
            return
        markdown = self._paragraph_text(pending, depth)
        pending.clear()
        if markdown:
            result.append(_Block("paragraph", markdown))

    def _paragraph_text(self, items: list[Element | str], depth: int) -> str:
        markdown = escape_line_starts(self.inline.write(items, PARAGRAPH, depth))
        # Markdown readers strip all Unicode whitespace around a paragraph, and a
        # backslash break cannot end one, but an HTML break can.
        markdown = _TRAILING_BREAK.sub("<br>", markdown).strip()
        return markdown if markdown.strip() else ""

    def _block(
        self, element: Element, name: str, depth: int, alternate: bool
    ) -> list[_Block]:
        """Render one block element; ``alternate`` picks the other list marker."""
        if name == "paragraph":
            if any(self._is_block(child, True) for child in element):
                return self.blocks(element, depth, in_paragraph=True)
            text = self._paragraph_text(list(children_with_text(element)), depth)
            return [_Block("paragraph", text)] if text else []
        if name == "heading":
            return [self._heading(element, depth)]
        if name == "list":
            return [self._list(list(element), _list_style(element), depth, alternate)]
        if name == "list-item":
            return [self._list([element], "bullet", depth, alternate)]

        if name in ("snippet", "codeblock"):
            return self._snippet(element)
        if name == "pre":
            return [_fenced(_code_text(element), "pre")]
        if name in ("web-snippet", "web-snippet-file"):
            return self._web_snippet(element, name)

        if name == "callout":
            return [self._quote(element, depth, _alert_marker(element))]
        if name in ("blockquote", "quote"):
            return [self._quote(element, depth, None)]
        if name == "spoiler":
            return [self._spoiler(element, depth)]

        if name == "math":
            return _math_block("".join(element.itertext()))
        if name == "table":
            return [self._table(element, depth)]

        if name in _INLINE_IN_PARAGRAPH:
            text = self._paragraph_text([element], depth)
            return [_Block("paragraph", text)] if text else []
        if name not in BLOCK_TAGS:
            self.inline.unknown.add(name)
            if not any(self._is_block(child, True) for child in element):
                text = self._paragraph_text([element], depth)
                return [_Block("paragraph", text)] if text else []
        return self.blocks(element, depth)

    def _heading(self, element: Element, depth: int) -> _Block:
        try:
            level = min(max(int(element.get("level", "1")), 1), 6)
        except ValueError:
            level = 1
        text = self.inline.write(list(children_with_text(element)), HEADING, depth)
        text = text.strip(" \t")
        if text.endswith("#"):
            # A closing run of "#" would be dropped as the heading's end marker.
            text = text[:-1] + "\\#"
        marker = "#" * level
        return _Block("heading", f"{marker} {text}" if text else marker)

    def _list(
        self, items: list[Element], style: str, depth: int, alternate: bool
    ) -> _Block:
        rendered: list[list[_Block]] = []
        for item in items:
            if local_name(item) == "list-item":
                rendered.append(self.blocks(item, depth + 1))
            else:
                # Anything else directly in a list becomes an item of its own.
                holder = Element("list-item")
                holder.append(item)
                rendered.append(self.blocks(holder, depth + 1))
        tight = all(
            [block.kind for block in blocks] in ([], ["paragraph"], ["list"])
            or [block.kind for block in blocks] == ["paragraph", "list"]
            for blocks in rendered
        )
        joiner = "\n" if tight else "\n\n"
        # A different bullet or number delimiter keeps adjacent lists apart.
        lines: list[str] = []
        for number, blocks in enumerate(rendered, start=1):
            if style == "number":
                marker = f"{number}{')' if alternate else '.'}"
            else:
                marker = "*" if alternate else "-"
            body = joiner.join(block.text for block in blocks)
            indent = " " * (len(marker) + 1)
            lines.append(_prefix_lines(body, marker + " ", indent) if body else marker)
        return _Block("list", joiner.join(lines))

    def _snippet(self, element: Element) -> list[_Block]:
        language = "-".join(element.get("language", "").split())
        language = LANGUAGE_ALIASES.get(language.lower(), language)
        flags = ""
        if element.get("runnable") == "true":
            flags += " runnable"
        if element.get("line-numbers") == "false":
            flags += " no-line-numbers"
        files = [child for child in element if local_name(child) == "snippet-file"]
        lines = [child for child in element if local_name(child) == "snippet-line"]
        if files:
            codes = [_code_text(child) for child in files]
        elif lines:
            codes = ["\n".join(_code_text(child) for child in lines)]
        else:
            codes = [_code_text(element)]
        return [_fenced(code, language + flags) for code in codes]

    def _web_snippet(self, element: Element, name: str) -> list[_Block]:
        files = [element] if name == "web-snippet-file" else list(element)
        blocks = []
        for child in files:
            language = "-".join(child.get("language", "").split()) or "txt"
            blocks.append(_fenced(_code_text(child), f"{language} web-snippet"))
        return blocks

    def _quote(self, element: Element, depth: int, alert: str | None) -> _Block:
        blocks = self.blocks(element, depth + 1)
        body = "\n\n".join(block.text for block in blocks)
        if alert is not None:
            # A blank line after the marker keeps a following "$$" or fence from
            # being read as part of the marker's paragraph.
            separator = "\n" if blocks[:1] and blocks[0].kind == "paragraph" else "\n\n"
            body = f"[!{alert}]{separator}{body}" if body else f"[!{alert}]"
        return _Block("quote", _prefix_lines(body, "> ", "> ") if body else ">")

    def _spoiler(self, element: Element, depth: int) -> _Block:
        body = "\n\n".join(block.text for block in self.blocks(element, depth + 1))
        parts = (
            [SPOILER_OPENING, body, "</details>"]
            if body
            else [SPOILER_OPENING, "</details>"]
        )
        return _Block("spoiler", "\n\n".join(parts))

    def _table(self, element: Element, depth: int) -> _Block:
        rows: list[list[str]] = []
        for row in element:
            cells = list(row) if local_name(row) == "table-row" else [row]
            rows.append([self._cell(cell, depth + 1) for cell in cells])
        if not rows:
            return _Block("table", "")
        width = max(max(len(row) for row in rows), 1)
        lines = []
        for number, cells_text in enumerate(rows):
            padded = cells_text + [""] * (width - len(cells_text))
            lines.append("| " + " | ".join(padded) + " |")
            if number == 0:
                lines.append("|" + " --- |" * width)
        return _Block("table", "\n".join(lines))

    def _cell(self, cell: Element, depth: int) -> str:
        pieces: list[str] = []
        pending: list[Element | str] = []
        for item in children_with_text(cell):
            if isinstance(item, str) or not self._is_block(item, True):
                pending.append(item)
                continue
            if pending:
                pieces.append(self.inline.write(pending, CELL, depth))
                pending = []
            if local_name(item) in ("paragraph", "heading"):
                pieces.append(
                    self.inline.write(list(children_with_text(item)), CELL, depth)
                )
            else:
                # NOTE: a GFM cell is one line, so a list or code block inside a
                # cell is written as its plain text.
                pieces.append(escape_text(" ".join("".join(item.itertext()).split())))
        if pending:
            pieces.append(self.inline.write(pending, CELL, depth))
        text = "<br>".join(piece.strip() for piece in pieces if piece.strip())
        return _escape_cell_pipes(text)


def _escape_cell_pipes(text: str) -> str:
    # Text pipes are already escaped. Code spans, math and URLs need it here,
    # because GFM splits cells before it parses inline content.
    escaped: list[str] = []
    previous = ""
    for character in text:
        if character == "|" and previous != "\\":
            escaped.append("\\")
        escaped.append(character)
        previous = character
    return "".join(escaped)


def _list_style(element: Element) -> str:
    style = element.get("style", "bullet")
    return "number" if style in ("number", "numbered", "ordered") else "bullet"


def _alert_marker(element: Element) -> str:
    # NOTE: a callout type Ed has and this mapping lacks is written as a NOTE.
    return ALERT_NAMES.get(element.get("type", "info").lower(), "NOTE")


def _code_text(element: Element) -> str:
    """Return the text of a code element, with ``<break/>`` read as a newline."""
    pieces: list[str] = []
    stack: list[Element | str] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            pieces.append(item)
            continue
        if local_name(item) in ("break", "br"):
            pieces.append("\n")
        stack.extend(reversed(list(children_with_text(item))))
    return "".join(pieces).replace("\r\n", "\n").replace("\r", "\n")


def _fenced(code: str, info: str) -> _Block:
    fence = fence_for(code, info)
    opening = f"{fence}{info}"
    if not code:
        return _Block("code", f"{opening}\n{fence}")
    return _Block("code", f"{opening}\n{code}\n{fence}")


def _math_block(latex: str) -> list[_Block]:
    latex = latex.strip()
    if not latex:
        return []
    lines = latex.split("\n")
    if any(line.rstrip().endswith("$$") for line in lines):
        return [_Block("math", f"\\[\n{latex}\n\\]")]
    return [_Block("math", f"$$\n{latex}\n$$")]
