"""Validation and normalisation of one value against its catalogue field (R-4.2, R-4.3).

Every refusal is a ``ValidationError`` whose French message names the field and says what to
do. The normalised value is what the storage layer writes as JSON: ``str``, ``int``, a sorted
``list[str]`` for multiple choices, or ``None`` for a cleared field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from app.catalogue.model import Field, FieldType, Vocabulary
from app.errors import ValidationError

_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_FR_MONTH = re.compile(r"(\d{1,2})/(\d{4})", re.ASCII)
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d{1,12}", re.ASCII)
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*"
    r"\.[A-Za-z]{2,24}",
    re.ASCII,
)
_PHONE = re.compile(r"\+?[0-9][0-9 .()-]{5,23}", re.ASCII)
_NIR = re.compile(r"[1278][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}", re.ASCII)
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}", re.ASCII)
#: lengths of the IBANs most often met (SEPA); other countries are checked by their key only
_IBAN_LENGTHS = {
    "FR": 27, "MC": 27, "BE": 16, "DE": 22, "ES": 24, "IT": 27, "PT": 25, "LU": 20, "CH": 21,
    "NL": 18, "GB": 22, "IE": 22, "AT": 20, "PL": 28, "RO": 24,
}
_YEARS = range(1900, 2101)
_REFERENCE_MAX = 2**63 - 1  # an SQLite integer
_LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029", "\x85")


def refuse(field: Field, message: str) -> ValidationError:
    return ValidationError(f"{field.label} : {message}", field.id)


def shown(value: object, limit: int = 40) -> str:
    """A value quoted in a message: printable, short."""
    text = value if isinstance(value, str) else repr(value)
    clean = "".join(ch if ch.isprintable() else "?" for ch in text[:limit])
    return clean + ("…" if len(text) > limit else "")


def is_empty(value: object) -> bool:
    """None, blank text and an empty list all mean "cleared"."""
    if value is None:
        return True
    if isinstance(value, str):
        return strip_invisible(value).strip() == ""  # a lone soft hyphen is blank too
    return isinstance(value, list | tuple | set | frozenset) and len(value) == 0


# -- free text --------------------------------------------------------------------------------

def strip_invisible(text: str) -> str:
    """Remove format characters (Unicode category Cf): zero-width spaces and joiners, the
    bidirectional controls that can display « Dupont » for a stored « tnopuD », soft hyphens,
    the byte-order mark. They are invisible, so two names that look equal would differ."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


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
    limit = limit or field.length_limit or 0
    if len(text) > limit:
        raise refuse(field, f"{len(text)} caractères pour {limit} au plus. Raccourcissez le texte.")
    return text


# -- dates ------------------------------------------------------------------------------------

