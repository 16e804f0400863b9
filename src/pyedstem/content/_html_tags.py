"""Recognition of the few HTML forms that the Markdown syntax gives meaning to.

Every other piece of raw HTML stays text. A recognised tag must have exactly the
attributes listed here, so ``<img src="a.png" onload="...">`` is text too.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True, slots=True)
class HtmlTag:
    """One start, end or self-closing tag, with its attributes decoded."""

    name: str
    kind: str  # "start", "end" or "startend"
    attributes: dict[str, str | None]


@dataclass(frozen=True, slots=True)
class HtmlText:
    """Character data between tags, with character references decoded."""

    text: str


class _EventCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[HtmlTag | HtmlText] = []
        self.other = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(HtmlTag(tag, "start", dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(HtmlTag(tag, "startend", dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(HtmlTag(tag, "end", {}))

    def handle_data(self, data: str) -> None:
        self.events.append(HtmlText(data))

    def handle_comment(self, data: str) -> None:
        self.other = True

    def handle_decl(self, decl: str) -> None:
        self.other = True

    def handle_pi(self, data: str) -> None:
        self.other = True

    def unknown_decl(self, data: str) -> None:
        self.other = True


def parse_html_events(html: str) -> list[HtmlTag | HtmlText] | None:
    """Split raw HTML into tags and text, leaving out whitespace-only text.

    Returns None when the HTML contains a comment, a declaration or a processing
    instruction, none of which the Markdown syntax gives a meaning.
    """
    collector = _EventCollector()
    try:
        collector.feed(html)
        collector.close()
    except AssertionError:
        # html.parser of CPython 3.11 raises AssertionError on some malformed "<!".
        return None
    if collector.other:
        return None
    return [
        event
        for event in collector.events
        if not (isinstance(event, HtmlText) and not event.text.strip())
    ]


# Cheap pre-filter: only tags starting with these names can be meaningful.
_INTERESTING_PREFIXES = ("<u", "</u", "<br", "<img", "<video", "</video", "<a", "</a")


def classify_inline_tag(html: str) -> HtmlTag | None:
    """Return the recognised tag in an ``html_inline`` token, if any."""
    if not html.lower().startswith(_INTERESTING_PREFIXES):
        return None
    events = parse_html_events(html)
    if not events or len(events) != 1 or not isinstance(events[0], HtmlTag):
        return None
    tag = events[0]
    return tag if _has_allowed_attributes(tag) else None


def _has_allowed_attributes(tag: HtmlTag) -> bool:
    names = set(tag.attributes)
    if tag.kind == "end":
        return tag.name in ("u", "a", "video", "details", "summary")
    if tag.name in ("u", "br", "details", "summary"):
        return not names and (tag.kind == "start" or tag.name == "br")
    if tag.name == "img":
        return (
            "src" in names
            and names <= {"src", "alt", "width", "height"}
            and all(
                _is_dimension(tag.attributes.get(name)) for name in ("width", "height")
            )
        )
    if tag.name == "video":
        return names == {"src"}
    if tag.name == "a":
        return names == {"href", "download"} and tag.kind == "start"
    return False


def _is_dimension(value: str | None) -> bool:
    return value is None or (value.isascii() and value.isdigit() and len(value) < 7)


def dimension(value: str | None) -> int | None:
    """Convert a validated ``width`` or ``height`` attribute to an integer."""
    return int(value) if value else None


@dataclass(frozen=True, slots=True)
class SpoilerOpen:
    """``<details>``, optionally with a ``<summary>``, opening a spoiler."""

    summary: str


@dataclass(frozen=True, slots=True)
class SpoilerClose:
    """``</details>`` closing a spoiler."""


@dataclass(frozen=True, slots=True)
class BlockMedia:
    """An HTML block that is exactly one image, video or file link."""

    tag: HtmlTag
    text: str


HtmlBlockMeaning = SpoilerOpen | SpoilerClose | BlockMedia | None


_BLOCK_PREFIXES = ("<details", "</details", "<img", "<video", "<br", "<a")


def classify_html_block(html: str) -> HtmlBlockMeaning:
    """Return what an ``html_block`` token means, or None when it is plain text."""
    if not html.lstrip().lower().startswith(_BLOCK_PREFIXES):
        return None
    events = parse_html_events(html)
    if not events or not isinstance(events[0], HtmlTag):
        # An unfinished tag such as "<details" at the end comes back as text.
        return None
    if not all(
        isinstance(event, HtmlText) or _has_allowed_attributes(event)
        for event in events
    ):
        return None

    first = events[0]
    shape = [
        (event.name, event.kind) if isinstance(event, HtmlTag) else ("#text", "")
        for event in events
    ]
    if shape == [("details", "end")]:
        return SpoilerClose()
    if shape == [("details", "start")]:
        return SpoilerOpen("")
    if shape[:2] == [("details", "start"), ("summary", "start")] and shape[-1] == (
        "summary",
        "end",
    ):
        return _spoiler_with_summary(events[2:-1])

    if shape in ([("img", "start")], [("img", "startend")], [("br", "start")]):
        return BlockMedia(first, "")
    if shape in ([("video", "startend")], [("video", "start"), ("video", "end")]):
        return BlockMedia(first, "")
    middle = events[1:-1]
    if (
        shape[0] == ("a", "start")
        and shape[-1] == ("a", "end")
        and all(isinstance(event, HtmlText) for event in middle)
    ):
        return BlockMedia(first, "".join(_text_of(event) for event in middle))
    return None


def _spoiler_with_summary(summary: list[HtmlTag | HtmlText]) -> SpoilerOpen | None:
    if not all(isinstance(event, HtmlText) for event in summary):
        return None
    return SpoilerOpen("".join(_text_of(event) for event in summary).strip())


def _text_of(event: HtmlTag | HtmlText) -> str:
    return event.text if isinstance(event, HtmlText) else ""
