"""Uploaded files."""

from __future__ import annotations

from datetime import datetime

from ._base import FlexibleModel, parse_timestamp

__all__ = ["UploadedFile"]


class UploadedFile(FlexibleModel):
    """A file stored by Ed (``POST /files`` → ``file``).

    Attributes:
        id: Ed's opaque file id, the last part of the file's static URL.
        url: The public URL of the file in the client's region, which
            pyedstem adds. Use it as an image ``src`` or a file link in Ed XML.
    """

    id: str
    user_id: int | None = None
    filename: str | None = None
    extension: str | None = None
    created_at: str | None = None
    url: str | None = None

    @property
    def created_at_datetime(self) -> datetime | None:
        """``created_at`` as a timezone-aware datetime."""
        return parse_timestamp(self.created_at)
