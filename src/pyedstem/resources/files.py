"""File uploads, for images and attachments in Ed documents."""

from __future__ import annotations

import mimetypes
import os
import struct
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from .._operation import APIRequest, APIResponse, Operation, single
from ..content import EdImage, local_image_paths
from ..errors import InvalidArgumentError
from ..models.files import UploadedFile
from ._base import AsyncResource, SyncResource, async_twin_of
from ._parse import object_field

__all__ = ["AsyncFiles", "FileSource", "Files"]

FileSource = str | os.PathLike[str] | bytes | BinaryIO
"""A file to upload: a path, the bytes themselves, or a binary file object."""

# Ed rejects any other multipart field name with 400 "Missing attachment".
_UPLOAD_FIELD = "attachment"


def read_upload(
    file: FileSource, *, filename: str | None, content_type: str | None
) -> tuple[str, bytes, str]:
    """Return the multipart part of an upload: file name, bytes, content type.

    Raises:
        InvalidArgumentError: No file name can be found, or the path is not
            a readable file.
    """
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        if not path.is_file():
            raise InvalidArgumentError(
                f"No file at {str(path)!r}; pass the path of an existing file."
            )
        content = path.read_bytes()
        name = filename or path.name
    elif isinstance(file, bytes | bytearray):
        content = bytes(file)
        name = filename or ""
    else:
        content = file.read()
        name = filename or Path(str(getattr(file, "name", ""))).name
    if not name:
        raise InvalidArgumentError(
            "filename is missing; pass filename='figure.png' with bytes or with "
            "a file object that has no name."
        )
    # NOTE: Ed's maximum upload size is not documented, so no size is checked
    # before the upload.
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return name, content, content_type or guessed


def upload_file(
    part: tuple[str, bytes, str], *, static_base_url: str
) -> Operation[UploadedFile]:
    """Upload one file as the multipart part Ed expects."""
    request = APIRequest("POST", "/files", files={_UPLOAD_FIELD: part})
    return single(request, lambda r: parse_uploaded(r, static_base_url))


def upload_from_url(url: str, *, static_base_url: str) -> Operation[UploadedFile]:
    """Have Ed fetch a file from a public URL and store it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidArgumentError(
            f"url must be an http or https address that Ed can fetch, got {url!r}."
        )
    request = APIRequest("POST", "/files/url", json={"url": url})
    return single(request, lambda r: parse_uploaded(r, static_base_url))


def parse_uploaded(response: APIResponse, static_base_url: str) -> UploadedFile:
    """Parse an upload response and add the file's static URL."""
    uploaded = UploadedFile.model_validate(object_field("file")(response))
    uploaded.url = f"{static_base_url}/files/{uploaded.id}"
    return uploaded


