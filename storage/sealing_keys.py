"""Repository of the journal sealing keys' public halves (``journal_seal_keys``, R-5.6) and of
who may hold the current one. The private key travels only as grants (``storage.keyring``)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.connection import Connection, scalar
from storage.keyslots import JOURNAL_SEAL, X25519


@dataclass(frozen=True)
class SealingKeyRecord:
    key_id: str
    public_key: bytes
    created_at: str
    retired_at: str | None
    reason: str


def all_keys(conn: Connection) -> list[SealingKeyRecord]:
    """Every sealing key the workspace has had, oldest first."""
    return [
        SealingKeyRecord(str(r[0]), bytes(r[1]), str(r[2]), None if r[3] is None else str(r[3]), str(r[4]))
        for r in conn.execute(
            "SELECT key_id, public_key, created_at, retired_at, reason FROM journal_seal_keys "
            "ORDER BY created_at, rowid"
        )
    ]


def current_key_id(conn: Connection) -> str | None:
    value = scalar(
        conn, "SELECT key_id FROM journal_seal_keys WHERE retired_at IS NULL ORDER BY created_at DESC, rowid DESC"
    )
    return None if value is None else str(value)


def retire_current(conn: Connection, at: str) -> None:
    conn.execute("UPDATE journal_seal_keys SET retired_at = ? WHERE retired_at IS NULL", (at,))


def add_key(conn: Connection, public_key: bytes, *, created_at: str, created_by: int | None,
            reason: str) -> None:
    conn.execute(
        "INSERT INTO journal_seal_keys (key_id, public_key, created_at, created_by, reason) VALUES (?, ?, ?, ?, ?)",
        (public_key.hex(), public_key, created_at, created_by, reason),
    )


def withdraw_all_grants(conn: Connection) -> None:
    """Every account's grant of a sealing key goes (a new key is about to be granted)."""
    conn.execute("DELETE FROM key_grants WHERE key_name = ?", (JOURNAL_SEAL,))


def directors_with_key_pairs(conn: Connection) -> list[int]:
    """Active ``direction`` accounts that have a key pair to receive a grant."""
    return [int(r[0]) for r in conn.execute(
        "SELECT u.id FROM users u JOIN key_slots k ON k.user_id = u.id "
        "WHERE u.active = 1 AND u.profile = 'direction' AND k.kind = ?", (X25519,)
    )]


def held_by_an_active_account(conn: Connection, key_id: str) -> bool:
    return conn.execute(
        "SELECT 1 FROM key_grants g JOIN users u ON u.id = g.user_id "
        "WHERE g.key_name = ? AND g.key_id = ? AND u.active = 1", (JOURNAL_SEAL, key_id)
    ).fetchone() is not None
