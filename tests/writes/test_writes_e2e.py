"""Discussion writes and uploads against the sandbox Ed over loopback."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from pyedstem import (
    EdStemClient,
    PermissionDeniedError,
    WriteOutcomeUnknownError,
)
from pyedstem.testing import Sandbox, SandboxServer

DOC = '<document version="2.0"><paragraph>Where is lab 3?</paragraph></document>'


def _category(client: EdStemClient, course_id: int) -> str:
    return client.courses.get(course_id).categories()[0]


def _question(student: EdStemClient, course_id: int) -> int:
    thread = student.threads.create(
        course_id,
        title="Lab 3 location",
        document=DOC,
        type="question",
        category=_category(student, course_id),
    )
    return thread.id


def test_question_answer_accept_flow(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox.demo_course_id)

    answer = staff.threads.post_answer(thread_id=thread_id, markdown="Room **B12**.")
    reply = student.comments.reply(answer.id, thread_id=thread_id, markdown="Thanks!")
    student.threads.accept_answer(thread_id, answer.id)
    staff.comments.endorse(answer.id)
    thread = staff.threads.get(thread_id)

    assert thread.accepted_id == answer.id
    assert thread.is_staff_answered is True
    stored = thread.find_comment(answer.id)
    assert stored is not None
    assert stored.is_endorsed is True
    assert "<bold>B12</bold>" in (stored.content or "")
    assert [c.id for c in stored.comments] == [reply.id]


def test_update_keeps_unchanged_fields(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox.demo_course_id)

    staff.threads.update(thread_id, title="Lab 3 room", is_private=True)
    thread = staff.threads.get(thread_id)

    assert thread.title == "Lab 3 room"
    assert thread.is_private is True
    assert thread.content == DOC
    assert thread.type == "question"


def test_actions_change_thread_state(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    course_id = sandbox.demo_course_id
    original = student.threads.list(course_id, limit=1)[0].id
    thread_id = _question(student, course_id)

    staff.threads.pin(thread_id)
    staff.threads.endorse(thread_id)
    staff.threads.star(thread_id)
    staff.threads.upvote(thread_id)
    staff.threads.mark_duplicate(thread_id, duplicate_of=original)
    thread = staff.threads.get(thread_id)

    assert thread.is_pinned is True
    assert thread.is_endorsed is True
    assert thread.is_starred is True
    assert thread.vote == 1
    assert thread.duplicate_id == original


def test_student_cannot_lock(student: EdStemClient, sandbox: Sandbox) -> None:
    thread_id = _question(student, sandbox.demo_course_id)

    with pytest.raises(PermissionDeniedError):
        student.threads.lock(thread_id)


def test_dropped_create_is_found_once(student: EdStemClient, sandbox: Sandbox) -> None:
    course_id = sandbox.demo_course_id
    sandbox.faults.add(
        kind="drop_after_commit", method="POST", path="/courses/{course_id}/threads"
    )

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        student.threads.create(
            course_id,
            title="Dropped post",
            document=DOC,
            category=_category(student, course_id),
        )
    found = student.check_write(caught.value)

    assert found is not None
    assert found.title == "Dropped post"
    titles = [t.title for t in student.threads.list(course_id, limit=50)]
    assert titles.count("Dropped post") == 1


def test_dropped_lock_is_confirmed(
    staff: EdStemClient, student: EdStemClient, sandbox: Sandbox
) -> None:
    thread_id = _question(student, sandbox.demo_course_id)
    sandbox.faults.add(
        kind="drop_after_commit", method="POST", path=f"/threads/{thread_id}/lock"
    )

    with pytest.raises(WriteOutcomeUnknownError) as caught:
        staff.threads.lock(thread_id)

    assert staff.check_write(caught.value).is_locked is True


def test_upload_serves_file(
    sandbox: Sandbox, server: SandboxServer, tmp_path: Path
) -> None:
    path = tmp_path / "plot.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 40)

    with EdStemClient(
        sandbox.tokens["staff"], base_url=server.base_url, static_base_url=server.url
    ) as client:
        uploaded = client.files.upload(path)

    assert uploaded.url == server.file_url(uploaded.id)
    downloaded = httpx.get(uploaded.url)
    assert downloaded.status_code == 200
    assert downloaded.content == path.read_bytes()


def test_answer_with_uploaded_image(
    sandbox: Sandbox, server: SandboxServer, tmp_path: Path
) -> None:
    from pyedstem.content import markdown_to_ed_document

    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (8).to_bytes(4, "big") * 2
    (tmp_path / "plot.png").write_bytes(png)
    markdown = "The plot:\n\n![plot](plot.png)"

    with EdStemClient(
        sandbox.tokens["staff"], base_url=server.base_url, static_base_url=server.url
    ) as staff:
        thread_id = staff.threads.list(sandbox.demo_course_id, limit=1)[0].id
        images = staff.files.upload_images(markdown, base_dir=tmp_path)
        document = markdown_to_ed_document(markdown, images=images)
        comment = staff.threads.post_comment(thread_id, document=document)

    url = images["plot.png"].url
    assert f'src="{url}"' in (comment.content or "")
    assert 'width="8"' in (comment.content or "")
    assert httpx.get(url).content == png
