"""Failed-login delays and lockout (R-3.3), kept outside the encrypted database.

Before a password is checked nothing can be decrypted, so the counters live in
``auth_state.json``, keyed by the same login hash as the key slots (no login in clear),
and the failures wait there until the next successful login writes them to the journal.
Deleting or editing the file cannot be prevented, so it carries a generation that every
write increments; the database records it at each login, and the next login journals an
alert when the file on disk is older (``Workspace.login``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.clock import Clock
from app.errors import AuthenticationError, KnownError
from storage.files import atomic_write

FREE_FAILURES = 2  # the delay starts after the 3rd consecutive failure
FIRST_DELAY = 2.0
MAX_DELAY = 60.0
LOCK_AFTER = 10


class LoginDelayed(AuthenticationError):
    def __init__(self, seconds: float) -> None:
        wait = max(1, int(seconds + 0.999))
        super().__init__(
            f"Trop de tentatives infructueuses : patientez {wait} seconde{'s' if wait > 1 else ''} "
            "avant de réessayer."
        )
        self.seconds = wait


class AccountLocked(AuthenticationError):
    def __init__(self) -> None:
        super().__init__(
            "Ce compte est bloqué après trop de tentatives infructueuses. Demandez à la direction "
            "ou à l'administrateur de le débloquer."
        )


def delay_after(failures: int) -> float:
    if failures <= FREE_FAILURES:
        return 0.0
    return float(min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - FREE_FAILURES - 1)))


@dataclass
class PendingFailure:
    lookup: str
    at: str  # ISO UTC


class LoginGuard:
    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("accounts"), dict):
                return data
        except (OSError, ValueError):
            pass
        return {"accounts": {}, "pending": []}

    def _save(self, data: dict[str, Any]) -> int:
        """Write with the next generation (R-3.3: a deleted or older file is detected)."""
        data["generation"] = self._generation_of(data) + 1
        atomic_write(self.path, json.dumps(data, sort_keys=True).encode("utf-8"))
        return int(data["generation"])

    @staticmethod
    def _generation_of(data: dict[str, Any]) -> int:
        value = data.get("generation", 0)
        return value if isinstance(value, int) and value >= 0 else 0

    def generation(self) -> int:
        """The generation of the file on disk; 0 when it is missing or unreadable."""
        return self._generation_of(self._load())

    def check_allowed(self, lookup: str) -> None:
        """Raise before any password work if this login must wait or is locked."""
        state = self._load()["accounts"].get(lookup)
        if not state:
            return
        if state.get("locked"):
            raise AccountLocked()
        until = state.get("until")
        if until:
            remaining = (dt.datetime.fromisoformat(until) - self.clock.now()).total_seconds()
            if remaining > 0:
                raise LoginDelayed(remaining)

    def record_failure(self, lookup: str) -> int:
        data = self._load()
        state = data["accounts"].setdefault(lookup, {"failures": 0})
        state["failures"] = int(state.get("failures", 0)) + 1
        delay = delay_after(state["failures"])
        if delay:
            state["until"] = (self.clock.now() + dt.timedelta(seconds=delay)).isoformat()
        if state["failures"] >= LOCK_AFTER:
            state["locked"] = True
        data["pending"].append({"lookup": lookup, "at": self.clock.now().isoformat()})
        del data["pending"][:-1000]
        self._save(data)
        return int(state["failures"])

    def record_success(self, lookup: str) -> int:
        """Clear the counters of ``lookup``; return the new generation of the file."""
        data = self._load()
        data["accounts"].pop(lookup, None)
        return self._save(data)

    def is_locked(self, lookup: str) -> bool:
        return bool(self._load()["accounts"].get(lookup, {}).get("locked"))

    def unlock(self, lookup: str) -> None:
        self.record_success(lookup)

    def lock(self, lookup: str) -> None:
        data = self._load()
        data["accounts"].setdefault(lookup, {"failures": LOCK_AFTER})["locked"] = True
        self._save(data)

    def pending(self) -> list[PendingFailure]:
        """Failures not yet journaled."""
        return [
            PendingFailure(str(p["lookup"]), str(p["at"])) for p in self._load().get("pending", [])
        ]

    def clear_pending(self, count: int) -> None:
        """Forget the first ``count`` pending failures, once they are in the journal."""
        data = self._load()
        if data.get("pending"):
            del data["pending"][:count]
            with contextlib.suppress(OSError, KnownError):  # written again at the next failure
                self._save(data)
