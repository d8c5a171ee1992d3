"""Validation of account identity fields."""

from __future__ import annotations

import re
import unicodedata

from app.errors import ValidationError

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


def validate_login(login: str) -> str:
    value = unicodedata.normalize("NFC", login or "").strip().lower()
    if not _LOGIN.match(value):
        raise ValidationError(
            "L'identifiant doit faire de 2 à 40 caractères : lettres minuscules sans accents, "
            "chiffres, point, tiret ou tiret bas (par exemple « cmartin »).",
            "login",
        )
    return value


def validate_name(name: str) -> str:
    from app.catalogue.validation import strip_invisible

    value = strip_invisible(unicodedata.normalize("NFC", name or "")).strip()
    if not value or len(value) > 120 or any(unicodedata.category(c).startswith("C") for c in value):
        raise ValidationError(
            "Le nom de la personne est obligatoire (120 caractères au plus, sans caractères de contrôle).",
            "display_name",
        )
    return value
