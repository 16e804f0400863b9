"""Timestamps in the style Ed writes them.

Ed stores times in Sydney time whatever the region of the account, so every
timestamp carries a ``+10:00`` (AEST) or ``+11:00`` (AEDT) offset. Database
times have six fractional digits, scheduled lesson dates have none, and the
``time`` field of ``GET /user`` has nine.

The sandbox keeps every time as an integer count of microseconds since the
Unix epoch (UTC) and formats it only when it builds a response.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

MICROS_PER_SECOND = 1_000_000
_AEST = timezone(timedelta(hours=10))
_AEDT = timezone(timedelta(hours=11))


def now_micros() -> int:
    """Return the current time in microseconds since the Unix epoch."""
    return time.time_ns() // 1000


def _first_sunday(year: int, month: int) -> int:
    first = datetime(year, month, 1)
    return 1 + (6 - first.weekday()) % 7


@lru_cache(maxsize=256)
def _daylight_bounds(year: int) -> tuple[int, int]:
    """Return the UTC microsecond bounds of the year's two AEDT periods.

    New South Wales daylight saving ends at 03:00 AEDT on the first Sunday of
    April (16:00 UTC the day before) and starts at 02:00 AEST on the first
    Sunday of October (also 16:00 UTC the day before).
    """
    end_day = _first_sunday(year, 4)
    start_day = _first_sunday(year, 10)
    ends = datetime(year, 4, end_day, tzinfo=UTC) - timedelta(hours=8)
    starts = datetime(year, 10, start_day, tzinfo=UTC) - timedelta(hours=8)
    return _to_micros(ends), _to_micros(starts)


def _to_micros(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * MICROS_PER_SECOND + (
        delta.microseconds
    )


def sydney_zone(micros: int) -> timezone:
    """Return the Sydney UTC offset in force at ``micros``."""
    year = datetime.fromtimestamp(micros // MICROS_PER_SECOND, UTC).year
    ends, starts = _daylight_bounds(year)
    if micros < ends or micros >= starts:
        return _AEDT
    return _AEST


def _local(micros: int) -> datetime:
    seconds, fraction = divmod(micros, MICROS_PER_SECOND)
    moment = datetime.fromtimestamp(seconds, UTC).replace(microsecond=fraction)
    return moment.astimezone(sydney_zone(micros))


@lru_cache(maxsize=65_536)
def format_timestamp(micros: int) -> str:
    """Format a database time, e.g. ``2025-01-26T21:48:08.256279+11:00``.

    Results are cached because list pages format the same times over and over.
    """
    return _local(micros).isoformat(timespec="microseconds")


def format_optional(micros: int | None) -> str | None:
    """Format a nullable database time."""
    if micros is None:
        return None
    return format_timestamp(micros)


def format_schedule(micros: int | None) -> str | None:
    """Format a scheduled date without a fraction (``2023-05-18T08:00:00+10:00``)."""
    if micros is None:
        return None
    return _local(micros).isoformat(timespec="seconds")


def format_nanos(nanos: int) -> str:
    """Format a time with nine fractional digits, as ``GET /user`` sends ``time``."""
    micros = nanos // 1000
    text = _local(micros).isoformat(timespec="seconds")
    return f"{text[:19]}.{nanos % 1_000_000_000:09d}{text[19:]}"


def sydney_micros(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> int:
    """Return the epoch microseconds of a Sydney wall-clock time."""
    guess = _to_micros(datetime(year, month, day, hour, minute, tzinfo=_AEST))
    zone = sydney_zone(guess)
    return _to_micros(datetime(year, month, day, hour, minute, tzinfo=zone))
