"""Logs under the pyedstem namespace never hold tokens, bodies or query values."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

from pyedstem import EdStemClient, ServerError

from .conftest import TOKEN

STUDENT_EMAIL = "jordan.student@example.edu"
STUDENT_NAME = "Jordan Quinterro"
SEARCH_TEXT = "jordan-private-search-text"


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/search"):
        return httpx.Response(503, json={"code": "error", "message": STUDENT_NAME})
    body = {
        "user": {"id": 1, "name": STUDENT_NAME, "email": STUDENT_EMAIL},
        "courses": [],
        "realms": [],
    }
    return httpx.Response(200, json=body)


def _all_text(record: logging.LogRecord) -> str:
    parts = [record.getMessage(), repr(record.args), str(record.msg)]
    if record.exc_info and record.exc_info[1] is not None:
        parts.append(repr(record.exc_info[1]))
    return " ".join(parts)


def test_no_secret_or_personal_data_in_logs(
    make_client: Callable[..., EdStemClient], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pyedstem")
    client = make_client(handler, max_retries=2)
    client.user.get_current_user()
    with pytest.raises(ServerError):
        client.threads.search(1, query=SEARCH_TEXT)
    records = [r for r in caplog.records if r.name.startswith("pyedstem")]
    assert any(r.levelno == logging.DEBUG for r in records)
    assert any(
        r.levelno == logging.INFO and "Retrying" in r.getMessage() for r in records
    )
    for record in records:
        text = _all_text(record)
        for secret in (TOKEN, STUDENT_EMAIL, STUDENT_NAME, SEARCH_TEXT, "Bearer"):
            assert secret not in text, record.getMessage()


def test_debug_log_names_method_route_and_status(
    make_client: Callable[..., EdStemClient], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pyedstem")
    make_client(handler).user.get_current_user()
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("pyedstem")]
    assert any("GET /user -> 200" in m for m in messages)


def test_library_adds_no_handlers() -> None:
    """A fresh interpreter, because the CLI's tests attach handlers in process."""
    script = (
        "import logging, pyedstem\n"
        "client = pyedstem.EdStemClient('t')\n"
        "names = ['pyedstem', *[n for n in logging.root.manager.loggerDict"
        " if n.startswith('pyedstem')]]\n"
        "print(sum(len(logging.getLogger(n).handlers) for n in names),"
        " len(logging.root.handlers))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert output == ["0", "0"]
