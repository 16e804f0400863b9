"""Inline Markdown (the children of a markdown-it ``inline`` token) to Ed XML."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from ._html_tags import HtmlTag, classify_inline_tag
from ._xml import escape_attribute, escape_text

_MARK_OPENERS = {"strong_open": "bold", "em_open": "italic", "s_open": "strike"}
_CLOSERS = frozenset(("strong_close", "em_close", "s_close", "link_close"))
_MATH_TOKENS = frozenset(("math_inline", "math_inline_double"))
# Emphasis can nest as deep as the input has asterisks. Deeper marks stay text, so
# that the recursive steps below stay within Python's recursion limit.
MAX_INLINE_DEPTH = 50


class InlineNode:
    """One node of an inline tree: text, a mark with children, or an atom.

    ``kind`` is one of "text", "break", "code", "math", "mark", "link", "hoisted"
    and "html". ``value`` is the text, the code, the LaTeX, the Ed mark name, the
    link URL, the XML of a hoisted block or the raw HTML of a tag.
    """

    __slots__ = ("children", "kind", "tag", "value")

    def __init__(
        self,
        kind: str,
        value: str = "",
        children: list[InlineNode] | None = None,
        tag: HtmlTag | None = None,
    ) -> None:
        self.kind = kind
        self.value = value
        self.children = children if children is not None else []
        self.tag = tag

    @classmethod
    def text(cls, value: str) -> InlineNode:
        """Create a text node."""
        return cls("text", value)

    @classmethod
    def link(cls, href: str, children: list[InlineNode]) -> InlineNode:
        """Create a link node."""
        return cls("link", href, children)

    @classmethod
    def hoisted(cls, xml: str) -> InlineNode:
        """Create a node for a block element (figure, file, video) found inline."""
        return cls("hoisted", xml)


@dataclass(frozen=True, slots=True)
class Hoisted:
    """Block XML that must leave the inline element it was written in."""

    xml: str


Part = str | Hoisted

# Builds the node for an image, video or file tag, or None for an unusable tag.
MediaFactory = Callable[[HtmlTag, str], InlineNode | None]


def build_inline_tree(tokens: Sequence[Token], media: MediaFactory) -> list[InlineNode]:
    """Nest markdown-it's flat inline tokens and resolve the recognised HTML tags."""
    root: list[InlineNode] = []
    stack = [root]
    # One entry per open mark: False once past MAX_INLINE_DEPTH, where the
    # mark's delimiters stay text.
    marks_kept: list[bool] = []
    for token in tokens:
        kind = token.type
        siblings = stack[-1]
        if (kind in _MARK_OPENERS or kind == "link_open") and len(
            stack
        ) > MAX_INLINE_DEPTH:
            siblings.append(InlineNode("text", token.markup))
            marks_kept.append(False)
            continue
        if kind in _CLOSERS and marks_kept and not marks_kept[-1]:
            marks_kept.pop()
            siblings.append(InlineNode("text", token.markup))
            continue
        if kind == "text":
            if token.content:
                siblings.append(InlineNode("text", token.content))
        elif kind == "softbreak":
            siblings.append(InlineNode("text", " "))
        elif kind == "hardbreak":
            siblings.append(InlineNode("break"))
        elif kind == "code_inline":
            siblings.append(InlineNode("code", token.content))
        elif kind in _MATH_TOKENS:
            if token.content.strip():
                siblings.append(InlineNode("math", token.content.strip()))
        elif kind in _MARK_OPENERS:
            node = InlineNode("mark", _MARK_OPENERS[kind])
            siblings.append(node)
            stack.append(node.children)
            marks_kept.append(True)
        elif kind == "link_open":
            node = InlineNode("link", str(token.attrs.get("href", "")))
            siblings.append(node)
            stack.append(node.children)
            marks_kept.append(True)
        elif kind in _CLOSERS:
            if len(stack) > 1:
                stack.pop()
                marks_kept.pop()
        elif kind == "image":
            alt = plain_text(token.children or [])
            attributes: dict[str, str | None] = {
                "src": str(token.attrs.get("src", "")),
                "alt": alt,
            }
            image = media(HtmlTag("img", "startend", attributes), "")
            siblings.append(image if image is not None else InlineNode.text(alt))
        elif kind == "html_inline":
            tag = classify_inline_tag(token.content)
            siblings.append(InlineNode("html", token.content, tag=tag))
        elif kind == "footnote_ref":
            number = int(token.meta.get("id", 0)) + 1
            siblings.append(InlineNode("text", f"[{number}]"))
        elif kind == "footnote_anchor":
            continue
        elif token.content:
            siblings.append(InlineNode("text", token.content))
    return _move_edges_out(_resolve_html(root, media))


