"""Password policy of CNIL délibération 2022-100 (R-3.2) and the password generators (R-3.4).

A password must resist offline guessing on its own, so one of three shapes is required:
≥ 12 characters with the four classes, ≥ 14 characters with three classes, or a passphrase of
7 words or more. Whatever the shape, a password is refused when it contains the person's
login, name or organisation name, or when it is a common password (``resources/passwords/
blocklist.txt``) or a keyboard/alphabet run dressed up with case changes, leet substitutions
and added digits or symbols. There is no forced renewal.

Choices the délibération leaves open, made here:

- Lengths count Unicode characters after NFC normalisation. Letters of scripts without case
  (Arabic, Hebrew, CJK…) count as lowercase; a space counts as a special character.
- A *word* of a passphrase is a run of characters between spaces, hyphens or underscores that
  holds at least 2 letters (« l'enfant » is one word, « à » or « 2 » are none). At least 5 of
  the 7 words must differ. A passphrase is only refused as common when it is, as a whole, a
  listed phrase (« lundi mardi … dimanche »): seven words, even ordinary ones, are long enough.
- Identity: a login of at least 3 characters (and each of its parts of 3 or more, « c.martin »
  gives « martin »), each part of the person's name with 3 letters or more, and each word of
  the organisation's name with 4 letters or more except French function words. The comparison
  ignores case, accents, separators and leet substitutions (« M@rt1n »).
- Common: the password is folded (case, accents, leet, separators), then every listed entry of
  3 characters or more, every run of 4 along a keyboard row or the alphabet and every character
  repeated 3 times is blanked out; if what is left is trivial (4 characters or fewer, only
  digits, or at most 2 letters in 6 characters) the password is refused.
- Control, format (other than the emoji joiner), unassigned and surrogate characters are
  refused: they are invisible, cannot be typed again reliably or cannot be encoded.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from app.auth.password_generator import DIGITS, LOWER, UPPER, generate
from app.auth.password_texts import (
    _FUNCTION_WORDS,
    _LEET_I,
    _LEET_L,
    _LIGATURES,
    _RUNS,
    ACCEPTED_MESSAGE,
    COMMON_MESSAGE,
    EMPTY_MESSAGE,
    INVISIBLE_MESSAGE,
    LOGIN_MESSAGE,
    MAX_LENGTH,
    NAME_MESSAGE,
    ORG_MESSAGE,
    POLICY_TEXT,
    PREDICTABLE_MESSAGE,
    REFUSAL_MESSAGES,
    RULE_MESSAGE,
    TOO_LONG_MESSAGE,
)
from app.errors import KnownError
from app.resources import resource_path

PHRASE_WORDS = 7
_PHRASE_DISTINCT_WORDS = 5
_SEPARATORS = re.compile(r"[\s\-_]+")
_SEPARATOR_CHARS = "-_.'’"
_EMOJI_JOINER = "\u200d"

_MIN_RUN = 4
_LONGEST_RUN = max(map(len, _RUNS))
_MIN_ENTRY = 3

_CLASS_ORDER = ("lower", "upper", "digit", "special")
_CLASS_NAMES = {
    "lower": "une minuscule",
    "upper": "une majuscule",
    "digit": "un chiffre",
    "special": "un caractère spécial",
}


class PasswordRefused(KnownError):
    """A password the policy refuses; the French message says why and what to do instead."""


@dataclass(frozen=True)
class StrengthReport:
    """What the live indicator under a password field shows.

    ``rule`` is the shape the password has ("12+4", "14+3" or "phrase"), even when it is
    refused for another reason; ``acceptable`` is the verdict of :func:`check_password`.
    """

    acceptable: bool
    rule: str | None
    message: str
    score: int


@dataclass(frozen=True)
class _Blocklist:
    entries: frozenset[str]
    longest: int


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _entry_key(line: str) -> str:
    folded = _fold(line)
    if any(c.isalnum() for c in folded) and all(c.isalnum() or c in " -_.'" for c in folded):
        return _alnum(folded)
    return "".join(folded.split())


@functools.cache
def _blocklist() -> _Blocklist:
    text = resource_path("passwords", "blocklist.txt").read_text(encoding="utf-8")
    keys = {_entry_key(line) for line in text.splitlines() if line.strip() and not line.startswith("#")}
    keys.discard("")
    return _Blocklist(frozenset(keys), max(map(len, keys), default=0))


@functools.cache
def _runs() -> frozenset[str]:
    rows = [*_RUNS, *(row[::-1] for row in _RUNS)]
    return frozenset(row[i:j] for row in rows for i in range(len(row)) for j in range(i + _MIN_RUN, len(row) + 1))


def _input_problem(password: object) -> str | None:
    if not isinstance(password, str) or not password:
        return EMPTY_MESSAGE
    if len(password) > MAX_LENGTH:
        return TOO_LONG_MESSAGE
    for char in password:
        category = unicodedata.category(char)
        if category in {"Cc", "Cs", "Cn"} or (category == "Cf" and char != _EMOJI_JOINER):
            return INVISIBLE_MESSAGE
    return None


def _classes(password: str) -> frozenset[str]:
    found = set()
    for char in password:
        if char.isupper():
            found.add("upper")
        elif char.isalpha():
            found.add("lower")
        elif char.isdecimal():
            found.add("digit")
        else:
            found.add("special")
    return frozenset(found)


def _words(password: str) -> list[str]:
    return [w for w in _SEPARATORS.split(password) if sum(c.isalpha() for c in w) >= 2]


def _rule(password: str) -> str | None:
    classes = len(_classes(password))
    if len(password) >= 12 and classes == 4:
        return "12+4"
    if len(password) >= 14 and classes >= 3:
        return "14+3"
    if len(_words(password)) >= PHRASE_WORDS:
        return "phrase"
    return None


def _forms(password: str) -> tuple[str, list[tuple[str, list[int]]]]:
    """The password folded without spaces, and the forms compared with the blocklist and the
    identity: itself, its letters and digits, and the same after two leet readings. Each form
    comes with the positions of its characters in the folded password."""
    folded = "".join(_fold(password).split())
    forms: dict[str, list[int]] = {folded: list(range(len(folded)))}
    for version in (folded, folded.translate(_LEET_I), folded.translate(_LEET_L)):
        kept = [i for i, char in enumerate(version) if char.isalnum()]
        forms.setdefault("".join(version[i] for i in kept), kept)
    return folded, [(form, positions) for form, positions in forms.items() if form]


def _identity_problem(password: str, login: str, person_name: str, org_name: str) -> str | None:
    variants = [form for form, _ in _forms(password)[1]]
    for message, terms in (
        (LOGIN_MESSAGE, _terms(login, 3, whole=True)),
        (NAME_MESSAGE, _terms(person_name, 3)),
        (ORG_MESSAGE, _terms(org_name, 4, skip=_FUNCTION_WORDS)),
    ):
        if any(term in variant for term in terms for variant in variants):
            return message
    return None


def _terms(text: str, minimum: int, *, whole: bool = False, skip: Iterable[str] = ()) -> set[str]:
    """Parts of a login or name that must not appear: runs of letters and digits, and each
    space-separated chunk without its hyphens and apostrophes (« N'Diaye » gives « ndiaye »)."""
    folded = _fold(text)
    parts = set(re.findall(r"[^\W_]+", folded))
    parts.update(_alnum(chunk) for chunk in folded.split())
    if whole:
        parts.add(_alnum(folded))
    excluded = set(skip)
    return {p for p in parts if p not in excluded and (len(p) if whole else sum(c.isalpha() for c in p)) >= minimum}


def _cover(form: str, blocklist: _Blocklist) -> tuple[list[int], bool, bool]:
    """Find listed entries, keyboard or alphabet runs and repeated characters in a form;
    return the indexes they cover and whether a listed entry, or a run, was found."""
    covered: set[int] = set()
    listed = run = False
    runs = _runs()
    for start in range(len(form)):
        for end in range(min(len(form), start + blocklist.longest), start + _MIN_ENTRY - 1, -1):
            if form[start:end] in blocklist.entries:
                covered.update(range(start, end))
                listed = True
                break
        for end in range(min(len(form), start + _LONGEST_RUN), start + _MIN_RUN - 1, -1):
            if form[start:end] in runs:
                covered.update(range(start, end))
                run = True
                break
    for match in re.finditer(r"(.)\1{2,}", form):
        covered.update(range(match.start(), match.end()))
        run = True
    return sorted(covered), listed, run


def _trivial(rest: str) -> bool:
    """Whether what is left around a common word is mere decoration: a few digits, a year,
    a couple of letters and at most three symbols."""
    alnum = _alnum(rest)
    symbols = [
        c for c in rest if not c.isalnum() and c not in _SEPARATOR_CHARS and unicodedata.category(c) not in {"Mn", "Cf"}
    ]
    letters = sum(c.isalpha() for c in alnum)
    return len(symbols) <= 3 and (len(alnum) <= 4 or alnum.isdecimal() or (letters <= 2 and len(alnum) <= 6))


def _content_problem(password: str) -> str | None:
    folded, forms = _forms(password)
    if len(set(folded)) < 5 or folded in (folded + folded)[1:-1]:
        return PREDICTABLE_MESSAGE
    blocklist = _blocklist()
    if any(form in blocklist.entries for form, _ in forms):
        return COMMON_MESSAGE
    words = _words(password)
    if len(words) >= PHRASE_WORDS:
        if len({_alnum(_fold(w)) for w in words}) < _PHRASE_DISTINCT_WORDS:
            return PREDICTABLE_MESSAGE
        return None
    for form, positions in forms:
        covered, listed, run = _cover(form, blocklist)
        hidden = {positions[i] for i in covered}
        rest = "".join(c for i, c in enumerate(folded) if i not in hidden)
        if (listed or run) and _trivial(rest):
            return COMMON_MESSAGE if listed else PREDICTABLE_MESSAGE
    return None


def _problem(password: str, login: str, person_name: str, org_name: str) -> str | None:
    problem = _input_problem(password)
    if problem is not None:
        return problem
    password = unicodedata.normalize("NFC", password)
    return _identity_problem(password, login, person_name, org_name) or (
        RULE_MESSAGE if _rule(password) is None else _content_problem(password)
    )


def check_password(password: str, *, login: str = "", person_name: str = "", org_name: str = "") -> None:
    """Raise :class:`PasswordRefused` unless the password meets R-3.2.

    The message never quotes the password, the login or the names."""
    problem = _problem(password, login, person_name, org_name)
    if problem is not None:
        raise PasswordRefused(problem)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def _chars(count: int) -> str:
    return f"{count} caractère{'s' if count > 1 else ''}"


def _needs(more: int, items: list[str]) -> str:
    return "encore " + _join(([_chars(more)] if more else []) + items)


def _hint(password: str) -> tuple[str, int]:
    """What is missing to meet the closest rule, and a score from 0 to 2."""
    length, classes, words = len(password), _classes(password), len(_words(password))
    missing = [c for c in _CLASS_ORDER if c not in classes]
    more12, more14, types14 = max(0, 12 - length), max(0, 14 - length), max(0, 3 - len(classes))
    options = [(more12 + len(missing), _needs(more12, [_CLASS_NAMES[c] for c in missing]))]
    if types14 < len(missing):
        kinds = (
            ["un autre type de caractère"]
            if types14 == 1
            else ([f"{types14} autres types de caractères"] if types14 else [])
        )
        options.append((more14 + types14, _needs(more14, kinds)))
    options.sort(key=lambda option: option[0])
    cost = options[0][0]
    if words >= 3 or (words >= 2 and " " in password):
        left = PHRASE_WORDS - words
        cost = min(cost, left)
        text = f"encore {left} mot{'s' if left > 1 else ''} pour une phrase de passe, ou {options[0][1]}"
    else:
        if cost > 4:  # far from both: the simplest route, and the passphrase
            text = f"{options[0][1]}, ou une phrase d'au moins {PHRASE_WORDS} mots"
        else:
            text = ", ou ".join(text for option_cost, text in options if option_cost <= cost + 2)
    return text[0].upper() + text[1:] + ".", 2 if cost <= 2 else (1 if cost <= 5 else 0)


def password_strength(password: str, *, login: str = "", person_name: str = "", org_name: str = "") -> StrengthReport:
    """Feedback for the field while the person types; never raises.

    ``acceptable`` agrees with :func:`check_password`. Score: 0–2 while a rule is not met
    (closer is higher), 1 when the shape is right but the content is refused, 3 when
    accepted, 4 when accepted with margin (16 characters or 8 words)."""
    problem = _input_problem(password)
    if problem is not None:
        return StrengthReport(False, None, problem, 0)
    password = unicodedata.normalize("NFC", password)
    rule = _rule(password)
    identity = _identity_problem(password, login, person_name, org_name)
    if identity is not None:
        return StrengthReport(False, rule, identity, 1 if rule else 0)
    if rule is None:
        hint, score = _hint(password)
        return StrengthReport(False, None, hint, score)
    content = _content_problem(password)
    if content is not None:
        return StrengthReport(False, rule, content, 1)
    roomy = len(password) >= 16 or len(_words(password)) > PHRASE_WORDS
    return StrengthReport(True, rule, ACCEPTED_MESSAGE, 4 if roomy else 3)


def generate_password(*, login: str = "", person_name: str = "", org_name: str = "") -> str:
    """A random password such as « Kx7m-Qd9T-…»: 4 groups of 4 characters joined by hyphens,
    ≈ 88 bits, always accepted by the policy (pass the identity to be sure of it too)."""
    return generate(LOWER + UPPER + DIGITS, (LOWER, UPPER, DIGITS), 4,
                    lambda candidate: _problem(candidate, login, person_name, org_name) is None)


def generate_one_time_password(*, login: str = "", person_name: str = "", org_name: str = "") -> str:
    """The provisional password of a reset or an invitation (R-3.4): capitals and digits only,
    so that it can be read out or copied from paper, 5 groups of 4, ≈ 94 bits (rule 14+3)."""
    return generate(UPPER + DIGITS, (UPPER, DIGITS), 5,
                    lambda candidate: _problem(candidate, login, person_name, org_name) is None)


__all__ = [
    "ACCEPTED_MESSAGE",
    "COMMON_MESSAGE",
    "EMPTY_MESSAGE",
    "INVISIBLE_MESSAGE",
    "LOGIN_MESSAGE",
    "MAX_LENGTH",
    "NAME_MESSAGE",
    "ORG_MESSAGE",
    "POLICY_TEXT",
    "PREDICTABLE_MESSAGE",
    "PasswordRefused",
    "REFUSAL_MESSAGES",
    "RULE_MESSAGE",
    "StrengthReport",
    "TOO_LONG_MESSAGE",
    "check_password",
    "generate_one_time_password",
    "generate_password",
    "password_strength",
]
