"""The form catalogue as typed values (R-4.1, R-4.2)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import ValidationError


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


@dataclass(frozen=True)
class VocabularyItem:
    code: str
    label: str
    retired: bool = False
    counts_as_contact: bool = False


@dataclass(frozen=True)
class Vocabulary:
    id: str
    title: str
    source: str
    items: tuple[VocabularyItem, ...]

    @property
    def active_items(self) -> tuple[VocabularyItem, ...]:
        return tuple(i for i in self.items if not i.retired)

    def has(self, code: str) -> bool:
        return any(i.code == code for i in self.items)

    def item(self, code: str) -> VocabularyItem | None:
        return next((i for i in self.items if i.code == code), None)

    def label(self, code: str) -> str:
        item = self.item(code)
        return item.label if item else code


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    type: FieldType
    vocabulary: str | None = None
    required: bool = False
    sensitive: bool = False
    help: str = ""
    max_length: int | None = None
    min: int | None = None
    max: int | None = None


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

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise ValidationError(f"Champ inconnu « {field_id[:40]} » dans « {self.label} ».", field_id)
