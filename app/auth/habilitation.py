"""Annual review of habilitations (R-3.6, REF 68): every account, its profile and units, last
login, inactive accounts flagged after 6 months; the director signs it off."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.auth.access import gated_service, require_right
from app.auth.permissions import Right
from app.auth.profiles import Profile
from app.journal.events import Action
from app.session import Session

INACTIVE_AFTER = dt.timedelta(days=183)
REVIEW_EVERY = dt.timedelta(days=365)


@dataclass(frozen=True)
class HabilitationLine:
    user_id: int
    display_name: str
    login: str
    profile: Profile
    units: str
    active: bool
    last_login_at: str | None
    unused: bool  # no login for 6 months (or never, for an account older than 6 months)


@dataclass(frozen=True)
class HabilitationStatus:
    last_review_at: str | None
    last_review_by: str | None
    due: bool


@gated_service
class HabilitationReview:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lines(self) -> list[HabilitationLine]:
        require_right(self.session, Right.REVIEW_HABILITATIONS)
        now = self.session.clock.now()
        rows = self.session.conn.execute(
            "SELECT u.id, u.display_name, u.login, u.profile, u.active, u.last_login_at, u.created_at, "
            "(SELECT group_concat(n.name, ', ') FROM user_units uu JOIN units n ON n.id = uu.unit_id "
            " WHERE uu.user_id = u.id) FROM users u ORDER BY u.display_name"
        ).fetchall()
        out = []
        for r in rows:
            reference = r[5] or r[6]
            unused = bool(r[4]) and now - dt.datetime.fromisoformat(reference) > INACTIVE_AFTER
            out.append(HabilitationLine(int(r[0]), str(r[1]), str(r[2]), Profile(r[3]), str(r[7] or ""),
                                        bool(r[4]), r[5], unused))
        return out

    def status(self) -> HabilitationStatus:
        row = self.session.conn.execute(
            "SELECT h.signed_at, u.display_name FROM habilitation_reviews h JOIN users u "
            "ON u.id = h.signed_by ORDER BY h.signed_at DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return HabilitationStatus(None, None, True)
        due = self.session.clock.now() - dt.datetime.fromisoformat(row[0]) > REVIEW_EVERY
        return HabilitationStatus(str(row[0]), str(row[1]), due)

    def sign_off(self) -> None:
        require_right(self.session, Right.REVIEW_HABILITATIONS)
        lines = self.lines()
        now = self.session.clock.now().isoformat(timespec="seconds")
        with self.session.transaction() as conn:
            conn.execute(
                "INSERT INTO habilitation_reviews (signed_by, signed_at, account_count) VALUES (?, ?, ?)",
                (self.session.user.id, now, len(lines)),
            )
            self.session.record(Action.COMPTE, "habilitations",
                                detail=f"revue annuelle signée ({len(lines)} comptes)")

    def pdf(self) -> bytes:
        require_right(self.session, Right.REVIEW_HABILITATIONS)
        from app.documents import prepare_reports
        from reports.habilitation_report import render_habilitation_pdf

        prepare_reports()
        from storage.store import get_meta

        data = render_habilitation_pdf(
            self.lines(), org_name=get_meta(self.session.conn, "org_name", "") or "",
            author=self.session.user.display_name, generated=self.session.clock.now(),
            status=self.status(),
        )
        with self.session.transaction():
            self.session.record(Action.IMPRESSION, "habilitations", detail="revue des habilitations (PDF)")
        return data
