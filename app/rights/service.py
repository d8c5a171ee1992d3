"""The rights register with its deadlines (R-7.1, R-7.3; REF 64-66; GDPR art. 12).

`direction` and `archiviste` (who may be the DPO) keep the register. Each request is journaled
(kind and id, never the requester's name). A restriction request is carried out through the
dossier service (read-only with a banner); an erasure request through the purge; access and
portability through the subject export, which records its delivery here.
"""

from __future__ import annotations

import datetime as dt

from app.auth.access import require_right
from app.auth.permissions import Right
from app.errors import KnownError, ValidationError
from app.journal.events import Action
from app.retention.schedule import add_months
from app.retention.service import parse_day
from app.rights.model import (
    ANSWER_MONTHS,
    EXTENDED_MONTHS,
    RequesterRole,
    RequestKind,
    RequestStatus,
    RightsRequest,
)
from app.session_service import SessionService
from reports.french import short_date
from storage import rights as repo

TEXT_MAX = 500


def _text(value: str, field: str, message: str, minimum: int = 5) -> str:
    text = " ".join((value or "").split())
    if len(text) < minimum or len(text) > TEXT_MAX:
        raise ValidationError(message, field)
    return text


class RightsService(SessionService):
    def today(self) -> dt.date:
        return self.session.today()

    def _domain(self, r: repo.RequestRow, today: dt.date) -> RightsRequest:
        due = dt.date.fromisoformat(r.due_on)
        status = RequestStatus(r.status)
        return RightsRequest(
            id=r.id, dossier_id=r.dossier_id, dossier_number=r.dossier_number,
            kind=RequestKind(r.kind), requester=r.requester,
            requester_role=RequesterRole(r.requester_role),
            received_on=dt.date.fromisoformat(r.received_on), due_on=due,
            extended=r.extended_on is not None, extension_reason=r.extension_reason, status=status,
            answered_on=dt.date.fromisoformat(r.answered_on) if r.answered_on else None,
            answer=r.answer,
            days_left=(due - today).days if status is RequestStatus.OPEN else None,
        )

    def _get(self, request_id: int) -> repo.RequestRow:
        with self.session.reading() as conn:
            row = repo.get_request(conn, request_id)
        if row is None:
            raise KnownError("Cette demande n'existe pas dans le registre.")
        return row

    # -- reading ---------------------------------------------------------------------------
    def requests(self, *, open_only: bool = False, as_of: dt.date | None = None) -> list[RightsRequest]:
        require_right(self.session, Right.RIGHTS_REGISTER)
        today = as_of or self.today()
        with self.session.reading() as conn:
            return [self._domain(r, today) for r in repo.list_requests(conn, open_only=open_only)]

    def overdue(self, as_of: dt.date | None = None) -> list[RightsRequest]:
        """The director's list of requests past their due date (R-7.1)."""
        return [r for r in self.requests(open_only=True, as_of=as_of) if r.overdue]

    def count_open(self) -> int:
        """The "Droits (n)" badge: requests still to answer."""
        from app.auth.permissions import has_right

        if not has_right(self.session.user.profile, Right.RIGHTS_REGISTER):
            return 0
        with self.session.reading() as conn:
            return len(repo.list_requests(conn, open_only=True))

    def open_requests_of(self, dossier_id: int, kind: RequestKind) -> list[int]:
        with self.session.reading() as conn:
            return [r.id for r in repo.requests_of(conn, dossier_id)
                    if r.kind == kind.value and r.status == RequestStatus.OPEN.value]

    # -- writing ---------------------------------------------------------------------------
    def register(self, *, kind: RequestKind | str, requester: str, requester_role: RequesterRole | str,
                 received_on: dt.date | str, dossier_number: str | None) -> int:
        """Record a request as received; due one month later (R-7.1)."""
        require_right(self.session, Right.RIGHTS_REGISTER)
        try:
            kind = RequestKind(kind)
            role = RequesterRole(requester_role)
        except ValueError:
            raise ValidationError("Type de demande ou qualité du demandeur inconnus.", "kind") from None
        name = " ".join((requester or "").split())
        if not 1 <= len(name) <= 120 or any(ord(c) < 32 for c in name):
            raise ValidationError("Indiquez qui fait la demande (120 caractères au plus).", "requester")
        day = parse_day(received_on, "received_on")
        today = self.today()
        if day > today or day < add_months(today, -12):
            raise ValidationError("La date de réception est au plus tard aujourd'hui, et de moins d'un an.",
                                  "received_on")
        dossier_id = None
        if dossier_number:
            with self.session.reading() as conn:
                found = repo.dossier_by_number(conn, dossier_number.strip())
            if found is None:
                raise ValidationError(f"Aucun dossier n° « {dossier_number.strip()} ».", "dossier")
            dossier_id = found[0]
        due = add_months(day, ANSWER_MONTHS)
        with self.session.transaction() as conn:
            request_id = repo.insert_request(
                conn, dossier_id=dossier_id, kind=kind.value, requester=name,
                requester_role=role.value, received_on=day.isoformat(), due_on=due.isoformat(),
                recorded_by=self.session.user.id, now=self.session.stamp())
            self.session.record(Action.DROITS, "registre", dossier_id=dossier_id,
                                detail=f"demande {request_id} ({kind.label}) reçue le {short_date(day)}, "
                                       f"échéance {short_date(due)}")
        return request_id

    def extend(self, request_id: int, reason: str) -> dt.date:
        """Once, to three months from receipt, with the reason sent to the person (GDPR art. 12.3)."""
        require_right(self.session, Right.RIGHTS_REGISTER)
        row = self._get(request_id)
        if row.status != RequestStatus.OPEN.value:
            raise KnownError("Cette demande a déjà reçu sa réponse.")
        if row.extended_on is not None:
            raise KnownError("Le délai ne peut être prolongé qu'une fois.")
        if self.today() > dt.date.fromisoformat(row.due_on):
            raise KnownError("Le délai d'un mois est dépassé : la prolongation devait être annoncée avant.")
        text = _text(reason, "reason", "Indiquez le motif de la prolongation communiqué à la personne "
                                       "(5 à 500 caractères).")
        due = add_months(dt.date.fromisoformat(row.received_on), EXTENDED_MONTHS)
        with self.session.transaction() as conn:
            repo.extend(conn, request_id, due.isoformat(), text, self.today().isoformat())
            self.session.record(Action.DROITS, "registre", dossier_id=row.dossier_id,
                                detail=f"demande {request_id} prolongée jusqu'au {short_date(due)}")
        return due

    def answer(self, request_id: int, answer: str, *, refused: bool = False) -> None:
        """Close a request with a summary of the answer sent (a refusal is motivated)."""
        require_right(self.session, Right.RIGHTS_REGISTER)
        row = self._get(request_id)
        if row.status != RequestStatus.OPEN.value:
            raise KnownError("Cette demande a déjà reçu sa réponse.")
        text = _text(answer, "answer", "Résumez la réponse envoyée (5 à 500 caractères).")
        status = RequestStatus.REFUSED if refused else RequestStatus.ANSWERED
        with self.session.transaction() as conn:
            repo.close(conn, request_id, status.value, text, self.today().isoformat())
            self.session.record(Action.DROITS, "registre", dossier_id=row.dossier_id,
                                detail=f"demande {request_id} : {status.label.lower()}")

    def apply_restriction(self, request_id: int) -> None:
        """R-7.3: the dossier becomes read-only with a banner; the request is answered."""
        from app.dossiers.service import DossierService

        row = self._get(request_id)
        if row.kind != RequestKind.RESTRICTION.value or row.dossier_id is None:
            raise KnownError("Cette demande n'est pas une demande de limitation liée à un dossier.")
        DossierService(self.session).set_restriction(row.dossier_id, restricted=True)
        self.answer(request_id, "Traitement limité : dossier en lecture seule jusqu'à la levée.")
