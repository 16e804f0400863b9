"""Hypothesis strategies for Markdown-like text, supported Markdown and Ed XML.

``ed_documents`` builds Ed XML already in the form that ``markdown_to_ed_document``
writes (attribute order, paragraphs inside callouts, normalised URLs), so a
lossless round trip must give back the same string.
"""

from __future__ import annotations

from itertools import pairwise
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "pyedstem-content",
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CONTENT_SETTINGS = settings.get_profile("pyedstem-content")

# Characters with a meaning somewhere in Markdown, HTML or Ed XML.
SPECIAL = "*_`[]()<>!#-+=|$\\~&;:.^{}\"'/@%"
MARKDOWN_PIECES = [
    *SPECIAL,
    *"ab1 ",
    "\n",
    "\n\n",
    "  \n",
    "\t",
    "- ",
    "1. ",
    "> ",
    "# ",
    "```",
    "~~~",
    "$$",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    "<u>",
    "</u>",
    "<br>",
    "**",
    "~~",
    "[!NOTE]",
    "<details>",
    "<details",
    "<img",
    "<a",
    "<summary>Spoiler</summary>",
    "</details>",
    '<img src="p.png">',
    '<a href="https://f.x/1" download>',
    "</a>",
    "&amp;",
    "&#93;",
    "&nbsp;",
    "[x](https://e.x/a)",
    "![i](https://e.x/i.png)",
    "![l](local.png)",
    "| a | b |\n|---|---|\n",
    "é",
    "中",
    "👋",
    "\u00a0",
    "\x07",
    "\x00",
    "\ud800",
    "    ",
]

markdown_like = st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=40).map("".join)
any_text = st.text(max_size=200)

# Words that each stress one escaping rule of the Markdown writer.
WORDS = [
    "plain",
    "snake_case",
    "_lead",
    "trail_",
    "2*3",
    "*star*",
    "**",
    "`tick`",
    "``",
    "[x]",
    "[^1]",
    "![i]",
    "a]b",
    "(p)",
    "<tag>",
    "</u>",
    "<br>",
    "&amp;",
    "&lt;",
    "Q&A",
    "#5",
    "#",
    "1.",
    "2)",
    "-",
    "+",
    "=",
    ">",
    "|",
    "$5",
    "$x$",
    "\\",
    "\\(x\\)",
    "\\[y\\]",
    "~",
    "~~",
    "~/path",
    "wow!",
    "[!NOTE]",
    "é",
    "中文",
    "👋",
    ":",
    '"q"',
    "'s",
    "x^2",
    "{a}",
    "@name",
    "%",
    "---",
    "***",
]
word = st.sampled_from(WORDS)
phrase = st.lists(word, min_size=1, max_size=4).map(" ".join)

HREFS = [
    "https://e.x/a",
    "https://e.x/a_b?c=1&d=2",
    "https://e.x/F_(m)",
    "mailto:someone@e.x",
    "https://e.x/#top",
]
IMAGE_SOURCES = [
    "https://s.x/files/abc",
    "https://s.x/p.png",
    "data:image/png;base64,AAAA",
]
LANGUAGES = ["py", "txt", "c", "java", "js", "md", "console"]
MATH = ["x^2", "a<b \\& c", "\\frac{1}{2}", "a_1 * b_2", "\\sum_{i=1}^n i", "|x|"]
CALLOUT_TYPES = ["info", "success", "warning", "error"]


def _element(tag: str, content: str, **attributes: str) -> str:
    attribute_text = "".join(
        f' {name.replace("_", "-")}="{escape(value, {chr(34): "&quot;"})}"'
        for name, value in attributes.items()
    )
    if not content:
        return f"<{tag}{attribute_text}/>"
    return f"<{tag}{attribute_text}>{content}</{tag}>"


