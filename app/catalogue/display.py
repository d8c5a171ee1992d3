"""French, human text for a stored value: one place for the screens and the documents. Each
type's formatter and mask are in the field-type registry (``app/catalogue/field_types``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.catalogue.catalogue import Catalogue
from app.catalogue.field_types import References, kind_of
from app.catalogue.field_types.closed import YESNO, YESNOUNKNOWN
from app.catalogue.model import Field, MaskedValue

__all__ = ["EMPTY", "YESNO", "YESNOUNKNOWN", "display_value", "mask"]

EMPTY = "—"


def mask(field: Field, value: Any) -> MaskedValue:
    """The masked form of a sensitive field (R-4.8): enough to recognise which one it is, not
    enough to use it. NIR: sex and key (« 2 ** ** ** *** *** 47 »); IBAN: country, check digits
    and last four characters (« FR76 **** **** **** **** *** 0189 »)."""
    return kind_of(field.type).mask(value)


def display_value(catalogue: Catalogue, field: Field, value: Any, units: Mapping[int, str],
                  contacts: Mapping[int, str] | None = None) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, MaskedValue):
        return value.text
    vocabulary = catalogue.vocabulary(field.vocabulary) if field.vocabulary else None
    return kind_of(field.type).show(field, value, vocabulary, References(units, contacts or {}))
