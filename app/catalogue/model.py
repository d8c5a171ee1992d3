"""The form catalogue as typed values (R-4.1, R-4.2).

These values are built only by the loader, which has already checked the files; they carry
no parsing logic of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import TYPE_CHECKING

from app.errors import KnownError, ValidationError

if TYPE_CHECKING:
    from app.catalogue.rights import CategoryRights

#: length limits of free text when the catalogue gives none (R-4.3: 500 for comments)
DEFAULT_TEXT_LENGTH = 100
DEFAULT_NOTE_LENGTH = 500


class CatalogueError(KnownError):
    """A broken catalogue file: a packaging or editing mistake, reported in French."""


class FieldType(StrEnum):
    TEXT = "text"
    NOTE = "note"
    CHOICE = "choice"
    MULTI = "multi"
    YESNO = "yesno"
    YESNOUNKNOWN = "yesnounknown"
    DATE = "date"
    MONTH = "month"
    NUMBER = "number"
    NIR = "nir"
    IBAN = "iban"
    EMAIL = "email"
    PHONE = "phone"
    REF_CONTACT = "ref_contact"
    REF_UNIT = "ref_unit"

    @property
    def is_free_text(self) -> bool:
        """Typed by a person without a list: bounded and guarded (R-4.3)."""
        return self in (FieldType.TEXT, FieldType.NOTE)

    @property
    def has_vocabulary(self) -> bool:
        return self in (FieldType.CHOICE, FieldType.MULTI)


@dataclass(frozen=True)
class VocabularyItem:
    code: str
    label: str
    #: kept so that old values keep their meaning, no longer offered for new entries (R-4.2)
    retired: bool = False
    #: a follow-up of this type is a contact with the young person or the legal representative
    counts_as_contact: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of values (``resources/vocabularies/<id>.toml``), with the text it comes from."""

    id: str
    #: in the file's order, retired ones included (old values keep their label)
    items: tuple[VocabularyItem, ...]
    title: str
    #: the official text the list is taken from (D2016, AU-028…)
    source: str
    _by_code: dict[str, VocabularyItem] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {i.code: i for i in self.items})

    @property
    def active_items(self) -> tuple[VocabularyItem, ...]:
        """The items offered for a new entry."""
        return tuple(i for i in self.items if not i.retired)

    def item(self, code: str) -> VocabularyItem | None:
        return self._by_code.get(code) if isinstance(code, str) else None

    def has(self, code: str) -> bool:
        return self.item(code) is not None

    def label(self, code: str) -> str:
        """The French label of a code; an unknown code is shown as is rather than hidden."""
        item = self.item(code)
        return item.label if item else code


@dataclass(frozen=True)
class MaskedValue:
    """What a service returns for a sensitive field of a non-sensitive category (the NIR, the
    IBAN) until a journaled reveal (R-4.8): a mask, never the value. Sent back unchanged by a
    form, it means "keep the stored value"."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    type: FieldType
    vocabulary: str | None = None
    required: bool = False
    #: a sensitive field inside a category that is not sensitive as a whole (e.g. the NIR)
    sensitive: bool = False
    help: str = ""
    max_length: int | None = None
    min: int | None = None
    max: int | None = None

    def is_sensitive_in(self, category: Category) -> bool:
        """Masked, journaled on reveal and never a search criterion (R-4.7, R-4.8)."""
        return self.sensitive or category.sensitive

    @property
    def is_free_text(self) -> bool:
        return self.type.is_free_text

    @property
    def length_limit(self) -> int | None:
        """The effective length limit of a free-text field, None for the other types."""
        if self.type is FieldType.TEXT:
            return self.max_length or DEFAULT_TEXT_LENGTH
        if self.type is FieldType.NOTE:
            return self.max_length or DEFAULT_NOTE_LENGTH
        return None


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    order: int
    sensitive: bool
    consent: str | None
    requires_setting: str | None
    repeating: bool
    reminder: str
    fields: tuple[Field, ...]
    #: which profile may read, write, delete it (R-3.5)
    rights: CategoryRights

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        shown = str(field_id)[:40]
        raise ValidationError(f"Champ inconnu « {shown} » dans « {self.label} ».", shown)

    def has_field(self, field_id: str) -> bool:
        return any(f.id == field_id for f in self.fields)

    @property
    def sensitive_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.is_sensitive_in(self))
