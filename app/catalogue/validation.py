"""Validation and normalisation of one value against its catalogue field (R-4.2, R-4.3).

Values are refused with a French message naming the field and saying what to do.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from app.catalogue.model import Field, FieldType, Vocabulary
from app.errors import ValidationError

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,24}$")
_PHONE = re.compile(r"^\+?[0-9 .()-]{6,24}$")
_FR_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_FR_MONTH = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")
_ISO_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")

DEFAULT_TEXT_LENGTH = 100
DEFAULT_NOTE_LENGTH = 500


def _refuse(field: Field, message: str) -> ValidationError:
    return ValidationError(f"{field.label} : {message}", field.id)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "") or value == []


def _text(field: Field, value: Any, *, multiline: bool) -> str:
    if not isinstance(value, str):
        raise _refuse(field, "un texte est attendu.")
    text = unicodedata.normalize("NFC", value).strip()
    for ch in text:
        if ch in "\n\t" and multiline:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029":
            what = "un retour à la ligne" if ch in "\n\r\u2028\u2029" else "un caractère de contrôle"
            raise _refuse(field, f"le texte contient {what}, non autorisé ici. Retirez-le.")
    limit = field.max_length or (DEFAULT_NOTE_LENGTH if multiline else DEFAULT_TEXT_LENGTH)
    if len(text) > limit:
        raise _refuse(field, f"{len(text)} caractères pour {limit} au plus. Raccourcissez le texte.")
    return text


def parse_date(field: Field, value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        m = _FR_DATE.match(value)
        iso = _ISO_DATE.match(value)
        try:
            if m:
                day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            elif iso:
                day = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
            else:
                raise ValueError
        except ValueError:
            raise _refuse(field, f"« {value[:20]} » n'est pas une date valide. Utilisez jj/mm/aaaa.") from None
    else:
        raise _refuse(field, "une date est attendue (jj/mm/aaaa).")
    if not (1900 <= day.year <= 2100):
        raise _refuse(field, "la date doit être comprise entre 1900 et 2100.")
    return day.isoformat()


def parse_month(field: Field, value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        m = _FR_MONTH.match(value)
        iso = _ISO_MONTH.match(value)
        if m:
            month, year = int(m.group(1)), int(m.group(2))
        elif iso:
            year, month = int(iso.group(1)), int(iso.group(2))
        else:
            raise _refuse(field, f"« {value[:20]} » n'est pas un mois valide. Utilisez mm/aaaa.")
        if 1 <= month <= 12 and 1900 <= year <= 2100:
            return f"{year:04d}-{month:02d}"
    raise _refuse(field, "un mois est attendu (mm/aaaa).")


def nir_check_key(first13: str) -> int:
    digits = first13.upper().replace("2A", "19").replace("2B", "18")
    return 97 - int(digits) % 97


def validate_nir(field: Field, value: Any) -> str:
    if not isinstance(value, str):
        raise _refuse(field, "un numéro de sécurité sociale est attendu (15 caractères).")
    text = re.sub(r"[\s.-]", "", value).upper()
    if not re.fullmatch(r"[1278][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}", text):
        raise _refuse(field, "le numéro de sécurité sociale doit compter 13 chiffres et une clé de 2 "
                             "chiffres (15 en tout). Vérifiez-le sur la carte Vitale.")
    if nir_check_key(text[:13]) != int(text[13:]):
        raise _refuse(field, "la clé du numéro de sécurité sociale ne correspond pas : une erreur "
                             "de saisie est probable. Vérifiez-le.")
    return text


def validate_iban(field: Field, value: Any) -> str:
    if not isinstance(value, str):
        raise _refuse(field, "un IBAN est attendu.")
    text = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}", text):
        raise _refuse(field, "l'IBAN doit commencer par deux lettres et deux chiffres (ex. FR76…).")
    rearranged = text[4:] + text[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    if int(numeric) % 97 != 1:
        raise _refuse(field, "la clé de l'IBAN ne correspond pas : vérifiez la saisie.")
    return text


def validate(field: Field, value: Any, vocabulary: Vocabulary | None, *, new_entry: bool) -> Any:
    """Return the normalised value to store, or None for a cleared field."""
    if _empty(value):
        if field.required:
            raise _refuse(field, "ce champ est obligatoire.")
        return None
    t = field.type
    if t is FieldType.TEXT:
        return _text(field, value, multiline=False)
    if t is FieldType.NOTE:
        return _text(field, value, multiline=True)
    if t is FieldType.CHOICE:
        assert vocabulary is not None
        return _code(field, value, vocabulary, new_entry=new_entry)
    if t is FieldType.MULTI:
        assert vocabulary is not None
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
            raise _refuse(field, "une liste de choix est attendue.")
        codes = sorted({_code(field, v, vocabulary, new_entry=new_entry) for v in value})
        return codes or None
    if t is FieldType.YESNO:
        return _yes_no(field, value, ("oui", "non"))
    if t is FieldType.YESNOUNKNOWN:
        return _yes_no(field, value, ("oui", "non", "inconnu"))
    if t is FieldType.DATE:
        return parse_date(field, value)
    if t is FieldType.MONTH:
        return parse_month(field, value)
    if t is FieldType.NUMBER:
        return _number(field, value)
    if t is FieldType.NIR:
        return validate_nir(field, value)
    if t is FieldType.IBAN:
        return validate_iban(field, value)
    if t is FieldType.EMAIL:
        text = _text(field, value, multiline=False)
        if not _EMAIL.match(text):
            raise _refuse(field, "adresse électronique invalide (exemple : prenom.nom@exemple.fr).")
        return text
    if t is FieldType.PHONE:
        text = _text(field, value, multiline=False)
        if not _PHONE.match(text):
            raise _refuse(field, "numéro de téléphone invalide (exemple : 06 12 34 56 78).")
        return text
    if t in (FieldType.REF_CONTACT, FieldType.REF_UNIT):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise _refuse(field, "choisissez un élément dans la liste.")
        return value
    raise _refuse(field, "type de champ inconnu.")  # pragma: no cover


def _code(field: Field, value: Any, vocabulary: Vocabulary, *, new_entry: bool) -> str:
    if not isinstance(value, str):
        raise _refuse(field, "choisissez une valeur dans la liste proposée.")
    item = vocabulary.item(value)
    if item is None:
        shown = value[:40].replace("\x00", "")
        raise _refuse(field, f"la valeur « {shown} » ne fait pas partie de la liste proposée. "
                             "Choisissez une valeur dans la liste.")
    if item.retired and new_entry:
        raise _refuse(field, f"« {item.label} » n'est plus proposé pour une nouvelle saisie. "
                             "Choisissez une autre valeur.")
    return item.code


def _yes_no(field: Field, value: Any, allowed: tuple[str, ...]) -> str:
    mapping = {True: "oui", False: "non"}
    if isinstance(value, bool):
        value = mapping[value]
    if isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    choices = ", ".join(allowed)
    raise _refuse(field, f"répondez par {choices}.")


def _number(field: Field, value: Any) -> int:
    if isinstance(value, bool):
        raise _refuse(field, "un nombre entier est attendu.")
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise _refuse(field, "un nombre entier est attendu.") from None
    if not isinstance(value, int):
        raise _refuse(field, "un nombre entier est attendu.")
    low = field.min if field.min is not None else 0
    high = field.max if field.max is not None else 10**6
    if not low <= value <= high:
        raise _refuse(field, f"la valeur doit être comprise entre {low} et {high}.")
    return value