@st.composite
def inline_content(
    draw: st.DrawFn, depth: int = 0, in_link: bool = False, marks: tuple[str, ...] = ()
) -> str:
    """Inline Ed XML: text with marks, links, code, math and breaks, space-separated.

    A mark never nests in itself, which the writer would flatten.
    """
    kinds = ["text", "text", "code", "math", "break"]
    if depth < 2:
        kinds += [
            mark
            for mark in ("bold", "italic", "strike", "underline")
            if mark not in marks
        ]
        if not in_link:
            kinds.append("link")
    pieces = []
    for kind in draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3)):
        if kind == "text":
            pieces.append(escape(draw(phrase)))
        elif kind == "code":
            pieces.append(_element("code", escape(draw(phrase))))
        elif kind == "math":
            pieces.append(_element("math", escape(draw(st.sampled_from(MATH)))))
        elif kind == "break":
            pieces.append("<break/>")
        elif kind == "link":
            inner = draw(inline_content(depth + 1, True, marks))
            pieces.append(_element("link", inner, href=draw(st.sampled_from(HREFS))))
        else:
            inner = draw(inline_content(depth + 1, in_link, (*marks, kind)))
            pieces.append(_element(kind, inner))
    # Spaces between siblings keep every mark's delimiters writable in Markdown,
    # and breaks never sit at the edge of a mark or paragraph.
    while pieces and pieces[0] == "<break/>":
        pieces.pop(0)
    while pieces and pieces[-1] == "<break/>":
        pieces.pop()
    if not pieces:
        return escape(draw(phrase))
    content = pieces[0]
    for previous, piece in pairwise(pieces):
        separator = "" if "<break/>" in (previous, piece) else " "
        content += separator + piece
    return content


def paragraph(draw: st.DrawFn) -> str:
    return _element("paragraph", draw(inline_content()))


@st.composite
def list_block(draw: st.DrawFn, depth: int = 0) -> str:
    items = []
    for _ in range(draw(st.integers(1, 2))):
        item = paragraph(draw)
        if depth < 2 and draw(st.booleans()):
            item += draw(list_block(depth + 1))
        items.append(_element("list-item", item))
    style = draw(st.sampled_from(["bullet", "number"]))
    return _element("list", "".join(items), style=style)


CODE_LINES = [
    "",
    "x = 1",
    "    indented",
    "\tif a < b && c:",
    "```",
    "~~~",
    'print("a\\n")',
    "# not a heading",
    "$ ls -l",
    "> quote",
    "- item",
    "<b>tag</b>",
    "   ",
]
code_text = st.lists(st.sampled_from(CODE_LINES), min_size=1, max_size=4).map("\n".join)


def _snippet(draw: st.DrawFn) -> str:
    runnable, line_numbers = draw(
        st.sampled_from([("false", "true"), ("true", "true"), ("false", "false")])
    )
    code = _element("snippet-file", escape(draw(code_text)), id="code")
    language = draw(st.sampled_from(LANGUAGES))
    return _element(
        "snippet", code, language=language, runnable=runnable, line_numbers=line_numbers
    )


def _figure(draw: st.DrawFn) -> str:
    attributes = {"src": draw(st.sampled_from(IMAGE_SOURCES))}
    if draw(st.booleans()):
        attributes["width"] = str(draw(st.integers(1, 4000)))
        attributes["height"] = str(draw(st.integers(1, 4000)))
    alt = draw(st.one_of(st.just(""), phrase))
    if alt:
        attributes["alt"] = alt
    return _element("figure", _element("image", "", **attributes))


def _table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 3))
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        cells = [_element("table-cell", paragraph(draw)) for _ in range(columns)]
        rows.append(_element("table-row", "".join(cells)))
    return _element("table", "".join(rows))


def _web_snippet(draw: st.DrawFn) -> str:
    languages = draw(
        st.sampled_from([["html"], ["html", "css"], ["html", "css", "js"]])
    )
    files = [
        _element("web-snippet-file", escape(draw(code_text)), language=language)
        for language in languages
    ]
    return _element("web-snippet", "".join(files))


_LEAF_BLOCKS = {
    "paragraph": paragraph,
    "heading": lambda draw: _element(
        "heading", draw(inline_content()), level=str(draw(st.integers(1, 3)))
    ),
    "list": lambda draw: draw(list_block()),
    "snippet": _snippet,
    "pre": lambda draw: _element(
        "pre", "<break/>".join(escape(line) for line in draw(code_text).split("\n"))
    ),
    "math": lambda draw: _element("math", escape(draw(st.sampled_from(MATH)))),
    "figure": _figure,
    "file": lambda draw: _element(
        "file", "", url=draw(st.sampled_from(HREFS[:3])), filename=draw(word)
    ),
    "video": lambda draw: _element("video", "", src=draw(st.sampled_from(HREFS[:3]))),
    "table": _table,
    "web-snippet": _web_snippet,
}


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    """One Ed block; containers (callout, blockquote, spoiler) only at the top."""
    kinds = list(_LEAF_BLOCKS)
    if depth < 1:
        kinds += ["callout", "blockquote", "spoiler"]
    kind = draw(st.sampled_from(kinds))
    if kind in _LEAF_BLOCKS:
        return _LEAF_BLOCKS[kind](draw)

    inner = "".join(draw(st.lists(block(depth + 1), min_size=1, max_size=2)))
    if kind == "callout":
        return _element("callout", inner, type=draw(st.sampled_from(CALLOUT_TYPES)))
    return _element(kind, inner)


