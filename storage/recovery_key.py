"""The recovery key: a human-readable encoding of the database master key itself (R-2.3).

52 characters of Crockford base32 (no I, L, O, U) carry the 256-bit key, followed by a
4-character checksum; shown as 14 groups of 4 separated by dashes. Typing is forgiving:
case, spaces and dashes are ignored, O is read as 0, I and L as 1.
"""

from __future__ import annotations

import hashlib

from storage.errors import KnownError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
KEY_CHARS = 52  # ceil(256 / 5)
CHECK_CHARS = 4
GROUP = 4

BAD_KEY = (
    "La clé de secours saisie est incorrecte (caractère en trop, manquant ou mal recopié). "
    "Vérifiez-la groupe par groupe sur la feuille de secours."
)


class RecoveryKeyError(KnownError):
    pass


def _to_base32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _checksum(key: bytes) -> str:
    digest = hashlib.sha256(b"sillage-recovery-v1" + key).digest()
    return _to_base32(int.from_bytes(digest[:4], "big") >> 12, CHECK_CHARS)


def encode(key: bytes) -> str:
    if len(key) != 32:
        raise ValueError("the key must be 32 bytes")
    body = _to_base32(int.from_bytes(key, "big"), KEY_CHARS) + _checksum(key)
    return "-".join(body[i : i + GROUP] for i in range(0, len(body), GROUP))


def decode(text: str) -> bytes:
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
    if len(cleaned) != KEY_CHARS + CHECK_CHARS or any(ch not in _DECODE for ch in cleaned):
        raise RecoveryKeyError(BAD_KEY)
    value = 0
    for ch in cleaned[:KEY_CHARS]:
        value = (value << 5) | _DECODE[ch]
    if value >> 256:
        raise RecoveryKeyError(BAD_KEY)
    key = value.to_bytes(32, "big")
    check = "".join(ALPHABET[_DECODE[ch]] for ch in cleaned[KEY_CHARS:])
    if check != _checksum(key):
        raise RecoveryKeyError(BAD_KEY)
    return key
