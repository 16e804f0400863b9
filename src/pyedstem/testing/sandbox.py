"""The sandbox Ed: an I/O-free request handler and in-process httpx handlers.

:meth:`Sandbox.handle` turns a request (method, path, query, headers, body)
into an :class:`EdResponse` without any I/O. The response also carries the
delay before replying and whether to break the connection. The in-process
httpx handlers and the real aiohttp server both obey it, so latency and
faults behave the same in both.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qsl, quote, urlencode

import httpx

from pyedstem.testing import (
    routes_authoring,
    routes_challenges,
    routes_comments,
    routes_courses,
    routes_lessons,
    routes_threads,
    routes_user,
)
from pyedstem.testing.faults import Fault, FaultSet
from pyedstem.testing.generate import generate_world
from pyedstem.testing.render import dump_json
from pyedstem.testing.requestlog import DEFAULT_MAX_RECORDS, RequestLog, RequestRecord
from pyedstem.testing.router import ApiError, Context, Reply, Request, Route, Router
from pyedstem.testing.state import SandboxState
from pyedstem.testing.stream import StreamHub
from pyedstem.testing.world import World

if TYPE_CHECKING:
    from pyedstem.testing.server import SandboxServer

logger = logging.getLogger(__name__)

Disconnect = Literal["none", "drop", "truncate"]

_REASONS = {
    400: "bad_request",
    401: "bad_token",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    429: "rate_limit",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}

QueryInput = str | Mapping[str, str] | Iterable[tuple[str, str]]


@dataclass(slots=True)
class EdResponse:
    """The sandbox's reply to one request, and how the transport must deliver it.

    Attributes:
        status: HTTP status (0 when the connection is dropped unanswered).
        headers: Response headers (without Content-Length).
        body: The full response body.
        delay: Seconds to wait before answering (latency and faults).
        disconnect: ``"drop"`` closes the connection without an answer;
            ``"truncate"`` sends the headers with the full Content-Length but
            only ``keep_bytes`` bytes of the body, then closes.
        keep_bytes: Body bytes a truncated answer sends.
    """

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay: float = 0.0
    disconnect: Disconnect = "none"
    keep_bytes: int = 0


def build_router() -> Router:
    """Return a router with every sandbox route."""
    router = Router()
    for module in (
        routes_user,
        routes_courses,
        routes_threads,
        routes_comments,
        routes_lessons,
        routes_challenges,
        routes_authoring,
    ):
        router.include(module.router.routes)
    return router


def _pairs(query: QueryInput) -> list[tuple[str, str]]:
    if isinstance(query, str):
        return parse_qsl(query.lstrip("?"), keep_blank_values=True)
    if isinstance(query, Mapping):
        return [(str(key), str(value)) for key, value in query.items()]
    return [(str(key), str(value)) for key, value in query]


def _error(status: int, code: str, message: str) -> Reply:
    return Reply(status=status, body={"code": code, "message": message})


def _html_page(status: int) -> bytes:
    title = f"{status} {httpx.codes.get_reason_phrase(status) or 'Error'}"
    return (
        f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>The server in front of the API could not "
        f"complete the request.</p></body></html>\n"
    ).encode()


class Sandbox:
    """An in-memory Ed with a generated world, faults, a request log and a stream.

    Args:
        seed: Seed of the generated world (ignored when ``world`` is given).
        world: A prebuilt world to serve instead of generating one. The
            sandbox changes it in place, so give each sandbox its own world.
        threads_per_course: Passed to :func:`generate_world`.
        latency: Seconds added to every request.
        max_logged_requests: How many requests the log keeps.

    Attributes:
        state: The live state (threads, comments, files, lessons...).
        requests: The request log.
        faults: Injected faults.
        stream: The live stream hub (events, test hooks).
        latency: Seconds added to every request (0 by default).
        errors: Exceptions raised by sandbox routes, each replied to with a 500.
            The list stays empty unless the sandbox itself has a bug.
        tokens: API tokens by role name: "admin", "staff", "tutor", "student",
            "student2" and "outsider" (a user in no course).
        users: User ids by the same role names.
    """

    def __init__(
        self,
        seed: int = 1,
        *,
        world: World | None = None,
        threads_per_course: int | None = None,
        latency: float = 0.0,
        max_logged_requests: int = DEFAULT_MAX_RECORDS,
    ) -> None:
        self.world = (
            world
            if world is not None
            else generate_world(seed, threads_per_course=threads_per_course)
        )
        self.state = SandboxState(self.world)
        self.requests = RequestLog(max_logged_requests)
        self.faults = FaultSet()
        self.stream = StreamHub(self.state)
        self.latency = latency
        self.router = build_router()
        self.errors: list[Exception] = []
        self.tokens: dict[str, str] = dict(self.world.named_tokens)
        self.users: dict[str, int] = dict(self.world.named_users)

    @property
    def demo_course_id(self) -> int:
        """The large active course (about 1,500 threads by default)."""
        return self.world.demo_course_id

    @property
    def other_course_id(self) -> int:
        """The smaller active course."""
        return self.world.other_course_id

    @property
    def archived_course_id(self) -> int:
        """The archived course."""
        return self.world.archived_course_id

    @property
    def routes(self) -> list[tuple[str, str]]:
        """Every served (method, path template) pair; paths are relative to ``/api``."""
        return [(route.method, route.template) for route in self.router.routes]

    def token_for(self, user_id: int) -> str:
        """Return the API token of any generated user."""
        return self.state.token_for(user_id)

    # The core handler

    def handle(
        self,
        method: str,
        path: str,
        *,
        query: QueryInput = (),
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        origin: str = "http://sandbox.test",
    ) -> EdResponse:
        """Handle one request without doing any I/O.

        Args:
            method: HTTP method.
            path: Full path, e.g. ``/api/courses/1/threads``.
            query: Query string or (name, value) pairs.
            headers: Request headers (any case).
            body: Raw request body.
            origin: Scheme and host the client used, for redirect targets.

        Returns:
            The response, with the delay and disconnect mode the transport
            must apply.
        """
        method = method.upper()
        pairs = _pairs(query)
        lowered = {key.lower(): value for key, value in (headers or {}).items()}
        record = RequestRecord(
            method, path, tuple(pairs), lowered, bytes(body), time=time.time()
        )
        self.requests.append(record)
        if path != "/api" and not path.startswith("/api/"):
            response = self._outside_api(method, path, pairs, origin)
            record.status = response.status
            return response
        relative = path[4:] or "/"
        resolved = self.router.resolve(method, relative)
        record.template = resolved[0].template if resolved else None
        request = Request(method, relative, pairs, lowered, bytes(body))
        fault = self.faults.take(method, record.template, relative)
        response = self._apply(fault, request, resolved, record)
        response.delay += self.latency
        record.status = response.status if response.disconnect != "drop" else None
        return response

    def _apply(
        self,
        fault: Fault | None,
        request: Request,
        resolved: tuple[Route, dict[str, object]] | None,
        record: RequestRecord,
    ) -> EdResponse:
        """Run the route, or skip it, as the fault requires."""
        if fault is None:
            return self._encode(self._run(request, resolved, record))
        if fault.kind == "drop":
            return EdResponse(0, disconnect="drop")
        if fault.kind == "status":
            return self._status_fault(fault)
        if fault.kind == "html":
            status = fault.status or 502
            response = EdResponse(
                status,
                [("Content-Type", "text/html; charset=utf-8")],
                _html_page(status),
            )
            self._add_retry_after(response, fault)
            return response
        response = self._encode(self._run(request, resolved, record))
        if fault.kind in ("latency", "timeout"):
            response.delay += fault.seconds
        elif fault.kind == "drop_after_commit":
            response.disconnect = "drop"
        elif fault.kind == "truncate":
            response.disconnect = "truncate"
            response.keep_bytes = int(len(response.body) * fault.keep)
        elif fault.kind == "empty":
            response.status = 200
            response.body = b""
            response.headers = [("Content-Type", "application/json")]
        return response

    def _status_fault(self, fault: Fault) -> EdResponse:
        status = fault.status or 503
        code = fault.code or _REASONS.get(status, "error")
        message = fault.message or (
            "Too many requests, slow down"
            if status == 429
            else f"Injected fault ({status})"
        )
        response = self._encode(_error(status, code, message))
        self._add_retry_after(response, fault)
        return response

    @staticmethod
    def _add_retry_after(response: EdResponse, fault: Fault) -> None:
        if fault.retry_after is None:
            return
        value = fault.retry_after
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        response.headers.append(("Retry-After", str(value)))

    def _run(
        self,
        request: Request,
        resolved: tuple[Route, dict[str, object]] | None,
        record: RequestRecord,
    ) -> Reply:
        if resolved is None:
            return _error(
                404, "not_found", f"No route for {request.method} /api{request.path}"
            )
        route, params = resolved
        user = None
        token = self.token_from_headers(request.headers)
        if token is not None:
            user = self.state.user_for_token(token)
        if route.auth and user is None:
            message = (
                "Missing API token: send 'Authorization: Bearer <token>'"
                if token is None
                else "Invalid or expired API token"
            )
            return _error(400, "bad_token", message)
        record.user_id = user.id if user is not None else None
        context = Context(request, dict(params), self.state, user)
        with self.state.lock:
            try:
                return route.handler(context)
            except ApiError as error:
                return _error(error.status, error.code, error.message)
            except Exception as error:
                # A bug in the sandbox itself. Reply like a failing server and
                # keep the exception, so that tests can assert there was none.
                logger.exception(
                    "sandbox route %s %s failed", route.method, route.template
                )
                self.errors.append(error)
                return _error(500, "internal_error", f"Sandbox route failed: {error!r}")

    @staticmethod
    def token_from_headers(headers: Mapping[str, str]) -> str | None:
        """Return the token of ``Authorization: Bearer`` or ``X-Token``, if any.

        ``headers`` must have lower-case names.
        """
        authorization = headers.get("authorization", "")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        token = headers.get("x-token", "").strip()
        return token or None

    @staticmethod
    def _encode(reply: Reply) -> EdResponse:
        headers = list(reply.headers)
        if reply.body is None:
            return EdResponse(reply.status, headers, b"")
        if isinstance(reply.body, bytes):
            headers.append(("Content-Type", reply.content_type))
            return EdResponse(reply.status, headers, reply.body)
        headers.append(("Content-Type", "application/json"))
        return EdResponse(reply.status, headers, dump_json(reply.body).encode())

    def _outside_api(
        self, method: str, path: str, pairs: list[tuple[str, str]], origin: str
    ) -> EdResponse:
        """Serve uploaded files, redirect ``/<prefix>/api/...`` to ``/api/...``."""
        if method == "GET" and path.startswith("/files/"):
            uploaded = self.state.files.get(path[len("/files/") :])
            if uploaded is None:
                return self._encode(_error(404, "not_found", "File not found"))
            disposition = f"inline; filename*=UTF-8''{quote(uploaded.filename)}"
            headers = [
                ("Content-Type", uploaded.content_type),
                ("Content-Disposition", disposition),
            ]
            return EdResponse(200, headers, uploaded.content)
        index = path.find("/api/")
        if index > 0 or path.endswith("/api"):
            rest = path[index:] if index > 0 else "/api"
            location = f"{origin}{rest}"
            if pairs:
                location += "?" + urlencode(pairs)
            body = self._encode(_error(302, "redirect", f"Moved to {location}"))
            body.headers.append(("Location", location))
            return body
        return self._encode(_error(404, "not_found", f"No route for {method} {path}"))

    # In-process httpx handlers

    def _call(self, request: httpx.Request) -> EdResponse:
        origin = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        return self.handle(
            request.method,
            request.url.path,
            query=request.url.params.multi_items(),
            headers=dict(request.headers),
            body=request.content,
            origin=origin,
        )

    @staticmethod
    def _read_timeout(request: httpx.Request) -> float | None:
        timeout = request.extensions.get("timeout")
        if isinstance(timeout, dict):
            value = timeout.get("read")
            return float(value) if value is not None else None
        return None

    @staticmethod
    def _to_httpx(
        response: EdResponse, request: httpx.Request, *, asynchronous: bool
    ) -> httpx.Response:
        if response.disconnect == "drop":
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if response.disconnect == "truncate":
            headers = [*response.headers, ("Content-Length", str(len(response.body)))]
            part = response.body[: response.keep_bytes]
            stream: httpx.SyncByteStream | httpx.AsyncByteStream
            if asynchronous:
                stream = _AsyncTruncated(part, len(response.body), request)
            else:
                stream = _SyncTruncated(part, len(response.body), request)
            return httpx.Response(
                response.status, headers=headers, stream=stream, request=request
            )
        return httpx.Response(
            response.status,
            headers=response.headers,
            content=response.body,
            request=request,
        )

    def mock_handler(self, request: httpx.Request) -> httpx.Response:
        """Answer an httpx request in-process (for ``httpx.MockTransport``).

        Latency blocks with ``time.sleep``. A delay longer than the request's
        read timeout sleeps for the timeout and raises ``httpx.ReadTimeout``.
        A dropped connection raises ``httpx.RemoteProtocolError`` at once, and
        a truncated body raises it while the body is read.
        """
        response = self._call(request)
        timeout = self._read_timeout(request)
        if response.delay > 0:
            if timeout is not None and response.delay > timeout:
                time.sleep(timeout)
                raise httpx.ReadTimeout("The read operation timed out", request=request)
            time.sleep(response.delay)
        return self._to_httpx(response, request, asynchronous=False)

    async def async_mock_handler(self, request: httpx.Request) -> httpx.Response:
        """Handle an httpx request like :meth:`mock_handler`, sleeping with asyncio."""
        response = self._call(request)
        timeout = self._read_timeout(request)
        if response.delay > 0:
            if timeout is not None and response.delay > timeout:
                await asyncio.sleep(timeout)
                raise httpx.ReadTimeout("The read operation timed out", request=request)
            await asyncio.sleep(response.delay)
        return self._to_httpx(response, request, asynchronous=True)

    def mock_transport(self) -> httpx.MockTransport:
        """Return an ``httpx.MockTransport`` for a sync client."""
        return httpx.MockTransport(self.mock_handler)

    def async_mock_transport(self) -> httpx.MockTransport:
        """Return an ``httpx.MockTransport`` for an async client."""
        return httpx.MockTransport(self.async_mock_handler)

    # The real server

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
        """Start a real HTTP server for this sandbox on a loopback address.

        Use it as a context manager (``with sandbox.serve() as server:``) or
        call ``server.stop()`` when done.

        Raises:
            ValueError: If ``host`` is not a loopback address.
        """
        from pyedstem.testing.server import SandboxServer

        server = SandboxServer(self, host=host, port=port)
        server.start()
        return server


def _truncation_error(
    received: int, expected: int, request: httpx.Request
) -> Exception:
    return httpx.RemoteProtocolError(
        "peer closed connection without sending complete message body "
        f"(received {received} bytes, expected {expected})",
        request=request,
    )


class _SyncTruncated(httpx.SyncByteStream):
    """A body that ends early, as httpx sees a server that closes mid-body."""

    def __init__(self, part: bytes, expected: int, request: httpx.Request) -> None:
        self._part = part
        self._expected = expected
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        if self._part:
            yield self._part
        raise _truncation_error(len(self._part), self._expected, self._request)


class _AsyncTruncated(httpx.AsyncByteStream):
    """An async body that ends early (see :class:`_SyncTruncated`)."""

    def __init__(self, part: bytes, expected: int, request: httpx.Request) -> None:
        self._part = part
        self._expected = expected
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._part:
            yield self._part
        raise _truncation_error(len(self._part), self._expected, self._request)
