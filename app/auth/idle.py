"""When to warn and when to lock (R-3.8), as plain logic on an injected clock.

The UI feeds activity and asks ``check()`` from an injected timer; nothing here sleeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.clock import Clock

DEFAULT_IDLE = 5 * 60
MIN_IDLE, MAX_IDLE = 2 * 60, 15 * 60
WARNING = 30
ABSOLUTE_LIMIT = 12 * 3600


class IdleState(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"
    LOCK = "lock"


def clamp_idle(seconds: int) -> int:
    return max(MIN_IDLE, min(MAX_IDLE, int(seconds)))


@dataclass
class IdleTracker:
    clock: Clock
    idle_seconds: int = DEFAULT_IDLE
    warning_seconds: int = WARNING
    absolute_limit: int = ABSOLUTE_LIMIT

    def __post_init__(self) -> None:
        self.idle_seconds = clamp_idle(self.idle_seconds)
        now = self.clock.monotonic()
        self._started = now
        self._last_activity = now

    def activity(self) -> None:
        self._last_activity = self.clock.monotonic()

    def restart(self) -> None:
        self.__post_init__()

    def seconds_left(self) -> float:
        now = self.clock.monotonic()
        idle_left = self.idle_seconds - (now - self._last_activity)
        absolute_left = self.absolute_limit - (now - self._started)
        return min(idle_left, absolute_left)

    def check(self) -> IdleState:
        left = self.seconds_left()
        if left <= 0:
            return IdleState.LOCK
        if left <= self.warning_seconds:
            return IdleState.WARNING
        return IdleState.ACTIVE
