"""Warn before saving free text that looks like sensitive or excessive data (R-4.3).

The CNIL asks to "encadrer de manière stricte les zones de commentaires libres": a note must
not hold health data, convictions, sexual life, origins, opinions, offences, a NIR or
insulting judgements, which have closed fields (or no place at all). This guard only warns;
the person decides.

Words come from ``resources/wordlists/guard_fr.toml``. Matching ignores case and accents and
works on whole words (``*`` ends a prefix), so "maltraitement" does not match "traitement".
The text is folded character by character, so offsets are those of the original text; the
rare combining marks (decomposed accents, emoji variation selectors) are dropped from the
folded copy and an offset map brings matches back to the original. Entries are compiled as
tries into one regex that visits each word start once, which keeps 1 MB well under a second.
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from typing import Any

from app.catalogue.validation import nir_key
from app.resources import resource_path

WORDLIST = ("wordlists", "guard_fr.toml")
NIR_KIND = "nir"

# Categories of the catalogue that a warning may propose instead of the note.
SUGGESTABLE = frozenset(
    {
        "sante",
        "sante_sejour",
        "convictions",
        "vie_sexuelle",
        "infractions",
        "danger",
        "evaluation_sociale",
        "couverture_sociale",
    }
)

# 1 + year + month + department (2A/2B for Corsica) + commune + order + key, with the
# usual separators between groups. ASCII digits only: int() would accept other scripts.
_NIR = re.compile(
    r"(?<![0-9A-Za-z])([12378])[ .\u00a0\u202f-]?([0-9]{2})[ .\u00a0\u202f-]?([0-9]{2})"
    r"[ .\u00a0\u202f-]?([0-9]{2}|2[AaBb])[ .\u00a0\u202f-]?([0-9]{3})[ .\u00a0\u202f-]?([0-9]{3})"
    r"[ .\u00a0\u202f-]?([0-9]{2})(?![0-9A-Za-z])"
)
# A folded entry: words of letters/digits/apostrophes separated by single spaces, maybe a '*'.
_ENTRY = re.compile(r"\w[\w']*(?: \w[\w']*)*\*?")
_SEPARATORS = re.compile(r"[\s\-]+")
_SEP = " "  # the trie unit that stands for any run of spaces or hyphens
_SEP_RE = r"[\s\-]+"
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4`"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_LIGATURES = (("oe", "\u0153"), ("ae", "\u00e6"))


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


# -- folding ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str | None:
    """One character to one character (lower case, no accent), or None for a combining mark."""
    if unicodedata.category(ch) in ("Mn", "Me"):
        return None
    if ch in _APOSTROPHES:
        return "'"
    if ch in _DASHES:
        return "-"
    decomposed = unicodedata.normalize("NFKD", ch)
    if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
        ch = decomposed[0]
    elif len(decomposed) == 1:
        ch = decomposed  # full-width letters and the like
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


def fold(text: str) -> str:
    """Lower case, accents removed; combining marks dropped (see ``_Folded`` for offsets)."""
    return text.translate({ord(c): _fold_char(c) for c in set(text)})


@dataclass(frozen=True)
class _Folded:
    """The folded text and the way back to offsets in the original."""

    text: str
    original_length: int
    # Where the folded text skips dropped marks: folded index -> shift to add from there on.
    steps: tuple[int, ...] = ()
    shifts: tuple[int, ...] = ()

    def original(self, index: int) -> int:
        if not self.steps:
            return index
        if index >= len(self.text):
            return self.original_length
        k = bisect.bisect_right(self.steps, index)
        return index + (self.shifts[k - 1] if k else 0)


def _fold_with_offsets(text: str) -> _Folded:
    table = {ord(c): _fold_char(c) for c in set(text)}
    folded = text.translate(table)
    if len(folded) == len(text):
        return _Folded(folded, len(text))
    dropped = "".join(chr(code) for code, value in table.items() if value is None)
    steps: list[int] = []
    shifts: list[int] = []
    removed = 0
    for run in re.finditer("[" + re.escape(dropped) + "]+", text):
        steps.append(run.start() - removed)
        removed += run.end() - run.start()
        shifts.append(removed)
    return _Folded(folded, len(text), tuple(steps), tuple(shifts))


# -- word lists -------------------------------------------------------------------------------


def _entry_units(entry: str) -> tuple[list[str], bool]:
    """The trie units of a word-list entry, and whether it is a prefix."""
    folded = _SEPARATORS.sub(_SEP, fold(entry).strip())
    if not _ENTRY.fullmatch(folded):
        raise ValueError(f"entrée de liste de mots invalide : {entry!r}")
    prefix = folded.endswith("*")
    stem = folded.rstrip("*")
    if prefix and len(stem) < 3:
        raise ValueError(f"préfixe trop court dans la liste de mots : {entry!r}")
    return list(stem), prefix


class _Trie:
    __slots__ = ("children", "end", "prefix")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.end = False
        self.prefix = False

    def add(self, units: list[str], prefix: bool) -> None:
        node = self
        for unit in units:
            node = node.children.setdefault(unit, _Trie())
        if prefix:
            node.prefix = True
        else:
            node.end = True

    def regex(self) -> str:
        # Longer continuations first, so that "cas social" wins over "cas".
        alternatives = [
            (_SEP_RE if unit == _SEP else re.escape(unit)) + child.regex()
            for unit, child in sorted(self.children.items())
        ]
        if self.prefix:
            alternatives.append(r"\w*")
        elif self.end:
            alternatives.append("")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"


def _add_words(trie: _Trie, words: list[str]) -> None:
    for word in words:
        units, prefix = _entry_units(word)
        trie.add(units, prefix)
        joined = "".join(units)
        for plain, ligature in _LIGATURES:  # "coeur" in the list also finds "cœur"
            if plain in joined:
                trie.add(list(joined.replace(plain, ligature)), prefix)


def _text(table: dict[str, Any], key: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"liste de mots : « {key} » doit être un texte")
    return value


def _suggest(table: dict[str, Any]) -> str | None:
    suggest = _text(table, "suggest")
    if suggest and suggest not in SUGGESTABLE:
        raise ValueError(f"liste de mots : catégorie proposée inconnue {suggest!r}")
    return suggest or None


@dataclass(frozen=True)
class _WordList:
    word_kinds: tuple[_Kind, ...]
    nir: _Kind
    # One pass over the folded text: at each word start where an entry of some kind begins,
    # group i captures the match of word_kinds[i], if any (overlapping kinds all reported).
    scanner: re.Pattern[str]


@functools.cache
def _word_list() -> _WordList:
    data = tomllib.loads(resource_path(*WORDLIST).read_text(encoding="utf-8"))
    word_kinds: list[_Kind] = []
    every_word = _Trie()
    per_kind: list[str] = []
    for table in data.get("kinds", []):
        words = table.get("words")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            raise ValueError(f"liste de mots : « words » vide ou invalide pour {table.get('id')!r}")
        trie = _Trie()
        _add_words(trie, words)
        _add_words(every_word, words)
        per_kind.append(r"(?:(?=(" + trie.regex() + r")(?!\w)))?")
        word_kinds.append(_Kind(_text(table, "id"), _text(table, "label"), _text(table, "message"), _suggest(table)))
    table = data.get("nir", {})
    nir = _Kind(NIR_KIND, _text(table, "label"), _text(table, "message"), _suggest(table))
    kinds = [*word_kinds, nir]
    ids = [k.id for k in kinds]
    if len(set(ids)) != len(ids) or not all(k.id and k.label and k.message for k in kinds):
        raise ValueError("liste de mots : identifiants en double ou textes manquants")
    scanner = re.compile(r"(?<!\w)(?=" + every_word.regex() + r"(?!\w))" + "".join(per_kind))
    return _WordList(tuple(word_kinds), nir, scanner)


def guard_kinds() -> tuple[str, ...]:
    """The kinds of warnings, in the order of the word list, the NIR last."""
    word_list = _word_list()
    return (*(k.id for k in word_list.word_kinds), word_list.nir.id)


# -- checking ---------------------------------------------------------------------------------


def _nir_is_valid(groups: tuple[str, ...]) -> bool:
    return nir_key("".join(groups[:6])) == int(groups[6])


def _warning(kind: _Kind, text: str, start: int, end: int) -> GuardWarning:
    return GuardWarning(kind.id, kind.label, kind.message, kind.suggest, start, end, text[start:end])


def check_free_text(text: str) -> list[GuardWarning]:
    """Warnings for ``text``, ordered by start, at most one per kind and start."""
    if not text:
        return []
    word_list = _word_list()
    kinds = word_list.word_kinds
    folded = _fold_with_offsets(text)
    found: list[tuple[int, int, GuardWarning]] = []
    ends = [0] * len(kinds)
    for m in word_list.scanner.finditer(folded.text):
        start = m.start()
        for i, matched in enumerate(m.groups()):
            # Within a kind, a match inside the previous one ("suicide" in "tentative de
            # suicide") adds nothing.
            if matched is None or start < ends[i]:
                continue
            ends[i] = start + len(matched)
            begin = folded.original(start)
            found.append((begin, i, _warning(kinds[i], text, begin, folded.original(ends[i]))))
    found.extend(
        (m.start(), len(kinds), _warning(word_list.nir, text, m.start(), m.end()))
        for m in _NIR.finditer(text)
        if _nir_is_valid(m.groups())
    )
    found.sort(key=lambda item: (item[0], item[1]))
    return [warning for _, _, warning in found]
