"""Ed inline elements (text, marks, links, code, math, media) to Markdown."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from xml.etree.ElementTree import Element

from ._ed_tree import local_name
from ._markdown_escape import (
    code_span,
    delimiters_work,
    escape_text,
    html_attribute,
    is_autolink,
    link_destination,
)
from ._parser import PARSER

# Ed mark elements, and the HTML names some readers and writers use for them.
MARKS = {
    "bold": "bold",
    "b": "bold",
    "strong": "bold",
    "italic": "italic",
    "i": "italic",
    "em": "italic",
    "underline": "underline",
    "u": "underline",
    "strike": "strike",
    "s": "strike",
    "del": "strike",
    "strikethrough": "strike",
}
LINKS = frozenset(("link", "a", "edlink"))
MEDIA = frozenset(("image", "img", "file", "video"))
INLINE_TAGS = frozenset(
    (*MARKS, *LINKS, *MEDIA, "code", "math", "break", "br", "mention", "figure")
)

# Delimiters to try for each mark, best first.
_DELIMITERS = {"bold": ("**", "__"), "italic": ("*", "_"), "strike": ("~~",)}

# Deeper nesting than this is written as plain text, to bound the recursion.
MAX_DEPTH = 100

PARAGRAPH, HEADING, CELL = "paragraph", "heading", "cell"
# Suffix of a context in which "[" is written as a character reference.
_ENTITY_BRACKETS = "+entity-brackets"


def children_with_text(element: Element) -> Iterator[Element | str]:
    """Yield an element's text, child elements and their tails in document order."""
    if element.text:
        yield element.text
    for child in element:
        yield child
        if child.tail:
            yield child.tail


class Node:
    """One node of an inline tree built from Ed XML.

    ``kind`` is "text", "break", "code", "math", "mark", "link", "image", "file"
    or "video". ``value`` is the text, code, LaTeX, mark name or link URL, and
    ``attributes`` the attributes of a media element.
    """

    __slots__ = ("attributes", "children", "kind", "value")

    def __init__(
        self,
        kind: str,
        value: str = "",
        children: list[Node] | None = None,
        attributes: dict[str, str] | None = None,
    ) -> None:
        self.kind = kind
        self.value = value
        self.children = children if children is not None else []
        self.attributes = attributes if attributes is not None else {}


class InlineWriter:
    """Writes runs of Ed inline content as Markdown.

    Attributes:
        unknown: Names of elements met that have no Markdown form; their text is
            kept.
    """

    def __init__(self) -> None:
        self.unknown: set[str] = set()

    def write(self, items: list[Element | str], context: str, depth: int) -> str:
        """Render inline items as Markdown for a paragraph, heading or table cell."""
        nodes = _normalize(self.nodes(items, depth))
        markdown = _serialize(nodes, context, None, None)
        if "\\[" in markdown and "\\]" in markdown:
            # The reader takes "\\[...\\]" for display math, and a "\\]" in math
            # or code would close an escaped bracket from the text.
            markdown = _serialize(nodes, _with_entity_brackets(context), None, None)
        return markdown

    def nodes(self, items: Iterable[Element | str], depth: int) -> list[Node]:
        """Convert Ed inline XML to nodes; unknown elements contribute their text."""
        nodes: list[Node] = []
        for item in items:
            if isinstance(item, str):
                nodes.append(Node("text", item))
                continue
            if depth > MAX_DEPTH:
                nodes.append(Node("text", "".join(item.itertext())))
                continue
            name = local_name(item)
            if name in MARKS:
                children = self.nodes(children_with_text(item), depth + 1)
                nodes.append(Node("mark", MARKS[name], children))
            elif name in LINKS:
                children = self.nodes(children_with_text(item), depth + 1)
                nodes.append(Node("link", item.get("href", ""), children))
            elif name == "code":
                nodes.append(Node("code", "".join(item.itertext())))
            elif name == "math":
                latex = "".join(item.itertext()).strip()
                if latex:
                    nodes.append(Node("math", latex))
            elif name in ("break", "br"):
                nodes.append(Node("break"))
                # An HTML parser may have made <break/> a container. Keep its text.
                nodes.extend(self.nodes(children_with_text(item), depth + 1))
            elif name == "mention":
                display_name = "".join(item.itertext()).strip()
                if display_name and not display_name.startswith("@"):
                    display_name = "@" + display_name
                nodes.append(Node("text", display_name))
            elif name in MEDIA:
                kind = "image" if name == "img" else name
                nodes.append(Node(kind, attributes=dict(item.attrib)))
            else:
                if name not in INLINE_TAGS:
                    self.unknown.add(name)
                nodes.extend(self.nodes(children_with_text(item), depth + 1))
                url = unknown_element_url(item)
                if url:
                    # An <iframe src> or <embed src> has no text, only its URL.
                    nodes.append(Node("link", url, [Node("text", url)]))
        return nodes


