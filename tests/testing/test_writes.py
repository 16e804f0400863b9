"""Write routes of the sandbox: threads, comments, files, lessons, challenges."""

from __future__ import annotations

from typing import Any

import pytest

from pyedstem.testing import Sandbox
from pyedstem.testing.world import Thread
from tests.testing.conftest import ClientFactory

BODY = (
    '<document version="2.0"><paragraph>Hello <bold>there</bold></paragraph></document>'
)
PER_VIEWER = {
    "vote",
    "is_seen",
    "is_starred",
    "is_watched",
    "glanced_at",
    "new_reply_count",
    "duplicate_title",
}


def new_thread(**changes: Any) -> dict[str, Any]:
    thread = {
        "type": "question",
        "title": "How do I read a file?",
        "category": "General",
        "subcategory": "",
        "subsubcategory": "",
        "content": BODY,
        "is_pinned": False,
        "is_private": False,
        "is_anonymous": False,
        "is_megathread": False,
        "anonymous_comments": False,
    }
    thread.update(changes)
    return {"thread": thread}


def open_question(sandbox: Sandbox) -> Thread:
    return next(
        t
        for t in reversed(sandbox.state.course_threads(sandbox.demo_course_id))
        if t.type == "question"
        and not t.is_locked
        and not t.is_private
        and t.deleted_at is None
    )


