"""The form catalogue: categories, fields and vocabularies as data (R-4.1, R-4.2, R-4.4).

``resources/forms/<category>.toml`` and ``resources/vocabularies/<vocabulary>.toml`` declare
every field; the UI builds its forms from them and every write is validated against them.
"""

from app.catalogue.catalogue import Catalogue
from app.catalogue.field_types import FIELD_KINDS, FieldKind, References
from app.catalogue.field_types.references import CONTACTS_CATEGORY, contact_choices
from app.catalogue.loader import load_catalogue, load_catalogue_from
from app.catalogue.model import (
    DEFAULT_NOTE_LENGTH,
    DEFAULT_TEXT_LENGTH,
    CatalogueError,
    Category,
    Field,
    FieldType,
    MaskedValue,
    Vocabulary,
    VocabularyItem,
)
from app.catalogue.validation import iban_is_valid, nir_key

__all__ = [
    "CONTACTS_CATEGORY",
    "FIELD_KINDS",
    "DEFAULT_NOTE_LENGTH",
    "DEFAULT_TEXT_LENGTH",
    "Catalogue",
    "CatalogueError",
    "Category",
    "Field",
    "FieldKind",
    "FieldType",
    "MaskedValue",
    "References",
    "Vocabulary",
    "VocabularyItem",
    "contact_choices",
    "iban_is_valid",
    "load_catalogue",
    "load_catalogue_from",
    "nir_key",
]
