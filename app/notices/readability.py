"""A French (and English) sentence splitter and word counter for the easy-to-read limits of
R-8.1. Plain rules, written for notice texts: no dependency, predictable results.

- A sentence ends at ``.``, ``!``, ``?`` or ``…`` (possibly repeated, possibly followed by a
  closing quote or bracket) when a space and a capital, a digit, an opening quote or a bullet
  follow, or at the end of the text. A colon ends a sentence when a capital or a bullet follows
  (labels such as « Date : » and the line that opens a list).
- Abbreviations (« M. », « p. ex. », « n° »…), decimals (2,5 or 2.5), e-mail and web addresses
  never end a sentence: their dots are not followed by a space.
- A bullet (``•``) starts a new sentence: each list item counts on its own.
- Words: runs of letters or digits, joined by an apostrophe or a hyphen (« l'enfant »,
  « c'est-à-dire » are one word each), e-mail addresses and numbers count as one word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = ("M.", "Mme.", "Mlle.", "Dr.", "cf.", "p.", "ex.", "etc.", "art.", "n°", "St.", "Mr.", "Mrs.",
                  "e.g.", "i.e.")
_OPENERS = "«“\"('‘[•-–"
_BOUNDARY = re.compile(
    r"(?<=[.!?…])[»”\"')\]]*\s+(?=[A-ZÀ-ÖØ-Þ0-9" + re.escape(_OPENERS) + r"])"
    r"|(?<=:)\s+(?=[A-ZÀ-ÖØ-Þ•])"
)
_WORD = re.compile(r"[^\W_]+(?:['’\-.@][^\W_]+)*", re.UNICODE)


def split_sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    if not text:
        return []
    # Bullets and dashes that open a list item start a sentence of their own.
    text = re.sub(r"\s*[•]\s*", "\n", text)
    sentences: list[str] = []
    for block in text.split("\n"):
        block = block.strip()
        if not block:
            continue
        start = 0
        for match in _BOUNDARY.finditer(block):
            candidate = block[start:match.start()].strip()
            if _ends_with_abbreviation(candidate):
                continue
            if candidate:
                sentences.append(candidate)
            start = match.end()
        rest = block[start:].strip()
        if rest:
            sentences.append(rest)
    return sentences


def _ends_with_abbreviation(candidate: str) -> bool:
    last = candidate.rsplit(" ", 1)[-1]
    return last in _ABBREVIATIONS or bool(re.fullmatch(r"[A-Z]\.", last))


def count_words(sentence: str) -> int:
    return len(_WORD.findall(sentence))


@dataclass(frozen=True)
class Readability:
    sentences: tuple[str, ...]
    average: float
    maximum: int
    longest: str


def measure(text: str) -> Readability:
    sentences = tuple(s for s in split_sentences(text) if count_words(s) > 0)
    if not sentences:
        return Readability((), 0.0, 0, "")
    counts = [count_words(s) for s in sentences]
    longest = max(range(len(sentences)), key=counts.__getitem__)
    return Readability(sentences, sum(counts) / len(counts), counts[longest], sentences[longest])
