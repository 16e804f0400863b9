"""The markdown-it-py parser behind the Markdown to Ed XML converter.

CommonMark with GFM tables and strikethrough, mdit-py-plugins for ``$`` math,
amsmath environments and footnotes, and two rules of this module: ``\\(...\\)`` and
``\\[...\\]`` math, and a guard that keeps over-deep nesting as text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from mdit_py_plugins.footnote import footnote_plugin

# markdown-it recurses once per nested container. At MAX_NESTING it silently skips
# the rest of the block, so the deep-text rule takes over a few levels earlier.
MAX_NESTING = 100
_DEEP_TEXT_LEVEL = MAX_NESTING - 4

DEEP_TEXT_TOKEN = "deep_text"


def is_local_path(url: str) -> bool:
    """Return whether an image reference is a local file path rather than a URL.

    Relative and absolute paths and Windows drive paths (``C:\\x.png``) are local.
    A reference with a URL scheme (``https:``, ``data:``) or starting with ``//``
    is not.
    """
    if not url or url.startswith(("//", "#")):
        return False
    scheme, separator, _ = url.partition(":")
    if not separator or len(scheme) < 2:
        return True
    return not (
        scheme[0].isascii()
        and scheme[0].isalpha()
        and all(char.isascii() and (char.isalnum() or char in "+.-") for char in scheme)
    )


class _EdMarkdownIt(MarkdownIt):
    """A MarkdownIt that leaves local paths as written, so they can be uploaded."""

    def normalizeLink(self, url: str) -> str:
        if is_local_path(url):
            return url
        return super().normalizeLink(url)


def _find_bracket_close(src: str, start: int, end: int, closer: str) -> int:
    """Return the index of ``closer`` (``\\)`` or ``\\]``) that no backslash escapes."""
    search = start
    while True:
        found = src.find(closer, search, end)
        if found == -1:
            return -1
        backslashes = 0
        before = found - 1
        while before >= start and src[before] == "\\":
            backslashes += 1
            before -= 1
        # ``\\)`` is a LaTeX line break followed by a parenthesis, not a delimiter.
        if backslashes % 2 == 0:
            return found
        search = found + 1


def _bracket_math_inline(state: StateInline, silent: bool) -> bool:
    """Parse ``\\(...\\)`` and ``\\[...\\]`` inside a paragraph as math."""
    src = state.src
    pos = state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax:
        return False
    opener = src[pos + 1]
    if opener == "(":
        closer, token_type = "\\)", "math_inline"
    elif opener == "[":
        closer, token_type = "\\]", "math_inline_double"
    else:
        return False

    end = _find_bracket_close(src, pos + 2, state.posMax, closer)
    if end == -1 or not src[pos + 2 : end].strip():
        return False
    if not silent:
        token = state.push(token_type, "math", 0)
        token.content = src[pos + 2 : end]
        token.markup = "\\" + opener
    state.pos = end + 2
    return True


def _bracket_math_block(
    state: StateBlock, start_line: int, end_line: int, silent: bool
) -> bool:
    """Parse a ``\\[`` line up to a line that ends with ``\\]`` as display math."""
    if state.is_code_block(start_line):
        return False
    src = state.src
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not src.startswith("\\[", begin):
        return False

    lines: list[str] = []
    line = start_line
    text_start = begin + 2
    while line < end_line:
        line_end = state.eMarks[line]
        text = src[text_start:line_end].rstrip()
        close = _find_bracket_close(text, 0, len(text), "\\]")
        if close != -1:
            if close != len(text) - 2:
                # A closing bracket inside the line makes this inline math.
                return False
            lines.append(text[:close])
            break
        if line > start_line and state.isEmpty(line):
            return False
        lines.append(text)
        line += 1
        if line < end_line:
            text_start = state.bMarks[line]
    else:
        return False

    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = "\n".join(lines)
    token.markup = "\\["
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


# No space inside the dollars and no digit outside them, so "$5 and $10" and
# "I paid $ 5" stay text, as in Pandoc.
_DOLLAR_OPTIONS = {"allow_space": False, "allow_digits": False}
_dollar_math_inline_rule = math_inline_dollar(**_DOLLAR_OPTIONS, allow_double=True)


def _dollar_math_inline(state: StateInline, silent: bool) -> bool:
    """Run the dollarmath inline rule, working around its reading of ``src[-1]``.

    The plugin (mdit-py-plugins 0.7.0) reads the character before the ``$`` as
    ``src[pos - 1]``, which at position 0 is the last character of the paragraph,
    so "$x$ is 2" was not math. With a space appended, that check sees a space.
    The space is no ``$``, so it cannot change where the math ends.
    """
    if state.pos != 0:
        return _dollar_math_inline_rule(state, silent)
    source = state.src
    state.src = source + " "
    try:
        return _dollar_math_inline_rule(state, silent)
    finally:
        state.src = source


def _deep_text_block(
    state: StateBlock, start_line: int, end_line: int, silent: bool
) -> bool:
    """Keep the rest of an over-deep container as one raw text token."""
    if state.level < _DEEP_TEXT_LEVEL or silent:
        return False
    lines: list[str] = []
    line = start_line
    while line < end_line:
        ended = state.sCount[line] < state.blkIndent and not state.isEmpty(line)
        if line > start_line and ended:
            break
        begin = state.bMarks[line] + state.tShift[line]
        lines.append(state.src[begin : state.eMarks[line]])
        line += 1
    token = state.push(DEEP_TEXT_TOKEN, "", 0)
    token.block = True
    token.content = "\n".join(lines).strip("\n")
    token.map = [start_line, line]
    state.line = line
    return True


def _build_parser() -> MarkdownIt:
    parser = _EdMarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    parser.enable(["table", "strikethrough"])
    parser.use(
        dollarmath_plugin, allow_labels=False, double_inline=True, **_DOLLAR_OPTIONS
    )
    parser.inline.ruler.at("math_inline", _dollar_math_inline)
    parser.use(amsmath_plugin)
    # Inline footnotes (^[...]) are off, because "2^[3]" is ordinary text to most
    # writers.
    parser.use(footnote_plugin, inline=False)
    parser.inline.ruler.before("escape", "math_bracket_inline", _bracket_math_inline)
    parser.block.ruler.before("fence", "math_bracket_block", _bracket_math_block)
    first_block_rule = parser.block.ruler.get_all_rules()[0]
    parser.block.ruler.before(first_block_rule, DEEP_TEXT_TOKEN, _deep_text_block)
    # Compile the rule chains now rather than on the first call from a thread.
    parser.parse("")
    return parser


PARSER = _build_parser()


def parse_markdown(markdown: str) -> list[Token]:
    """Parse Markdown into markdown-it block tokens."""
    return PARSER.parse(markdown, {})
