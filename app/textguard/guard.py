"""Warn before saving free text that looks like sensitive or excessive data (R-4.3).

Words come from ``resources/wordlists/guard_fr.toml``; matching ignores case and accents,
works on whole words (``*`` marks a prefix), and reports offsets in the original text.
A NIR (social-security number) is detected by its shape and its check key.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass

from app.resources import resource_path

NIR_MESSAGE = (
    "Ce texte semble contenir un numéro de sécurité sociale. Il a son propre champ dans "
    "« Couverture sociale » et ne doit jamais être écrit dans une note."
)
_NIR = re.compile(
    r"(?<![0-9A-Za-z])([1278])[ .]?(\d{2})[ .]?(\d{2})[ .]?(\d{2}|2[AaBb])[ .]?(\d{3})[ .]?(\d{3})"
    r"[ .]?(\d{2})(?![0-9A-Za-z])"
)


@dataclass(frozen=True)
class GuardWarning:
    kind: str
    label: str
    message: str
    suggest: str | None
    start: int
    end: int
    excerpt: str


@dataclass(frozen=True)
class _Kind:
    id: str
    label: str
    message: str
    suggest: str | None
    pattern: re.Pattern[str]


def _fold_char(ch: str) -> str:
    """One character in, one character out, so that offsets stay those of the original."""
    base = unicodedata.normalize("NFD", ch)[0] if ch else ch
    folded = base.casefold()
    return folded if len(folded) == 1 else base.lower() if len(base.lower()) == 1 else ch


def fold(text: str) -> str:
    table = {ord(c): _fold_char(c) for c in set(text)}
    return text.translate(table)


def _word_pattern(word: str) -> str:
    w = "".join(_fold_char(c) for c in word.strip())
    prefix = w.endswith("*")
    w = w.rstrip("*")
    body = r"\s+".join(re.escape(part) for part in w.split())
    return body + (r"\w*" if prefix else "")


@functools.cache
def _kinds() -> tuple[_Kind, ...]:
    data = tomllib.loads(resource_path("wordlists", "guard_fr.toml").read_text(encoding="utf-8"))
    kinds = []
    for raw in data["kinds"]:
        words = sorted({w for w in raw["words"] if w.strip()}, key=len, reverse=True)
        alternatives = "|".join(_word_pattern(w) for w in words)
        pattern = re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)")
        kinds.append(_Kind(raw["id"], raw["label"], raw["message"], raw.get("suggest") or None, pattern))
    return tuple(kinds)


def guard_kinds() -> tuple[str, ...]:
    return tuple(k.id for k in _kinds()) + ("nir",)


def _nir_valid(groups: tuple[str, ...]) -> bool:
    first13 = "".join(groups[:6]).upper().replace("2A", "19").replace("2B", "18")
    return 97 - int(first13) % 97 == int(groups[6])


def check_free_text(text: str) -> list[GuardWarning]:
    if not isinstance(text, str) or not text:
        return []
    folded = fold(text)
    warnings: dict[tuple[str, int], GuardWarning] = {}
    for kind in _kinds():
        for m in kind.pattern.finditer(folded):
            warnings.setdefault((kind.id, m.start()), GuardWarning(
                kind.id, kind.label, kind.message, kind.suggest, m.start(), m.end(),
                text[m.start():m.end()]))
    for m in _NIR.finditer(text):
        if _nir_valid(m.groups()):
            warnings.setdefault(("nir", m.start()), GuardWarning(
                "nir", "Numéro de sécurité sociale", NIR_MESSAGE, "couverture_sociale",
                m.start(), m.end(), text[m.start():m.end()]))
    return sorted(warnings.values(), key=lambda w: (w.start, w.kind))
