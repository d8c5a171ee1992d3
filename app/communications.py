"""The register of communications as the Documents tab shows it (R-8.3): what left the
software for one dossier, to whom, why, when, by whom."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.auth.access import require_right
from app.auth.permissions import Right
from app.dossiers.service import DossierService
from app.session_service import SessionService
from storage import documents as repo

KIND_LABELS = {"rapport_juge": "Rapport au juge", "statistiques": "Statistiques", "notice": "Notice d'information"}


@dataclass(frozen=True)
class Communication:
    kind: str
    recipient: str
    purpose: str
    sections: tuple[str, ...]
    encrypted: bool
    author: str
    sent_at: dt.datetime

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class CommunicationsService(SessionService):
    def for_dossier(self, dossier_id: int) -> list[Communication]:
        DossierService(self.session).header(dossier_id)  # visible to the caller, or refused and journaled
        with self.session.reading() as conn:
            return _communications(repo.list_communications(conn, dossier_id=dossier_id))

    def statistics(self) -> list[Communication]:
        """The statistics sent, with to whom and why (direction: the export right)."""
        require_right(self.session, Right.EXPORT)
        with self.session.reading() as conn:
            return _communications(repo.list_communications(conn, kind="statistiques"))


def _communications(rows: list[repo.CommunicationRow]) -> list[Communication]:
    return [Communication(r.kind, r.recipient, r.purpose, r.sections, r.encrypted, r.author,
                          dt.datetime.fromisoformat(r.sent_at)) for r in rows]
