"""Conversion between Markdown, Ed's XML document format, HTML and plain text.

Ed stores every post, comment and lesson slide as an XML document with a
``<document version="2.0">`` root. ``markdown_to_ed_document`` writes that format
from Markdown, ``ed_document_to_markdown`` and ``html_to_markdown`` read it back,
and ``ed_document_to_text`` renders it as plain text. The functions are pure: they
do no I/O, and for any input they return a string instead of raising.
"""

from __future__ import annotations

from ._ed_to_markdown import ed_document_to_markdown
from ._html import html_to_markdown
from ._images import EdImage, local_image_paths
from ._markdown_to_ed import markdown_to_ed_document
from ._text import ed_document_to_text

__all__ = [
    "EdImage",
    "ed_document_to_markdown",
    "ed_document_to_text",
    "html_to_markdown",
    "local_image_paths",
    "markdown_to_ed_document",
]
