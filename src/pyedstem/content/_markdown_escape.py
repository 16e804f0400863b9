"""Escaping and delimiter rules for writing CommonMark that parses back exactly."""

from __future__ import annotations

import re

from markdown_it.common.utils import isPunctChar, isWhiteSpace

# Characters that start inline syntax anywhere in a line. ``|`` is included because
# table rows can form from text, ``$`` because of math, ``~`` only in runs. A
# closing bracket is left alone, because "\\[x\\]" would be display math.
_TEXT_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "[": "\\[",
        "<": "\\<",
        "$": "\\$",
        "|": "\\|",
        "\n": " ",
        "\r": " ",
    }
)
# An underscore between two letters or digits can neither open nor close emphasis.
_UNDERSCORE = re.compile(r"_(?![^\W_])|(?<![^\W_])_")
# "&" that starts something shaped like an entity or character reference.
_AMPERSAND = re.compile(
    r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)"
)
_TILDE_RUN = re.compile(r"~(?=~)|(?<=~)~|^~|~$")
# Line starts that open a block: headings, quotes, list items, setext underlines,
# thematic breaks, table delimiter rows.
_LINE_START_MARKERS = frozenset("#>-+=:|")
_ORDERED_MARKER = re.compile(r"^([0-9]{1,9})([.)])")


def escape_text(
    text: str, in_brackets: bool = False, entity_brackets: bool = False
) -> str:
    """Escape text so that Markdown shows it literally (outside line starts).

    Inside link text and image descriptions (``in_brackets``), ``]`` would end the
    brackets, so it is written as a character reference. With ``entity_brackets``
    ``[`` is one too, for content where ``\\[`` could start display math.
    """
    escaped = text.translate(_TEXT_ESCAPES)
    if "_" in escaped:
        escaped = _UNDERSCORE.sub(r"\\_", escaped)
    if "&" in escaped:
        escaped = _AMPERSAND.sub(r"\\&", escaped)
    if "~" in escaped:
        escaped = _TILDE_RUN.sub(r"\\~", escaped)
    # Character references go in last so that the "&" rule leaves them alone.
    if entity_brackets:
        escaped = escaped.replace("\\[", "&#91;")
    if in_brackets and "]" in escaped:
        escaped = escaped.replace("]", "&#93;")
    return escaped


def escape_line_starts(markdown: str) -> str:
    """Escape the characters that would start a block at the beginning of a line.

    The input is inline Markdown whose only newlines are hard breaks. Leading
    spaces are removed from each line because they would be dropped or, four of
    them, start a code block.
    """
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        line = line.lstrip(" \t")
        if line[:1] in _LINE_START_MARKERS:
            line = "\\" + line
        elif line[:1].isdigit():
            line = _ORDERED_MARKER.sub(r"\1\\\2", line, count=1)
        lines[number] = line
    return "\n".join(lines)


def code_span(code: str) -> str:
    """Write inline code with a backtick run that does not occur inside it."""
    code = code.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    runs = {len(run) for run in re.findall(r"`+", code)}
    fence = 1
    while fence in runs:
        fence += 1
    ticks = "`" * fence
    needs_padding = code.startswith("`") or code.endswith("`")
    if code.startswith(" ") and code.endswith(" ") and code.strip(" "):
        # CommonMark strips one space from each side of such a span.
        needs_padding = True
    if needs_padding:
        return f"{ticks} {code} {ticks}"
    return f"{ticks}{code}{ticks}"


def fence_for(code: str, info: str) -> str:
    """Return a code fence longer than any run of its character in the code."""
    character = "~" if "`" in info else "`"
    longest = max(
        (len(run) for run in re.findall(re.escape(character) + "+", code)), default=0
    )
    return character * max(3, longest + 1)


_URL_UNSAFE = frozenset(" ()<>\\\t")


def link_destination(url: str) -> str:
    """Write a link destination, in angle brackets when it has spaces or brackets."""
    url = url.replace("\n", "%0A").replace("\r", "%0D")
    if url and not any(character in _URL_UNSAFE for character in url):
        return _AMPERSAND.sub(r"\\&", url)
    escaped = url.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
    return "<" + _AMPERSAND.sub(r"\\&", escaped) + ">"


def is_autolink(url: str) -> bool:
    """Return whether ``<url>`` is a CommonMark autolink."""
    scheme, separator, rest = url.partition(":")
    if not separator or not 2 <= len(scheme) <= 32 or not scheme[0].isascii():
        return False
    if not scheme[0].isalpha() or not all(
        character.isascii() and (character.isalnum() or character in "+.-")
        for character in scheme
    ):
        return False
    return not any(character in "<>" or ord(character) <= 0x20 for character in rest)


def html_attribute(value: str) -> str:
    """Escape a value for a double-quoted HTML attribute inside Markdown."""
    return (
        value.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", " ")
    )


def _is_space(character: str | None) -> bool:
    return character is None or isWhiteSpace(ord(character))


def _is_punctuation(character: str | None) -> bool:
    return character is not None and isPunctChar(character)


def delimiters_work(
    delimiter: str, inner: str, before: str | None, after: str | None
) -> bool:
    """Return whether ``delimiter + inner + delimiter`` parses as emphasis.

    Applies CommonMark's flanking rules to the opening run (between ``before`` and
    the first character of ``inner``) and the closing run. None is the
    start or end of the enclosing content, which behaves like whitespace or
    punctuation.
    """
    if not inner:
        return False
    first, last = inner[0], inner[-1]
    opens = not _is_space(first) and (
        not _is_punctuation(first) or _is_space(before) or _is_punctuation(before)
    )
    closes = not _is_space(last) and (
        not _is_punctuation(last) or _is_space(after) or _is_punctuation(after)
    )
    if not (opens and closes):
        return False
    if delimiter[0] != "_":
        return True
    # An underscore run that is also right-flanking opens only after punctuation.
    opener_closes = not _is_space(before) and (
        not _is_punctuation(before) or _is_space(first) or _is_punctuation(first)
    )
    closer_opens = not _is_space(after) and (
        not _is_punctuation(after) or _is_space(last) or _is_punctuation(last)
    )
    return (not opener_closes or _is_punctuation(before)) and (
        not closer_opens or _is_punctuation(after)
    )
