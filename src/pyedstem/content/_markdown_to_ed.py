"""Markdown to Ed XML: walks markdown-it tokens and writes Ed elements.

The writer only ever emits elements for tokens that markdown-it recognised. Every
piece of text, including raw HTML that is not one of the forms in ``_html_tags``,
goes through ``escape_text``, so no input can inject an element.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from markdown_it.token import Token

from ._html_tags import (
    BlockMedia,
    HtmlTag,
    SpoilerClose,
    SpoilerOpen,
    classify_html_block,
    dimension,
)
from ._images import EdImage
from ._inline import (
    Hoisted,
    InlineNode,
    Part,
    build_inline_tree,
    render_inline,
)
from ._parser import DEEP_TEXT_TOKEN, is_local_path, parse_markdown
from ._xml import escape_attribute, escape_text, remove_forbidden_characters

EMPTY_DOCUMENT = '<document version="2.0"><paragraph/></document>'

# Ed's editor has heading levels 1 to 3, so deeper Markdown headings become 3.
MAX_HEADING_LEVEL = 3

# GitHub alert names, and Ed's own type names, to Ed callout types.
CALLOUT_TYPES = {
    "NOTE": "info",
    "INFO": "info",
    "TIP": "success",
    "SUCCESS": "success",
    "WARNING": "warning",
    "IMPORTANT": "error",
    "CAUTION": "error",
    "ERROR": "error",
}

# Fence info words that name the same Ed snippet language.
LANGUAGE_ALIASES = {"python": "py", "text": "txt", "plaintext": "txt", "": "txt"}

PRE_LANGUAGE = "pre"
WEB_SNIPPET_FLAG = "web-snippet"
WEB_SNIPPET_LANGUAGES = ("html", "css", "js")
RUNNABLE_FLAG = "runnable"
NO_LINE_NUMBERS_FLAG = "no-line-numbers"

_SIMPLE_CONTAINERS = {
    "bullet_list_open": '<list style="bullet">',
    "ordered_list_open": '<list style="number">',
    "table_open": "<table>",
    "tr_open": "<table-row>",
    "blockquote_open": "<blockquote>",
}


def markdown_to_ed_document(
    markdown: str, *, images: Mapping[str, EdImage] | None = None
) -> str:
    """Convert Markdown to an Ed ``<document version="2.0">`` XML string.

    The result is compact XML without a declaration. Characters that XML 1.0
    forbids are removed, and blank input gives a document with one empty paragraph.
    ``docs/content.md`` lists the Markdown constructs and the Ed element for each.

    Args:
        markdown: CommonMark with GFM tables and strikethrough, ``$`` and ``\\(``
            math, GitHub alerts as callouts and ``<details>`` as spoilers.
        images: Uploaded images by the source written in the Markdown, as listed
            by ``local_image_paths``. An image whose source is a key becomes an Ed
            image with that URL and size. A local image that is not a key stays a
            link to its path.

    Returns:
        The Ed XML document.
    """
    tokens = parse_markdown(remove_forbidden_characters(markdown))
    body = _EdWriter(images or {}).write(tokens)
    if not body:
        return EMPTY_DOCUMENT
    return f'<document version="2.0">{body}</document>'


class _EdWriter:
    def __init__(self, images: Mapping[str, EdImage]) -> None:
        self._images = images
        self._out: list[str] = []

    def write(self, tokens: Sequence[Token]) -> str:
        spoilers = _match_spoilers(tokens)
        out = self._out
        closers: list[tuple[str, str]] = []
        footnote_label = ""
        index = 0
        count = len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            if kind == "paragraph_open":
                children = tokens[index + 1].children or []
                prefix = footnote_label
                footnote_label = ""
                self._paragraph(children, prefix)
                index += 3
                continue
            if kind == "heading_open":
                level = min(int(token.tag[1:]), MAX_HEADING_LEVEL)
                self._inline_block(
                    tokens[index + 1].children or [], f'<heading level="{level}">'
                )
                index += 3
                continue
            if kind in ("th_open", "td_open"):
                out.append("<table-cell>")
                self._inline_block(tokens[index + 1].children or [], "<paragraph>")
                out.append("</table-cell>")
                index += 3
                continue
            if kind == "blockquote_open":
                index = self._blockquote(tokens, index, closers)
                continue
            if kind == "list_item_open":
                out.append("<list-item>")
                closers.append(("<list-item>", "list-item"))
                if tokens[index + 1].type != "paragraph_open":
                    out.append("<paragraph/>")
            elif kind in _SIMPLE_CONTAINERS:
                opening = _SIMPLE_CONTAINERS[kind]
                out.append(opening)
                closers.append((opening, _element_name(opening)))
            elif token.nesting == 1:
                # thead, tbody and footnote blocks have no Ed element of their own.
                closers.append(("", ""))
                if kind == "footnote_open":
                    footnote_label = f"[{int(token.meta.get('id', 0)) + 1}] "
                    if tokens[index + 1].type != "paragraph_open":
                        self._text_lines(footnote_label)
                        footnote_label = ""
            elif token.nesting == -1:
                opening, name = closers.pop() if closers else ("", "")
                if name:
                    _close(out, opening, name)
            elif kind in ("fence", "code_block"):
                self._code(token, tokens[index - 1] if index else None)
            elif kind in ("math_block", "amsmath"):
                self._math_block(token.content)
            elif kind == "hr":
                # Ed has no rule element, so an empty paragraph keeps the gap.
                out.append("<paragraph/>")
            elif kind == "html_block":
                self._html_block(token, spoilers.get(index), closers)
            elif kind == DEEP_TEXT_TOKEN or (token.content and kind != "inline"):
                # Token types this writer does not know still keep their text.
                self._text_lines(token.content)
            index += 1
        return "".join(out)

    def _paragraph(self, children: Sequence[Token], prefix: str) -> None:
        nodes = build_inline_tree(children, self._media_for_tag)
        if prefix:
            nodes.insert(0, InlineNode.text(prefix))
        self._emit_parts(render_inline(nodes), "<paragraph>")

    def _inline_block(self, children: Sequence[Token], opening: str) -> None:
        nodes = build_inline_tree(children, self._media_for_tag)
        self._emit_parts(render_inline(nodes), opening)

    def _emit_parts(self, parts: list[Part], opening: str) -> None:
        """Write inline content in ``opening``'s element, hoisting figures out.

        Ed has no inline image, so an image inside a paragraph splits it into the
        text before, the figure and the text after.
        """
        name = _element_name(opening)
        out = self._out
        if all(isinstance(part, str) for part in parts):
            content = "".join(part for part in parts if isinstance(part, str))
            if content:
                out.append(f"{opening}{content}</{name}>")
            else:
                out.append(opening[:-1] + "/>")
            return
        run: list[str] = []
        for part in [*parts, None]:
            if isinstance(part, str):
                run.append(part)
                continue
            content = "".join(run).strip(" \t\n")
            if content:
                out.append(f"{opening}{content}</{name}>")
            run = []
            if isinstance(part, Hoisted):
                out.append(part.xml)

    def _blockquote(
        self, tokens: Sequence[Token], index: int, closers: list[tuple[str, str]]
    ) -> int:
        callout = _callout_type(tokens, index)
        if callout is None:
            self._out.append("<blockquote>")
            closers.append(("<blockquote>", "blockquote"))
            return index + 1
        opening = f'<callout type="{callout}">'
        self._out.append(opening)
        closers.append((opening, "callout"))
        children = list(tokens[index + 2].children or [])
        while children and children[0].type == "text" and not children[0].content:
            children.pop(0)
        rest = children[2:]
        if any(child.type != "text" or child.content.strip() for child in rest):
            self._paragraph(rest, "")
        return index + 4

    def _code(self, token: Token, previous: Token | None) -> None:
        words = token.info.split() if token.type == "fence" else []
        raw_language = words[0].lower() if words else ""
        language = LANGUAGE_ALIASES.get(raw_language, raw_language)
        flags = set(words[1:])
        code = token.content[:-1] if token.content.endswith("\n") else token.content

        if raw_language == PRE_LANGUAGE:
            # NOTE: whether Ed keeps literal newlines in <pre> is unconfirmed, and
            # the one writer said to copy real lesson slides joins lines with breaks.
            lines = "<break/>".join(escape_text(line) for line in code.split("\n"))
            self._out.append(_element("pre", lines, ""))
        elif WEB_SNIPPET_FLAG in flags and language in WEB_SNIPPET_LANGUAGES:
            self._web_snippet_file(code, language, previous)
        else:
            runnable = "true" if RUNNABLE_FLAG in flags else "false"
            line_numbers = "false" if NO_LINE_NUMBERS_FLAG in flags else "true"
            file_xml = _element("snippet-file", escape_text(code), ' id="code"')
            self._out.append(
                f'<snippet language="{escape_attribute(language)}"'
                f' runnable="{runnable}" line-numbers="{line_numbers}">'
                f"{file_xml}</snippet>"
            )

    def _web_snippet_file(
        self, code: str, language: str, previous: Token | None
    ) -> None:
        """Write a file of a web snippet, joining it to the snippet just before."""
        out = self._out
        file_xml = _element(
            "web-snippet-file", escape_text(code), f' language="{language}"'
        )
        # NOTE: two web snippets in a row come back as one, because Markdown has
        # no syntax that keeps consecutive fences apart.
        joins_previous = (
            previous is not None
            and previous.type == "fence"
            and WEB_SNIPPET_FLAG in previous.info.split()[1:]
            and out[-1:] == ["</web-snippet>"]
        )
        if joins_previous:
            out[-1:] = [file_xml, "</web-snippet>"]
        else:
            out.extend(("<web-snippet>", file_xml, "</web-snippet>"))

    def _math_block(self, content: str) -> None:
        # Inside list items markdown-it keeps the item indentation on each line.
        # LaTeX ignores it, so it is removed to make round trips stable.
        latex = textwrap.dedent(content).strip()
        if latex:
            self._out.append(f"<math>{escape_text(latex)}</math>")

    def _html_block(
        self,
        token: Token,
        spoiler_role: str | None,
        closers: list[tuple[str, str]],
    ) -> None:
        meaning = classify_html_block(token.content)
        out = self._out
        if spoiler_role == "open" and isinstance(meaning, SpoilerOpen):
            summary = meaning.summary
            if summary and summary.casefold() != "spoiler":
                # Ed spoilers have no title, so a custom summary stays visible.
                out.append(f"<paragraph>{escape_text(summary)}</paragraph>")
            out.append("<spoiler>")
            closers.append(("<spoiler>", "spoiler"))
            return
        if spoiler_role == "close" and isinstance(meaning, SpoilerClose):
            opening, name = closers.pop()
            _close(out, opening, name)
            return
        if isinstance(meaning, BlockMedia):
            if meaning.tag.name == "br":
                out.append("<paragraph><break/></paragraph>")
                return
            node = self._media_for_tag(meaning.tag, meaning.text)
            if node is not None:
                self._emit_parts(render_inline([node]), "<paragraph>")
                return
        self._text_lines(token.content)

    def _text_lines(self, text: str) -> None:
        lines = text.strip("\n").split("\n")
        content = "<break/>".join(escape_text(line) for line in lines)
        if content:
            self._out.append(f"<paragraph>{content}</paragraph>")

    def _media_for_tag(self, tag: HtmlTag, text: str) -> InlineNode | None:
        attributes = tag.attributes
        if tag.name == "img":
            return self._image(
                attributes.get("src") or "",
                attributes.get("alt") or "",
                dimension(attributes.get("width")),
                dimension(attributes.get("height")),
            )
        if tag.name == "video":
            source = escape_attribute(attributes.get("src") or "")
            return InlineNode.hoisted(f'<video src="{source}"/>')
        if tag.name == "a":
            url = attributes.get("href") or ""
            filename = text.strip() or attributes.get("download") or url
            return InlineNode.hoisted(
                f'<file url="{escape_attribute(url)}"'
                f' filename="{escape_attribute(filename)}"/>'
            )
        return None

    def _image(
        self, source: str, alt: str, width: int | None, height: int | None
    ) -> InlineNode:
        uploaded = self._images.get(source)
        if uploaded is not None:
            source = uploaded.url
            width = uploaded.width if uploaded.width is not None else width
            height = uploaded.height if uploaded.height is not None else height
        elif is_local_path(source):
            # Not uploaded yet: a link keeps the path visible and editable.
            return InlineNode.link(source, [InlineNode.text(alt or source)])
        attributes = f' src="{escape_attribute(source)}"'
        if width is not None:
            attributes += f' width="{width}"'
        if height is not None:
            attributes += f' height="{height}"'
        if alt:
            attributes += f' alt="{escape_attribute(alt)}"'
        return InlineNode.hoisted(f"<figure><image{attributes}/></figure>")


def _element(name: str, content: str, attributes: str) -> str:
    """Write an element, self-closing when it has no content."""
    if not content:
        return f"<{name}{attributes}/>"
    return f"<{name}{attributes}>{content}</{name}>"


def _element_name(opening: str) -> str:
    return opening[1:-1].split(" ", 1)[0]


def _close(out: list[str], opening: str, name: str) -> None:
    """Close an element, writing ``<name/>`` when nothing was written inside it."""
    if out and out[-1] == opening:
        out[-1] = opening[:-1] + "/>"
    else:
        out.append(f"</{name}>")


def _callout_type(tokens: Sequence[Token], index: int) -> str | None:
    """Return the Ed callout type if a blockquote starts with ``[!NOTE]`` or similar.

    As on GitHub, the marker must be alone on the first line of the blockquote.
    """
    if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return None
    if not tokens[index + 2].content.startswith("[!"):
        # Written as "\[!NOTE]", the marker is escaped and stays text.
        return None
    children = [
        child
        for child in tokens[index + 2].children or []
        if not (child.type == "text" and not child.content)
    ]
    if not children or children[0].type != "text":
        return None
    marker = children[0].content.strip()
    if len(children) > 1 and children[1].type not in ("softbreak", "hardbreak"):
        return None
    if not (marker.startswith("[!") and marker.endswith("]")):
        return None
    return CALLOUT_TYPES.get(marker[2:-1].upper())


def _match_spoilers(tokens: Sequence[Token]) -> dict[int, str]:
    """Pair ``<details>`` and ``</details>`` HTML blocks in the same container.

    Returns the role ("open" or "close") of each paired token by index; an unpaired
    one stays text.
    """
    roles: dict[int, str] = {}
    stack: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if token.nesting == -1:
            while stack and stack[-1][1] > token.level:
                stack.pop()
            continue
        if token.type != "html_block":
            continue
        meaning = classify_html_block(token.content)
        if isinstance(meaning, SpoilerOpen):
            stack.append((index, token.level))
        elif (
            isinstance(meaning, SpoilerClose) and stack and stack[-1][1] == token.level
        ):
            opened, _ = stack.pop()
            roles[opened] = "open"
            roles[index] = "close"
    return roles
