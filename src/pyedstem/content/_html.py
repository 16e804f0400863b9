"""HTML (and Ed XML given where HTML was expected) to Markdown."""

from __future__ import annotations

import re

from ._ed_to_markdown import ed_document_to_markdown
from ._xml import remove_forbidden_characters

# Ed element names that HTML does not have. A body that starts with one is Ed XML.
_ED_ONLY_TAGS = frozenset(
    (
        "document",
        "paragraph",
        "heading",
        "list",
        "list-item",
        "snippet",
        "snippet-file",
        "callout",
        "image",
        "file",
        "spoiler",
        "web-snippet",
        "web-snippet-file",
        "table-row",
        "table-cell",
        "bold",
        "italic",
        "underline",
        "strike",
        "link",
        "break",
        "mention",
    )
)


def html_to_markdown(content: str) -> str:
    """Convert Ed HTML, or Ed XML, to Markdown with ATX (``#``) headings.

    Thread and comment ``content`` is Ed XML, so a body whose first element is an
    Ed element (``<document>``, ``<paragraph>`` and so on) goes to
    ``ed_document_to_markdown``. So does a body that starts with an element of both
    vocabularies, such as ``<table>``, and contains an Ed block element. Anything
    else, such as the HTML of a lesson slide, is converted with markdownify.
    ``<details>``, ``<u>``, ``<video>`` and sized ``<img>`` come out in the forms
    that ``markdown_to_ed_document`` reads, and scripts and styles are dropped.

    Args:
        content: HTML or Ed XML.

    Returns:
        Markdown without a trailing newline.
    """
    if _is_ed_xml(content):
        return ed_document_to_markdown(content)
    # markdownify pulls in BeautifulSoup, which is slow to import, so it loads
    # on the first HTML body rather than with the package.
    from ._html_markdownify import convert_html

    markdown = convert_html(remove_forbidden_characters(content))
    return str(markdown).strip()


# Elements of both vocabularies, and Ed block names that show Ed XML after one.
_SHARED_TAGS = frozenset(("table", "pre", "blockquote", "video", "math", "figure"))
_ED_BLOCK_NAME = re.compile(
    r"<(?:paragraph|table-row|table-cell|list-item|snippet|callout|spoiler)[\s/>]"
)


def _is_ed_xml(content: str) -> bool:
    first = _first_tag_name(content)
    if first in _ED_ONLY_TAGS:
        return True
    return first in _SHARED_TAGS and _ED_BLOCK_NAME.search(content) is not None


def _first_tag_name(content: str) -> str:
    """Return the lower-case name of the first element, skipping declarations."""
    position = 0
    while True:
        start = content.find("<", position)
        if start == -1:
            return ""
        if content.startswith(("<?", "<!"), start):
            end = content.find(">", start)
            if end == -1:
                return ""
            position = end + 1
            continue
        end = start + 1
        while end < len(content) and (content[end].isalnum() or content[end] in "-_:"):
            end += 1
        return content[start + 1 : end].lower()