@st.composite
def ed_documents(draw: st.DrawFn) -> str:
    """An Ed document in the writer's canonical form."""
    blocks = draw(st.lists(block(), min_size=1, max_size=4))
    # Two web snippets in a row read back as one, a documented limitation.
    body = "".join(blocks).replace(
        "</web-snippet><web-snippet>",
        "</web-snippet><paragraph>x</paragraph><web-snippet>",
    )
    return f'<document version="2.0">{body}</document>'


@st.composite
def supported_markdown(draw: st.DrawFn) -> str:
    """Markdown written by hand in the supported subset, with its common variants."""

    def inline() -> str:
        parts = []
        for _ in range(draw(st.integers(1, 4))):
            text = draw(phrase).replace("\\", "").replace("`", "").replace("$", "")
            kept = "".join(char for char in text if char.isalnum() or char == " ")
            text = " ".join(kept.split()) or "w"
            form = draw(
                st.sampled_from(
                    [
                        "{}",
                        "**{}**",
                        "__{}__",
                        "*{}*",
                        "_{}_",
                        "~~{}~~",
                        "`{}`",
                        "<u>{}</u>",
                        "[{}](https://e.x/a)",
                        "<https://e.x/b>",
                        "$x^2$",
                        "\\(a_1\\)",
                        "***{}***",
                    ]
                )
            )
            parts.append(form.format(text))
        return " ".join(parts)

    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(
            st.sampled_from(
                [
                    "paragraph",
                    "heading",
                    "setext",
                    "bullets",
                    "numbers",
                    "fence",
                    "tilde",
                    "indented",
                    "quote",
                    "alert",
                    "math",
                    "table",
                    "image",
                    "spoiler",
                    "break",
                ]
            )
        )
        if kind == "paragraph":
            blocks.append(inline() + "\n" + inline())
        elif kind == "heading":
            blocks.append("#" * draw(st.integers(1, 3)) + " " + inline())
        elif kind == "setext":
            blocks.append(inline() + "\n" + draw(st.sampled_from(["===", "---"])))
        elif kind == "bullets":
            marker = draw(st.sampled_from(["-", "*", "+"]))
            nested = "\n  " + marker + " " + inline() if draw(st.booleans()) else ""
            blocks.append(f"{marker} {inline()}{nested}\n{marker} {inline()}")
        elif kind == "numbers":
            blocks.append(f"1. {inline()}\n2. {inline()}\n   - {inline()}")
        elif kind == "fence":
            language = draw(st.sampled_from(["", "python", "c", "txt"]))
            blocks.append(f"```{language}\n{draw(code_text)}\n```")
        elif kind == "tilde":
            blocks.append(f"~~~js\n{draw(code_text)}\n~~~")
        elif kind == "indented":
            code = draw(code_text).strip("\n ") or "x"
            blocks.append("\n".join("    " + line for line in code.split("\n")))
        elif kind == "quote":
            blocks.append(f"> {inline()}\n> {inline()}")
        elif kind == "alert":
            name = draw(
                st.sampled_from(["NOTE", "TIP", "WARNING", "CAUTION", "IMPORTANT"])
            )
            blocks.append(f"> [!{name}]\n> {inline()}")
        elif kind == "math":
            blocks.append("$$\n" + draw(st.sampled_from(MATH)) + "\n$$")
        elif kind == "table":
            blocks.append(f"| {inline()} | b |\n|---|:-:|\n| 1 | {inline()} |")
        elif kind == "image":
            alt = "".join(char for char in draw(word) if char.isalnum())
            blocks.append(f"![{alt}](https://s.x/p.png)")
        elif kind == "spoiler":
            blocks.append(
                f"<details><summary>Spoiler</summary>\n\n{inline()}\n\n</details>"
            )
        else:
            blocks.append(f"{inline()}  \n{inline()}\\\n{inline()}")
    return "\n\n".join(blocks)
