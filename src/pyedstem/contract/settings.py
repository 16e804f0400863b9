"""Contract targets, and the environment variables that enable live runs.

Live runs are opt-in twice over. ``EDSTEM_LIVE_TOKEN`` and
``EDSTEM_LIVE_COURSE`` enable reads; writes also need ``EDSTEM_LIVE_WRITE``
and the id of a thread to write to, ``EDSTEM_LIVE_THREAD``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..errors import ConfigurationError

__all__ = [
    "ENV_BASE_URL",
    "ENV_COURSE",
    "ENV_RATE",
    "ENV_REGION",
    "ENV_THREAD",
    "ENV_TOKEN",
    "ENV_WRITE",
    "LIVE_REQUESTS_PER_SECOND",
    "LIVE_SKIP_MESSAGE",
    "ContractTarget",
    "WriteMode",
    "target_from_env",
]

ENV_TOKEN = "EDSTEM_LIVE_TOKEN"
ENV_COURSE = "EDSTEM_LIVE_COURSE"
ENV_BASE_URL = "EDSTEM_LIVE_BASE_URL"
ENV_REGION = "EDSTEM_LIVE_REGION"
ENV_WRITE = "EDSTEM_LIVE_WRITE"
ENV_THREAD = "EDSTEM_LIVE_THREAD"
ENV_RATE = "EDSTEM_LIVE_REQUESTS_PER_SECOND"

# A read-only run sends about 40 requests; spacing them keeps the suite far
# below any rate limit Ed might have (none is published).
LIVE_REQUESTS_PER_SECOND = 4.0

LIVE_SKIP_MESSAGE = (
    f"Live contract checks are off. To run them against Ed (read-only), set "
    f"{ENV_TOKEN} to an API token and {ENV_COURSE} to a course id, and "
    f"{ENV_REGION} (au, us or eu) or {ENV_BASE_URL} if the course is not on "
    f"edstem.org/au. Writes also need {ENV_WRITE}=1 and {ENV_THREAD}=<thread id>. "
    "See docs/contract.md."
)


class WriteMode(StrEnum):
    """The writes a run may send."""

    OFF = "off"
    """Reads only."""
    REVERSIBLE = "reversible"
    """Actions on the named thread that the suite undoes, such as star."""
    ALL = "all"
    """Also writes Ed cannot undo: a private comment and a file upload."""


_WRITE_VALUES = {
    "": WriteMode.OFF,
    "0": WriteMode.OFF,
    "off": WriteMode.OFF,
    "false": WriteMode.OFF,
    "no": WriteMode.OFF,
    "1": WriteMode.REVERSIBLE,
    "on": WriteMode.REVERSIBLE,
    "true": WriteMode.REVERSIBLE,
    "yes": WriteMode.REVERSIBLE,
    "reversible": WriteMode.REVERSIBLE,
    "all": WriteMode.ALL,
}


@dataclass(frozen=True, slots=True)
class ContractTarget:
    """An Ed, live or sandbox, and what the suite may do there.

    Attributes:
        api_token: The API token; never shown in reports or errors.
        course_id: The course to read from.
        base_url: The API base URL; None for the region's default.
        region: ``au``, ``us`` or ``eu``; None for Ed's default host.
        write_mode: Which writes are allowed.
        thread_id: The thread that writes go to; required for writes.
        label: ``live Ed`` or ``sandbox``, shown in the report.
        max_requests_per_second: Client-side rate limit; None for none.

    Raises:
        ConfigurationError: The course or thread id is not a positive
            integer, or writes are on without a thread.
    """

    api_token: str = field(repr=False)
    course_id: int
    base_url: str | None = None
    region: str | None = None
    write_mode: WriteMode = WriteMode.OFF
    thread_id: int | None = None
    label: str = "live Ed"
    max_requests_per_second: float | None = None

    def __post_init__(self) -> None:
        if not self.api_token.strip():
            raise ConfigurationError(
                f"The API token is empty; set {ENV_TOKEN} to a token from Ed's "
                "Settings > API Tokens page."
            )
        _require_id("course_id", self.course_id)
        if self.thread_id is not None:
            _require_id("thread_id", self.thread_id)
        if self.write_mode is not WriteMode.OFF and self.thread_id is None:
            raise ConfigurationError(
                f"Writes are on ({ENV_WRITE}={self.write_mode.value}) but no thread "
                f"is named; set {ENV_THREAD} to the id of a thread the suite may "
                "write to, or turn writes off."
            )


def _require_id(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigurationError(f"{name} must be a positive integer, got {value!r}.")


def _env_id(environ: Mapping[str, str], name: str) -> int | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigurationError(
            f"{name} must be a positive integer Ed id, got {raw!r}. The id is "
            "the number in the page's address on Ed, such as 12345 in "
            ".../courses/12345/discussion."
        )
    return value


def target_from_env(environ: Mapping[str, str] | None = None) -> ContractTarget | None:
    """Read a live target from ``EDSTEM_LIVE_*`` variables.

    Args:
        environ: The variables to read; the process environment by default.

    Returns:
        The target, or None when ``EDSTEM_LIVE_TOKEN`` is not set, which means
        live checks are off.

    Raises:
        ConfigurationError: The token is set but another variable is missing
            or invalid.
    """
    env = os.environ if environ is None else environ
    token = env.get(ENV_TOKEN, "").strip()
    if not token:
        return None
    course_id = _env_id(env, ENV_COURSE)
    if course_id is None:
        raise ConfigurationError(
            f"{ENV_TOKEN} is set but {ENV_COURSE} is not; set it to the id of "
            "the course to check, the number after /courses/ in its address."
        )
    write_raw = env.get(ENV_WRITE, "").strip().lower()
    if write_raw not in _WRITE_VALUES:
        raise ConfigurationError(
            f"{ENV_WRITE} must be 1 (writes the suite undoes) or all (also a "
            f"private comment and a file upload, which stay), got {write_raw!r}."
        )
    return ContractTarget(
        api_token=token,
        course_id=course_id,
        base_url=env.get(ENV_BASE_URL, "").strip() or None,
        region=env.get(ENV_REGION, "").strip() or None,
        write_mode=_WRITE_VALUES[write_raw],
        thread_id=_env_id(env, ENV_THREAD),
        label="live Ed",
        max_requests_per_second=_env_rate(env),
    )


def _env_rate(environ: Mapping[str, str]) -> float:
    raw = environ.get(ENV_RATE, "").strip()
    if not raw:
        return LIVE_REQUESTS_PER_SECOND
    try:
        rate = float(raw)
    except ValueError:
        rate = 0.0
    if not rate > 0:
        raise ConfigurationError(
            f"{ENV_RATE} must be a positive number of requests per second, "
            f"got {raw!r}; leave it unset for {LIVE_REQUESTS_PER_SECOND:g}."
        )
    return rate
