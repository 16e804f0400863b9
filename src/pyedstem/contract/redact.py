"""Replace personal values in report text with placeholders.

The report is built from route templates, JSON type names and the suite's own
sentences, so it should contain no value from a response. This pass is the
second line of defence: the token, and the names, emails, titles and ids that
the checks read from Ed's responses, are replaced wherever they still appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["Redactor"]

# Shorter numbers in a report are status codes, limits and counts, which must
# stay readable. NOTE: an id below 1000 is therefore not replaced.
_MIN_ID_DIGITS = 4
# Strings this short (a one-letter name, "ok") would replace ordinary words.
_MIN_TEXT_CHARS = 3
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Redactor:
    """Collects the personal values seen in a run and scrubs them from text."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._ids: set[int] = set()

    def add_secret(self, value: str | None) -> None:
        """Remember a token, replaced by ``<token>``."""
        self._add(value, "<token>")

    def add_name(self, value: Any) -> None:
        """Remember a person's name, username or a course name."""
        self._add(value, "<name>")

    def add_email(self, value: Any) -> None:
        """Remember an email address."""
        self._add(value, "<email>")

    def add_content(self, value: Any) -> None:
        """Remember a title or other text written by a person."""
        self._add(value, "<content>")

    def add_id(self, value: Any) -> None:
        """Remember an Ed id, replaced by ``<id>``."""
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            self._ids.add(value)

    def add_ids(self, values: Iterable[Any]) -> None:
        """Remember several ids."""
        for value in values:
            self.add_id(value)

    def _add(self, value: Any, placeholder: str) -> None:
        if not isinstance(value, str):
            return
        value = value.strip()
        if len(value) >= _MIN_TEXT_CHARS:
            self._texts.setdefault(value, placeholder)

    def scrub(self, text: str) -> str:
        """Replace every remembered value, and any email address, in `text`."""
        # Longest first, so that a name inside an email or title goes with it.
        for value in sorted(self._texts, key=len, reverse=True):
            pattern = re.compile(re.escape(value), re.IGNORECASE)
            text = pattern.sub(self._texts[value], text)
        text = _EMAIL.sub("<email>", text)
        for number in sorted(self._ids, reverse=True):
            if len(str(number)) >= _MIN_ID_DIGITS:
                text = re.sub(rf"(?<!\d){number}(?!\d)", "<id>", text)
        return text