def parse_date(field: Field, value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        fr, iso = _FR_DATE.fullmatch(text), _ISO_DATE.fullmatch(text)
        try:
            if fr:
                day = dt.date(int(fr.group(3)), int(fr.group(2)), int(fr.group(1)))
            elif iso:
                day = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
            else:
                raise ValueError(text)
        except ValueError:
            raise refuse(field, f"« {shown(text, 20)} » n'est pas une date valide. "
                                "Saisissez-la sous la forme jj/mm/aaaa.") from None
    else:
        raise refuse(field, "une date est attendue. Saisissez-la sous la forme jj/mm/aaaa.")
    if day.year not in _YEARS:
        raise refuse(field, "la date doit être comprise entre 1900 et 2100. Vérifiez l'année.")
    return day.isoformat()


def parse_month(field: Field, value: object) -> str:
    if isinstance(value, dt.date):
        year, month = value.year, value.month
    elif isinstance(value, str):
        text = value.strip()
        fr, iso = _FR_MONTH.fullmatch(text), _ISO_MONTH.fullmatch(text)
        if fr:
            month, year = int(fr.group(1)), int(fr.group(2))
        elif iso:
            year, month = int(iso.group(1)), int(iso.group(2))
        else:
            raise refuse(field, f"« {shown(text, 20)} » n'est pas un mois valide. "
                                "Saisissez-le sous la forme mm/aaaa.")
        if not 1 <= month <= 12:
            raise refuse(field, "le mois doit être compris entre 01 et 12.")
    else:
        raise refuse(field, "un mois est attendu. Saisissez-le sous la forme mm/aaaa.")
    if year not in _YEARS:
        raise refuse(field, "l'année doit être comprise entre 1900 et 2100. Vérifiez-la.")
    return f"{year:04d}-{month:02d}"


# -- identifiers with a check key -------------------------------------------------------------

def nir_key(first13: str) -> int:
    """The NIR check key: 97 - (number mod 97), Corsica's 2A and 2B read as 19 and 18."""
    digits = first13.upper().replace("2A", "19").replace("2B", "18")
    return 97 - int(digits) % 97


def clean_nir(field: Field, value: object) -> str:
    if not isinstance(value, str):
        raise refuse(field, "saisissez le numéro de sécurité sociale (15 caractères).")
    text = re.sub(r"[\s.-]", "", value).upper()
    if not _NIR.fullmatch(text):
        raise refuse(field, "le numéro doit compter 13 caractères et une clé de 2 chiffres, "
                            "15 en tout. Recopiez-le depuis l'attestation de droits ou la carte "
                            "Vitale.")
    if nir_key(text[:13]) != int(text[13:]):
        raise refuse(field, "la clé ne correspond pas au numéro : une erreur de saisie est "
                            "probable. Vérifiez chaque chiffre.")
    return text


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 check: the rearranged number read in base 36 is 1 modulo 97."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def clean_iban(field: Field, value: object) -> str:
    if not isinstance(value, str):
        raise refuse(field, "saisissez l'IBAN qui figure sur le relevé d'identité bancaire.")
    text = re.sub(r"\s", "", value).upper()
    if not _IBAN.fullmatch(text):
        raise refuse(field, "un IBAN commence par deux lettres et deux chiffres (FR76…) et ne "
                            "contient que des lettres et des chiffres. Recopiez-le depuis le RIB.")
    expected = _IBAN_LENGTHS.get(text[:2])
    if expected is not None and len(text) != expected:
        raise refuse(field, f"un IBAN {text[:2]} compte {expected} caractères, celui-ci "
                            f"{len(text)}. Recopiez-le depuis le RIB.")
    if not iban_is_valid(text):
        raise refuse(field, "la clé de l'IBAN ne correspond pas : une erreur de saisie est "
                            "probable. Recopiez-le depuis le RIB.")
    return text


# -- closed fields ----------------------------------------------------------------------------

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


def clean_codes(field: Field, value: object, vocabulary: Vocabulary, *,
                new_entry: bool) -> list[str] | None:
    if not isinstance(value, list | tuple | set | frozenset):
        raise refuse(field, "cochez une ou plusieurs valeurs dans la liste proposée.")
    codes = sorted({clean_code(field, v, vocabulary, new_entry=new_entry) for v in value})
    return codes or None


def clean_answer(field: Field, value: object, allowed: tuple[str, ...]) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    raise refuse(field, f"répondez par {' ou '.join(', '.join(allowed).rsplit(', ', 1))}.")


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


def clean_reference(field: Field, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= _REFERENCE_MAX:
        raise refuse(field, "choisissez un élément dans la liste proposée.")
    return value


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


def validate(field: Field, value: object, vocabulary: Vocabulary | None, *,
             new_entry: bool = True) -> object:
    """The normalised value to store, or None for a cleared field."""
    if is_empty(value):
        if field.required:
            raise refuse(field, "ce champ est obligatoire. Renseignez-le.")
        return None
    t = field.type
    result: object
    if t is FieldType.TEXT:
        result = clean_text(field, value, multiline=False)
    elif t is FieldType.NOTE:
        result = clean_text(field, value, multiline=True)
    elif t in (FieldType.CHOICE, FieldType.MULTI):
        if vocabulary is None or vocabulary.id != field.vocabulary:
            raise ValueError(f"vocabulary {field.vocabulary!r} not given for {field.id!r}")
        if t is FieldType.CHOICE:
            result = clean_code(field, value, vocabulary, new_entry=new_entry)
        else:
            result = clean_codes(field, value, vocabulary, new_entry=new_entry)
    elif t is FieldType.YESNO:
        result = clean_answer(field, value, ("oui", "non"))
    elif t is FieldType.YESNOUNKNOWN:
        result = clean_answer(field, value, ("oui", "non", "inconnu"))
    elif t is FieldType.DATE:
        result = parse_date(field, value)
    elif t is FieldType.MONTH:
        result = parse_month(field, value)
    elif t is FieldType.NUMBER:
        result = clean_number(field, value)
    elif t is FieldType.NIR:
        result = clean_nir(field, value)
    elif t is FieldType.IBAN:
        result = clean_iban(field, value)
    elif t is FieldType.EMAIL:
        result = clean_email(field, value)
    elif t is FieldType.PHONE:
        result = clean_phone(field, value)
    elif t in (FieldType.REF_CONTACT, FieldType.REF_UNIT):
        result = clean_reference(field, value)
    else:  # pragma: no cover - the loader only builds known types
        raise ValueError(f"field type {t!r} has no validator")
    if result is None and field.required:
        raise refuse(field, "ce champ est obligatoire. Renseignez-le.")
    return result
