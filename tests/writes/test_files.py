"""File uploads: multipart shape, names, content types and static URLs."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest

from pyedstem import EdStemClient, InvalidArgumentError
from pyedstem.resources.files import image_size

from .conftest import STATIC_URL, FakeEd, json_reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
FILE = {
    "id": "f0a1b2c3d4e5f6a7b8c9d0e1",
    "user_id": 7,
    "filename": "plot.png",
    "extension": "png",
    "created_at": "2025-03-01T10:00:00.000000+11:00",
}


def _part(request: httpx.Request) -> bytes:
    return request.read()


def test_upload_path_sends_attachment_part(
    ed: FakeEd, client: EdStemClient, tmp_path: Path
) -> None:
    path = tmp_path / "plot.png"
    path.write_bytes(PNG)
    ed.on("POST /files", json_reply({"file": FILE}, 201))

    uploaded = client.files.upload(path)

    body = _part(ed.requests[0])
    assert b'name="attachment"; filename="plot.png"' in body
    assert b"Content-Type: image/png" in body
    assert PNG in body
    assert ed.requests[0].headers["content-type"].startswith("multipart/form-data")
    assert uploaded.id == FILE["id"]
    assert uploaded.url == f"{STATIC_URL}/files/{FILE['id']}"


def test_upload_bytes_needs_filename(ed: FakeEd, client: EdStemClient) -> None:
    with pytest.raises(InvalidArgumentError, match="filename is missing"):
        client.files.upload(PNG)
    assert ed.requests == []


def test_upload_file_object_with_type(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("POST /files", json_reply({"file": FILE}, 201))

    client.files.upload(
        io.BytesIO(b"a,b\n"), filename="marks.csv", content_type="text/plain"
    )

    body = _part(ed.requests[0])
    assert b'filename="marks.csv"' in body
    assert b"Content-Type: text/plain" in body


def test_upload_missing_path_rejected(
    ed: FakeEd, client: EdStemClient, tmp_path: Path
) -> None:
    with pytest.raises(InvalidArgumentError, match="No file at"):
        client.files.upload(tmp_path / "absent.png")
    assert ed.requests == []


def test_upload_from_url_sends_url(ed: FakeEd, client: EdStemClient) -> None:
    ed.on("POST /files/url", json_reply({"file": FILE}))

    uploaded = client.files.upload_from_url("https://example.org/plot.png")

    assert ed.body() == {"url": "https://example.org/plot.png"}
    assert uploaded.url == f"{STATIC_URL}/files/{FILE['id']}"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "plot.png", "ftp://x/y"])
def test_upload_from_url_rejects_non_http(
    ed: FakeEd, client: EdStemClient, url: str
) -> None:
    with pytest.raises(InvalidArgumentError, match="http or https"):
        client.files.upload_from_url(url)
    assert ed.requests == []


async def test_async_upload_bytes(ed: FakeEd, async_client: object) -> None:
    ed.on("POST /files", json_reply({"file": FILE}, 201))

    uploaded = await async_client.files.upload(PNG, filename="p.png")  # type: ignore[attr-defined]

    assert uploaded.filename == "plot.png"
    assert b'filename="p.png"' in _part(ed.requests[0])


def _png(width: int, height: int) -> bytes:
    header = (
        b"\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big")
    )
    return b"\x89PNG\r\n\x1a\n" + header + b"\x08\x06\x00\x00\x00"


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    frame = (
        b"\xff\xc0\x00\x11\x08"
        + height.to_bytes(2, "big")
        + width.to_bytes(2, "big")
        + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    )
    return b"\xff\xd8" + app0 + frame


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (_png(640, 480), (640, 480)),
        (
            b"GIF89a" + (320).to_bytes(2, "little") + (200).to_bytes(2, "little"),
            (320, 200),
        ),
        (_jpeg(1024, 768), (1024, 768)),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", None),
        (_png(640, 480)[:20], None),
        (b"\xff\xd8\xff\xe0\x00", None),
    ],
)
def test_image_size_reads_headers(data: bytes, size: tuple[int, int] | None) -> None:
    assert image_size(data) == size


def test_upload_images_maps_paths(
    ed: FakeEd, client: EdStemClient, tmp_path: Path
) -> None:
    (tmp_path / "figs").mkdir()
    (tmp_path / "figs" / "a.png").write_bytes(_png(40, 30))
    ed.on("POST /files", json_reply({"file": FILE}, 201))
    markdown = "See ![a](figs/a.png) and ![web](https://example.org/b.png)."

    images = client.files.upload_images(markdown, base_dir=tmp_path)

    assert list(images) == ["figs/a.png"]
    assert images["figs/a.png"].url == f"{STATIC_URL}/files/{FILE['id']}"
    assert (images["figs/a.png"].width, images["figs/a.png"].height) == (40, 30)
    assert ed.sent() == ["POST /files"]


def test_upload_images_missing_sends_nothing(
    ed: FakeEd, client: EdStemClient, tmp_path: Path
) -> None:
    (tmp_path / "a.png").write_bytes(_png(4, 3))

    with pytest.raises(InvalidArgumentError, match=r"not found: .*b\.png"):
        client.files.upload_images("![a](a.png) ![b](b.png)", base_dir=tmp_path)

    assert ed.requests == []
