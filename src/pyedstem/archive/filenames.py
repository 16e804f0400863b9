"""Safe, unique file names for thread titles.

A name must work on Linux, macOS and Windows whatever the title contains.
Titles may have path separators, control characters, characters or names
that Windows reserves (``CON``, ``COM1``...), and trailing dots and spaces.
Two titles may also differ only in case, which macOS and Windows ignore.
"""

from __future__ import annotations

import re
import unicodedata

# Bytes of UTF-8 kept from a title. With the number prefix and ".md", a name
# stays far below the 255-byte limit of common file systems.
MAX_TITLE_BYTES = 80

_RESERVED_CHARACTERS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_SEPARATORS = re.compile(r"[\s_\-]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


def slugify(title: str, max_bytes: int = MAX_TITLE_BYTES) -> str:
    """Turn a title into a lower-case file-name part of letters, digits and hyphens.

    Non-ASCII letters are kept (names are UTF-8), in NFC form so that the
    same title always gives the same bytes. Returns ``untitled`` when
    nothing usable is left.
    """
    text = unicodedata.normalize("NFC", title)
    text = _RESERVED_CHARACTERS.sub(" ", text)
    # Letters, marks (vowel signs of many scripts) and digits are kept.
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text)
    slug = _SEPARATORS.sub("-", kept.strip()).strip("-.").lower()
    encoded = slug.encode("utf-8")[:max_bytes]
    slug = encoded.decode("utf-8", errors="ignore").rstrip("-.")
    if not slug:
        return "untitled"
    if slug in _WINDOWS_RESERVED:
        return f"{slug}-thread"
    return slug


def thread_filename(number: int, title: str, used: set[str]) -> str:
    """Return a unique ``NNNN-title.md`` name and record it in `used`.

    Uniqueness is checked without case, because macOS and Windows file
    systems treat ``A.md`` and ``a.md`` as one file.
    """
    base = f"{number:04d}-{slugify(title)}"
    name = f"{base}.md"
    suffix = 2
    while name.casefold() in used:
        name = f"{base}-{suffix}.md"
        suffix += 1
    used.add(name.casefold())
    return name
