"""French, human text for a stored value: one place for the screens and the documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.catalogue.catalogue import Catalogue
from app.catalogue.model import Field, FieldType, MaskedValue

YESNO = (("oui", "Oui"), ("non", "Non"))
YESNOUNKNOWN = (("oui", "Oui"), ("non", "Non"), ("inconnu", "Ne sait pas"))
EMPTY = "—"


def mask(field: Field, value: Any) -> MaskedValue:
    """The masked form of a sensitive field (R-4.8): enough to recognise which one it is, not
    enough to use it. NIR: sex and key (« 2 ** ** ** *** *** 47 »); IBAN: country, check digits
    and last four characters (« FR76 **** **** **** **** *** 0189 »)."""
    text = "".join(str(value).split())
    if field.type is FieldType.NIR and len(text) == 15:
        return MaskedValue(f"{text[0]} ** ** ** *** *** {text[13:]}")
    if field.type is FieldType.IBAN and len(text) > 8:
        hidden = "*" * (len(text) - 8)
        groups = [hidden[i:i + 4] for i in range(0, len(hidden), 4)]
        return MaskedValue(" ".join([text[:4], *groups, text[-4:]]))
    return MaskedValue("••••••")


def display_value(catalogue: Catalogue, field: Field, value: Any, units: Mapping[int, str]) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, MaskedValue):
        return value.text
    t = field.type.value
    if t in ("choice", "multi") and field.vocabulary:
        vocab = catalogue.vocabulary(field.vocabulary)
        codes = value if isinstance(value, list) else [value]
        return ", ".join(vocab.label(str(code)) if vocab.has(str(code)) else str(code) for code in codes)
    if t == "yesno":
        return dict(YESNO).get(str(value), str(value))
    if t == "yesnounknown":
        return dict(YESNOUNKNOWN).get(str(value), str(value))
    if t == "date":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    if t == "month":
        text = str(value)
        return f"{text[5:7]}/{text[:4]}" if len(text) == 7 else text
    if t == "ref_unit":
        return units.get(int(value), str(value))
    if t == "nir":
        s = str(value)
        return f"{s[0]} {s[1:3]} {s[3:5]} {s[5:7]} {s[7:10]} {s[10:13]} {s[13:]}" if len(s) == 15 else s
    return str(value)
