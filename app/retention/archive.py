"""The intermediate archive (R-6.3, REF 47–48, R-3.5): seen only by `archiviste`, every
consultation with a written reason, journaled in the same transaction as it is granted.

A consultation opens one archived dossier for the session, read-only, until it is ended (the
consultation window closed, the session locked or closed). `DossierService` refuses an archived
dossier that is not under a consultation, and journals the refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.access import require_right
from app.auth.permissions import Right
from app.dossiers.model import MESURE_TYPE
from app.errors import KnownError
from app.journal.events import Action
from app.retention.model import DecisionKind
from app.retention.service import check_reason
from app.session_service import SessionService
from storage import retention as repo

NOT_ARCHIVED = "Ce dossier n'est pas en archive intermédiaire."


@dataclass(frozen=True)
class ArchivedDossier:
    """One row of the archive list: no sensitive value (R-4.7)."""

    dossier_id: int
    number: str
    last_name: str
    first_names: str
    unit_name: str
    archived_on: str
    until_on: str | None
    reason: str


class ArchiveService(SessionService):
    def archived(self) -> list[ArchivedDossier]:
        require_right(self.session, Right.ARCHIVE_ACCESS)
        decisions: dict[int, repo.DecisionRow] = {}
        with self.session.reading() as conn:
            for d in repo.open_decisions(conn):
                if d.kind == DecisionKind.ARCHIVE.value:
                    decisions[d.dossier_id] = d
        out = []
        with self.session.reading() as conn:
            for row in repo.schedule_rows(conn, measure_type_field=MESURE_TYPE, unit_ids=None):
                if row.status != "archive":
                    continue
                decision = decisions.get(row.id)
                out.append(ArchivedDossier(
                    row.id, row.number, row.last_name, row.first_names, row.unit_name,
                    decision.decided_at[:10] if decision else "", decision.until_on if decision else None,
                    decision.reason if decision else ""))
        return sorted(out, key=lambda a: (a.last_name.casefold(), a.first_names.casefold(), a.number))

    def consult(self, dossier_id: int, reason: str) -> None:
        """Open an archived dossier for this session, with the written reason, journaled."""
        require_right(self.session, Right.ARCHIVE_ACCESS)
        with self.session.reading() as conn:
            rows = repo.schedule_rows(conn, measure_type_field=MESURE_TYPE, unit_ids=None,
                                      dossier_id=dossier_id)
        if not rows or rows[0].status != "archive":
            raise KnownError(NOT_ARCHIVED)
        row = rows[0]
        text = check_reason(reason, (row.last_name, row.first_names), "de la consultation")
        with self.session.transaction():
            self.session.record(Action.ARCHIVE, "dossier", dossier_id=dossier_id, detail=f"motif : {text}")
        self.session.archive_consultations[dossier_id] = text

    def end(self, dossier_id: int) -> None:
        """The consultation is over: the dossier is closed again."""
        self.session.archive_consultations.pop(dossier_id, None)

    def consulting(self, dossier_id: int) -> bool:
        return dossier_id in self.session.archive_consultations
