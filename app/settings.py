"""Organisation settings kept in the encrypted database (``meta`` rows ``setting.*``)."""

from __future__ import annotations

from app.auth.idle import DEFAULT_IDLE, clamp_idle
from app.session import Session
from storage.store import get_meta


def lock_delay_seconds(session: Session) -> int:
    """Idle time before the automatic lock: 5 min by default, 2 to 15 min (R-3.8)."""
    value = get_meta(session.conn, "setting.lock_delay", str(DEFAULT_IDLE)) or str(DEFAULT_IDLE)
    try:
        return clamp_idle(int(value))
    except ValueError:
        return DEFAULT_IDLE
