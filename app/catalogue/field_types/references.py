"""Reference fields (R-4.2): a unit of the organisation, or one of the dossier's contacts (a
record of « Intervenants »). The value stored is the id; the name is shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from app.catalogue.field_types.base import FieldKind, References, plain, refuse
from app.catalogue.model import Field, FieldType, Vocabulary

if TYPE_CHECKING:
    from app.catalogue.catalogue import Catalogue

#: the repeating category whose records a ``ref_contact`` field points to
CONTACTS_CATEGORY = "intervenants"
_REFERENCE_MAX = 2**63 - 1  # an SQLite integer


def clean_reference(field: Field, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= _REFERENCE_MAX:
        raise refuse(field, "choisissez un élément dans la liste proposée.")
    return value


def _named(names: Mapping[int, str], value: Any, unknown: str) -> str:
    try:
        return names.get(int(value), unknown)
    except (TypeError, ValueError):
        return str(value)


def show_unit(_field: Field, value: Any, _vocabulary: Vocabulary | None, refs: References) -> str:
    return _named(refs.units, value, str(value))


def show_contact(_field: Field, value: Any, _vocabulary: Vocabulary | None, refs: References) -> str:
    return _named(refs.contacts, value, f"Intervenant n° {value} (plus dans la liste)")


class ContactRecord(Protocol):
    """What a contact record offers: its id and its values by field id."""

    @property
    def id(self) -> int: ...

    @property
    def values(self) -> Mapping[str, Any]: ...


def contact_choices(catalogue: Catalogue, records: Iterable[ContactRecord]) -> dict[int, str]:
    """id -> « Prénom Nom — rôle » for the contacts of a dossier, as a ``ref_contact`` editor
    offers them and its value is shown."""
    category = catalogue.category(CONTACTS_CATEGORY)
    role = category.field("role") if category.has_field("role") else None
    roles = catalogue.vocabulary(role.vocabulary) if role and role.vocabulary else None
    names = {}
    for record in records:
        values = record.values
        name = " ".join(str(values[key]) for key in ("prenom", "nom") if values.get(key))
        code = values.get("role")
        label = roles.label(str(code)) if roles and code else ""
        names[record.id] = " — ".join(part for part in (name or f"Intervenant n° {record.id}", label) if part)
    return names


KINDS = {
    FieldType.REF_UNIT: FieldKind(plain(clean_reference), show_unit),
    FieldType.REF_CONTACT: FieldKind(plain(clean_reference), show_contact),
}
