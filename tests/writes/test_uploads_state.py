"""File uploads over loopback, checked in the sandbox's stored files."""

from __future__ import annotations

from pathlib import Path

from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem.content import markdown_to_ed_document
from pyedstem.testing import Sandbox


def _png(width: int, height: int) -> bytes:
    header = (
        b"\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big")
    )
    return b"\x89PNG\r\n\x1a\n" + header + b"\x08\x06\x00\x00\x00"


def test_upload_path_stores_file(
    staff: EdStemClient, sandbox: Sandbox, tmp_path: Path
) -> None:
    path = tmp_path / "marks.csv"
    path.write_bytes(b"id,mark\n1,7\n")

    uploaded = staff.files.upload(path)

    stored = sandbox.state.files[uploaded.id]
    assert stored.content == b"id,mark\n1,7\n"
    assert stored.filename == "marks.csv"
    assert stored.content_type == "text/csv"
    assert stored.user_id == sandbox.users["staff"]
    assert uploaded.url == staff.static_url(uploaded.id)


def test_upload_bytes_keeps_content_type(staff: EdStemClient, sandbox: Sandbox) -> None:
    uploaded = staff.files.upload(
        b"\x00\x01", filename="trace.bin", content_type="application/x-trace"
    )

    stored = sandbox.state.files[uploaded.id]
    assert stored.content == b"\x00\x01"
    assert stored.content_type == "application/x-trace"
    assert stored.extension == "bin"


def test_upload_from_url_stores_file(staff: EdStemClient, sandbox: Sandbox) -> None:
    uploaded = staff.files.upload_from_url("https://example.org/figures/plot.png")

    stored = sandbox.state.files[uploaded.id]
    assert stored.filename == "plot.png"
    assert uploaded.filename == "plot.png"
    assert uploaded.url == staff.static_url(uploaded.id)
    sent = sandbox.requests.find("POST", template="/files/url")
    assert [record.json() for record in sent] == [
        {"url": "https://example.org/figures/plot.png"}
    ]


def test_upload_images_stores_each_image(
    staff: EdStemClient, sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "figs").mkdir()
    (tmp_path / "figs" / "a.png").write_bytes(_png(40, 30))
    (tmp_path / "b.png").write_bytes(_png(8, 8))
    markdown = "![a](figs/a.png) and ![b](b.png) and ![web](https://example.org/c.png)"

    images = staff.files.upload_images(markdown, base_dir=tmp_path)
    document = markdown_to_ed_document(markdown, images=images)

    assert sorted(images) == ["b.png", "figs/a.png"]
    stored = {file.filename: file for file in sandbox.state.files.values()}
    assert sorted(stored) == ["a.png", "b.png"]
    assert stored["a.png"].content == _png(40, 30)
    assert stored["a.png"].content_type == "image/png"
    assert (images["figs/a.png"].width, images["figs/a.png"].height) == (40, 30)
    for image in images.values():
        assert f'src="{image.url}"' in document
    assert "https://example.org/c.png" in document


async def test_async_uploads_store_files(
    async_staff: AsyncEdStemClient, sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "dot.png").write_bytes(_png(1, 1))

    uploaded = await async_staff.files.upload(b"hello", filename="hello.txt")
    fetched = await async_staff.files.upload_from_url("https://example.org/x.pdf")
    images = await async_staff.files.upload_images("![d](dot.png)", base_dir=tmp_path)

    files = sandbox.state.files
    assert files[uploaded.id].content == b"hello"
    assert files[uploaded.id].content_type == "text/plain"
    assert files[fetched.id].filename == "x.pdf"
    image_ids = {url.rsplit("/", 1)[-1] for url in (i.url for i in images.values())}
    assert len(image_ids) == 1
    assert files[image_ids.pop()].content == _png(1, 1)
