"""Validation and normalisation of one value against its catalogue field (R-4.2, R-4.3).

Every refusal is a ``ValidationError`` whose French message names the field and says what to
do. The normalised value is what the storage layer writes as JSON: ``str``, ``int``, a sorted
``list[str]`` for multiple choices, or ``None`` for a cleared field. Each type's own rules are
in the field-type registry (``app/catalogue/field_types``).
"""

from __future__ import annotations

from app.catalogue.field_types import kind_of
from app.catalogue.field_types.base import refuse, shown
from app.catalogue.field_types.identifiers import iban_is_valid, nir_key
from app.catalogue.field_types.text import strip_invisible
from app.catalogue.model import Field, Vocabulary

__all__ = ["iban_is_valid", "is_empty", "nir_key", "refuse", "shown", "strip_invisible", "validate"]


def is_empty(value: object) -> bool:
    """None, blank text and an empty list all mean "cleared"."""
    if value is None:
        return True
    if isinstance(value, str):
        return strip_invisible(value).strip() == ""  # a lone soft hyphen is blank too
    return isinstance(value, list | tuple | set | frozenset) and len(value) == 0


def validate(field: Field, value: object, vocabulary: Vocabulary | None, *,
             new_entry: bool = True) -> object:
    """The normalised value to store, or None for a cleared field."""
    if is_empty(value):
        if field.required:
            raise refuse(field, "ce champ est obligatoire. Renseignez-le.")
        return None
    result = kind_of(field.type).validate(field, value, vocabulary, new_entry)
    if result is None and field.required:
        raise refuse(field, "ce champ est obligatoire. Renseignez-le.")
    return result
