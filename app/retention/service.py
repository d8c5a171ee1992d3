"""Retention schedule and decisions (R-6.1 to R-6.3, R-6.5).

`chef_service` sees the dossiers of its units and proposes; `direction` sees every dossier and
decides. Every decision is journaled with its reason in the same transaction as the change.
A reason never holds the young person's names: it outlives the dossier in the journal and in
the purge record.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from app.auth.access import require_right
from app.auth.permissions import UNIT_SCOPED, Right, has_right
from app.catalogue import Catalogue, load_catalogue
from app.dossiers.model import MESURE_TYPE
from app.errors import KnownError, PermissionRefused, ValidationError
from app.journal.events import Action
from app.retention import schedule
from app.retention.model import (
    MAX_ARCHIVE_YEARS,
    MAX_HOLD_YEARS,
    MAX_POSTPONE_MONTHS,
    PROPOSALS,
    DecisionKind,
    DueDossier,
    Duration,
    RetentionState,
)
from app.session import Session
from app.session_service import SessionService
from reports.french import read_date, short_date
from storage import retention as repo

NOT_DUE = "Ce dossier n'est pas à échéance de conservation : aucune décision n'est à prendre."
NOT_FOUND = "Ce dossier n'existe pas ou ne vous est pas accessible."
REASON_MIN, REASON_MAX = 5, 300


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold())
                   if unicodedata.category(c) != "Mn")


def check_reason(reason: str, names: tuple[str, ...] = (), what: str = "de la décision") -> str:
    """A written reason, bounded, without the person's names (it outlives the dossier)."""
    text = " ".join((reason or "").split())
    if len(text) < REASON_MIN:
        raise ValidationError(f"Indiquez le motif {what} (5 caractères au moins).", "reason")
    if len(text) > REASON_MAX:
        raise ValidationError(f"Le motif fait {REASON_MAX} caractères au plus.", "reason")
    folded = _fold(text)
    for name in names:
        for part in name.replace("-", " ").split():
            if (len(part) >= 3 and _fold(part) in folded.split()) or (len(part) >= 4 and _fold(part) in folded):
                raise ValidationError(
                    "Le motif ne doit pas contenir le nom ou le prénom du jeune : il est conservé au "
                    "journal après la suppression du dossier. Utilisez son numéro de dossier.", "reason")
    return text


