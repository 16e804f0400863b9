"""Defaults and limits shared by the client, the pipeline and the resources.

Every number that shapes a request lives here, so that a reader can find each
default in one place and a test can check it.
"""

from __future__ import annotations

from typing import Final

from ._version import __version__

USER_AGENT: Final = f"pyedstem/{__version__}"

# Ed serves each region from its own host, and ids do not cross regions.
REGION_API_BASE_URLS: Final[dict[str, str]] = {
    "au": "https://edstem.org/api",
    "us": "https://us.edstem.org/api",
    "eu": "https://eu.edstem.org/api",
}
# NOTE: the EU static host follows the AU and US pattern; no client confirms it.
REGION_STATIC_BASE_URLS: Final[dict[str, str]] = {
    "au": "https://static.au.edusercontent.com",
    "us": "https://static.us.edusercontent.com",
    "eu": "https://static.eu.edusercontent.com",
}
DEFAULT_REGION: Final = "au"
DEFAULT_BASE_URL: Final = REGION_API_BASE_URLS[DEFAULT_REGION]
WEB_HOST: Final = "edstem.org"

DEFAULT_TIMEOUT_SECONDS: Final = 30.0
MAX_CONNECT_TIMEOUT_SECONDS: Final = 5.0

DEFAULT_MAX_RETRIES: Final = 2
RETRY_BACKOFF_INITIAL_SECONDS: Final = 0.5
RETRY_BACKOFF_MAX_SECONDS: Final = 8.0
RETRY_AFTER_MAX_SECONDS: Final = 60.0
RETRYABLE_STATUS_CODES: Final = frozenset({429, 502, 503, 504})
# Only reads are repeated automatically: Ed has no idempotency key, so a
# repeated POST could post an answer twice.
RETRYABLE_METHODS: Final = frozenset({"GET", "HEAD"})

DEFAULT_MAX_CONCURRENCY: Final = 8

# Ed clips the thread list at 100 items a page and user activity at 50,
# whatever `limit` requests.
THREAD_PAGE_MAX: Final = 100
ACTIVITY_PAGE_MAX: Final = 50

# Errors keep this much of a response body, so that a student's post quoted
# in an error page cannot fill a log.
ERROR_BODY_EXCERPT_CHARS: Final = 500

ENV_PREFIX: Final = "EDSTEM_"

# The live stream (Ed's websocket). The ping keeps idle connections open
# through proxies; a lost connection is reopened with capped backoff.
STREAM_PING_INTERVAL_SECONDS: Final = 30.0
STREAM_OPEN_TIMEOUT_SECONDS: Final = 10.0
STREAM_REPLY_TIMEOUT_SECONDS: Final = 10.0
STREAM_RECONNECT_INITIAL_SECONDS: Final = 0.5
STREAM_RECONNECT_MAX_SECONDS: Final = 30.0
STREAM_MAX_RECONNECT_ATTEMPTS: Final = 8
