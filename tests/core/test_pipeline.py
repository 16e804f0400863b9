"""The request pipeline over httpx.MockTransport: headers, errors, retries."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

import pyedstem
from pyedstem import AsyncEdStemClient, EdStemClient
from pyedstem._operation import APIRequest
from pyedstem._version import __version__

from .conftest import TOKEN, Recorder

USER_BODY = {"user": {"id": 1, "name": "Staff One"}, "courses": [], "realms": []}


def ok(body: object = USER_BODY, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body)


def test_request_carries_auth_accept_and_user_agent(
    make_client: Callable[..., EdStemClient],
) -> None:
    recorder = Recorder(ok())
    make_client(recorder).user.get_current_user()
    request = recorder.requests[0]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == f"pyedstem/{__version__}"
    assert str(request.url) == "https://ed.test/api/user"


def test_timeout_is_finite_by_default() -> None:
    client = EdStemClient(TOKEN)
    try:
        timeout = client._pipeline.http.timeout
        assert timeout.read == 30.0
        assert timeout.connect is not None
        assert timeout.connect <= 5.0
    finally:
        client.close()


STATUS_CASES = [
    (
        400,
        {"code": "bad_token", "message": "Invalid token"},
        pyedstem.AuthenticationError,
    ),
    (
        401,
        {"code": "bad_token", "message": "Invalid token"},
        pyedstem.AuthenticationError,
    ),
    (
        400,
        {"code": "bad_request", "message": "Missing slide"},
        pyedstem.ValidationError,
    ),
    (403, {"code": "forbidden", "message": "No"}, pyedstem.PermissionDeniedError),
    (404, {"code": "not_found", "message": "Nope"}, pyedstem.NotFoundError),
    (409, {"code": "conflict", "message": "Busy"}, pyedstem.ValidationError),
    (422, {"code": "invalid", "message": "Bad"}, pyedstem.ValidationError),
    (429, {"code": "rate_limit", "message": "Slow"}, pyedstem.RateLimitError),
    (500, {"code": "error", "message": "Oops"}, pyedstem.ServerError),
    (503, {"code": "error", "message": "Down"}, pyedstem.ServerError),
    (418, {"code": "teapot", "message": "Tea"}, pyedstem.APIStatusError),
]


@pytest.mark.parametrize(("status", "body", "error_class"), STATUS_CASES)
def test_status_maps_to_error_class(
    make_client: Callable[..., EdStemClient],
    status: int,
    body: dict[str, str],
    error_class: type[Exception],
) -> None:
    client = make_client(Recorder(ok(body, status)), max_retries=0)
    with pytest.raises(error_class) as caught:
        client.threads.get(7)
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, pyedstem.APIStatusError)
    assert error.status_code == status
    assert error.method == "GET"
    assert error.path == "/threads/7"
    assert error.route == "/threads/{thread_id}"
    assert error.ed_code == body["code"]
    assert error.ed_message == body["message"]
    assert body["message"] in str(error)


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        b"",
        b'{"code": "bad_to',
        b"\xff\xfe not utf-8",
    ],
    ids=["html", "empty", "truncated-json", "binary"],
)
def test_odd_error_bodies_never_crash(
    make_client: Callable[..., EdStemClient], content: bytes
) -> None:
    response = httpx.Response(
        502, content=content, headers={"content-type": "text/html"}
    )
    client = make_client(Recorder(response), max_retries=0)
    with pytest.raises(pyedstem.ServerError) as caught:
        client.courses.get(3)
    assert caught.value.status_code == 502
    assert caught.value.ed_code is None
    assert len(caught.value.body_excerpt) <= 500


def test_error_excerpt_is_bounded(make_client: Callable[..., EdStemClient]) -> None:
    response = httpx.Response(500, content=b"x" * 100_000)
    client = make_client(Recorder(response), max_retries=0)
    with pytest.raises(pyedstem.ServerError) as caught:
        client.courses.get(3)
    assert len(caught.value.body_excerpt) == 500


def test_error_never_contains_the_token(
    make_client: Callable[..., EdStemClient],
) -> None:
    client = make_client(Recorder(ok({"code": "bad_token"}, 401)))
    with pytest.raises(pyedstem.AuthenticationError) as caught:
        client.user.get_current_user()
    error = caught.value
    for text in (str(error), repr(error), repr(vars(error))):
        assert TOKEN not in text


def test_repr_shows_base_url_not_token() -> None:
    client = EdStemClient(TOKEN, region="us")
    try:
        assert (
            repr(client)
            == "EdStemClient(base_url='https://us.edstem.org/api', region='us')"
        )
        assert TOKEN not in repr(vars(client))
    finally:
        client.close()


def test_get_retries_then_succeeds(make_client: Callable[..., EdStemClient]) -> None:
    recorder = Recorder(ok({}, 503), ok({}, 502), ok())
    user = make_client(recorder, max_retries=2).user.get_current_user()
    assert user.user.id == 1
    assert len(recorder.requests) == 3


def test_get_gives_up_after_max_retries(
    make_client: Callable[..., EdStemClient],
) -> None:
    recorder = Recorder(ok({"code": "rate_limit"}, 429))
    with pytest.raises(pyedstem.RateLimitError):
        make_client(recorder, max_retries=3).user.get_current_user()
    assert len(recorder.requests) == 4


def test_zero_retries_sends_once(make_client: Callable[..., EdStemClient]) -> None:
    recorder = Recorder(ok({}, 503))
    with pytest.raises(pyedstem.ServerError):
        make_client(recorder, max_retries=0).user.get_current_user()
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
def test_non_retryable_status_is_sent_once(
    make_client: Callable[..., EdStemClient], status: int
) -> None:
    recorder = Recorder(ok({"code": "x"}, status))
    with pytest.raises(pyedstem.APIStatusError):
        make_client(recorder, max_retries=3).user.get_current_user()
    assert len(recorder.requests) == 1


def test_post_is_never_retried_on_503(make_client: Callable[..., EdStemClient]) -> None:
    recorder = Recorder(ok({}, 503))
    client = make_client(recorder, max_retries=3)
    request = APIRequest("POST", "/threads/{thread_id}/comments", {"thread_id": 5})
    with pytest.raises(pyedstem.ServerError):
        client._pipeline.send(request)
    assert len(recorder.requests) == 1


def test_retry_after_seconds_is_honoured(
    make_client: Callable[..., EdStemClient],
) -> None:
    sleeps: list[float] = []
    limited = httpx.Response(
        429, json={"code": "rate_limit"}, headers={"Retry-After": "0.01"}
    )
    client = make_client(Recorder(limited, ok()), max_retries=1)
    original = client._pipeline.retry_delay

    def spy(attempt: int, exc: BaseException | None) -> float:
        delay = original(attempt, exc)
        sleeps.append(delay)
        return delay

    client._pipeline.retry_delay = spy  # type: ignore[method-assign]
    client.user.get_current_user()
    assert sleeps == [0.01]


def test_retry_after_http_date_is_parsed() -> None:
    from pyedstem._pipeline import parse_retry_after

    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_retry_after_is_capped() -> None:
    client = EdStemClient(TOKEN)
    try:
        error = pyedstem.RateLimitError(status_code=429, method="GET", path="/user")
        error.retry_after = 10_000
        assert client._pipeline.retry_delay(1, error) == 60.0
    finally:
        client.close()


def test_backoff_grows_and_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pyedstem._pipeline.RETRY_BACKOFF_INITIAL_SECONDS", 0.5)
    monkeypatch.setattr("pyedstem._pipeline.RETRY_BACKOFF_MAX_SECONDS", 8.0)
    client = EdStemClient(TOKEN)
    client._pipeline._jitter = lambda: 1.0
    try:
        delays = [client._pipeline.retry_delay(n, None) for n in range(1, 8)]
        assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
        client._pipeline._jitter = lambda: 0.0
        assert client._pipeline.retry_delay(3, None) == 1.0
    finally:
        client.close()


@pytest.mark.parametrize(
    ("exc", "error_class"),
    [
        (httpx.ConnectError("refused"), pyedstem.APIConnectionError),
        (httpx.ReadTimeout("slow"), pyedstem.APITimeoutError),
        (httpx.ConnectTimeout("slow"), pyedstem.APITimeoutError),
        (httpx.RemoteProtocolError("cut"), pyedstem.APIConnectionError),
        (httpx.ReadError("reset"), pyedstem.APIConnectionError),
    ],
)
def test_transport_errors_are_wrapped(
    make_client: Callable[..., EdStemClient],
    exc: Exception,
    error_class: type[Exception],
) -> None:
    recorder = Recorder(exc)
    with pytest.raises(error_class) as caught:
        make_client(recorder, max_retries=1).courses.get(1)
    assert isinstance(caught.value.__cause__, httpx.HTTPError)
    assert not isinstance(caught.value, httpx.HTTPError)
    assert len(recorder.requests) == 2


def test_write_with_dropped_connection_is_not_resent(
    make_client: Callable[..., EdStemClient],
) -> None:
    recorder = Recorder(httpx.RemoteProtocolError("server disconnected"))
    client = make_client(recorder, max_retries=3)
    request = APIRequest("POST", "/threads/{thread_id}/lock", {"thread_id": 1})
    with pytest.raises(pyedstem.WriteOutcomeUnknownError) as caught:
        client._pipeline.send(request)
    assert len(recorder.requests) == 1
    assert "may or may not" in str(caught.value)


def test_write_that_never_connected_is_resent(
    make_client: Callable[..., EdStemClient],
) -> None:
    recorder = Recorder(httpx.ConnectError("refused"), ok({}, 204))
    client = make_client(recorder, max_retries=2)
    request = APIRequest("POST", "/threads/{thread_id}/lock", {"thread_id": 1})
    response = client._pipeline.send(request)
    assert response.status_code == 204
    assert len(recorder.requests) == 2


def test_redirect_is_not_followed(make_client: Callable[..., EdStemClient]) -> None:
    redirect = httpx.Response(
        302, headers={"Location": "https://edstem.org/api/user?x=1"}
    )
    recorder = Recorder(redirect)
    with pytest.raises(pyedstem.ConfigurationError) as caught:
        make_client(recorder).user.get_current_user()
    message = str(caught.value)
    assert "https://edstem.org/api/user" in message
    assert "x=1" not in message
    assert "base_url='https://edstem.org/api'" in message
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("status", [200, 204])
def test_empty_success_body_is_valid_for_actions(
    make_client: Callable[..., EdStemClient], status: int
) -> None:
    client = make_client(Recorder(httpx.Response(status)))
    assert client.get_json("/threads/1/star") == {}


def test_invalid_json_success_raises_response_validation_error(
    make_client: Callable[..., EdStemClient],
) -> None:
    client = make_client(Recorder(httpx.Response(200, content=b"{not json")))
    with pytest.raises(pyedstem.ResponseValidationError):
        client.user.get_current_user()


def test_get_json_rejects_absolute_urls(
    make_client: Callable[..., EdStemClient],
) -> None:
    recorder = Recorder(ok())
    client = make_client(recorder)
    for path in ("https://evil.test/api/user", "//evil.test/user", "user"):
        with pytest.raises(pyedstem.InvalidArgumentError):
            client.get_json(path)
    assert recorder.requests == []


def test_get_json_passes_params(make_client: Callable[..., EdStemClient]) -> None:
    recorder = Recorder(ok({"labs": []}))
    body = make_client(recorder).get_json("/courses/9/labs", params={"a": 1})
    assert body == {"labs": []}
    assert recorder.requests[0].url.params["a"] == "1"


@pytest.mark.parametrize("bad", [0, -1, True, "12", 1.5, None])
def test_bad_ids_raise_before_any_request(
    make_client: Callable[..., EdStemClient], bad: object
) -> None:
    recorder = Recorder(ok())
    client = make_client(recorder)
    with pytest.raises(pyedstem.InvalidArgumentError, match="thread_id"):
        client.threads.get(bad)  # type: ignore[arg-type]
    assert recorder.requests == []


def test_rate_limiter_spaces_requests() -> None:
    from pyedstem._pipeline import RateLimiter

    limiter = RateLimiter(10.0)
    waits = [limiter.reserve() for _ in range(5)]
    assert waits[0] == 0.0
    assert waits == sorted(waits)
    assert waits[4] == pytest.approx(0.4, abs=0.05)
    with pytest.raises(pyedstem.ConfigurationError):
        RateLimiter(0)


async def test_async_concurrency_is_bounded() -> None:
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        thread_id = int(request.url.path.rsplit("/", 1)[1])
        thread = {
            "id": thread_id,
            "number": thread_id,
            "course_id": 1,
            "title": "t",
            "type": "post",
        }
        return httpx.Response(200, json={"thread": thread, "users": []})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncEdStemClient(
        TOKEN, base_url="https://ed.test/api", http_client=http, max_concurrency=3
    ) as client:
        threads = await client.threads.list_details(list(range(1, 21)))
    await http.aclose()
    assert [t.id for t in threads] == list(range(1, 21))
    assert peak == 3


def test_sync_bulk_returns_input_order(
    make_client: Callable[..., EdStemClient],
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        thread_id = int(request.url.path.rsplit("/", 1)[1])
        thread = {
            "id": thread_id,
            "number": thread_id,
            "course_id": 1,
            "title": "t",
            "type": "post",
        }
        return httpx.Response(200, content=json.dumps({"thread": thread, "users": []}))

    client = make_client(handler, max_concurrency=4)
    ids = [9, 3, 7, 1, 5]
    assert [t.id for t in client.threads.list_details(ids)] == ids


def test_body_that_misfits_model_raises_response_validation_error(
    make_client: Callable[..., EdStemClient],
) -> None:
    body = {"thread": {"title": "no id"}, "users": []}
    client = make_client(Recorder(ok(body)))
    with pytest.raises(pyedstem.ResponseValidationError) as caught:
        client.threads.get(3)
    assert caught.value.route == "/threads/{thread_id}"
    assert "id" in str(caught.value)
    assert not isinstance(caught.value, ValueError)


def test_page_that_misfits_model_raises_response_validation_error(
    make_client: Callable[..., EdStemClient],
) -> None:
    body = {"threads": [{"id": "not-a-number"}], "users": []}
    client = make_client(Recorder(ok(body)))
    with pytest.raises(pyedstem.ResponseValidationError):
        list(client.threads.iter_all(1))


async def test_async_misfit_raises_response_validation_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"course": {"name": "no id"}})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncEdStemClient(
        TOKEN, base_url="https://ed.test/api", http_client=http
    ) as client:
        with pytest.raises(pyedstem.ResponseValidationError):
            await client.courses.get(4)
    await http.aclose()


def test_clients_share_one_tls_context() -> None:
    first, second = EdStemClient(TOKEN), AsyncEdStemClient(TOKEN)
    try:
        first_pool = first._pipeline.http._transport._pool  # type: ignore[attr-defined]
        second_pool = second._pipeline.http._transport._pool  # type: ignore[attr-defined]
        assert first_pool._ssl_context is second_pool._ssl_context
    finally:
        first.close()


def test_retry_after_past_cap_raises_at_once(
    make_client: Callable[..., EdStemClient],
) -> None:
    limited = httpx.Response(
        429, json={"code": "rate_limit"}, headers={"Retry-After": "100000"}
    )
    recorder = Recorder(limited, ok())
    with pytest.raises(pyedstem.RateLimitError) as caught:
        make_client(recorder, max_retries=3).user.get_current_user()
    assert caught.value.retry_after == 100000
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("token", ["abc\nX", "abc def", "abc\x00", "tab\there"])
def test_token_with_whitespace_or_control_character_raises(token: str) -> None:
    with pytest.raises(pyedstem.ConfigurationError, match="white space") as caught:
        EdStemClient(token)
    assert token not in str(caught.value)
