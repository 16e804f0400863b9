"""Conversion between Markdown, Ed's XML document format, HTML and plain text."""

from __future__ import annotations

__all__ = [
    "ed_document_to_markdown",
    "ed_document_to_text",
    "html_to_markdown",
    "markdown_to_ed_document",
]


def markdown_to_ed_document(markdown: str) -> str:
    """Convert Markdown to an Ed ``<document version="2.0">`` string."""
    raise NotImplementedError


def ed_document_to_markdown(document: str) -> str:
    """Convert an Ed XML document to Markdown."""
    raise NotImplementedError


def html_to_markdown(content: str) -> str:
    """Convert Ed HTML or Ed XML to Markdown with ATX headings."""
    raise NotImplementedError


def ed_document_to_text(document: str) -> str:
    """Render an Ed XML document as plain text."""
    raise NotImplementedError
