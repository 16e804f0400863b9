"""Find the Python examples of the documentation and run them against the sandbox.

The conventions the documentation follows, so that its examples run here:

- Every fenced ``python`` (or ``py``) block of ``docs/**/*.md`` and of
  ``README.md`` runs. The blocks of one page run in order in one namespace,
  like the cells of a notebook, against a fresh sandbox Ed served on
  127.0.0.1, whose demo course has `EXAMPLE_THREADS_PER_COURSE` threads.
- A block that must not run has ``<!-- skip: reason -->`` on the nearest
  non-blank line above its opening fence. The reason is required.
- The namespace starts with ids from the sandbox under the names in
  `EXAMPLE_ID_NAMES`, which stand for the reader's own ids.
- ``EDSTEM_API_TOKEN`` contains a staff token, and ``EDSTEM_BASE_URL`` the
  sandbox's API base. Other ``EDSTEM_*`` variables are removed. The working
  directory is an empty temporary folder.
- The literal token ``"your-token"`` becomes the staff token, and a
  ``region="au"`` (or ``us``, ``eu``) argument becomes ``base_url=`` the
  sandbox, because examples written for readers name a real Ed host.
- Examples may only connect to loopback addresses; a lookup of any other
  host fails and is reported.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem.testing import Sandbox

ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = ROOT / "docs"
README = ROOT / "README.md"

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})

# The sandbox behind the examples has a smaller demo course than the default
# 1,500 threads, because pages walk or archive whole courses and no example
# depends on the count.
EXAMPLE_THREADS_PER_COURSE = 200

EXAMPLE_ID_NAMES = (
    "course_id",
    "thread_id",
    "thread_number",
    "answer_id",
    "comment_id",
    "lesson_id",
    "slide_id",
    "challenge_id",
    "user_id",
)

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_SKIP = re.compile(r"^<!--\s*skip(?::\s*(?P<reason>.*?))?\s*-->$")
_RUNNABLE_LANGUAGES = frozenset({"python", "py"})
_TOKEN_PLACEHOLDER = '"your-token"'
_REGION_ARGUMENT = re.compile(r"""\bregion=(["'])(?:au|us|eu)\1""")


class MarkerError(ValueError):
    """A skip marker or a fence that the extractor cannot accept."""


@dataclass(frozen=True)
class CodeBlock:
    """One fenced code block of a Markdown page.

    Attributes:
        path: The Markdown file.
        line: The 1-based line of the first code line (after the fence).
        language: The first word of the fence's info string.
        code: The block's text, without the fence's indentation.
        skip_reason: The reason of a skip marker, or None for a block that runs.
    """

    path: Path
    line: int
    language: str
    code: str
    skip_reason: str | None

    @property
    def runnable(self) -> bool:
        """Whether the test suite runs the block."""
        return self.language in _RUNNABLE_LANGUAGES and self.skip_reason is None

    @property
    def location(self) -> str:
        """The block's file and line, relative to the repository."""
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def extract_blocks(path: Path) -> list[CodeBlock]:
    """Return the fenced code blocks of a Markdown file, in order.

    Raises:
        MarkerError: A skip marker has no reason, or a fence is never closed.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[CodeBlock] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None or "`" in opening["info"]:
            index += 1
            continue
        end = _closing_fence(lines, index, opening)
        indent = len(opening["indent"])
        body = [_dedent(line, indent) for line in lines[index + 1 : end]]
        words = opening["info"].strip().split()
        language = words[0].lower().lstrip(".{") if words else ""
        blocks.append(
            CodeBlock(
                path=path,
                line=index + 2,
                language=language,
                code="\n".join(body) + "\n",
                skip_reason=_skip_reason(path, lines, index),
            )
        )
        index = end + 1
    return blocks


def _closing_fence(lines: list[str], start: int, opening: re.Match[str]) -> int:
    fence = opening["fence"]
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            return index
    raise MarkerError(f"{lines[start]!r} at line {start + 1} is never closed")


def _dedent(line: str, indent: int) -> str:
    prefix = line[:indent]
    return line[indent:] if not prefix.strip() else line.lstrip()


def _skip_reason(path: Path, lines: list[str], fence_index: int) -> str | None:
    above = fence_index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    if above < 0:
        return None
    marker = _SKIP.match(lines[above].strip())
    if marker is None:
        return None
    reason = (marker["reason"] or "").strip()
    if not reason:
        raise MarkerError(
            f"{path.name} line {above + 1}: a skip marker needs a reason, "
            "such as <!-- skip: needs a live Ed token -->"
        )
    return reason


def example_pages() -> list[Path]:
    """Return README.md and every Markdown page under docs/, sorted."""
    return [README, *sorted(DOCS_DIR.rglob("*.md"))]


def example_ids(sandbox: Sandbox) -> dict[str, int]:
    """Pick the ids that examples use in place of the reader's own.

    The thread is a public, unlocked question of the demo course with an
    answer that has a reply, so that reply, accept and edit examples apply.
    """
    course_id = sandbox.demo_course_id
    thread = next(
        thread
        for thread in sandbox.state.course_threads(course_id)
        if thread.type == "question"
        and not thread.is_locked
        and not thread.is_private
        and not thread.is_anonymous
        and thread.deleted_at is None
        and any(answer.comments for answer in thread.answers)
    )
    answer = next(answer for answer in thread.answers if answer.comments)
    lesson = next(
        lesson
        for lesson in sandbox.world.lessons.values()
        if lesson.course_id == course_id and lesson.slide_ids
    )
    challenge = next(
        challenge
        for challenge in sandbox.world.challenges.values()
        if challenge.course_id == course_id
    )
    return {
        "course_id": course_id,
        "thread_id": thread.id,
        "thread_number": thread.number,
        "answer_id": answer.id,
        "comment_id": answer.comments[0].id,
        "lesson_id": lesson.id,
        "slide_id": lesson.slide_ids[0],
        "challenge_id": challenge.id,
        "user_id": sandbox.users["student"],
    }


def substitute_placeholders(code: str, *, token: str, base_url: str) -> str:
    """Point an example written for a real Ed host at the sandbox."""
    code = code.replace(_TOKEN_PLACEHOLDER, repr(token))
    return _REGION_ARGUMENT.sub(f"base_url={base_url!r}", code)


@contextmanager
def loopback_only(attempts: list[str]) -> Iterator[None]:
    """Make every host lookup except loopback fail, and record the hosts tried."""
    real_getaddrinfo: Callable[..., Any] = socket.getaddrinfo

    def guarded(host: str | bytes | None, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOOPBACK_HOSTS:
            attempts.append(name)
            raise socket.gaierror(
                socket.EAI_NONAME,
                f"documentation examples may only reach loopback, not {name!r}",
            )
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = guarded
    try:
        yield
    finally:
        socket.getaddrinfo = real_getaddrinfo


def run_block(block: CodeBlock, namespace: dict[str, Any], code: str) -> None:
    """Run one block's code so that tracebacks name the Markdown file and line."""
    padded = "\n" * (block.line - 1) + code
    exec(compile(padded, str(block.path), "exec"), namespace)


def close_clients(namespace: dict[str, Any]) -> None:
    """Close the clients an example left open, as a script's exit would."""
    for value in list(namespace.values()):
        if isinstance(value, EdStemClient):
            value.close()
        elif isinstance(value, AsyncEdStemClient):
            asyncio.run(value.aclose())