def unknown_element_url(element: Element) -> str:
    """Return the URL of an element without text, such as ``<iframe src>``, or ""."""
    if "".join(element.itertext()).strip():
        return ""
    for name in ("src", "href", "url"):
        value = element.get(name, "")
        if value:
            return value
    return ""


def _normalize(nodes: list[Node]) -> list[Node]:
    """Merge text, flatten nested links and same marks, and move edge spaces out.

    CommonMark does not let ``**`` open before a space or close after one. So
    ``<bold>Due </bold>`` is written as ``**Due** ``, and a break at the edge of a
    mark moves out the same way.
    """
    result: list[Node] = []
    for node in nodes:
        if node.kind == "link":
            node.children = _normalize(
                _unwrap(node.children, lambda n: n.kind == "link")
            )
        elif node.kind == "mark":
            children = _normalize(_unwrap_mark(node.children, node.value))
            if node.value == "underline":
                leading: list[Node] = []
                trailing: list[Node] = []
            else:
                leading, children, trailing = _split_edges(children)
            for edge in leading:
                _append(result, edge)
            if children:
                previous = result[-1] if result else None
                if (
                    previous is not None
                    and not leading
                    and previous.kind == "mark"
                    and previous.value == node.value
                ):
                    previous.children = _normalize([*previous.children, *children])
                else:
                    node.children = children
                    result.append(node)
            for edge in trailing:
                _append(result, edge)
            continue
        elif node.kind == "text" and not node.value:
            continue
        _append(result, node)
    return result


def _append(result: list[Node], node: Node) -> None:
    if node.kind == "text" and result and result[-1].kind == "text":
        result[-1] = Node("text", result[-1].value + node.value)
    else:
        result.append(node)


def _unwrap(nodes: list[Node], matches: Callable[[Node], bool]) -> list[Node]:
    unwrapped: list[Node] = []
    for node in nodes:
        if matches(node):
            unwrapped.extend(_unwrap(node.children, matches))
        else:
            unwrapped.append(node)
    return unwrapped


def _unwrap_mark(nodes: list[Node], mark: str) -> list[Node]:
    return _unwrap(nodes, lambda node: node.kind == "mark" and node.value == mark)


def _split_edges(children: list[Node]) -> tuple[list[Node], list[Node], list[Node]]:
    leading: list[Node] = []
    trailing: list[Node] = []
    core = list(children)
    while core:
        first = core[0]
        if first.kind == "break":
            leading.append(core.pop(0))
        elif first.kind == "text" and first.value[:1].isspace():
            stripped = first.value.lstrip()
            leading.append(
                Node("text", first.value[: len(first.value) - len(stripped)])
            )
            if stripped:
                core[0] = Node("text", stripped)
                break
            core.pop(0)
        else:
            break
    while core:
        last = core[-1]
        if last.kind == "break":
            trailing.insert(0, core.pop())
        elif last.kind == "text" and last.value[-1:].isspace():
            stripped = last.value.rstrip()
            trailing.insert(0, Node("text", last.value[len(stripped) :]))
            if stripped:
                core[-1] = Node("text", stripped)
                break
            core.pop()
        else:
            break
    return leading, core, trailing


class _Choice:
    """A rendering that depends on its neighbours, with fallbacks in order."""

    __slots__ = ("inner", "kind", "options")

    def __init__(self, kind: str, inner: str, options: list[str]) -> None:
        self.kind = kind
        self.inner = inner
        self.options = options


def _serialize(
    nodes: list[Node],
    context: str,
    before: str | None,
    after: str | None,
    in_link: bool = False,
) -> str:
    """Render sibling nodes; ``before`` and ``after`` are the enclosing characters."""
    pieces: list[str] = []
    choices: list[_Choice | None] = []
    for node in nodes:
        piece, choice = _render_node(node, context, in_link)
        pieces.append(piece)
        choices.append(choice)

    # Whether "**" or "$" parse depends on the characters next to them, which are
    # only known once the neighbours are rendered. A failed choice falls back to
    # another delimiter, then to the bare content, until nothing changes.
    changed = True
    while changed:
        changed = False
        for index, choice in enumerate(choices):
            if choice is None:
                continue
            previous = _last_character(pieces, index, before)
            following = _first_character(pieces, index, after)
            escaped = _ends_escaped(pieces, index)
            while choice.options and not _works(choice, previous, following, escaped):
                choice.options.pop(0)
                changed = True
            if choice.options:
                pieces[index] = _apply(choice)
            else:
                # NOTE: the mark is dropped and its text kept. This happens for
                # "a<bold>"b"</bold>c" (no delimiter can open after a letter and
                # before punctuation) and for math that contains "$", "\\)" and "\\]".
                pieces[index] = choice.inner
                choices[index] = None

    for index, node in enumerate(nodes):
        if (
            node.kind == "text"
            and pieces[index].endswith("!")
            and _first_character(pieces, index, after) == "["
        ):
            # "!" right before a link would turn the link into an image.
            pieces[index] = pieces[index][:-1] + "\\!"
    return "".join(pieces)


