"""Identifiers with a check key: the NIR (social-security number, R-4.4) and the IBAN.

The NIR's structure is the one the database checks too (``storage/schema/value_checks.py``):
the same constants build both, and a test runs both on the same good and bad numbers.
"""

from __future__ import annotations

import re
from typing import Any

from app.catalogue.field_types.base import FieldKind, References, as_text, plain, refuse
from app.catalogue.model import Field, FieldType, MaskedValue, Vocabulary
from storage.schema.value_checks import NIR_CORSICA, NIR_LENGTH, NIR_SEX_DIGITS

_NIR = re.compile(
    f"[{NIR_SEX_DIGITS}][0-9]{{4}}(?:[0-9]{{2}}|{'|'.join(code for code, _ in NIR_CORSICA)})"
    f"[0-9]{{{NIR_LENGTH - 7}}}",
    re.ASCII,
)
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}", re.ASCII)
#: lengths of the IBANs most often met (SEPA); other countries are checked by their key only
_IBAN_LENGTHS = {
    "FR": 27, "MC": 27, "BE": 16, "DE": 22, "ES": 24, "IT": 27, "PT": 25, "LU": 20, "CH": 21,
    "NL": 18, "GB": 22, "IE": 22, "AT": 20, "PL": 28, "RO": 24,
}


def nir_key(first13: str) -> int:
    """The NIR check key: 97 - (number mod 97), Corsica's 2A and 2B read as 19 and 18."""
    digits = first13.upper()
    for letters, replacement in NIR_CORSICA:
        digits = digits.replace(letters, replacement)
    return 97 - int(digits) % 97


def _shaped(field: Field, value: object, *, separators: str, shape: re.Pattern[str],
            missing: str, misshapen: str) -> str:
    """The identifier as stored: typed separators dropped, upper case, in its shape."""
    if not isinstance(value, str):
        raise refuse(field, missing)
    text = re.sub(separators, "", value).upper()
    if not shape.fullmatch(text):
        raise refuse(field, misshapen)
    return text


def clean_nir(field: Field, value: object) -> str:
    text = _shaped(field, value, separators=r"[\s.-]", shape=_NIR,
                   missing="saisissez le numéro de sécurité sociale (15 caractères).",
                   misshapen="le numéro doit compter 13 caractères et une clé de 2 chiffres, 15 en "
                             "tout. Recopiez-le depuis l'attestation de droits ou la carte Vitale.")
    if nir_key(text[:13]) != int(text[13:]):
        raise refuse(field, "la clé ne correspond pas au numéro : une erreur de saisie est "
                            "probable. Vérifiez chaque chiffre.")
    return text


def show_nir(_field: Field, value: Any, _vocabulary: Vocabulary | None, _refs: References) -> str:
    s = str(value)
    if len(s) != NIR_LENGTH:
        return s
    return f"{s[0]} {s[1:3]} {s[3:5]} {s[5:7]} {s[7:10]} {s[10:13]} {s[13:]}"


def mask_nir(value: object) -> MaskedValue:
    """Sex and key only: « 2 ** ** ** *** *** 47 » (R-4.8)."""
    text = "".join(str(value).split())
    if len(text) != NIR_LENGTH:
        return MaskedValue("••••••")
    return MaskedValue(f"{text[0]} ** ** ** *** *** {text[13:]}")


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 check: the rearranged number read in base 36 is 1 modulo 97."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def clean_iban(field: Field, value: object) -> str:
    text = _shaped(field, value, separators=r"\s", shape=_IBAN,
                   missing="saisissez l'IBAN qui figure sur le relevé d'identité bancaire.",
                   misshapen="un IBAN commence par deux lettres et deux chiffres (FR76…) et ne "
                             "contient que des lettres et des chiffres. Recopiez-le depuis le RIB.")
    expected = _IBAN_LENGTHS.get(text[:2])
    if expected is not None and len(text) != expected:
        raise refuse(field, f"un IBAN {text[:2]} compte {expected} caractères, celui-ci "
                            f"{len(text)}. Recopiez-le depuis le RIB.")
    if not iban_is_valid(text):
        raise refuse(field, "la clé de l'IBAN ne correspond pas : une erreur de saisie est "
                            "probable. Recopiez-le depuis le RIB.")
    return text


def mask_iban(value: object) -> MaskedValue:
    """Country, check digits and last four characters: « FR76 **** … *** 0189 » (R-4.8)."""
    text = "".join(str(value).split())
    if len(text) <= 8:
        return MaskedValue("••••••")
    hidden = "*" * (len(text) - 8)
    groups = [hidden[i:i + 4] for i in range(0, len(hidden), 4)]
    return MaskedValue(" ".join([text[:4], *groups, text[-4:]]))


KINDS = {
    FieldType.NIR: FieldKind(plain(clean_nir), show_nir, mask_nir),
    FieldType.IBAN: FieldKind(plain(clean_iban), as_text, mask_iban),
}
