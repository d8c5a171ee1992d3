"""The values of a dossier's single-form categories: read, reveal, save (R-4.4, R-4.8, R-5.1).

Reads of non-sensitive categories are not journaled; a sensitive category, or a sensitive
field of an ordinary one (the NIR, the IBAN), is read only through a reveal journaled as a
consultation; every write is journaled in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.auth.access import gated_service
from app.auth.permissions import Access
from app.catalogue import Category, MaskedValue
from app.catalogue.display import mask
from app.dossiers.access import DossierServiceBase
from app.dossiers.dates import check_birth_date
from app.dossiers.model import IDENTITY_COLUMNS, DossierHeader
from app.errors import ValidationError
from app.journal.events import Action
from storage import category_values as repo
from storage import dossiers as dossiers_repo

NAME_REQUIRED = "Le nom et le prénom sont obligatoires."


def identity_values(dossier: DossierHeader) -> dict[str, Any]:
    """The identity fields kept as columns of the dossier, by their catalogue field ids."""
    return {
        IDENTITY_COLUMNS["last_name"]: dossier.last_name,
        IDENTITY_COLUMNS["first_names"]: dossier.first_names,
        IDENTITY_COLUMNS["birth_date"]: dossier.birth_date,
    }


def masked(category: Category, values: dict[str, Any]) -> dict[str, Any]:
    """A sensitive field of a non-sensitive category (the NIR, the IBAN) leaves the service
    masked; only ``reveal_field`` returns it, journaled (R-4.8)."""
    if category.sensitive:
        return values  # the whole category is read through its journaled reveal
    for field in category.fields:
        value = values.get(field.id)
        if field.sensitive and value not in (None, ""):
            values[field.id] = mask(field, value)
    return values


@gated_service
class CategoryValues(DossierServiceBase):
    def read(self, dossier_id: int, category_id: str) -> dict[str, Any]:
        """A category as the dossier view shows it: a sensitive one through its reveal."""
        category = self.catalogue.category(category_id)
        if category.sensitive:
            return self.reveal(dossier_id, category_id)
        dossier = self.access.visible(dossier_id)
        self.access.require(dossier, category_id, Access.READ)
        with self.session.reading() as conn:
            values = masked(category, repo.category_values(conn, dossier_id, category_id))
        if category_id == "identite":
            values.update(identity_values(dossier))
        return values

    def reveal(self, dossier_id: int, category_id: str) -> dict[str, Any]:
        """Read a sensitive category: a journaled consultation (R-4.8, R-5.1)."""
        category = self.catalogue.category(category_id)
        dossier = self.access.visible(dossier_id)
        self.access.require(dossier, category_id, Access.READ)
        if category.consent and not self.access.consent_given(dossier_id, category.consent):
            # REF 23 example 1: without a live consent these data are shown to nobody
            # (not even values recorded before the consent was required): nothing is read.
            return {}
        with self.session.transaction() as conn:
            values = repo.category_values(conn, dossier_id, category_id)
            if category.sensitive:
                self.session.record(Action.CONSULTATION, category_id, dossier_id=dossier_id)
        return masked(category, values)

    def reveal_field(self, dossier_id: int, category_id: str, field_id: str) -> Any:
        """Show one sensitive field in clear (the NIR, the IBAN): a journaled consultation of
        that field (R-4.8, R-5.1). Returns None when the field is empty."""
        category = self.catalogue.category(category_id)
        field = category.field(field_id)
        if not field.is_sensitive_in(category):
            raise ValidationError("Ce champ n'est pas masqué : il s'affiche sans demande.", field_id)
        dossier = self.access.visible(dossier_id)
        self.access.require(dossier, category_id, Access.READ)
        if category.consent and not self.access.consent_given(dossier_id, category.consent):
            return None
        with self.session.transaction() as conn:
            value = repo.category_values(conn, dossier_id, category_id).get(field_id)
            self.session.record(Action.CONSULTATION, category_id, dossier_id=dossier_id,
                                detail=f"champ {field_id}")
        return value

    def save(self, dossier_id: int, category_id: str, values: Mapping[str, Any]) -> list[str]:
        """Validate against the catalogue, write, journal; returns the changed field ids."""
        dossier = self.access.writable(dossier_id, category_id)
        if self.catalogue.category(category_id).repeating:
            raise ValidationError("Cette catégorie se remplit par entrées (« Nouvelle entrée »).")
        clean = self._validated(dossier_id, category_id, values)
        identity = self._identity_changes(dossier, clean) if category_id == "identite" else {}
        now = self.session.stamp()
        with self.session.transaction() as conn:
            changed = repo.write_values(conn, dossier_id, category_id, clean, now)
            for column, value in identity.items():
                dossiers_repo.set_identity(conn, dossier_id, column, value)
                changed.append(IDENTITY_COLUMNS[column])
            if changed:
                dossiers_repo.touch(conn, dossier_id, now)
                self.session.record(
                    Action.MODIFICATION, category_id, dossier_id=dossier_id,
                    detail="champs : " + ", ".join(sorted(changed)),
                )
        return changed

    def _validated(self, dossier_id: int, category_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
        with self.session.reading() as conn:
            existing = repo.category_values(conn, dossier_id, category_id)
        clean: dict[str, Any] = {}
        for field_id, value in values.items():
            if isinstance(value, MaskedValue):
                continue  # a masked field sent back as it was shown: the stored value stays
            # Old data may keep a retired item; a new choice must be an active one.
            new_entry = existing.get(field_id) != value
            clean[field_id] = self.catalogue.validate_value(category_id, field_id, value, new_entry=new_entry)
        return clean

    def _identity_changes(self, dossier: DossierHeader, clean: dict[str, Any]) -> dict[str, Any]:
        """Take the identity fields out of ``clean``: {column: new value} of those that change."""
        identity: dict[str, Any] = {}
        for column, field_id in IDENTITY_COLUMNS.items():
            if field_id in clean:
                identity[column] = clean.pop(field_id)
        if any(identity.get(c) in (None, "") for c in ("last_name", "first_names") if c in identity):
            raise ValidationError(NAME_REQUIRED, IDENTITY_COLUMNS["last_name"])
        if identity.get("birth_date") != dossier.birth_date:
            check_birth_date(identity.get("birth_date"), self.session.today(), new_dossier=False)
        current = identity_values(dossier)
        return {c: v for c, v in identity.items() if current[IDENTITY_COLUMNS[c]] != v}
