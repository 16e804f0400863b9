"""Image references in Markdown, and the uploaded images that replace them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from ._html_tags import BlockMedia, classify_html_block, classify_inline_tag
from ._parser import is_local_path, parse_markdown


@dataclass(frozen=True, slots=True)
class EdImage:
    """An image already stored by Ed, to put in place of a local image path.

    Attributes:
        url: The file URL that Ed returned for the upload, normally
            ``https://static.<region>.edusercontent.com/files/<id>``.
        width: The width in pixels, which Ed uses with ``height`` for the aspect
            ratio, or None when unknown.
        height: The height in pixels, or None when unknown.
    """

    url: str
    width: int | None = None
    height: int | None = None


def local_image_paths(markdown: str) -> list[str]:
    """List the local file paths that the images in some Markdown refer to.

    Images are ``![alt](path)`` and ``<img src="path">`` in the syntax that
    ``markdown_to_ed_document`` accepts. A path is local unless it has a URL scheme
    (``https:``, ``data:``) or starts with ``//``.

    Args:
        markdown: The Markdown source.

    Returns:
        The paths as written (after Markdown backslash escapes and entities are
        decoded), in document order and without duplicates. These are the keys
        that ``markdown_to_ed_document(markdown, images=...)`` looks up.
    """
    paths: dict[str, None] = {}
    for source in _image_sources(parse_markdown(markdown)):
        if is_local_path(source):
            paths.setdefault(source)
    return list(paths)


def _image_sources(tokens: list[Token]) -> Iterator[str]:
    for token in tokens:
        if token.type == "html_block":
            meaning = classify_html_block(token.content)
            if isinstance(meaning, BlockMedia) and meaning.tag.name == "img":
                yield meaning.tag.attributes.get("src") or ""
        elif token.children:
            for child in token.children:
                if child.type == "image":
                    yield str(child.attrs.get("src", ""))
                elif child.type == "html_inline":
                    tag = classify_inline_tag(child.content)
                    if tag is not None and tag.name == "img":
                        yield tag.attributes.get("src") or ""
