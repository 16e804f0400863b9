"""``edstem answer`` and ``edstem comment``: post Markdown to a thread, once.

The text comes from the argument, from ``--file`` (``-`` for stdin), or from
stdin when it is not a terminal. A comment uploads its local images
(``![](plot.png)``, relative to the file's folder) first. ``--dry-run`` prints
the Ed XML that would be sent and sends nothing. A post is sent once: when
the connection drops after sending, the command looks on Ed for the post
instead of sending it again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..content import local_image_paths, markdown_to_ed_document
from ..errors import EdStemError, WriteOutcomeUnknownError
from ..models import PostedComment
from . import resolve
from .errors import EXIT_ERROR, EXIT_USAGE, CliError
from .output import note, print_json
from .session import Session, session
from .threads_cmds import ThreadArg

TextArg = Annotated[
    str | None,
    typer.Argument(help="The text, in Markdown. Omit it to use --file or stdin."),
]
FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="Read the Markdown from this UTF-8 file, or from stdin for '-'.",
        dir_okay=False,
        allow_dash=True,
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run", help="Print the Ed XML that would be sent, and send nothing."
    ),
]
PrivateOption = Annotated[
    bool,
    typer.Option(
        "--private", help="Show the post only to staff and the thread's author."
    ),
]
PostJsonFlag = Annotated[
    bool,
    typer.Option(
        "--json",
        help="Print the posted comment as JSON (the request's fields with --dry-run).",
    ),
]
AnonymousOption = Annotated[
    bool, typer.Option("--anonymous", help="Hide the author's name from students.")
]


def read_markdown(text: str | None, file: Path | None) -> str:
    """Return the Markdown from the argument, a file or stdin.

    Raises:
        CliError: No text, two sources, or a blank text.
    """
    if text is not None and file is not None:
        raise CliError(
            "Pass the text as an argument or with --file, not both.", EXIT_USAGE
        )
    if file is not None:
        if str(file) == "-":
            markdown = sys.stdin.read()
        else:
            try:
                markdown = file.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise CliError(
                    f"{str(file)!r} is not UTF-8 text. Save it as UTF-8.", EXIT_USAGE
                ) from exc
    elif text is not None:
        markdown = text
    elif not sys.stdin.isatty():
        markdown = sys.stdin.read()
    else:
        raise CliError(
            "No text to post: pass it as an argument, with --file PATH, or on stdin.",
            EXIT_USAGE,
        )
    if not markdown.strip():
        raise CliError(
            "The text is empty, and Ed would show an empty post.", EXIT_USAGE
        )
    return markdown


def _document_with_images(state: Session, markdown: str, base_dir: Path) -> str:
    """Upload the local images of a comment and return its Ed XML."""
    images = state.client().files.upload_images(markdown, base_dir=base_dir)
    note(f"Uploaded {len(images)} local image(s).")
    return markdown_to_ed_document(markdown, images=images)


def _post(
    state: Session,
    kind: str,
    thread_id: int,
    markdown: str,
    *,
    base_dir: Path,
    private: bool,
    anonymous: bool,
) -> PostedComment:
    client = state.client()
    local_images = local_image_paths(markdown)
    if local_images and kind == "answer":
        # NOTE: the library posts answers from Markdown only, so an answer
        # cannot carry uploaded images yet.
        raise CliError(
            f"The answer refers to local images ({', '.join(local_images)}), which "
            "an answer cannot upload. Use image links (https://...) or post the "
            "images in a comment.",
            EXIT_USAGE,
        )
    try:
        if kind == "answer":
            return client.threads.post_answer(
                thread_id=thread_id,
                markdown=markdown,
                is_private=private,
                is_anonymous=anonymous,
            )
        if local_images:
            document = _document_with_images(state, markdown, base_dir)
            return client.threads.post_comment(
                thread_id, document=document, is_private=private, is_anonymous=anonymous
            )
        return client.threads.post_comment(
            thread_id, markdown=markdown, is_private=private, is_anonymous=anonymous
        )
    except WriteOutcomeUnknownError as exc:
        note(f"The connection failed after the {kind} was sent. Looking for it on Ed.")
        try:
            found = client.check_write(exc)
        except EdStemError as check_error:
            raise CliError(
                f"The {kind} may or may not have been posted ({exc}), and looking "
                f"for it failed ({check_error}). Open thread {thread_id} before "
                "posting again.",
                EXIT_ERROR,
            ) from check_error
        if found is None:
            raise CliError(
                f"The {kind} was not posted: the connection failed ({exc}) and the "
                f"thread does not contain it. Run the command again to post it.",
                EXIT_ERROR,
            ) from exc
        if isinstance(found, PostedComment):
            return found
        return PostedComment.model_validate(
            found.model_dump() if hasattr(found, "model_dump") else found
        )


def _run(
    ctx: typer.Context,
    kind: str,
    thread: str,
    text: str | None,
    file: Path | None,
    *,
    dry_run: bool,
    private: bool,
    anonymous: bool,
    as_json: bool,
) -> None:
    markdown = read_markdown(text, file)
    state = session(ctx)
    thread_id = resolve.thread_id(state, thread)
    base_dir = file.parent if file is not None and str(file) != "-" else Path.cwd()
    if dry_run:
        document = markdown_to_ed_document(markdown)
        local_images = local_image_paths(markdown)
        if local_images:
            note(
                f"The text refers to local images ({', '.join(local_images)}). A "
                "comment uploads them first and puts their Ed links in place."
            )
        flags = ", ".join(
            flag for flag, on in (("private", private), ("anonymous", anonymous)) if on
        )
        note(
            f"Dry run: POST /threads/{thread_id}/comments would send this {kind}"
            f"{f' ({flags})' if flags else ''}. Nothing was sent."
        )
        if as_json:
            print_json(
                {
                    "thread_id": thread_id,
                    "type": kind,
                    "content": document,
                    "is_private": private,
                    "is_anonymous": anonymous,
                }
            )
        else:
            sys.stdout.write(document + "\n")
        return
    posted = _post(
        state,
        kind,
        thread_id,
        markdown,
        base_dir=base_dir,
        private=private,
        anonymous=anonymous,
    )
    if as_json:
        print_json(posted.model_dump(mode="json"))
    else:
        sys.stdout.write(f"Posted {kind} {posted.id} to thread {thread_id}.\n")


def answer(
    ctx: typer.Context,
    thread: ThreadArg,
    text: TextArg = None,
    file: FileOption = None,
    dry_run: DryRunOption = False,
    private: PrivateOption = False,
    anonymous: AnonymousOption = False,
    as_json: PostJsonFlag = False,
) -> None:
    """Post an answer, written in Markdown, to a thread."""
    _run(
        ctx,
        "answer",
        thread,
        text,
        file,
        dry_run=dry_run,
        private=private,
        anonymous=anonymous,
        as_json=as_json,
    )


def comment(
    ctx: typer.Context,
    thread: ThreadArg,
    text: TextArg = None,
    file: FileOption = None,
    dry_run: DryRunOption = False,
    private: PrivateOption = False,
    anonymous: AnonymousOption = False,
    as_json: PostJsonFlag = False,
) -> None:
    """Post a comment (not an answer), written in Markdown, to a thread."""
    _run(
        ctx,
        "comment",
        thread,
        text,
        file,
        dry_run=dry_run,
        private=private,
        anonymous=anonymous,
        as_json=as_json,
    )