def test_create_thread_changes_state(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    path = f"/courses/{write_sandbox.demo_course_id}/threads"
    response = write_api("student").post(path, json=new_thread())
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    thread = body["thread"]
    assert thread["title"] == "How do I read a file?"
    assert thread["user"]["id"] == write_sandbox.users["student"]
    assert thread["document"] == "Hello there"
    stored = write_sandbox.state.threads[thread["id"]]
    assert stored.content_text == BODY
    listed = write_api("staff").get(path).json()["threads"]
    assert thread["id"] in [item["id"] for item in listed]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"title": ""}, "missing_title"),
        ({"title": "   "}, "missing_title"),
        ({"type": "poll"}, "invalid_type"),
        ({"category": "Nope"}, "invalid_category"),
        ({"category": "Assignments", "subcategory": "Z9"}, "invalid_category"),
        ({"content": ""}, "missing_content"),
        ({"content": "<p>not ed</p>"}, "invalid_content"),
        ({"content": "<document><paragraph>"}, "invalid_content"),
    ],
)
def test_create_thread_validation(
    write_sandbox: Sandbox,
    write_api: ClientFactory,
    changes: dict[str, Any],
    code: str,
) -> None:
    path = f"/courses/{write_sandbox.demo_course_id}/threads"
    response = write_api("student").post(path, json=new_thread(**changes))
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_student_cannot_post_announcement(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    path = f"/courses/{write_sandbox.demo_course_id}/threads"
    response = write_api("student").post(path, json=new_thread(type="announcement"))
    assert response.status_code == 403


def test_archived_course_is_read_only(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    path = f"/courses/{write_sandbox.archived_course_id}/threads"
    response = write_api("student").post(path, json=new_thread())
    assert response.status_code == 403


def test_put_thread_replaces_fields(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    thread = open_question(write_sandbox)
    client = write_api("staff")
    current = client.get(f"/threads/{thread.id}").json()["thread"]
    current["title"] = "Edited title"
    response = client.put(f"/threads/{thread.id}", json={"thread": current})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["thread"]["title"] == "Edited title"
    assert not PER_VIEWER & set(body["thread"])
    assert thread.title == "Edited title"
    assert thread.updated_at is not None
    assert thread.editor_id == write_sandbox.users["staff"]


def test_partial_put_resets_flags(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    thread = open_question(write_sandbox)
    thread.is_megathread = True
    partial = {
        "title": thread.title,
        "type": thread.type,
        "category": thread.category,
        "subcategory": thread.subcategory,
        "content": BODY,
    }
    response = write_api("staff").put(f"/threads/{thread.id}", json={"thread": partial})
    assert response.status_code == 200
    assert thread.is_megathread is False


def test_locked_thread_cannot_be_edited(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    thread = open_question(write_sandbox)
    client = write_api("staff")
    current = client.get(f"/threads/{thread.id}").json()["thread"]
    assert client.post(f"/threads/{thread.id}/lock").status_code == 200
    assert thread.is_locked
    refused = client.put(f"/threads/{thread.id}", json={"thread": current})
    assert refused.status_code == 400
    assert refused.json()["code"] == "thread_locked"
    assert client.post(f"/threads/{thread.id}/unlock").status_code == 200
    assert (
        client.put(f"/threads/{thread.id}", json={"thread": current}).status_code == 200
    )


@pytest.mark.parametrize(
    ("action", "attribute", "value"),
    [
        ("lock", "is_locked", True),
        ("pin", "is_pinned", True),
        ("endorse", "is_endorsed", True),
    ],
)
def test_staff_thread_actions(
    write_sandbox: Sandbox,
    write_api: ClientFactory,
    action: str,
    attribute: str,
    value: bool,
) -> None:
    thread = open_question(write_sandbox)
    student = write_api("student").post(f"/threads/{thread.id}/{action}")
    assert student.status_code == 403
    assert getattr(thread, attribute) is not value
    response = write_api("staff").post(f"/threads/{thread.id}/{action}")
    assert response.status_code == 200
    assert response.content == b""
    assert getattr(thread, attribute) is value
    undo = write_api("staff").post(f"/threads/{thread.id}/un{action}")
    assert undo.status_code == 200
    assert getattr(thread, attribute) is not value


def test_star_and_vote_are_per_viewer(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    thread = open_question(write_sandbox)
    client = write_api("student2")
    stars, votes = thread.star_count, thread.vote_count
    assert client.post(f"/threads/{thread.id}/star").status_code == 204
    assert client.post(f"/threads/{thread.id}/upvote").status_code == 204
    assert client.post(f"/threads/{thread.id}/upvote").status_code == 204
    detail = client.get(f"/threads/{thread.id}").json()["thread"]
    assert detail["is_starred"] is True
    assert detail["vote"] == 1
    assert thread.star_count == stars + 1
    assert thread.vote_count == votes + 1
    other = write_api("student").get(f"/threads/{thread.id}").json()["thread"]
    assert other["is_starred"] is False
    assert client.post(f"/threads/{thread.id}/unstar").status_code == 204
    assert client.post(f"/threads/{thread.id}/unvote").status_code == 204
    assert thread.star_count == stars
    assert thread.vote_count == votes


def test_mark_duplicate(write_sandbox: Sandbox, write_api: ClientFactory) -> None:
    threads = write_sandbox.state.course_threads(write_sandbox.demo_course_id)
    thread, original = threads[-1], threads[-2]
    response = write_api("staff").post(
        f"/threads/{thread.id}/mark_duplicate", json={"duplicate_id": original.id}
    )
    assert response.status_code == 201
    assert thread.duplicate_id == original.id
    detail = write_api("staff").get(f"/threads/{thread.id}").json()["thread"]
    assert detail["duplicate_title"] == original.title


def test_post_answer_updates_counters(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    thread = next(
        t
        for t in write_sandbox.state.course_threads(write_sandbox.demo_course_id)
        if t.type == "question"
        and not t.is_answered
        and not t.is_locked
        and not t.is_private
        and t.deleted_at is None
    )
    replies = thread.reply_count
    response = write_api("staff").post(
        f"/threads/{thread.id}/comments",
        json={
            "comment": {
                "type": "answer",
                "content": BODY,
                "is_private": False,
                "is_anonymous": False,
            }
        },
    )
    assert response.status_code == 201
    comment = response.json()["comment"]
    assert comment["type"] == "answer"
    assert comment["thread_id"] == thread.id
    assert comment["comments"] == []
    assert thread.is_answered is True
    assert thread.is_staff_answered is True
    assert thread.reply_count == replies + 1
    detail = write_api("student").get(f"/threads/{thread.id}").json()["thread"]
    assert comment["id"] in [answer["id"] for answer in detail["answers"]]


def test_answer_on_post_is_rejected(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    post = next(
        t
        for t in write_sandbox.state.course_threads(write_sandbox.demo_course_id)
        if t.type == "post" and not t.is_locked and t.deleted_at is None
    )
    response = write_api("staff").post(
        f"/threads/{post.id}/comments",
        json={"comment": {"type": "answer", "content": BODY}},
    )
    assert response.status_code == 400


def test_reply_goes_under_any_parent(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    thread = next(
        t
        for t in write_sandbox.state.course_threads(write_sandbox.demo_course_id)
        if t.comments and not t.is_locked and not t.is_private and t.deleted_at is None
    )
    parent = thread.comments[0]
    response = write_api("student").post(
        f"/comments/{parent.id}/comments",
        json={"comment": {"type": "comment", "content": BODY}},
    )
    assert response.status_code == 201
    reply = response.json()["comment"]
    assert reply["parent_id"] == parent.id
    assert reply["thread_id"] == thread.id
    assert reply["id"] in [child.id for child in parent.comments]


def test_anonymous_comment_hides_author(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    thread = open_question(write_sandbox)
    response = write_api("student").post(
        f"/threads/{thread.id}/comments",
        json={"comment": {"type": "comment", "content": BODY, "is_anonymous": True}},
    )
    comment = response.json()["comment"]
    assert comment["user_id"] == 0
    assert comment["anonymous_id"] > 0


def test_edit_comment(write_sandbox: Sandbox, write_api: ClientFactory) -> None:
    thread = open_question(write_sandbox)
    client = write_api("student")
    created = client.post(
        f"/threads/{thread.id}/comments",
        json={"comment": {"type": "comment", "content": BODY}},
    ).json()["comment"]
    edited = '<document version="2.0"><paragraph>Edited</paragraph></document>'
    response = client.put(
        f"/comments/{created['id']}", json={"comment": {"content": edited}}
    )
    assert response.status_code == 200
    assert response.json()["comment"]["document"] == "Edited"
    assert response.json()["comment"]["updated_at"] is not None
    other = write_api("student2").put(
        f"/comments/{created['id']}", json={"comment": {"content": edited}}
    )
    assert other.status_code == 403


@pytest.mark.parametrize("path", ["/comments/{cm}/accept", "/threads/{t}/accept/{cm}"])
def test_accept_answer_both_paths(
    write_sandbox: Sandbox, write_api: ClientFactory, path: str
) -> None:
    thread = next(
        t
        for t in write_sandbox.state.course_threads(write_sandbox.demo_course_id)
        if t.answers
        and t.accepted_id is None
        and not t.is_private
        and t.deleted_at is None
    )
    answer = thread.answers[0]
    url = path.format(cm=answer.id, t=thread.id)
    assert write_api("student2").post(url).status_code in (403, 404)
    response = write_api("staff").post(url)
    assert response.status_code == 200
    assert response.content == b""
    assert thread.accepted_id == answer.id


def test_comment_actions(write_sandbox: Sandbox, write_api: ClientFactory) -> None:
    thread = next(
        t
        for t in write_sandbox.state.course_threads(write_sandbox.demo_course_id)
        if t.type == "question"
        and t.comments
        and not t.is_private
        and t.deleted_at is None
    )
    comment = thread.comments[0]
    staff = write_api("staff")
    assert (
        write_api("student2").post(f"/comments/{comment.id}/endorse").status_code == 403
    )
    assert staff.post(f"/comments/{comment.id}/endorse").status_code == 200
    assert comment.is_endorsed
    assert staff.post(f"/comments/{comment.id}/unendorse").status_code == 200
    assert not comment.is_endorsed
    assert staff.post(f"/comments/{comment.id}/resolve").status_code == 200
    assert comment.is_resolved
    votes = comment.vote_count
    assert staff.post(f"/comments/{comment.id}/upvote").status_code == 204
    assert comment.vote_count == votes + 1
    assert staff.post(f"/comments/{comment.id}/unvote").status_code == 204
    assert comment.vote_count == votes


def test_upload_file_and_download(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    client = write_api("staff")
    files = {"attachment": ("plot.png", b"\x89PNG-data", "image/png")}
    response = client.post("/files", files=files)
    assert response.status_code == 201
    info = response.json()["file"]
    assert set(info) == {"user_id", "id", "filename", "extension", "created_at"}
    assert len(info["id"]) == 24
    assert info["filename"] == "plot.png"
    assert info["extension"] == "png"
    assert write_sandbox.state.files[info["id"]].content == b"\x89PNG-data"
    download = client.get(f"http://sandbox.test/files/{info['id']}")
    assert download.status_code == 200
    assert download.content == b"\x89PNG-data"
    assert download.headers["content-type"] == "image/png"


def test_upload_needs_attachment_part(write_api: ClientFactory) -> None:
    files = {"file": ("plot.png", b"data", "image/png")}
    response = write_api("staff").post("/files", files=files)
    assert response.status_code == 400
    assert response.json()["message"] == "Missing attachment"


def test_upload_from_url_fetches_nothing(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    response = write_api("staff").post(
        "/files/url", json={"url": "https://example.com/files/report.pdf"}
    )
    assert response.status_code == 201
    info = response.json()["file"]
    assert info["filename"] == "report.pdf"
    assert write_sandbox.state.files[info["id"]].content == b""


def test_slide_update_needs_form_field(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    slide = next(iter(write_sandbox.world.slides.values()))
    client = write_api("staff")
    as_json = client.put(f"/lessons/slides/{slide.id}", json={"slide": {"title": "X"}})
    assert as_json.status_code == 400
    assert as_json.json()["message"] == "Missing slide"
    as_form = client.put(
        f"/lessons/slides/{slide.id}", data={"slide": '{"title": "New title"}'}
    )
    assert as_form.status_code == 200
    assert as_form.json()["slide"]["title"] == "New title"
    assert slide.data["title"] == "New title"


def test_complete_slide_records_progress(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    lesson = next(
        lesson
        for lesson in write_sandbox.world.lessons.values()
        if lesson.data["state"] == "active"
    )
    slide_id = lesson.slide_ids[-1]
    user = write_sandbox.users["student2"]
    write_sandbox.world.slide_status.pop((user, slide_id), None)
    response = write_api("student2").put(f"/lessons/slides/{slide_id}/complete")
    assert response.status_code == 204
    assert response.content == b""
    assert write_sandbox.world.slide_status[(user, slide_id)] == "completed"


def test_lesson_view_records_progress(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    lesson = next(iter(write_sandbox.world.lessons.values()))
    user = write_sandbox.users["outsider"]
    staff = write_sandbox.users["staff"]
    write_sandbox.world.lesson_progress.pop((staff, lesson.id), None)
    client = write_api("staff")
    client.get(f"/lessons/{lesson.id}")
    assert (staff, lesson.id) not in write_sandbox.world.lesson_progress
    body = client.get(f"/lessons/{lesson.id}", params={"view": 1}).json()
    assert (staff, lesson.id) in write_sandbox.world.lesson_progress
    assert body["lesson"]["first_viewed_at"] is not None
    assert user not in {key[0] for key in write_sandbox.world.lesson_progress}


def test_challenge_patch_not_put(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    challenge = next(
        c
        for c in write_sandbox.world.challenges.values()
        if c.course_id == write_sandbox.demo_course_id
    )
    client = write_api("staff")
    current = client.get(f"/challenges/{challenge.id}").json()["challenge"]
    assert (
        client.put(
            f"/challenges/{challenge.id}", json={"challenge": current}
        ).status_code
        == 404
    )
    current["auto_points"] = 25
    response = client.patch(f"/challenges/{challenge.id}", json={"challenge": current})
    assert response.status_code == 200
    assert response.json()["challenge"]["auto_points"] == 25
    assert challenge.data["auto_points"] == 25


def test_submission_feedback(write_sandbox: Sandbox, write_api: ClientFactory) -> None:
    submission = next(iter(write_sandbox.world.submissions.values()))
    feedback = {
        "mark": 2,
        "formatted": True,
        "criteria": [{"name": "Style", "description": "", "mark": "1"}],
        "content": BODY,
    }
    path = f"/challenges/submissions/{submission.id}/feedback"
    assert write_api("student").put(path, json={"feedback": feedback}).status_code in (
        403,
        404,
    )
    response = write_api("staff").put(path, json={"feedback": feedback})
    assert response.status_code == 200
    assert submission.data["feedback"]["mark"] == 2
    assert submission.data["feedback_provided"] is True


def test_results_csv(write_sandbox: Sandbox, write_api: ClientFactory) -> None:
    lesson = next(iter(write_sandbox.world.lessons.values()))
    response = write_api("staff").post(f"/lessons/{lesson.id}/results.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    header = response.text.splitlines()[0]
    assert header.startswith("user_id,name,email")
    challenge = next(iter(write_sandbox.world.challenges.values()))
    results = write_api("staff").post(f"/challenges/{challenge.id}/results")
    assert results.text.startswith("user_id,name,email,passed,total,completed")


def test_quiz_answer_and_amend(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    question = next(iter(write_sandbox.world.questions.values()))
    solution = question.data["data"]["solution"]
    client = write_api("outsider")
    assert (
        client.post(
            f"/lessons/slides/questions/{question.id}/responses", json=solution
        ).status_code
        == 403
    )
    client = write_api("student2")
    user = write_sandbox.users["student2"]
    write_sandbox.world.responses[:] = [
        r for r in write_sandbox.world.responses if r.user_id != user
    ]
    path = f"/lessons/slides/questions/{question.id}/responses"
    first = client.post(path, json=solution)
    assert first.status_code == 200
    assert first.json()["correct"] is True
    assert set(first.json()) == {
        "correct",
        "explanation",
        "solution",
        "slide_completed",
    }
    again = client.post(path, json=[0])
    assert again.status_code == 400
    amended = client.post(path, params={"amend": 1}, json=[0, 1])
    assert amended.status_code == 200
    listed = client.get(
        f"/lessons/slides/{question.slide_id}/questions/responses"
    ).json()["responses"]
    assert [r["data"] for r in listed if r["question_id"] == question.id] == [[0, 1]]
    hidden = client.get(f"/lessons/slides/{question.slide_id}/questions").json()
    assert all(q["data"]["solution"] == [] for q in hidden["questions"])


def test_create_lesson_is_untitled_and_hidden(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    path = f"/courses/{write_sandbox.demo_course_id}/lessons"
    body = {"lesson": {"title": "Week 13", "kind": "content"}}
    assert write_api("student").post(path, json=body).status_code == 403
    response = write_api("staff").post(path, json=body)
    assert response.status_code == 200
    lesson = response.json()["lesson"]
    assert lesson["title"] == "Untitled Lesson"
    assert lesson["is_hidden"] is True
    assert lesson["slides"] == []
    lesson["title"] = "Week 13"
    lesson.pop("slides")
    edited = write_api("staff").put(f"/lessons/{lesson['id']}", json={"lesson": lesson})
    assert edited.json()["lesson"]["title"] == "Week 13"
    assert write_api("student").get(f"/lessons/{lesson['id']}").status_code == 404


def test_create_clone_and_delete_slides(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    lesson = next(iter(write_sandbox.world.lessons.values()))
    quiz = next(
        write_sandbox.world.slides[slide_id]
        for slide_id in lesson.slide_ids
        if write_sandbox.world.slides[slide_id].data["type"] == "quiz"
    )
    client = write_api("staff")
    created = client.post(
        f"/lessons/{lesson.id}/slides", data={"slide": '{"type": "code"}'}
    )
    assert created.status_code == 200
    slide = created.json()["slide"]
    assert slide["type"] == "code"
    assert slide["challenge_id"] in write_sandbox.world.challenges
    assert slide["index"] == len(lesson.slide_ids)
    bad = client.post(f"/lessons/{lesson.id}/slides", data={"slide": '{"type": "x"}'})
    assert bad.status_code == 400
    copied = client.post(
        f"/lessons/slides/{quiz.id}/clone",
        json={"lesson_id": lesson.id, "is_hidden": True},
    )
    assert copied.status_code == 200
    copy = copied.json()["slide"]
    assert copy["original_id"] == quiz.id
    assert copy["is_hidden"] is True
    questions = client.get(f"/lessons/slides/{copy['id']}/questions").json()
    assert len(questions["questions"]) == len(quiz.question_ids)
    assert client.delete(f"/lessons/slides/{slide['id']}").status_code == 200
    assert slide["id"] not in lesson.slide_ids
    assert client.get(f"/lessons/slides/{slide['id']}").status_code == 404


def test_submit_all_is_staff_only(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    challenge = next(iter(write_sandbox.world.challenges.values()))
    path = f"/challenges/{challenge.id}/submit_all"
    assert write_api("student").post(path).status_code == 403
    assert write_api("staff").post(path).status_code == 200


def test_submit_all_copies_latest_submissions(
    write_sandbox: Sandbox, write_api: ClientFactory
) -> None:
    world = write_sandbox.world
    challenge_id = next(iter(world.submissions.values())).challenge_id
    before = {
        s.id: s for s in world.submissions.values() if s.challenge_id == challenge_id
    }
    course_id = world.challenges[challenge_id].course_id
    students = {
        s.user_id
        for s in before.values()
        if not write_sandbox.state.is_staff(s.user_id, course_id)
    }

    response = write_api("staff").post(f"/challenges/{challenge_id}/submit_all")

    assert response.status_code == 200
    assert response.content == b""
    added = [
        s
        for s in world.submissions.values()
        if s.challenge_id == challenge_id and s.id not in before
    ]
    assert sorted(s.user_id for s in added) == sorted(students)
    for submission in added:
        own = [s for s in before.values() if s.user_id == submission.user_id]
        latest = max(own, key=lambda s: (s.data["created_at"], s.id))
        assert submission.data["id"] == submission.id
        assert submission.data["result"] == latest.data["result"]
        assert submission.data["feedback"] is None
        assert submission.data["created_at"] > latest.data["created_at"]
