"""A real HTTP and websocket server for a sandbox, on loopback only.

:class:`SandboxServer` runs aiohttp in a background thread with its own event
loop. Every HTTP request goes through :meth:`Sandbox.handle`. The server then
waits the response's delay with ``asyncio.sleep``, so slow requests do not
hold up others, and applies the connection faults for real. A ``drop`` closes
the TCP connection without a response. A ``truncate`` sends the headers with
the full ``Content-Length`` and only part of the body, then closes.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import threading
from types import TracebackType
from typing import TYPE_CHECKING

from aiohttp import WSMsgType, web

from pyedstem.testing.stream import CLOSE, CLOSE_CODE_RESTART, StreamConnection

if TYPE_CHECKING:
    from pyedstem.testing.sandbox import EdResponse, Sandbox

logger = logging.getLogger(__name__)

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
SHUTDOWN_GRACE = 0.5
"""Seconds that in-flight requests get to finish when the server stops."""


def check_loopback(host: str) -> None:
    """Reject any host that is not a loopback address.

    Raises:
        ValueError: If ``host`` is not ``localhost`` or a loopback IP address.
    """
    if host == "localhost":
        return
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(
            f"invalid host {host!r}: the sandbox serves only on a loopback IP "
            "address such as 127.0.0.1 or ::1"
        ) from None
    if not address.is_loopback:
        raise ValueError(
            f"host {host!r} is not a loopback address: the sandbox serves only "
            "on 127.0.0.0/8, ::1 or localhost"
        )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class SandboxServer:
    """The sandbox served over real HTTP on a loopback address.

    Attributes:
        sandbox: The sandbox being served.
        host: The bound address.
        port: The bound port (chosen by the OS when 0 was requested).
    """

    def __init__(
        self, sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        check_loopback(host)
        self.sandbox = sandbox
        self.host = host
        self.port = port
        self._requested_port = port
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None

    # URLs

    @property
    def url(self) -> str:
        """The origin, e.g. ``http://127.0.0.1:54321``."""
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API base, e.g. ``http://127.0.0.1:54321/api``."""
        return f"{self.url}/api"

    @property
    def stream_url(self) -> str:
        """The websocket URL, e.g. ``ws://127.0.0.1:54321/api/stream``."""
        return f"ws://{_url_host(self.host)}:{self.port}/api/stream"

    def file_url(self, file_id: str) -> str:
        """Return the download URL of an uploaded file (no token needed, as on Ed)."""
        return f"{self.url}/files/{file_id}"

    # Life cycle

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return (
            self._thread is not None
            and self._thread.is_alive()
            and self._ready.is_set()
        )

    def start(self) -> None:
        """Start serving in a background thread; return once the port is bound.

        Raises:
            RuntimeError: If the server is already running or failed to start.
        """
        if self._thread is not None:
            raise RuntimeError("the sandbox server is already started")
        self._ready.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"pyedstem-sandbox-{self.host}", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError(
                f"the sandbox server did not start within {START_TIMEOUT} s"
            )
        if self._startup_error is not None:
            self._thread.join(STOP_TIMEOUT)
            self._thread = None
            raise RuntimeError(
                f"the sandbox server failed to start on "
                f"{self.host}:{self._requested_port}: {self._startup_error}"
            ) from self._startup_error

    def stop(self) -> None:
        """Close the websockets, stop the server and join its thread."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if not loop.is_closed():
            future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            try:
                future.result(STOP_TIMEOUT)
            except (TimeoutError, RuntimeError) as error:
                logger.warning(
                    "sandbox server on port %s: unclean shutdown: %s", self.port, error
                )
            loop.call_soon_threadsafe(loop.stop)
        thread.join(STOP_TIMEOUT)
        self._thread = None
        logger.info("sandbox server on %s stopped", self.url)

    def __enter__(self) -> SandboxServer:
        if self._thread is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._startup())
        except BaseException as error:  # reported to start() in the caller's thread
            self._startup_error = error
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        logger.info("sandbox server listening on %s", self.url)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _startup(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/api/stream", self._stream)
        app.router.add_route("*", "/{tail:.*}", self._http)
        runner = web.AppRunner(
            app,
            access_log=None,
            handle_signals=False,
            shutdown_timeout=SHUTDOWN_GRACE,
            handler_cancellation=True,
        )
        await runner.setup()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self._requested_port))
        except OSError:
            sock.close()
            await runner.cleanup()
            raise
        self.port = sock.getsockname()[1]
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner

    async def _shutdown(self) -> None:
        connections = self.sandbox.stream.connections(owner=self)
        for connection in connections:
            connection.send(CLOSE)
        if connections:
            await asyncio.sleep(0.05)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # HTTP

    async def _http(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        response = self.sandbox.handle(
            request.method,
            request.path,
            query=list(request.query.items()),
            headers=dict(request.headers),
            body=body,
            origin=self.url,
        )
        if response.delay > 0:
            await asyncio.sleep(response.delay)
        if response.disconnect == "drop":
            return await self._drop(request)
        if response.disconnect == "truncate":
            return await self._truncate(request, response)
        return web.Response(
            status=response.status, headers=response.headers, body=response.body
        )

    @staticmethod
    def _close_transport(request: web.Request) -> None:
        transport = request.transport
        if transport is not None:
            transport.close()

    async def _drop(self, request: web.Request) -> web.StreamResponse:
        """Close the TCP connection without sending a byte of response."""
        self._close_transport(request)
        # aiohttp needs a response object; it cannot be written to the closed
        # transport, so nothing reaches the client.
        return web.Response(status=204)

    async def _truncate(
        self, request: web.Request, response: EdResponse
    ) -> web.StreamResponse:
        """Send the headers and part of the body, then close the connection."""
        stream = web.StreamResponse(status=response.status, headers=response.headers)
        stream.content_length = len(response.body)
        await stream.prepare(request)
        await stream.write(response.body[: response.keep_bytes])
        self._close_transport(request)
        return stream

    # Websocket

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        hub = self.sandbox.stream
        rejection = hub.take_rejection()
        if rejection is not None:
            logger.info("stream handshake rejected with injected status %s", rejection)
            message = "Injected handshake failure"
            return web.json_response(
                {
                    "code": "unavailable" if rejection >= 500 else "bad_token",
                    "message": message,
                },
                status=rejection,
            )
        headers = {key.lower(): value for key, value in request.headers.items()}
        token = self.sandbox.token_from_headers(headers)
        user = self.sandbox.state.user_for_token(token) if token else None
        if user is None:
            logger.info("stream handshake rejected: missing or unknown token")
            return web.json_response(
                {"code": "bad_token", "message": "Invalid or missing API token"},
                status=401,
            )

        websocket = web.WebSocketResponse(autoping=True)
        await websocket.prepare(request)
        connection = hub.connect(user.id, asyncio.get_running_loop(), owner=self)
        writer = asyncio.create_task(self._pump(websocket, connection))
        try:
            async for frame in websocket:
                if frame.type == WSMsgType.TEXT:
                    hub.receive(connection, frame.data)
        finally:
            hub.disconnect(connection)
            connection.send(CLOSE)
            await writer
        return websocket

    @staticmethod
    async def _pump(
        websocket: web.WebSocketResponse, connection: StreamConnection
    ) -> None:
        while True:
            message = await connection.queue.get()
            if message is CLOSE:
                if not websocket.closed:
                    await websocket.close(
                        code=CLOSE_CODE_RESTART, message=b"server restart"
                    )
                return
            if websocket.closed:
                continue
            try:
                await websocket.send_json(message)
            except ConnectionError as error:
                logger.debug(
                    "stream send to user %s failed: %s", connection.user_id, error
                )
