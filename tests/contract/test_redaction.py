"""The report names no person, id, post or token, even when Ed's responses differ."""

from __future__ import annotations

import re
from typing import Any

import httpx

from pyedstem import EdStemClient
from pyedstem.contract import (
    Outcome,
    WriteMode,
    render_markdown,
    render_text,
    run_contract,
)
from pyedstem.contract.redact import Redactor
from pyedstem.testing import Sandbox, SandboxServer

from .conftest import RewritingTransport, public_thread_id, sandbox_target

NAME = "Quentin Plantagenet-Zed"
EMAIL = "quentin.planted@example.edu"
USERNAME = "quentin_planted"
TITLE = "Planted Xylophone question about recursion"
ANSWER = "Planted zebrafish answer text"
COURSE_NAME = "Planted Course of Marmosets"
COURSE_CODE = "PLNT9876"


def _leak_values(request: httpx.Request, body: Any) -> Any:
    """Move personal values into fields whose types the suite checks."""
    if not isinstance(body, dict):
        return body
    account = body.get("user")
    if isinstance(account, dict):
        account["id"] = account.get("email")
        account["name"] = {"full": account.get("name")}
        body["time"] = [account["name"]]
    for thread in body.get("threads") or []:
        thread["title"] = {"text": thread.get("title")}
        thread["user_id"] = str(thread.get("user_id"))
    thread = body.get("thread")
    if isinstance(thread, dict):
        thread["content"] = [thread.get("content")]
        thread["number"] = str(thread.get("number"))
    course = body.get("course")
    if isinstance(course, dict):
        course["code"] = [course.get("code")]
        course["id"] = str(course.get("id"))
    return body


def test_report_hides_planted_personal_values(
    sandbox: Sandbox, server: SandboxServer
) -> None:
    staff_id = sandbox.users["staff"]
    person = sandbox.state.users[staff_id]
    person.name, person.email, person.username = NAME, EMAIL, USERNAME
    course = sandbox.state.courses[sandbox.demo_course_id]
    course.name, course.code = COURSE_NAME, COURSE_CODE
    thread_id = public_thread_id(sandbox)
    thread = sandbox.state.threads[thread_id]
    thread.title = TITLE
    token = sandbox.tokens["staff"]
    with EdStemClient(token, base_url=server.base_url) as client:
        answer = client.threads.post_answer(thread_id=thread_id, markdown=ANSWER)
    sandbox.faults.add(
        kind="status",
        method="GET",
        path="/courses/{course_id}/stats",
        status=500,
        code=USERNAME,
        message=f"{NAME} <{EMAIL}> used {token} on thread {thread_id}",
    )
    target = sandbox_target(
        sandbox, server, write_mode=WriteMode.ALL, thread_id=thread_id
    )

    with httpx.Client(transport=RewritingTransport(_leak_values)) as http:
        report = run_contract(target, http_client=http)

    assert report.count(Outcome.DIFFERS) >= 5
    assert len(report.cleanup) == 7
    outputs = {
        "text": render_text(report),
        "markdown": render_markdown(report),
        "repr": repr(report),
    }
    words = [NAME, EMAIL, USERNAME, TITLE, ANSWER, COURSE_NAME, COURSE_CODE, token]
    words += ["Plantagenet", "Xylophone", "zebrafish", "Marmosets", "quentin"]
    ids = [
        staff_id,
        sandbox.demo_course_id,
        thread_id,
        thread.number,
        answer.id,
        *sandbox.users.values(),
    ]
    for kind, output in outputs.items():
        lowered = output.lower()
        for word in words:
            assert word.lower() not in lowered, (kind, word)
        for number in ids:
            assert not re.search(rf"(?<!\d){number}(?!\d)", output), (kind, number)
    assert token not in repr(target)
    assert "with Ed code '<name>'" in outputs["text"]
    assert "thread.content: expected string, got array" in outputs["text"]


def test_redactor_replaces_each_kind() -> None:
    redactor = Redactor()
    redactor.add_secret("tok.en-secret-value")
    redactor.add_name("Ada Lovelace")
    redactor.add_email("ada@example.org")
    redactor.add_content("Why does my loop never end")
    redactor.add_id(4242424)
    redactor.add_id(12)

    scrubbed = redactor.scrub(
        "ada lovelace <ada@example.org> wrote 'why does my loop never end' in "
        "thread 4242424 with tok.en-secret-value; other@example.com; 12 items; "
        "42424240"
    )

    assert scrubbed == (
        "<name> <<email>> wrote '<content>' in thread <id> with <token>; "
        "<email>; 12 items; 42424240"
    )