def _last_character(pieces: list[str], index: int, default: str | None) -> str | None:
    for piece in reversed(pieces[:index]):
        if piece:
            return piece[-1]
    return default


def _first_character(pieces: list[str], index: int, default: str | None) -> str | None:
    for piece in pieces[index + 1 :]:
        if piece:
            return piece[0]
    return default


def _ends_escaped(pieces: list[str], index: int) -> bool:
    """Return whether the text before ``pieces[index]`` ends with an escaped char."""
    text = "".join(pieces[:index])
    backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    return bool(text) and backslashes % 2 == 1


def _works(
    choice: _Choice, before: str | None, after: str | None, before_escaped: bool
) -> bool:
    option = choice.options[0]
    if choice.kind == "mark":
        # A delimiter next to the same unescaped character would join its run,
        # and the flanking rules would apply to the joined run.
        if (option[0] == before and not before_escaped) or option[0] == after:
            return False
        return delimiters_work(option, choice.inner, before, after)
    inner = choice.inner
    if option in ("$", "$$"):
        digit_outside = (before or "").isdigit() or (after or "").isdigit()
        if digit_outside or inner.endswith("\\"):
            return False
        if option == "$":
            # The reader's dollar rule requires no space inside the dollars.
            return "$" not in inner and not (inner[0].isspace() or inner[-1].isspace())
        return "$$" not in inner and not (inner.startswith("$") or inner.endswith("$"))
    closer = "\\)" if option == "\\(" else "\\]"
    return closer not in inner


def _with_entity_brackets(context: str) -> str:
    return context + _ENTITY_BRACKETS


# Inline math delimiters, tried in this order until one parses back.
_MATH_DELIMITERS = {"$": "$", "\\(": "\\)", "$$": "$$", "\\[": "\\]"}


def _apply(choice: _Choice) -> str:
    option = choice.options[0]
    if choice.kind == "mark":
        return f"{option}{choice.inner}{option}"
    closer = _MATH_DELIMITERS[option]
    # A space keeps a final backslash from escaping "\\)" or "\\]", and the
    # reader strips spaces around math.
    padding = " " if option.startswith("\\") and choice.inner.endswith("\\") else ""
    return f"{option}{choice.inner}{padding}{closer}"


def _render_node(node: Node, context: str, in_link: bool) -> tuple[str, _Choice | None]:
    kind = node.kind
    if kind == "text":
        entity = context.endswith(_ENTITY_BRACKETS)
        return escape_text(node.value, in_link, entity), None
    if kind == "break":
        return ("\\\n" if context.startswith(PARAGRAPH) else "<br>"), None
    if kind == "code":
        return (code_span(node.value) if node.value else ""), None
    if kind == "math":
        latex = " ".join(node.value.splitlines())
        choice = _Choice("math", latex, list(_MATH_DELIMITERS))
        return _apply(choice), choice
    if kind == "mark":
        return _render_mark(node, context, in_link)
    if kind == "link":
        return _render_link(node, context), None
    return _render_media(node), None


def _render_mark(node: Node, context: str, in_link: bool) -> tuple[str, _Choice | None]:
    if node.value == "underline":
        inner = _serialize(node.children, context, ">", "<", in_link)
        return (f"<u>{inner}</u>" if inner else ""), None
    options = list(_DELIMITERS[node.value])
    edges = (node.children[0], node.children[-1])
    if node.value == "italic" and any(
        edge.kind == "mark" and edge.value == "bold" for edge in edges
    ):
        # "_**x**_": a "*" next to "**" would join its run and change the nesting.
        options.reverse()
    delimiter = options[0][0]
    inner = _serialize(node.children, context, delimiter, delimiter, in_link)
    choice = _Choice("mark", inner, options)
    return _apply(choice), choice


def _render_link(node: Node, context: str) -> str:
    href = node.value
    children = node.children
    if (
        len(children) == 1
        and children[0].kind == "text"
        and children[0].value == href
        and is_autolink(href)
        and PARSER.validateLink(href)
        and PARSER.normalizeLink(href) == href
        and PARSER.normalizeLinkText(href) == href
    ):
        return f"<{href}>"
    inner = _serialize(children, context, "[", "]", in_link=True)
    return f"[{inner}]({link_destination(href)})"


def _render_media(node: Node) -> str:
    attributes = node.attributes
    if node.kind == "image":
        source = attributes.get("src", "")
        alt = attributes.get("alt", "")
        width = attributes.get("width", "")
        height = attributes.get("height", "")
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
    if node.kind == "file":
        url = attributes.get("url", "")
        name = attributes.get("filename", "") or url
        return f'<a href="{html_attribute(url)}" download>{escape_text(name)}</a>'
    return f'<video src="{html_attribute(attributes.get("src", ""))}"></video>'
