"""Closed fields (R-4.2, AU28 §2): choices from a vocabulary, yes/no answers, bounded numbers."""

from __future__ import annotations

import re
from typing import Any

from app.catalogue.field_types.base import FieldKind, References, as_text, plain, refuse, shown
from app.catalogue.model import Field, FieldType, Vocabulary

YESNO = (("oui", "Oui"), ("non", "Non"))
YESNOUNKNOWN = (("oui", "Oui"), ("non", "Non"), ("inconnu", "Ne sait pas"))
_INTEGER = re.compile(r"[+-]?\d{1,12}", re.ASCII)


def _vocabulary_of(field: Field, vocabulary: Vocabulary | None) -> Vocabulary:
    if vocabulary is None or vocabulary.id != field.vocabulary:
        raise ValueError(f"vocabulary {field.vocabulary!r} not given for {field.id!r}")
    return vocabulary


def clean_code(field: Field, value: object, vocabulary: Vocabulary, *, new_entry: bool) -> str:
    if not isinstance(value, str):
        raise refuse(field, "choisissez une valeur dans la liste proposée.")
    item = vocabulary.item(value)
    if item is None:
        raise refuse(field, f"la valeur « {shown(value)} » ne fait pas partie de la liste "
                            "proposée. Choisissez une valeur dans la liste.")
    if item.retired and new_entry:
        raise refuse(field, f"« {item.label} » n'est plus proposé pour une nouvelle saisie. "
                            "Choisissez une autre valeur dans la liste.")
    return item.code


def validate_choice(field: Field, value: object, vocabulary: Vocabulary | None, new_entry: bool) -> str:
    return clean_code(field, value, _vocabulary_of(field, vocabulary), new_entry=new_entry)


def validate_multi(field: Field, value: object, vocabulary: Vocabulary | None,
                   new_entry: bool) -> list[str] | None:
    vocab = _vocabulary_of(field, vocabulary)
    if not isinstance(value, list | tuple | set | frozenset):
        raise refuse(field, "cochez une ou plusieurs valeurs dans la liste proposée.")
    codes = sorted({clean_code(field, v, vocab, new_entry=new_entry) for v in value})
    return codes or None


def show_codes(_field: Field, value: Any, vocabulary: Vocabulary | None, _refs: References) -> str:
    codes = value if isinstance(value, list) else [value]
    if vocabulary is None:
        return ", ".join(str(code) for code in codes)
    return ", ".join(vocabulary.label(str(code)) for code in codes)


def _answers(answers: tuple[tuple[str, str], ...]) -> FieldKind:
    allowed = tuple(code for code, _ in answers)
    labels = dict(answers)

    def clean(field: Field, value: object) -> str:
        if isinstance(value, bool):
            return "oui" if value else "non"
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        raise refuse(field, f"répondez par {' ou '.join(', '.join(allowed).rsplit(', ', 1))}.")

    def show(_field: Field, value: Any, _vocabulary: Vocabulary | None, _refs: References) -> str:
        return labels.get(str(value), str(value))

    return FieldKind(plain(clean), show)


def clean_number(field: Field, value: object) -> int:
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise refuse(field, "saisissez un nombre entier, en chiffres.")
    low = field.min if field.min is not None else 0
    high = field.max if field.max is not None else 0
    if not low <= value <= high:
        raise refuse(field, f"la valeur doit être comprise entre {low} et {high}.")
    return value


KINDS = {
    FieldType.CHOICE: FieldKind(validate_choice, show_codes),
    FieldType.MULTI: FieldKind(validate_multi, show_codes),
    FieldType.YESNO: _answers(YESNO),
    FieldType.YESNOUNKNOWN: _answers(YESNOUNKNOWN),
    FieldType.NUMBER: FieldKind(plain(clean_number), as_text),
}
