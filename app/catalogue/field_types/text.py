"""Typed text: bounded free text (R-4.3), e-mail addresses and phone numbers."""

from __future__ import annotations

import re
import unicodedata

from app.catalogue.field_types.base import FieldKind, as_text, plain, refuse
from app.catalogue.model import Field, FieldType

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*"
    r"\.[A-Za-z]{2,24}",
    re.ASCII,
)
_PHONE = re.compile(r"\+?[0-9][0-9 .()-]{5,23}", re.ASCII)
_LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029", "\x85")


def strip_invisible(text: str) -> str:
    """Remove format characters (Unicode category Cf): zero-width spaces and joiners, the
    bidirectional controls that can display « Dupont » for a stored « tnopuD », soft hyphens,
    the byte-order mark. They are invisible, so two names that look equal would differ."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _refuse_character(field: Field, text: str, *, multiline: bool) -> None:
    for ch in text:
        if multiline and ch in "\n\t":
            continue
        category = unicodedata.category(ch)
        if ch in "\n\r\u2028\u2029\x85":
            raise refuse(field, "le texte tient sur une seule ligne : retirez le retour à la ligne.")
        if category == "Cs":
            raise refuse(field, "le texte contient un caractère invalide. Retapez-le sans le coller.")
        if category == "Cc":
            raise refuse(field, "le texte contient un caractère de contrôle invisible (tabulation "
                                "ou autre). Retirez-le ou retapez le texte.")


def clean_text(field: Field, value: object, *, multiline: bool, limit: int | None = None) -> str:
    if not isinstance(value, str):
        raise refuse(field, "un texte est attendu.")
    text = strip_invisible(unicodedata.normalize("NFC", value))
    if multiline:
        for brk in _LINE_BREAKS:
            text = text.replace(brk, "\n")
    text = text.strip()
    if not text:
        raise refuse(field, "le texte ne contient que des caractères invisibles. Retapez-le.")
    _refuse_character(field, text, multiline=multiline)
    limit = limit or field.length_limit or 0
    if len(text) > limit:
        raise refuse(field, f"{len(text)} caractères pour {limit} au plus. Raccourcissez le texte.")
    return text


def clean_line(field: Field, value: object) -> str:
    return clean_text(field, value, multiline=False)


def clean_note(field: Field, value: object) -> str:
    return clean_text(field, value, multiline=True)


def clean_email(field: Field, value: object) -> str:
    text = clean_text(field, value, multiline=False, limit=254)
    if not _EMAIL.fullmatch(text):
        raise refuse(field, "cette adresse électronique n'est pas valide. Saisissez-la sous la "
                            "forme prenom.nom@exemple.fr.")
    return text


def clean_phone(field: Field, value: object) -> str:
    text = clean_text(field, value, multiline=False, limit=30)
    if not _PHONE.fullmatch(text) or sum(ch.isdigit() for ch in text) < 6:
        raise refuse(field, "ce numéro de téléphone n'est pas valide. Saisissez-le en chiffres, "
                            "par exemple 06 12 34 56 78 ou +33 6 12 34 56 78.")
    return " ".join(text.split())


KINDS = {
    FieldType.TEXT: FieldKind(plain(clean_line), as_text),
    FieldType.NOTE: FieldKind(plain(clean_note), as_text),
    FieldType.EMAIL: FieldKind(plain(clean_email), as_text),
    FieldType.PHONE: FieldKind(plain(clean_phone), as_text),
}
