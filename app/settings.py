"""Organisation settings kept in the encrypted database (``meta`` rows ``setting.*``).

Every change is journaled with the setting's name and its old and new value (settings hold
no personal data).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.access import gated_service, require_right
from app.auth.idle import DEFAULT_IDLE, MAX_IDLE, MIN_IDLE, clamp_idle
from app.auth.permissions import Right
from app.errors import ValidationError
from app.journal.events import Action
from app.session import Session
from storage import settings


def lock_delay_seconds(session: Session) -> int:
    """Idle time before the automatic lock: 5 min by default, 2 to 15 min (R-3.8)."""
    with session.reading() as conn:
        value = settings.read(conn, settings.LOCK_DELAY, str(DEFAULT_IDLE)) or str(DEFAULT_IDLE)
    try:
        return clamp_idle(int(value))
    except ValueError:
        return DEFAULT_IDLE


@dataclass(frozen=True)
class OrganisationSettings:
    org_name: str
    lock_delay_minutes: int
    public_service_body: bool


@gated_service
class SettingsService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def current(self) -> OrganisationSettings:
        with self.session.reading() as conn:
            return OrganisationSettings(
                org_name=settings.org_name(conn),
                lock_delay_minutes=lock_delay_seconds(self.session) // 60,
                public_service_body=settings.flag(conn, settings.PUBLIC_SERVICE_BODY),
            )

    def update(self, *, lock_delay_minutes: int, public_service_body: bool) -> list[str]:
        """Only the director changes these (R-3.8 lock delay; AU49 art. 3 public-service body)."""
        require_right(self.session, Right.ORGANISATION_SETTINGS)
        if isinstance(lock_delay_minutes, bool) or not isinstance(lock_delay_minutes, int) or not (
                MIN_IDLE // 60 <= lock_delay_minutes <= MAX_IDLE // 60):
            raise ValidationError(
                f"Le délai de verrouillage va de {MIN_IDLE // 60} à {MAX_IDLE // 60} minutes.", "lock_delay")
        before = self.current()
        changes = []
        with self.session.transaction() as conn:
            if before.lock_delay_minutes != lock_delay_minutes:
                settings.write(conn, settings.LOCK_DELAY, str(lock_delay_minutes * 60))
                changes.append(f"délai de verrouillage {before.lock_delay_minutes} -> {lock_delay_minutes} min")
            if before.public_service_body != public_service_body:
                settings.write_flag(conn, settings.PUBLIC_SERVICE_BODY, public_service_body)
                changes.append(f"mission de service public {int(before.public_service_body)} -> "
                               f"{int(public_service_body)}")
            for change in changes:
                self.session.record(Action.PARAMETRES, "parametres", detail=change)
        return changes
