"""Seals of the journal head and the sealing keys' lineage (R-5.6)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from storage.connection import Connection
from storage.journal.records import _i64, _when, from_micros

# -- seals (R-5.6) -------------------------------------------------------------------------
#: a copy of every seal inside the partition that was the head when it was made, so that a
#: rolled-back main database cannot take the seals with it
SEALS_TABLE = (
    "CREATE TABLE IF NOT EXISTS seals (seq INTEGER NOT NULL, h BLOB NOT NULL, entry_ts INTEGER NOT NULL, "
    "sealed_ts INTEGER NOT NULL, reason TEXT NOT NULL, public_key BLOB NOT NULL, signature BLOB NOT NULL, "
    "PRIMARY KEY (seq, signature))"
)
SEAL_COLUMNS = "seq, h, entry_ts, sealed_ts, reason, public_key, signature"


class SealKey(Protocol):
    """The journal sealing key as the journal needs it (R-5.6): an Ed25519 signer."""

    def public_bytes(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature of ``message``."""


@dataclass(frozen=True)
class Seal:
    seq: int
    h: bytes
    entry_ts: int  # the sealed entry's own time
    sealed_ts: int
    reason: str
    public_key: bytes
    signature: bytes

    def message(self) -> bytes:
        return seal_message(self.seq, self.h, self.entry_ts, self.sealed_ts)

    def is_valid(self) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(self.signature, self.message())
        except (InvalidSignature, ValueError):
            return False
        return True


def seal_anchor(conn: Connection) -> dict[str, Any] | None:
    """The latest seal of a main database, as carried outside the workstation by backups and
    journal exports (R-5.6): entry number, hash, times, public key and signature."""
    row = conn.execute(
        f"SELECT {SEAL_COLUMNS} FROM journal_seals ORDER BY seq DESC, sealed_ts DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return {
        "seq": int(row[0]), "hash": bytes(row[1]).hex(), "entry_ts": int(row[2]),
        "sealed_at": from_micros(int(row[3])).isoformat(timespec="seconds"),
        "public_key": bytes(row[5]).hex(), "signature": bytes(row[6]).hex(),
    }


def seal_message(seq: int, h: bytes, entry_ts: int, sealed_ts: int) -> bytes:
    return b"sillage journal seal v1\0" + _i64(seq) + h + _i64(entry_ts) + _i64(sealed_ts)


# -- sealing key lineage (R-5.6) --------------------------------------------------------------
#: Every new sealing key is recorded by a journal entry naming its predecessor. A retired key's
#: seals count only through this lineage, read back from entries that the newer key itself has
#: sealed — never because its public key is listed in the database, which an insider with the
#: DMK can rewrite.
SUCCESSION_TARGET = "cles"
_SUCCESSION_RE = re.compile(
    r"clé de scellement du journal : nouvelle ([0-9a-f]{64}), précédente ([0-9a-f]{64}|aucune)(?: \(.*\))?"
)

#: public key → the last entry number it may seal (None: no limit, the current key)
TrustedKeys = Mapping[bytes, int | None]


def succession_detail(new: bytes, old: bytes | None, reason: str) -> str:
    """The journal text that records a new sealing key and its predecessor."""
    return (f"clé de scellement du journal : nouvelle {new.hex()}, "
            f"précédente {old.hex() if old else 'aucune'} ({reason})")


def parse_succession(detail: str) -> tuple[bytes, bytes | None] | None:
    match = _SUCCESSION_RE.fullmatch(detail)
    if match is None:
        return None
    old = match.group(2)
    return bytes.fromhex(match.group(1)), None if old == "aucune" else bytes.fromhex(old)


def key_problem(trusted: Collection[bytes] | TrustedKeys | None, seal: Seal) -> str | None:
    """Why ``seal``'s key may not seal its entry, or None."""
    if trusted is None:
        return None
    if seal.public_key not in trusted:
        return f"sceau du {_when(seal.sealed_ts)} signé par une clé de scellement inconnue"
    bound = trusted.get(seal.public_key) if isinstance(trusted, Mapping) else None
    if bound is not None and seal.seq > bound:
        return (f"sceau du {_when(seal.sealed_ts)} signé par une clé de scellement retirée "
                f"avant l'entrée n° {seal.seq}")
    return None

