"""The entries of the repeating categories: follow-up, measures, people involved (R-4.5).

A new entry is validated by the catalogue and dated plausibly (R-4.11); a follow-up entry that
counts as a contact moves the dossier's « last contact », from which retention counts (R-6.1).
Reading the entries of a sensitive category is a journaled consultation (R-5.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.auth.access import gated_service
from app.auth.permissions import Access
from app.catalogue import Catalogue
from app.dossiers.access import DossierServiceBase
from app.dossiers.dates import check_record_dates, record_dates
from app.dossiers.model import SUIVI_TYPE, Record
from app.errors import ValidationError
from app.journal.events import Action
from storage import dossiers as dossiers_repo
from storage import records as repo


def contact_types(catalogue: Catalogue) -> frozenset[str]:
    """The kinds of follow-up entry that count as a contact with the young person (R-6.1)."""
    field = catalogue.category("suivi").field(SUIVI_TYPE)
    assert field.vocabulary
    return frozenset(i.code for i in catalogue.vocabulary(field.vocabulary).items
                     if getattr(i, "counts_as_contact", False))


def counts_as_contact(catalogue: Catalogue, values: Mapping[str, Any]) -> bool:
    kind = values.get(SUIVI_TYPE)
    return isinstance(kind, str) and kind in contact_types(catalogue)


def to_record(row: repo.RecordRow) -> Record:
    return Record(id=row.id, category_id=row.category_id, values=row.values, record_date=row.record_date,
                  deadline=row.deadline, created_at=row.created_at, author_id=row.author_id)


@gated_service
class RecordService(DossierServiceBase):
    def add(self, dossier_id: int, category_id: str, values: Mapping[str, Any]) -> int:
        """A measure, follow-up entry or person involved (R-4.5)."""
        self.access.writable(dossier_id, category_id)
        if not self.catalogue.category(category_id).repeating:
            raise ValidationError("Cette catégorie n'accepte pas d'entrées multiples.")
        clean = self.catalogue.validate_record(category_id, values)
        check_record_dates(category_id, clean, self.session.today())
        record_date, deadline = record_dates(category_id, clean)
        now = self.session.stamp()
        with self.session.transaction() as conn:
            record_id = repo.insert_record(
                conn, dossier_id, category_id, clean, record_date=record_date, deadline=deadline,
                author_id=self.session.user.id, now=now,
            )
            if category_id == "suivi" and counts_as_contact(self.catalogue, clean) and record_date:
                dossiers_repo.note_contact(conn, dossier_id, record_date)
            self.session.record(Action.CREATION, category_id, dossier_id=dossier_id,
                                detail=f"entrée {record_id}")
        return record_id

    def entries(self, dossier_id: int, category_id: str) -> list[Record]:
        """The entries of a category, latest first; a sensitive one is a journaled consultation."""
        category = self.catalogue.category(category_id)
        dossier = self.access.visible(dossier_id)
        self.access.require(dossier, category_id, Access.READ)
        if category.sensitive:
            with self.session.transaction():
                self.session.record(Action.CONSULTATION, category_id, dossier_id=dossier_id)
        with self.session.reading() as conn:
            return [to_record(r) for r in repo.list_records(conn, dossier_id, category_id)]