def image_size(data: bytes) -> tuple[int, int] | None:
    """Read the width and height in pixels from a PNG, GIF or JPEG header.

    Returns None for other formats and for truncated headers.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


# JPEG start-of-frame markers, which carry the image size; C4, C8 and CC are
# other segments in the same range.
_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    offset = 2
    while offset + 9 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        length = struct.unpack(">H", data[offset + 2 : offset + 4])[0]
        if marker in _JPEG_FRAME_MARKERS:
            height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
            return int(width), int(height)
        offset += 2 + length
    return None


def image_parts(
    markdown: str, base_dir: str | os.PathLike[str]
) -> dict[str, tuple[str, bytes, str]]:
    """Read every local image a Markdown text refers to, before any upload.

    Raises:
        InvalidArgumentError: An image file is missing; nothing was sent.
    """
    parts: dict[str, tuple[str, bytes, str]] = {}
    missing: list[str] = []
    for source in local_image_paths(markdown):
        path = Path(base_dir) / source
        if path.is_file():
            parts[source] = read_upload(path, filename=None, content_type=None)
        else:
            missing.append(str(path))
    if missing:
        raise InvalidArgumentError(
            f"Image files not found: {', '.join(missing)}. Fix the paths in the "
            "Markdown, or pass base_dir= for paths relative to another folder."
        )
    return parts


def as_ed_image(uploaded: UploadedFile, content: bytes) -> EdImage:
    """Describe an uploaded image for ``markdown_to_ed_document``."""
    size = image_size(content)
    return EdImage(
        url=uploaded.url or "",
        width=size[0] if size else None,
        height=size[1] if size else None,
    )


class Files(SyncResource):
    """File uploads, whose URLs go into Ed documents as images or links."""

    def upload(
        self,
        file: FileSource,
        *,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> UploadedFile:
        """Upload a file to Ed.

        Endpoint: ``POST /files``, as multipart form data. The file is read
        whole into memory. The upload is sent once, like every write; sending
        it again after a `WriteOutcomeUnknownError` is safe, because a second
        copy is only an unused file.

        Args:
            file: A path, the file's bytes, or a binary file object.
            filename: The name Ed stores; the path's or file object's name
                by default, and required with bytes.
            content_type: The MIME type; guessed from the file name by
                default.

        Returns:
            The stored file, with its public URL in ``url``.

        Raises:
            InvalidArgumentError: The path is not a file, or the name is
                missing; nothing was sent.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have stored the file.
        """
        part = read_upload(file, filename=filename, content_type=content_type)
        static = self._pipeline.endpoints.static_base_url
        return self._run(upload_file(part, static_base_url=static))

    def upload_from_url(self, url: str) -> UploadedFile:
        """Have Ed download a file from a public address and store a copy.

        Endpoint: ``POST /files/url``. Ed fetches the address itself, so it
        must be reachable from the internet.

        Args:
            url: The http or https address of the file to copy.

        Returns:
            The stored file, with its public URL in ``url``.

        Raises:
            InvalidArgumentError: The address is not http or https.
            WriteOutcomeUnknownError: The connection failed after sending, so Ed
                may or may not have stored a copy.
        """
        static = self._pipeline.endpoints.static_base_url
        return self._run(upload_from_url(url, static_base_url=static))

    def upload_images(
        self, markdown: str, *, base_dir: str | os.PathLike[str] = "."
    ) -> dict[str, EdImage]:
        """Upload the local images that a Markdown text refers to.

        Endpoint: ``POST /files``, once per image. Pass the result to
        ``markdown_to_ed_document(markdown, images=...)``, which puts each
        upload in place of its path, with the image's size for PNG, GIF and
        JPEG files. Every file is read before the first upload.

        Args:
            markdown: Markdown with images such as ``![plot](figures/a.png)``.
            base_dir: The folder that relative image paths start from.

        Returns:
            The uploaded images, by the path written in the Markdown.

        Raises:
            InvalidArgumentError: An image file is missing; nothing was sent.
            WriteOutcomeUnknownError: The connection failed after one upload
                was sent, so Ed may or may not have stored that image.
        """
        static = self._pipeline.endpoints.static_base_url
        images: dict[str, EdImage] = {}
        for source, part in image_parts(markdown, base_dir).items():
            uploaded = self._run(upload_file(part, static_base_url=static))
            images[source] = as_ed_image(uploaded, part[1])
        return images


@async_twin_of(Files)
class AsyncFiles(AsyncResource):
    async def upload(
        self,
        file: FileSource,
        *,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> UploadedFile:
        part = read_upload(file, filename=filename, content_type=content_type)
        static = self._pipeline.endpoints.static_base_url
        return await self._run(upload_file(part, static_base_url=static))

    async def upload_from_url(self, url: str) -> UploadedFile:
        static = self._pipeline.endpoints.static_base_url
        return await self._run(upload_from_url(url, static_base_url=static))

    async def upload_images(
        self, markdown: str, *, base_dir: str | os.PathLike[str] = "."
    ) -> dict[str, EdImage]:
        static = self._pipeline.endpoints.static_base_url
        images: dict[str, EdImage] = {}
        for source, part in image_parts(markdown, base_dir).items():
            uploaded = await self._run(upload_file(part, static_base_url=static))
            images[source] = as_ed_image(uploaded, part[1])
        return images
