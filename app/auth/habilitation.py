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
from storage import habilitations, settings, users

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
        out = []
        with self.session.reading() as conn:
            for r in users.list_accounts(conn):
                reference = r.last_login_at or r.created_at
                unused = r.active and now - dt.datetime.fromisoformat(reference) > INACTIVE_AFTER
                out.append(HabilitationLine(r.id, r.display_name, r.login, Profile(r.profile),
                                            ", ".join(r.unit_names), r.active, r.last_login_at, unused))
        return out

    def status(self) -> HabilitationStatus:
        with self.session.reading() as conn:
            last = habilitations.last_review(conn)
        if last is None:
            return HabilitationStatus(None, None, True)
        due = self.session.clock.now() - dt.datetime.fromisoformat(last.signed_at) > REVIEW_EVERY
        return HabilitationStatus(last.signed_at, last.signed_by_name, due)

    def sign_off(self) -> None:
        require_right(self.session, Right.REVIEW_HABILITATIONS)
        lines = self.lines()
        now = self.session.stamp()
        with self.session.transaction() as conn:
            habilitations.add_review(conn, signed_by=self.session.user.id, signed_at=now,
                                     account_count=len(lines))
            self.session.record(Action.COMPTE, "habilitations",
                                detail=f"revue annuelle signée ({len(lines)} comptes)")

    def pdf(self) -> bytes:
        require_right(self.session, Right.REVIEW_HABILITATIONS)
        from app.resources import prepare_reports
        from reports.habilitation_report import render_habilitation_pdf

        prepare_reports()
        with self.session.reading() as conn:
            org_name = settings.org_name(conn)
        data = render_habilitation_pdf(
            self.lines(), org_name=org_name, author=self.session.user.display_name,
            generated=self.session.clock.now(), status=self.status(),
        )
        with self.session.transaction():
            self.session.record(Action.IMPRESSION, "habilitations", detail="revue des habilitations (PDF)")
        return data
