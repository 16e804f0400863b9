"""The example extractor, its markers and the loopback guard."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pyedstem.testing import Sandbox

from .harness import (
    DOCS_DIR,
    EXAMPLE_ID_NAMES,
    EXAMPLE_THREADS_PER_COURSE,
    MarkerError,
    example_ids,
    example_pages,
    extract_blocks,
    loopback_only,
    substitute_placeholders,
)

# Skipped examples are untested, so the docs keep few of them.
MAX_SKIPPED_BLOCKS = 3

GUIDES_WITH_EXAMPLES = (
    "quickstart.md",
    "authentication.md",
    "pagination.md",
    "errors.md",
    "async.md",
    "writes.md",
    "stream.md",
    "testing.md",
)


def _page(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_python_block_runs(tmp_path: Path) -> None:
    page = _page(tmp_path, "# Title\n\n```python\nx = 1\n```\n")
    [block] = extract_blocks(page)
    assert block.runnable
    assert block.code == "x = 1\n"
    assert block.line == 4


def test_console_block_does_not_run(tmp_path: Path) -> None:
    page = _page(tmp_path, "```console\n$ edstem --help\n```\n")
    [block] = extract_blocks(page)
    assert block.language == "console"
    assert not block.runnable


def test_skip_marker_with_reason(tmp_path: Path) -> None:
    page = _page(
        tmp_path, "<!-- skip: needs live Ed -->\n\n```python\nimport os\n```\n"
    )
    [block] = extract_blocks(page)
    assert block.skip_reason == "needs live Ed"
    assert not block.runnable


def test_skip_marker_without_reason(tmp_path: Path) -> None:
    page = _page(tmp_path, "<!-- skip -->\n```python\nimport os\n```\n")
    with pytest.raises(MarkerError, match="needs a reason"):
        extract_blocks(page)


def test_marker_further_up_is_ignored(tmp_path: Path) -> None:
    text = "<!-- skip: old -->\n\nSome text.\n\n```python\nx = 1\n```\n"
    [block] = extract_blocks(_page(tmp_path, text))
    assert block.runnable


def test_indented_block_in_admonition(tmp_path: Path) -> None:
    text = (
        '!!! note\n\n    ```python title="a.py"\n    if True:\n        y = 2\n    ```\n'
    )
    [block] = extract_blocks(_page(tmp_path, text))
    assert block.runnable
    assert block.code == "if True:\n    y = 2\n"
    assert block.line == 4


def test_longer_fence_contains_shorter(tmp_path: Path) -> None:
    text = "````markdown\n```python\nx = 1\n```\n````\n\n```py\nz = 3\n```\n"
    blocks = extract_blocks(_page(tmp_path, text))
    assert [b.language for b in blocks] == ["markdown", "py"]
    assert blocks[0].code == "```python\nx = 1\n```\n"
    assert blocks[1].runnable


def test_unclosed_fence(tmp_path: Path) -> None:
    with pytest.raises(MarkerError, match="never closed"):
        extract_blocks(_page(tmp_path, "```python\nx = 1\n"))


def test_placeholders_point_at_sandbox() -> None:
    code = 'EdStemClient("your-token", region="us")\nEdStemClient(t, region=\'eu\')'
    result = substitute_placeholders(code, token="tok", base_url="http://h/api")
    assert result == (
        "EdStemClient('tok', base_url='http://h/api')\n"
        "EdStemClient(t, base_url='http://h/api')"
    )


def test_placeholders_leave_other_regions() -> None:
    code = 'parse_ed_url(url).region == "us"\nregion="xx"'
    assert substitute_placeholders(code, token="t", base_url="u") == code


def test_loopback_guard_rejects_other_hosts() -> None:
    attempts: list[str] = []
    with loopback_only(attempts), pytest.raises(socket.gaierror):
        socket.getaddrinfo("edstem.org", 443)
    assert attempts == ["edstem.org"]


def test_loopback_guard_allows_loopback() -> None:
    original = socket.getaddrinfo
    attempts: list[str] = []
    with loopback_only(attempts):
        assert socket.getaddrinfo("127.0.0.1", 80)
    assert attempts == []
    assert socket.getaddrinfo is original


def test_example_ids_name_sandbox_objects() -> None:
    sandbox = Sandbox(seed=1, threads_per_course=EXAMPLE_THREADS_PER_COURSE)
    ids = example_ids(sandbox)
    assert tuple(ids) == EXAMPLE_ID_NAMES
    thread = next(
        t
        for t in sandbox.state.course_threads(ids["course_id"])
        if t.id == ids["thread_id"]
    )
    assert thread.number == ids["thread_number"]
    assert ids["answer_id"] in [answer.id for answer in thread.answers]
    assert ids["slide_id"] in sandbox.world.lessons[ids["lesson_id"]].slide_ids


def test_skipped_examples_are_rare() -> None:
    skipped = [
        block.location
        for page in example_pages()
        for block in extract_blocks(page)
        if block.skip_reason is not None
    ]
    assert len(skipped) <= MAX_SKIPPED_BLOCKS, f"skipped examples: {skipped}"


@pytest.mark.parametrize("name", GUIDES_WITH_EXAMPLES)
def test_guide_has_examples(name: str) -> None:
    blocks = extract_blocks(DOCS_DIR / name)
    assert any(block.runnable for block in blocks)
