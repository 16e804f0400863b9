"""Escaping for the Ed XML that the converters write."""

from __future__ import annotations

# XML 1.0 allows tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD and U+10000 up. Python
# strings can also contain lone surrogates, which no UTF-8 encoder accepts.
_FORBIDDEN_CODE_POINTS = [
    *(code for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)),
    *range(0xD800, 0xE000),
    0xFFFE,
    0xFFFF,
]

FORBIDDEN_CHARACTERS: dict[int, None] = dict.fromkeys(_FORBIDDEN_CODE_POINTS)

_TEXT_TABLE: dict[int, str | None] = {
    **FORBIDDEN_CHARACTERS,
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
}

# Parsers normalise raw tab, LF and CR in attribute values to spaces, so those are
# written as character references to survive a round trip.
_ATTRIBUTE_TABLE: dict[int, str | None] = {
    **_TEXT_TABLE,
    ord('"'): "&quot;",
    ord("\t"): "&#9;",
    ord("\n"): "&#10;",
    ord("\r"): "&#13;",
}


def remove_forbidden_characters(text: str) -> str:
    """Remove the characters that XML 1.0 does not allow in a document."""
    return text.translate(FORBIDDEN_CHARACTERS)


def escape_text(text: str) -> str:
    """Escape text for XML element content and drop characters XML forbids."""
    return text.translate(_TEXT_TABLE)


def escape_attribute(value: str) -> str:
    """Escape a value for a double-quoted XML attribute."""
    return value.translate(_ATTRIBUTE_TABLE)