def parse_day(value: dt.date | str, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    day = read_date(value or "")
    if day is None:
        raise ValidationError("Date attendue au format jj/mm/aaaa.", field)
    return day


class RetentionService(SessionService):
    def __init__(self, session: Session, catalogue: Catalogue | None = None) -> None:
        super().__init__(session)
        self.catalogue = catalogue or load_catalogue()

    # -- helpers ---------------------------------------------------------------------------
    def today(self) -> dt.date:
        """The day the schedule is read on (the screens' date limits start from it)."""
        return self.session.today()

    def _units(self) -> frozenset[int] | None:
        user = self.session.user
        return user.unit_ids if user.profile in UNIT_SCOPED else None

    def _durations(self) -> dict[str, int]:
        with self.session.reading() as conn:
            return {d.measure_type: d.years for d in repo.list_durations(conn)}

    def _open_by_dossier(self) -> dict[int, list[repo.DecisionRow]]:
        by: dict[int, list[repo.DecisionRow]] = {}
        with self.session.reading() as conn:
            for d in repo.open_decisions(conn):
                by.setdefault(d.dossier_id, []).append(d)
        return by

    def dossier_row(self, dossier_id: int) -> repo.ScheduleRow:
        with self.session.reading() as conn:
            rows = repo.schedule_rows(conn, measure_type_field=MESURE_TYPE,
                                      unit_ids=self._units(), dossier_id=dossier_id)
        if not rows:
            self.session.journal_event(Action.REFUS, "retention", dossier_id=dossier_id,
                                       detail="dossier hors périmètre")
            raise PermissionRefused(NOT_FOUND)
        return rows[0]

    def find_by_number(self, number: str) -> tuple[int, str]:
        """A dossier the caller may decide on, by its number: (id, "number — name") (R-6.4)."""
        require_right(self.session, Right.RETENTION_PROPOSE)
        text = " ".join((number or "").split()).upper()
        with self.session.reading() as conn:
            rows = repo.schedule_rows(conn, measure_type_field=MESURE_TYPE,
                                      unit_ids=self._units(), number=text) if text else []
        if rows and rows[0].status == "archive" and not self.can_decide():
            rows = []
        if not rows:
            raise ValidationError("Aucun dossier de votre périmètre ne porte ce numéro.", "number")
        row = rows[0]
        return row.id, f"{row.number} — {row.last_name} {row.first_names}"

    def can_decide(self) -> bool:
        """`direction` decides; `chef_service` only proposes (the UI offers what the service allows)."""
        return has_right(self.session.user.profile, Right.RETENTION_DECIDE)

    def limit_of(self, dossier_id: int) -> dt.date:
        """The dossier's limit by the ordinary rule, whatever decision suspends it."""
        return schedule.base_limit(self.dossier_row(dossier_id), self._durations())[0]

    def assess(self, dossier_id: int, as_of: dt.date | None = None) -> DueDossier | None:
        require_right(self.session, Right.RETENTION_PROPOSE)
        row = self.dossier_row(dossier_id)
        with self.session.reading() as conn:
            decisions = [d for d in repo.decisions_of(conn, dossier_id) if d.settled_at is None]
        return schedule.assess(row, self._durations(), decisions, as_of or self.session.today())

    # -- the panel (R-6.2, R-6.5) ----------------------------------------------------------
    def due(self, as_of: dt.date | None = None) -> list[DueDossier]:
        """Dossiers within 60 days of their limit, overdue, or with a decision date reached."""
        require_right(self.session, Right.RETENTION_PROPOSE)
        today = as_of or self.session.today()
        durations = self._durations()
        decisions = self._open_by_dossier()
        deciding = has_right(self.session.user.profile, Right.RETENTION_DECIDE)
        out: list[DueDossier] = []
        with self.session.reading() as conn:
            for row in repo.schedule_rows(conn, measure_type_field=MESURE_TYPE,
                                          unit_ids=self._units()):
                if row.status == "archive" and not deciding:
                    continue
                assessed = schedule.assess(row, durations, decisions.get(row.id, ()), today)
                if assessed is not None:
                    out.append(assessed)
        out.sort(key=schedule.order_key)
        return out

    def count_due(self, as_of: dt.date | None = None) -> int:
        """The badge and the count shown to a director at login: rows needing a decision."""
        if not has_right(self.session.user.profile, Right.RETENTION_PROPOSE):
            return 0
        return sum(1 for r in self.due(as_of) if r.state is not RetentionState.AGE_LIMIT)

    # -- durations (R-6.1, REF 51) ---------------------------------------------------------
    def measure_types(self) -> list[tuple[str, str]]:
        field = self.catalogue.category("mesures").field(MESURE_TYPE)
        assert field.vocabulary
        return [(i.code, i.label) for i in self.catalogue.vocabulary(field.vocabulary).items]

    def durations(self) -> list[Duration]:
        labels = dict(self.measure_types())
        with self.session.reading() as conn:
            return [Duration(d.measure_type, labels.get(d.measure_type, d.measure_type), d.years,
                             d.justification, d.set_at[:10]) for d in repo.list_durations(conn)]

    def set_duration(self, measure_type: str, years: int, justification: str) -> None:
        """Another duration for one measure type, with its written justification (REF 51)."""
        require_right(self.session, Right.RETENTION_DECIDE)
        if measure_type not in dict(self.measure_types()):
            raise ValidationError("Type de mesure inconnu.", "measure_type")
        if not isinstance(years, int) or not 1 <= years <= 30:
            raise ValidationError("La durée se compte en années, de 1 à 30.", "years")
        text = " ".join((justification or "").split())
        if not 20 <= len(text) <= 500:
            raise ValidationError(
                "Justifiez cette durée par écrit (20 à 500 caractères) : texte applicable, "
                "délai de prescription, décision de l'organisme…", "justification")
        with self.session.transaction() as conn:
            repo.set_duration(conn, measure_type, years, text, self.session.user.id, self.session.stamp())
            self.session.record(Action.PARAMETRES, "retention",
                                detail=f"durée {measure_type} : {years} ans — {text}")

    def remove_duration(self, measure_type: str) -> None:
        require_right(self.session, Right.RETENTION_DECIDE)
        with self.session.transaction() as conn:
            if not repo.remove_duration(conn, measure_type):
                raise KnownError("Aucune durée particulière n'est fixée pour ce type de mesure.")
            self.session.record(Action.PARAMETRES, "retention",
                                detail=f"durée {measure_type} : retour à la règle des 2 ans")

    # -- decisions (R-6.3) -----------------------------------------------------------------
    def _decide(self, dossier_id: int, kind: DecisionKind, reason: str, until: dt.date | None,
                status: str | None = None) -> int:
        row = self.dossier_row(dossier_id)
        text = check_reason(reason, (row.last_name, row.first_names))
        with self.session.transaction() as conn:
            repo.settle_open(conn, dossier_id, self.session.stamp())  # replaces earlier decisions, answers proposals
            decision_id = repo.add_decision(conn, dossier_id, kind.value, text,
                                            until.isoformat() if until else None,
                                            self.session.user.id, self.session.stamp())
            if status is not None:
                repo.set_status(conn, dossier_id, status, self.session.stamp())
            when = f" jusqu'au {short_date(until)}" if until else ""
            self.session.record(Action.CONSERVATION, "retention", dossier_id=dossier_id,
                                detail=f"{kind.label}{when} — motif : {text}")
        return decision_id

    def _require_due(self, dossier_id: int) -> DueDossier:
        assessed = self.assess(dossier_id)
        if assessed is None or assessed.state is RetentionState.AGE_LIMIT:
            raise KnownError(NOT_DUE)
        return assessed

    def _day_until(self, value: dt.date | str, field: str, latest: dt.date, message: str) -> dt.date:
        """A date from tomorrow to ``latest`` included; otherwise ``message`` (with ``{latest}``)."""
        day = parse_day(value, field)
        if not self.session.today() < day <= latest:
            raise ValidationError(message.format(latest=short_date(latest)), field)
        return day

    def postpone(self, dossier_id: int, until: dt.date | str, reason: str) -> int:
        """Keep a due dossier a little longer, six months at most (R-6.3)."""
        require_right(self.session, Right.RETENTION_DECIDE)
        self._require_due(dossier_id)
        day = self._day_until(until, "until", schedule.add_months(self.session.today(), MAX_POSTPONE_MONTHS),
                              "Un report va de demain au {latest} au plus (six mois).")
        return self._decide(dossier_id, DecisionKind.POSTPONE, reason, day)

    def legal_hold(self, dossier_id: int, review_on: dt.date | str, reason: str) -> int:
        """Kept until the final decision of a dispute, reviewed at the given date (AU49 art. 4)."""
        require_right(self.session, Right.RETENTION_DECIDE)
        row = self.dossier_row(dossier_id)
        if row.status == "archive":
            raise KnownError("Ce dossier est en archive intermédiaire.")
        day = self._day_until(review_on, "review_on", schedule.add_years(self.session.today(), MAX_HOLD_YEARS),
                              "La date de réexamen va de demain au {latest} au plus.")
        return self._decide(dossier_id, DecisionKind.LEGAL_HOLD, reason, day, status="legal_hold")

    def lift_hold(self, dossier_id: int, reason: str) -> int:
        """The dispute is over: the dossier follows the ordinary schedule again."""
        require_right(self.session, Right.RETENTION_DECIDE)
        row = self.dossier_row(dossier_id)
        if row.status != "legal_hold":
            raise KnownError("Ce dossier n'est pas conservé pour contentieux.")
        return self._decide(dossier_id, DecisionKind.LIFT_HOLD, reason, None,
                            status="closed" if row.closed_on else "active")

    def archive(self, dossier_id: int, until: dt.date | str, reason: str) -> int:
        """Move to the intermediate archive, seen only by `archiviste`, until its end date (REF 47-48)."""
        require_right(self.session, Right.RETENTION_DECIDE)
        self._require_due(dossier_id)
        day = self._day_until(until, "until", schedule.add_years(self.session.today(), MAX_ARCHIVE_YEARS),
                              "La fin de l'archivage va de demain au {latest} au plus.")
        return self._decide(dossier_id, DecisionKind.ARCHIVE, reason, day, status="archive")

    def propose(self, dossier_id: int, kind: DecisionKind, reason: str) -> int:
        """`chef_service` proposes a purge or reports a death; `direction` decides (R-6.3, R-6.4)."""
        require_right(self.session, Right.RETENTION_PROPOSE)
        if kind not in PROPOSALS:
            raise ValidationError("Seules une purge ou un décès peuvent être proposés.", "kind")
        if kind is DecisionKind.PROPOSE_PURGE:
            self._require_due(dossier_id)
        row = self.dossier_row(dossier_id)
        text = check_reason(reason, (row.last_name, row.first_names))
        with self.session.transaction() as conn:
            repo.settle_open(conn, dossier_id, self.session.stamp(), kinds=[k.value for k in PROPOSALS])
            decision_id = repo.add_decision(conn, dossier_id, kind.value, text, None,
                                            self.session.user.id, self.session.stamp())
            self.session.record(Action.CONSERVATION, "retention", dossier_id=dossier_id,
                                detail=f"{kind.label} — motif : {text}")
        return decision_id

    def history(self, dossier_id: int) -> list[repo.DecisionRow]:
        require_right(self.session, Right.RETENTION_PROPOSE)
        self.dossier_row(dossier_id)
        with self.session.reading() as conn:
            return repo.decisions_of(conn, dossier_id)
