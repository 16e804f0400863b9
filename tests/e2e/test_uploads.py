"""Uploaded files are stored by the sandbox and served at the client's static URL."""

from __future__ import annotations

from pathlib import Path

import httpx

from pyedstem import EdStemClient
from pyedstem.content import markdown_to_ed_document
from pyedstem.testing import Sandbox

# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def test_uploaded_file_downloads_from_static_url(
    staff: EdStemClient, sandbox: Sandbox
) -> None:
    uploaded = staff.files.upload(
        b"hello, ed", filename="notes.txt", content_type="text/plain"
    )
    assert uploaded.url == staff.static_url(uploaded.id)
    assert uploaded.id in sandbox.state.files
    response = httpx.get(uploaded.url)
    assert response.status_code == 200
    assert response.content == b"hello, ed"


def test_local_image_is_uploaded_and_referenced(
    staff: EdStemClient, sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "dot.png").write_bytes(PNG)
    markdown = "Look:\n\n![a dot](dot.png)\n"
    images = staff.files.upload_images(markdown, base_dir=tmp_path)
    document = markdown_to_ed_document(markdown, images=images)
    image = images["dot.png"]
    assert image.url in document
    assert 'width="1"' in document
    assert httpx.get(image.url).content == PNG
