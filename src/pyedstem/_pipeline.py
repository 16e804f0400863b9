"""The request pipeline: headers, timeouts, error mapping, retries, rate limits.

This is the only module that sends requests. `PipelineCore` makes every
decision without I/O, and `SyncPipeline` and `AsyncPipeline` run it with
httpx. Retries use tenacity, but the decision of what to retry stays here.
Ed has no idempotency key, so only reads, and writes that never left the
client, are sent again.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import tenacity

from ._constants import (
    MAX_CONNECT_TIMEOUT_SECONDS,
    RETRY_AFTER_MAX_SECONDS,
    RETRY_BACKOFF_INITIAL_SECONDS,
    RETRY_BACKOFF_MAX_SECONDS,
    RETRYABLE_METHODS,
    RETRYABLE_STATUS_CODES,
    USER_AGENT,
)
from ._operation import APIRequest, APIResponse
from .config import Endpoints
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    EdStemError,
    WriteOutcomeUnknownError,
    make_status_error,
)

logger = logging.getLogger("pyedstem")

# Failures in which the request cannot have reached Ed, so that even a write
# may be sent again.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RateLimiter:
    """A token bucket shared by every request of one client, sync or async.

    `reserve` only computes how long the caller must wait, under a thread
    lock, so that blocking and asyncio callers can share one bucket.
    NOTE: written here because the maintained limiters found (aiolimiter,
    limits) each serve only one of the two I/O styles.
    """

    def __init__(self, requests_per_second: float) -> None:
        if requests_per_second <= 0:
            raise ConfigurationError(
                "max_requests_per_second must be positive, got "
                f"{requests_per_second!r}; pass None for no limit."
            )
        self._interval = 1.0 / requests_per_second
        self._next_slot = 0.0
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Claim the next slot and return the seconds to wait for it."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
            return slot - now


class PipelineCore:
    """Everything the pipeline decides, with no I/O.

    Attributes:
        endpoints: The API and static-file hosts.
        timeout: The httpx timeout of every request.
        max_retries: How many times a retryable request is sent again.
        max_concurrency: How many requests may be in flight at once.
    """

    def __init__(
        self,
        *,
        api_token: str,
        endpoints: Endpoints,
        timeout_seconds: float,
        max_retries: int,
        max_concurrency: int,
        max_requests_per_second: float | None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if timeout_seconds <= 0:
            raise ConfigurationError(
                f"timeout_seconds must be positive, got {timeout_seconds!r}."
            )
        if max_retries < 0:
            raise ConfigurationError(
                f"max_retries must be 0 or more, got {max_retries!r}."
            )
        if max_concurrency < 1:
            raise ConfigurationError(
                f"max_concurrency must be 1 or more, got {max_concurrency!r}."
            )
        self._token = api_token
        self.endpoints = endpoints
        self.timeout = httpx.Timeout(
            timeout_seconds, connect=min(timeout_seconds, MAX_CONNECT_TIMEOUT_SECONDS)
        )
        self.max_retries = max_retries
        self.max_concurrency = max_concurrency
        self.rate_limiter = (
            RateLimiter(max_requests_per_second) if max_requests_per_second else None
        )
        self._jitter = jitter

    def headers(self) -> dict[str, str]:
        """Return the headers sent with every request."""
        return {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }

    def url(self, request: APIRequest) -> str:
        """Return the absolute URL of a request, without its query."""
        return f"{self.endpoints.base_url}{request.path}"

    def build(
        self, http: httpx.Client | httpx.AsyncClient, request: APIRequest
    ) -> httpx.Request:
        """Build the httpx request for an `APIRequest`."""
        return http.build_request(
            request.method,
            self.url(request),
            params=request.query,
            json=request.json,
            data=request.data,
            files=request.files,
            headers=self.headers(),
            timeout=self.timeout,
        )

    def transport_error(self, request: APIRequest, exc: httpx.HTTPError) -> EdStemError:
        """Map an httpx exception to the pyedstem exception to raise."""
        method, route, path = request.method, request.route, request.path
        sent = not isinstance(exc, _NOT_SENT_ERRORS)
        if request.is_write and sent:
            return WriteOutcomeUnknownError(
                f"the connection failed after the request was sent "
                f"({type(exc).__name__}); Ed may or may not have applied it, so "
                "it was not sent again",
                method=method,
                path=path,
                route=route,
            )
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                f"timed out ({type(exc).__name__})",
                method=method,
                path=path,
                route=route,
                request_sent=sent,
            )
        return APIConnectionError(
            f"connection failed ({type(exc).__name__})",
            method=method,
            path=path,
            route=route,
            request_sent=sent,
        )

    def finish(
        self,
        request: APIRequest,
        status_code: int,
        headers: Mapping[str, str],
        content: bytes,
    ) -> APIResponse:
        """Turn a received response into an `APIResponse` or raise its error."""
        if 300 <= status_code < 400:
            raise self._redirect_error(request, status_code, headers.get("location"))
        if status_code >= 400:
            raise make_status_error(
                status_code=status_code,
                method=request.method,
                path=request.path,
                route=request.route,
                content=content,
                headers=headers,
                retry_after=parse_retry_after(headers.get("retry-after")),
            )
        return APIResponse(request, status_code, headers, content)

    def _redirect_error(
        self, request: APIRequest, status_code: int, location: str | None
    ) -> ConfigurationError:
        if not location:
            return ConfigurationError(
                f"{request.method} {request.route} returned a redirect "
                f"({status_code}) without a Location; check the base URL "
                f"{self.endpoints.base_url!r}."
            )
        target = urljoin(self.url(request), location)
        return ConfigurationError(
            f"{request.method} {request.route} was redirected ({status_code}) to "
            f"{_without_query(target)!r}. pyedstem does not follow redirects, so "
            "that the token is never sent to another address. The base URL "
            f"{self.endpoints.base_url!r} is probably wrong for this account; "
            f"try base_url={suggest_base_url(target)!r} or the right region."
        )

    def should_retry(self, request: APIRequest, exc: BaseException) -> bool:
        """Decide whether a failed attempt is sent again."""
        if isinstance(exc, APIConnectionError):
            if isinstance(exc, WriteOutcomeUnknownError):
                return False
            return request.method in RETRYABLE_METHODS or not exc.request_sent
        if isinstance(exc, APIStatusError):
            # A Retry-After past the cap means Ed wants a longer pause than a
            # call should block for, so the caller gets the error at once.
            too_long = (exc.retry_after or 0.0) > RETRY_AFTER_MAX_SECONDS
            return (
                request.method in RETRYABLE_METHODS
                and exc.status_code in RETRYABLE_STATUS_CODES
                and not too_long
            )
        return False

    def retry_delay(self, attempt: int, exc: BaseException | None) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        retry_after = exc.retry_after if isinstance(exc, APIStatusError) else None
        if retry_after is not None:
            return min(max(retry_after, 0.0), RETRY_AFTER_MAX_SECONDS)
        ceiling: float = min(
            RETRY_BACKOFF_MAX_SECONDS,
            RETRY_BACKOFF_INITIAL_SECONDS * 2.0 ** (attempt - 1),
        )
        # Half fixed, half random: spreads out clients that failed together.
        return ceiling * (0.5 + 0.5 * self._jitter())

    def first_failure(self, request: APIRequest, exc: EdStemError) -> float:
        """Decide on the first failed attempt: raise it, or return the delay.

        The first attempt runs outside tenacity, so that a request that
        succeeds pays nothing for the retry machinery.
        """
        if self.max_retries == 0 or not self.should_retry(request, exc):
            raise exc
        delay = self.retry_delay(1, exc)
        self._log_retry(request, exc, 2, delay)
        return delay

    def retrying_kwargs(self, request: APIRequest) -> dict[str, Any]:
        """Return the tenacity settings for the attempts after the first."""

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return self.retry_delay(state.attempt_number + 1, exc)

        def log_retry(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            delay = state.next_action.sleep if state.next_action else 0.0
            self._log_retry(request, exc, state.attempt_number + 2, delay)

        return {
            "stop": tenacity.stop_after_attempt(self.max_retries),
            "retry": tenacity.retry_if_exception(
                lambda exc: self.should_retry(request, exc)
            ),
            "wait": wait,
            "before_sleep": log_retry,
            "reraise": True,
        }

    def _log_retry(
        self, request: APIRequest, exc: BaseException | None, attempt: int, delay: float
    ) -> None:
        status = getattr(exc, "status_code", None) or type(exc).__name__
        logger.info(
            "Retrying %s %s after %s (attempt %d of %d) in %.2f s",
            request.method,
            request.route,
            status,
            attempt,
            self.max_retries + 1,
            delay,
        )

    def log_response(
        self, request: APIRequest, status_code: int, started: float
    ) -> None:
        """Log one response at DEBUG: method, route, status and elapsed time."""
        logger.debug(
            "%s %s -> %d in %.1f ms",
            request.method,
            request.route,
            status_code,
            (time.perf_counter() - started) * 1000,
        )


class SyncPipeline(PipelineCore):
    """Sends requests with a blocking `httpx.Client`."""

    def __init__(self, http_client: httpx.Client | None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http = http_client is None
        self.http = http_client or httpx.Client(
            timeout=self.timeout, follow_redirects=False, verify=shared_ssl_context()
        )
        self._slots = threading.BoundedSemaphore(self.max_concurrency)

    def send(self, request: APIRequest) -> APIResponse:
        """Send a request, retrying where that is safe, and return the response."""
        try:
            return self._send_once(request)
        except EdStemError as exc:
            time.sleep(self.first_failure(request, exc))
        retrying = tenacity.Retrying(sleep=time.sleep, **self.retrying_kwargs(request))
        response: APIResponse = retrying(self._send_once, request)
        return response

    def _send_once(self, request: APIRequest) -> APIResponse:
        if self.rate_limiter is not None and (delay := self.rate_limiter.reserve()):
            time.sleep(delay)
        with self._slots:
            started = time.perf_counter()
            try:
                response = self.http.send(
                    self.build(self.http, request), follow_redirects=False
                )
            except httpx.HTTPError as exc:
                raise self.transport_error(request, exc) from exc
        self.log_response(request, response.status_code, started)
        return self.finish(
            request, response.status_code, response.headers, response.content
        )

    def close(self) -> None:
        """Close the HTTP client if this pipeline created it."""
        if self._owns_http:
            self.http.close()


class AsyncPipeline(PipelineCore):
    """Sends requests with an `httpx.AsyncClient`."""

    def __init__(self, http_client: httpx.AsyncClient | None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http = http_client is None
        self.http = http_client or httpx.AsyncClient(
            timeout=self.timeout, follow_redirects=False, verify=shared_ssl_context()
        )
        self._slots: asyncio.Semaphore | None = None

    async def send(self, request: APIRequest) -> APIResponse:
        """Send a request, retrying where that is safe, and return the response."""
        try:
            return await self._send_once(request)
        except EdStemError as exc:
            await asyncio.sleep(self.first_failure(request, exc))
        retrying = tenacity.AsyncRetrying(
            sleep=asyncio.sleep, **self.retrying_kwargs(request)
        )
        response: APIResponse = await retrying(self._send_once, request)
        return response

    async def _send_once(self, request: APIRequest) -> APIResponse:
        if self.rate_limiter is not None and (delay := self.rate_limiter.reserve()):
            await asyncio.sleep(delay)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_concurrency)
        async with self._slots:
            started = time.perf_counter()
            try:
                response = await self.http.send(
                    self.build(self.http, request), follow_redirects=False
                )
            except httpx.HTTPError as exc:
                raise self.transport_error(request, exc) from exc
        self.log_response(request, response.status_code, started)
        return self.finish(
            request, response.status_code, response.headers, response.content
        )

    async def aclose(self) -> None:
        """Close the HTTP client if this pipeline created it."""
        if self._owns_http:
            await self.http.aclose()


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """Return one TLS context for every client the process creates.

    httpx builds a context per client by default and loads the CA bundle each
    time (about 60 ms on a 2-vCPU machine). One context can serve many clients
    and threads. httpx's own builder still reads SSL_CERT_FILE and
    SSL_CERT_DIR, once per process.
    """
    return httpx.create_ssl_context()


def parse_retry_after(value: str | None) -> float | None:
    """Parse a ``Retry-After`` header given in seconds or as an HTTP date."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(moment.timestamp() - time.time(), 0.0)


def suggest_base_url(location: str) -> str:
    """Guess the API base URL from the target of a redirect."""
    parts = urlsplit(location)
    path = parts.path
    index = path.find("/api")
    prefix = path[: index + len("/api")] if index >= 0 else "/api"
    return f"{parts.scheme}://{parts.netloc}{prefix}"


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
