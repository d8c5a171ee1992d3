"""Random passwords (R-3.4): no vowels (no words, so no name, login or common word can
appear by chance), no look-alikes (O 0 I l 1), no digit read as a vowel (3 4). The policy
(``app.auth.password_policy``) says which candidates are acceptable."""

from __future__ import annotations

import secrets
from collections.abc import Callable

LOWER = "bcdfghjkmnpqrstvwxz"
UPPER = "BCDFGHJKLMNPQRSTVWXZ"
DIGITS = "256789"


def generate(alphabet: str, needed: tuple[str, ...], groups: int, acceptable: Callable[[str], bool]) -> str:
    """``groups`` groups of 4 characters of ``alphabet`` joined by hyphens, holding each of
    ``needed``, that ``acceptable`` accepts."""
    for _ in range(1000):
        chars = [secrets.choice(alphabet) for _ in range(4 * groups)]
        if not all(any(c in kind for c in chars) for kind in needed):
            continue
        candidate = "-".join("".join(chars[i : i + 4]) for i in range(0, len(chars), 4))
        if acceptable(candidate):
            return candidate
    raise RuntimeError("no acceptable password generated in 1000 attempts")
