"""What every field type declares: how a value is checked and normalised, how it is shown in
French, how it is masked (R-4.2, R-4.8)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.catalogue.model import Field, MaskedValue, Vocabulary
from app.errors import ValidationError


@dataclass(frozen=True)
class References:
    """What reference fields point into, id -> name (R-4.2): the units, the dossier's contacts."""

    units: Mapping[int, str] = field(default_factory=dict)
    contacts: Mapping[int, str] = field(default_factory=dict)


#: (field, raw value, its vocabulary, new entry?) -> the normalised value to store
Validator = Callable[[Field, object, Vocabulary | None, bool], object]
#: (field, stored value, its vocabulary, references) -> French text
Formatter = Callable[[Field, Any, Vocabulary | None, References], str]


def default_mask(_value: object) -> MaskedValue:
    return MaskedValue("••••••")


@dataclass(frozen=True)
class FieldKind:
    """One field type: its validator, its display formatter and its mask."""

    validate: Validator
    show: Formatter
    #: the masked form of a sensitive value (R-4.8): enough to recognise it, not to use it
    mask: Callable[[object], MaskedValue] = default_mask


def refuse(field: Field, message: str) -> ValidationError:
    return ValidationError(f"{field.label} : {message}", field.id)


def shown(value: object, limit: int = 40) -> str:
    """A value quoted in a message: printable, short."""
    text = value if isinstance(value, str) else repr(value)
    clean = "".join(ch if ch.isprintable() else "?" for ch in text[:limit])
    return clean + ("…" if len(text) > limit else "")


def plain(clean: Callable[[Field, object], object]) -> Validator:
    """A validator that needs neither a vocabulary nor to know whether the entry is new."""
    def validate(field: Field, value: object, _vocabulary: Vocabulary | None, _new: bool) -> object:
        return clean(field, value)
    return validate


def as_text(_field: Field, value: Any, _vocabulary: Vocabulary | None, _refs: References) -> str:
    return str(value)