def plain_text(tokens: Sequence[Token]) -> str:
    """Return the text of inline tokens without markup, as used for image alt text."""
    pieces: list[str] = []
    for token in tokens:
        if token.type == "softbreak":
            pieces.append(" ")
        elif token.type == "image":
            pieces.append(plain_text(token.children or []))
        elif token.type not in ("html_inline", "hardbreak"):
            pieces.append(token.content)
    return "".join(pieces)


def _resolve_html(
    nodes: list[InlineNode], media: MediaFactory, depth: int = 0
) -> list[InlineNode]:
    """Turn the recognised HTML tags among siblings into nodes; the rest is text.

    ``<u>`` and ``</u>`` become an underline around the siblings between them, and
    ``<a href download>name</a>`` a file, provided they pair up among the same
    siblings. Anything unpaired keeps its raw text.
    """
    result: list[InlineNode] = []
    open_tags: list[int] = []
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        if node.children:
            node.children = _resolve_html(node.children, media, depth + 1)
        tag = node.tag
        if node.kind != "html":
            result.append(node)
        elif tag is None:
            result.append(InlineNode.text(node.value))
        elif tag.name == "br":
            result.append(InlineNode("break"))
        elif tag.name == "img" or (tag.name == "video" and tag.kind == "startend"):
            result.append(media(tag, "") or InlineNode.text(node.value))
        elif tag.name == "video" and tag.kind == "start":
            following = nodes[index] if index < len(nodes) else None
            if following is not None and following.tag == HtmlTag("video", "end", {}):
                result.append(media(tag, "") or InlineNode.text(node.value))
                index += 1
            else:
                result.append(InlineNode.text(node.value))
        elif tag.kind == "start":
            if depth + len(open_tags) < MAX_INLINE_DEPTH:
                open_tags.append(len(result))
            result.append(node)
        else:
            _close_tag(result, open_tags, node, media)
    return [
        InlineNode.text(node.value) if node.kind == "html" else node for node in result
    ]


def _close_tag(
    result: list[InlineNode],
    open_tags: list[int],
    closing: InlineNode,
    media: MediaFactory,
) -> None:
    assert closing.tag is not None
    name = closing.tag.name
    start = open_tags[-1] if open_tags else -1
    opening = result[start] if start >= 0 else None
    if opening is None or opening.tag is None or opening.tag.name != name:
        result.append(InlineNode.text(closing.value))
        return
    open_tags.pop()
    inner = result[start + 1 :]
    replacement: InlineNode | None = None
    if name == "u":
        replacement = InlineNode("mark", "underline", inner)
    elif name == "a" and all(child.kind == "text" for child in inner):
        replacement = media(opening.tag, "".join(child.value for child in inner))
    if replacement is None:
        result.append(InlineNode.text(closing.value))
        return
    del result[start:]
    result.append(replacement)


