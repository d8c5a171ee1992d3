"""The field-type registry (issue 9, R-4.2): every type of the catalogue declared once, with its
validator, its display formatter and its mask. ``app/catalogue/validation.py`` and
``app/catalogue/display.py`` derive from it; the editors (``ui/widgets/field_editors.py``) and
the database's checks (``storage/schema/value_checks.py``) are keyed by the same types, and
tests fail when one of the three misses a type."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from app.catalogue.field_types import closed, dates, identifiers, references, text
from app.catalogue.field_types.base import FieldKind, References
from app.catalogue.model import FieldType

FIELD_KINDS: Mapping[FieldType, FieldKind] = MappingProxyType({
    **text.KINDS, **closed.KINDS, **dates.KINDS, **identifiers.KINDS, **references.KINDS,
})


def kind_of(field_type: FieldType) -> FieldKind:
    return FIELD_KINDS[field_type]


__all__ = ["FIELD_KINDS", "FieldKind", "References", "kind_of"]
