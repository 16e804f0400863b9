"""Terminal rendering of threads: Markdown bodies, answers and nested comments."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.padding import Padding
from rich.text import Text

from ..archive.rows import thread_web_url
from ..content import ed_document_to_markdown
from ..models import CommentSummary, ThreadDetail, ThreadSummary
from .output import printable, short_time


def author_label(item: ThreadSummary | CommentSummary) -> str:
    """Return who wrote a post: a name with the course role, or Anonymous."""
    if item.is_anonymous:
        return "Anonymous"
    name = item.author_name
    if name is None:
        return f"user {item.user_id}" if item.user_id else "unknown"
    role = item.author_course_role
    return f"{name} ({role})" if role else name


def thread_record(thread: ThreadSummary, region: str | None) -> dict[str, Any]:
    """Return the flat record of a thread for tables and CSV."""
    return {
        "id": thread.id,
        "number": thread.number,
        "title": thread.title,
        "type": thread.type,
        "category": thread.category,
        "subcategory": thread.subcategory,
        "author": author_label(thread),
        "answered": thread.is_answered,
        "staff_answered": thread.is_staff_answered,
        "replies": thread.reply_count,
        "votes": thread.vote_count,
        "views": thread.view_count,
        "private": thread.is_private,
        "pinned": thread.is_pinned,
        "locked": thread.is_locked,
        "created_at": thread.created_at,
        "updated_at": thread.updated_at,
        "url": thread_web_url(region, thread.course_id, thread.id),
    }


def _markdown(xml: str | None) -> RenderableType:
    text = ed_document_to_markdown(xml).strip() if xml else ""
    return Markdown(printable(text)) if text else Text("(no text)", style="dim")


def _flags(item: ThreadSummary | CommentSummary, accepted_id: int | None) -> str:
    marks = []
    if isinstance(item, CommentSummary) and item.id == accepted_id:
        marks.append("accepted")
    if item.is_endorsed:
        marks.append("endorsed")
    if item.is_private:
        marks.append("private")
    return f" [{', '.join(marks)}]" if marks else ""


def _comment_block(
    comment: CommentSummary, label: str, depth: int, accepted_id: int | None
) -> list[RenderableType]:
    when = short_time(comment.created_at) if comment.created_at else ""
    heading = Text(printable(f"{label} by {author_label(comment)}"), style="bold")
    heading.append(f"  {when}{_flags(comment, accepted_id)}", style="dim")
    blocks: list[RenderableType] = [
        Padding(Group(heading, _markdown(comment.content)), (1, 0, 0, 2 + 4 * depth))
    ]
    for reply in comment.comments:
        blocks.extend(_comment_block(reply, "Reply", depth + 1, accepted_id))
    return blocks


def render_thread(console: Console, thread: ThreadDetail, region: str | None) -> None:
    """Print a thread with its body, answers and comments rendered as Markdown.

    Off a terminal, trailing spaces that pad each line to the width are
    removed, so that a file or pipe gets clean text.
    """
    if console.is_terminal:
        _render(console, thread, region)
        return
    with console.capture() as capture:
        _render(console, thread, region)
    lines = [line.rstrip() for line in capture.get().splitlines()]
    console.file.write("\n".join(lines) + "\n")


def _render(console: Console, thread: ThreadDetail, region: str | None) -> None:
    category = " / ".join(p for p in (thread.category, thread.subcategory) if p)
    status = "answered" if thread.is_answered else "unanswered"
    console.print(Text(printable(thread.title), style="bold"))
    meta = (
        f"#{thread.number} (id {thread.id}) · {thread.type}"
        f" · {category or 'no category'} · {author_label(thread)}"
        f" · {short_time(thread.created_at or '')}"
        f" · {status} · {thread.vote_count} votes{_flags(thread, None)}"
    )
    console.print(Text(printable(meta), style="dim"))
    url = thread_web_url(region, thread.course_id, thread.id)
    if url:
        console.print(Text(url, style="dim"))
    console.print()
    console.print(_markdown(thread.content))
    for title, label, items in (
        ("Answers", "Answer", thread.answers),
        ("Comments", "Comment", thread.comments),
    ):
        if not items:
            continue
        console.print()
        console.rule(f"{title} ({len(items)})", align="left")
        for item in items:
            for block in _comment_block(item, label, 0, thread.accepted_id):
                console.print(block)
