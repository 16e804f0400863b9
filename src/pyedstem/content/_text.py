"""Ed XML to plain text, for search indexes and terminal previews."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ._ed_inline import (
    INLINE_TAGS,
    LINKS,
    MAX_DEPTH,
    children_with_text,
    unknown_element_url,
)
from ._ed_to_markdown import BLOCK_TAGS
from ._ed_tree import (
    fallback_text,
    is_plain_text,
    iter_text_paragraphs,
    local_name,
    parse_ed_document,
)

_CODE_TAGS = frozenset(
    ("snippet", "codeblock", "pre", "web-snippet", "web-snippet-file")
)
_INLINE_MEDIA = frozenset(("image", "img", "file", "video"))


def ed_document_to_text(document: str) -> str:
    """Render an Ed XML document as plain text.

    Blocks are separated by blank lines, list items keep a ``-`` or number marker,
    code keeps its lines, and a link whose text differs from its URL is written as
    ``text (url)``. Images, files and videos appear as ``[image: alt]``,
    ``[file: name]`` and ``[video]``. Unlike Ed's own ``document`` field, link
    targets are kept.

    Args:
        document: Ed XML. Malformed XML gives its text content, and text without
            any tag is returned as its paragraphs.

    Returns:
        The text, without a trailing newline.
    """
    if is_plain_text(document):
        return "\n\n".join(iter_text_paragraphs(document))
    root = parse_ed_document(document)
    if root is None:
        return "\n\n".join(iter_text_paragraphs(fallback_text(document)))
    return "\n\n".join(_blocks(root, 0))


def _blocks(container: Element, depth: int) -> list[str]:
    if depth > MAX_DEPTH:
        text = _collapse("".join(container.itertext()))
        return [text] if text else []
    result: list[str] = []
    pending: list[Element | str] = []
    for item in children_with_text(container):
        if isinstance(item, str) or _is_inline(local_name(item)):
            pending.append(item)
            continue
        _flush(pending, result, depth)
        result.extend(_block(item, depth + 1))
    _flush(pending, result, depth)
    return result


def _is_inline(name: str) -> bool:
    # Unknown elements between blocks are blocks, as in the Markdown writer.
    return name in INLINE_TAGS and name not in BLOCK_TAGS


def _flush(pending: list[Element | str], result: list[str], depth: int) -> None:
    text = _inline_text(pending, depth)
    pending.clear()
    if text:
        result.append(text)


def _block(element: Element, depth: int) -> list[str]:
    name = local_name(element)
    if name in _CODE_TAGS:
        code = _code(element)
        return [code] if code.strip() else []
    if name == "math":
        latex = "".join(element.itertext()).strip()
        return [latex] if latex else []
    if name == "list":
        return [_list(element, depth)]
    if name == "table":
        rows = [
            " | ".join(" ".join(_blocks(cell, depth + 1)) for cell in row)
            for row in element
        ]
        return ["\n".join(row for row in rows if row.strip())]
    if name in ("paragraph", "heading"):
        text = _inline_text(list(children_with_text(element)), depth)
        return [text] if text else []
    if name in _INLINE_MEDIA or name == "figure":
        text = _inline_text([element], depth)
        return [text] if text else []
    result = _blocks(element, depth)
    url = unknown_element_url(element)
    if url and name not in BLOCK_TAGS:
        result.append(url)
    return result


def _list(element: Element, depth: int) -> str:
    numbered = element.get("style") in ("number", "numbered", "ordered")
    lines: list[str] = []
    for number, item in enumerate(element, start=1):
        marker = f"{number}." if numbered else "-"
        body = "\n".join(_blocks(item, depth + 1))
        indent = " " * (len(marker) + 1)
        item_lines = body.split("\n") if body else [""]
        lines.append(f"{marker} {item_lines[0]}".rstrip())
        lines.extend(indent + line if line else "" for line in item_lines[1:])
    return "\n".join(lines)


def _inline(items: list[Element | str], depth: int) -> str:
    pieces: list[str] = []
    for item in items:
        if isinstance(item, str):
            pieces.append(_collapse_keep_edges(item))
            continue
        name = local_name(item)
        if depth > MAX_DEPTH:
            pieces.append(_collapse_keep_edges("".join(item.itertext())))
        elif name in ("break", "br"):
            pieces.append("\n")
            pieces.append(_inline(list(children_with_text(item)), depth + 1))
        elif name in LINKS:
            text = _inline(list(children_with_text(item)), depth + 1).strip()
            url = item.get("href", "")
            pieces.append(
                f"{text} ({url})" if url and text and text != url else text or url
            )
        elif name in ("image", "img"):
            alt = item.get("alt", "").strip()
            pieces.append(f"[image: {alt}]" if alt else "[image]")
        elif name == "file":
            filename = item.get("filename", "") or item.get("url", "")
            pieces.append(f"[file: {filename}]")
        elif name == "video":
            pieces.append("[video]")
        elif name == "code":
            pieces.append("".join(item.itertext()))
        elif name == "mention":
            display_name = "".join(item.itertext()).strip()
            prefix = "" if display_name.startswith("@") else "@"
            pieces.append(prefix + display_name)
        else:
            pieces.append(_inline(list(children_with_text(item)), depth + 1))
            pieces.append(unknown_element_url(item))
    return "".join(pieces)


def _inline_text(items: list[Element | str], depth: int) -> str:
    lines = _inline(items, depth).split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def _code(element: Element) -> str:
    pieces: list[str] = []
    stack: list[Element | str] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            pieces.append(item)
            continue
        name = local_name(item)
        if name in ("break", "br"):
            pieces.append("\n")
        elif name == "web-snippet-file" and pieces:
            pieces.append("\n\n")
        stack.extend(reversed(list(children_with_text(item))))
    return "".join(pieces).replace("\r\n", "\n").strip("\n")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _collapse_keep_edges(text: str) -> str:
    collapsed = " ".join(text.split())
    if not collapsed:
        return " " if text else ""
    if text[0].isspace():
        collapsed = " " + collapsed
    if text[-1].isspace():
        collapsed += " "
    return collapsed
