"""Password policy of CNIL délibération 2022-100 as required by R-3.2, and generators.

Accepted: ≥ 12 characters with the 4 classes, or ≥ 14 with 3 classes, or a passphrase of 7
words or more. Refused in every case: the login, the person's name or the organisation's
name inside, a common password (blocklist, with decorations removed). No forced renewal.
"""

from __future__ import annotations

import functools
import re
import secrets
import unicodedata
from dataclasses import dataclass

from app.errors import KnownError
from app.resources import resource_path

POLICY_TEXT = (
    "Règle de la CNIL : au moins 12 caractères mêlant majuscules, minuscules, chiffres et "
    "caractères spéciaux ; ou au moins 14 caractères avec trois de ces types ; ou une phrase "
    "d'au moins 7 mots. Ni votre identifiant, ni votre nom, ni celui de l'organisme."
)
RULE_MESSAGE = (
    "Le mot de passe doit contenir au moins 12 caractères avec majuscules, minuscules, chiffres "
    "et caractères spéciaux, ou au moins 14 caractères avec trois de ces types, ou être une "
    "phrase d'au moins 7 mots."
)
_WORD_SPLIT = re.compile(r"[\s\-_.,;:!?]+")
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s",
                       "5": "s", "7": "t", "+": "t", "€": "e"})
# generated passwords avoid look-alike characters
_LOWER = "abcdefghjkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SPECIAL = "!?#%+=*"


class PasswordRefused(KnownError):
    pass


@dataclass(frozen=True)
class StrengthReport:
    acceptable: bool
    rule: str | None
    message: str
    score: int


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _classes(password: str) -> int:
    return sum((
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ))


def _words(password: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(password.strip()) if sum(ch.isalpha() for ch in w) >= 2]


def _rule(password: str) -> str | None:
    if len(password) >= 12 and _classes(password) == 4:
        return "12+4"
    if len(password) >= 14 and _classes(password) >= 3:
        return "14+3"
    if len(_words(password)) >= 7:
        return "phrase"
    return None


@functools.cache
def _blocklist() -> frozenset[str]:
    lines = resource_path("passwords", "blocklist.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(_fold(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


def _core(password: str) -> set[str]:
    """The password without case, accents, leet substitutions and trailing decorations."""
    folded = _fold(password)
    stripped = re.sub(r"^[\d\W_]+", "", re.sub(r"[\d\W_]+$", "", folded))
    out = set()
    for c in {folded, stripped}:
        for variant in (c, c.translate(_LEET)):
            out.update({variant, re.sub(r"[\W_]", "", variant)})
    return {x for x in out if x}


def _is_common(password: str) -> bool:
    blocklist = _blocklist()
    if any(c in blocklist for c in _core(password)):
        return True
    # A common word that makes most of the letters (« Soleil2026!!Ab ») is still guessable.
    folded = _fold(password)
    for letters in {re.sub(r"[^a-z]", "", folded), re.sub(r"[^a-z]", "", folded.translate(_LEET))}:
        if letters and any(len(w) >= 5 and w in letters and len(w) >= 0.6 * len(letters)
                           for w in blocklist):
            return True
    return False


def _contains_identity(password: str, login: str, person_name: str, org_name: str) -> str | None:
    folded = _fold(password)
    plain = folded.translate(_LEET)
    login_f = _fold(login.strip())
    if len(login_f) >= 3 and (login_f in folded or login_f in plain):
        return "Le mot de passe ne doit pas contenir votre identifiant."
    for part in re.split(r"[\s\-'’]+", _fold(person_name)):
        if len(part) >= 3 and (part in folded or part in plain):
            return "Le mot de passe ne doit pas contenir votre nom ou votre prénom."
    for part in re.split(r"[\s\-'’()]+", _fold(org_name)):
        if len(part) >= 4 and (part in folded or part in plain):
            return "Le mot de passe ne doit pas contenir le nom de l'organisme."
    return None


def check_password(password: str, *, login: str = "", person_name: str = "", org_name: str = "") -> None:
    if not isinstance(password, str) or not password or "\x00" in password or len(password) > 256:
        raise PasswordRefused("Mot de passe invalide : " + RULE_MESSAGE)
    if _rule(password) is None:
        raise PasswordRefused(RULE_MESSAGE)
    identity = _contains_identity(password, login, person_name, org_name)
    if identity:
        raise PasswordRefused(identity)
    if _is_common(password):
        raise PasswordRefused(
            "Ce mot de passe fait partie des mots de passe les plus courants : choisissez-en un autre.")


def password_strength(password: str, *, login: str = "", person_name: str = "",
                      org_name: str = "") -> StrengthReport:
    try:
        check_password(password, login=login, person_name=person_name, org_name=org_name)
    except PasswordRefused as exc:
        n = len(password or "")
        classes = _classes(password or "")
        if _rule(password or "") is not None:
            return StrengthReport(False, _rule(password), exc.message, 2)
        if n < 12:
            hint = f"Encore {12 - n} caractère{'s' if 12 - n > 1 else ''} au moins"
        elif n < 14 and classes < 4:
            hint = "Ajoutez un type de caractère manquant, ou allongez jusqu'à 14 caractères"
        else:
            hint = "Ajoutez un type de caractère (majuscule, chiffre ou caractère spécial)"
        return StrengthReport(False, None, f"{hint}, ou écrivez une phrase de 7 mots.",
                              min(3, n // 5))
    return StrengthReport(True, _rule(password), "Mot de passe conforme à la règle de la CNIL.", 4)


def generate_password() -> str:
    """Random, easy to type, always accepted: four groups like « Kp7#-mQ3x-… »."""
    while True:
        groups = []
        for _ in range(4):
            chars = [secrets.choice(_UPPER), secrets.choice(_LOWER), secrets.choice(_DIGITS),
                     secrets.choice(_LOWER)]
            secrets.SystemRandom().shuffle(chars)
            groups.append("".join(chars))
        groups[secrets.randbelow(4)] += secrets.choice(_SPECIAL)
        candidate = "-".join(groups)
        try:
            check_password(candidate)
        except PasswordRefused:
            continue
        return candidate


def generate_one_time_password() -> str:
    return generate_password()
