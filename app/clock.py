"""The one source of time. Inject a ``FixedClock`` in tests instead of patching datetime."""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Aware UTC datetime."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, never going backwards."""


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = start or dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
        self._mono = 1000.0

    def now(self) -> dt.datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float = 0.0, **kwargs: float) -> None:
        delta = dt.timedelta(seconds=seconds, **kwargs)
        self._now += delta
        self._mono += delta.total_seconds()

    def set(self, when: dt.datetime) -> None:
        """Jump the wall clock (monotonic time is unaffected), e.g. to simulate a clock change."""
        self._now = when


class OffsetClock:
    """Another clock shifted by a settable offset (the demo generator writes its history)."""

    def __init__(self, base: Clock, offset: dt.timedelta) -> None:
        self.base = base
        self.offset = offset

    def now(self) -> dt.datetime:
        return self.base.now() + self.offset

    def monotonic(self) -> float:
        return self.base.monotonic()


def utc_stamp(when: dt.datetime) -> str:
    """The text stamp kept in the database for a moment (UTC, to the second)."""
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")