def _move_edges_out(nodes: list[InlineNode]) -> list[InlineNode]:
    """Move breaks and spaces at the edges of bold, italic and strike outside them.

    Markdown cannot write ``**Due **`` or a mark that contains only a break, so
    the Markdown writer does the same. Doing it here keeps round trips stable.
    """
    result: list[InlineNode] = []
    for node in _merge_same_marks(nodes):
        if node.children:
            node.children = _move_edges_out(node.children)
        if node.kind != "mark" or node.value == "underline":
            result.append(node)
            continue
        children = node.children
        start, end = 0, len(children)
        while start < end and _is_edge(children[start]):
            start += 1
        while end > start and _is_edge(children[end - 1]):
            end -= 1
        leading, core, trailing = children[:start], children[start:end], children[end:]
        if core and core[0].kind == "text" and core[0].value[:1].isspace():
            text = core[0].value
            stripped = text.lstrip()
            leading.append(InlineNode.text(text[: len(text) - len(stripped)]))
            core[0] = InlineNode.text(stripped)
        if core and core[-1].kind == "text" and core[-1].value[-1:].isspace():
            text = core[-1].value
            stripped = text.rstrip()
            trailing.insert(0, InlineNode.text(text[len(stripped) :]))
            core[-1] = InlineNode.text(stripped)
        result.extend(leading)
        if core:
            node.children = core
            result.append(node)
        result.extend(trailing)
    return result


def _merge_same_marks(nodes: list[InlineNode]) -> list[InlineNode]:
    """Flatten nested same marks and join adjacent ones, as the writer does.

    "_a_*b*" is two italics in a row, which Ed has no reason to keep apart.
    """
    merged: list[InlineNode] = []
    for node in nodes:
        if node.kind == "mark":
            node.children = _unwrap_same_mark(node.children, node.value)
            previous = merged[-1] if merged else None
            if previous is not None and (previous.kind, previous.value) == (
                "mark",
                node.value,
            ):
                previous.children = [*previous.children, *node.children]
                continue
        merged.append(node)
    return merged


def _unwrap_same_mark(nodes: list[InlineNode], mark: str) -> list[InlineNode]:
    """Flatten a mark nested directly in the same mark, as in ``*a *b* c*``."""
    result: list[InlineNode] = []
    for node in nodes:
        if node.kind == "mark" and node.value == mark:
            result.extend(_unwrap_same_mark(node.children, mark))
        else:
            result.append(node)
    return result


def _is_edge(node: InlineNode) -> bool:
    return node.kind == "break" or (node.kind == "text" and not node.value.strip())


def render_inline(nodes: list[InlineNode]) -> list[Part]:
    """Render inline nodes as Ed XML strings, with hoisted blocks between them."""
    parts: list[Part] = []
    _render(nodes, parts)
    return parts


def _render(nodes: list[InlineNode], out: list[Part], in_link: bool = False) -> None:
    for node in nodes:
        kind = node.kind
        if kind == "text":
            out.append(escape_text(node.value))
        elif kind == "break":
            out.append("<break/>")
        elif kind == "code":
            out.append(f"<code>{escape_text(node.value)}</code>")
        elif kind == "math":
            out.append(f"<math>{escape_text(node.value)}</math>")
        elif kind == "hoisted":
            out.append(Hoisted(node.value))
        elif kind == "link" and in_link:
            # Ed links cannot nest, so the inner one (an image link) keeps its text.
            _render(node.children, out, in_link)
        else:
            _render_element(node, out, in_link)


def _render_element(node: InlineNode, out: list[Part], in_link: bool) -> None:
    if node.kind == "link":
        opening, closing = f'<link href="{escape_attribute(node.value)}">', "</link>"
    else:
        opening, closing = f"<{node.value}>", f"</{node.value}>"
    inner: list[Part] = []
    _render(node.children, inner, in_link or node.kind == "link")
    if all(isinstance(part, str) for part in inner):
        content = "".join(part for part in inner if isinstance(part, str))
        if content:
            out.append(f"{opening}{content}{closing}")
        elif node.kind == "link":
            out.append(opening[:-1] + "/>")
        return

    # A figure inside a mark or link: close the element before it and reopen it
    # after, so both halves keep their formatting.
    has_text = False
    run: list[str] = []
    for part in [*inner, None]:
        if isinstance(part, str):
            run.append(part)
            continue
        content = "".join(run)
        if content.strip():
            out.append(f"{opening}{content}{closing}")
            has_text = True
        elif content:
            out.append(content)
        run = []
        if part is not None:
            out.append(part)
    if node.kind == "link" and not has_text:
        # Keep the link target when its only content was an image.
        out.append(f"{opening}{escape_text(node.value)}{closing}")
