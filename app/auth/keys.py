"""Which account holds which key (R-2.2, R-2.8, R-5.6).

* Every active account holds a grant of the DMK; deactivating an account withdraws its slot
  and all its grants at once (``withdraw_account``).
* ``direction`` accounts, and only they, hold a grant of the journal sealing key (Ed25519). A
  director who holds it grants it to the other active directors at login and when an account
  becomes ``direction``; it is withdrawn when an account stops being ``direction``. When no
  active account holds the current sealing key any more (or there is none yet), the next
  director to log in creates a new one; so does recovery (R-2.3). Every creation is journaled
  and its public key kept in ``journal_seal_keys`` so that earlier seals still verify.

API for the journal seals (issue 11): ``Session.journal_sealing_key()`` returns the
``Ed25519PrivateKey`` of the logged-in director (None for other profiles), and
``current_sealing_public_key`` / ``sealing_public_keys`` read the public halves.

Functions here run inside the caller's transaction; the caller ends it with
``publish_keys()`` so that the key-slot file follows the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from app.auth.profiles import Profile
from app.journal.events import Action
from storage import keyring, sealing_keys
from storage.connection import Connection
from storage.journal import SUCCESSION_TARGET, JournalStore, succession_detail, to_micros
from storage.keyslots import DMK, JOURNAL_SEAL, X25519, KdfPolicy, KeySlotFile


class KeyHolder(Protocol):
    """What key changes need of the open workspace: its key, the sealing key the logged-in
    director holds, and the key-slot file, rewritten by ``publish_keys()`` as the last step of
    the transaction (a ``Store``; for a session, ``Session.key_holder()``)."""

    @property
    def dmk(self) -> bytes: ...

    @property
    def journal_sealing_key(self) -> bytes | None: ...

    @property
    def keyslots(self) -> KeySlotFile: ...

    def publish_keys(self) -> None: ...


@dataclass(frozen=True)
class SealingPublicKey:
    key_id: str
    public_key: Ed25519PublicKey
    created_at: str
    retired_at: str | None
    reason: str


class Ed25519SealKey:
    """A director's journal sealing key as the ``SealKey`` the journal signs with (R-5.6)."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private

    def public_bytes(self) -> bytes:
        return self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)


def sealing_public_of(private: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sealing_public_keys(conn: Connection) -> list[SealingPublicKey]:
    """Every journal sealing key the workspace has had, oldest first."""
    return [
        SealingPublicKey(r.key_id, Ed25519PublicKey.from_public_bytes(r.public_key), r.created_at,
                         r.retired_at, r.reason)
        for r in sealing_keys.all_keys(conn)
    ]


def current_sealing_key_id(conn: Connection) -> str | None:
    return sealing_keys.current_key_id(conn)


def current_sealing_public_key(conn: Connection) -> Ed25519PublicKey | None:
    key_id = current_sealing_key_id(conn)
    return None if key_id is None else Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_id))


def new_sealing_key(conn: Connection, *, created_by: int | None, now: dt.datetime, reason: str,
                    journal: JournalStore) -> bytes:
    """Create a journal sealing key, retire the previous one, grant it to every active director
    with a key pair, and journal the succession (new key, previous key: the lineage by which
    the previous key's seals keep counting, R-5.6). Returns the private key bytes."""
    private = Ed25519PrivateKey.generate()
    secret = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    stamp = now.astimezone(dt.UTC).isoformat(timespec="microseconds")
    previous = current_sealing_key_id(conn)
    detail = succession_detail(public, bytes.fromhex(previous) if previous else None, reason)
    journal.append(to_micros(now), created_by, Profile.DIRECTION.value, None, SUCCESSION_TARGET,
                   Action.COMPTE.value, detail)
    sealing_keys.retire_current(conn, stamp)
    sealing_keys.add_key(conn, public, created_at=stamp, created_by=created_by, reason=reason)
    sealing_keys.withdraw_all_grants(conn)
    for user_id in sealing_keys.directors_with_key_pairs(conn):
        keyring.grant(conn, user_id, JOURNAL_SEAL, public.hex(), secret)
    return secret


def grant_sealing_key_to_directors(conn: Connection, secret: bytes) -> list[int]:
    """Grant the sealing key held by the caller to active directors lacking it; return them."""
    key_id = sealing_public_of(secret).hex()
    if key_id != current_sealing_key_id(conn):
        return []
    have = keyring.holders(conn, JOURNAL_SEAL, key_id)
    given = [u for u in sealing_keys.directors_with_key_pairs(conn) if u not in have]
    for user_id in given:
        keyring.grant(conn, user_id, JOURNAL_SEAL, key_id, secret)
    return given


def sealing_key_orphaned(conn: Connection) -> bool:
    """True when no sealing key exists or no active account holds the current one."""
    key_id = current_sealing_key_id(conn)
    if key_id is None:
        return True
    return not sealing_keys.held_by_an_active_account(conn, key_id)


def set_password_keys(
    conn: Connection, holder: KeyHolder, user_id: int, login: str, password: str, profile: Profile,
    policy: KdfPolicy,
) -> None:
    """A new key pair for the account wrapped under ``password``, granted the DMK, and the
    sealing key if the account is ``direction`` and the caller's session holds that key."""
    keyring.set_account_key(conn, user_id, login, password, policy)
    keyring.grant_dmk(conn, user_id, holder.dmk)
    secret = holder.journal_sealing_key
    if profile is Profile.DIRECTION and secret is not None:
        key_id = sealing_public_of(secret).hex()
        if key_id == current_sealing_key_id(conn):
            keyring.grant(conn, user_id, JOURNAL_SEAL, key_id, secret)


def profile_changed(conn: Connection, holder: KeyHolder, user_id: int, profile: Profile) -> None:
    """Grant or withdraw the sealing key after a profile change."""
    if profile is not Profile.DIRECTION:
        keyring.withdraw_key(conn, user_id, JOURNAL_SEAL)
        return
    secret = holder.journal_sealing_key
    slot = keyring.slot_of(conn, user_id)
    if secret is not None and slot is not None and slot.kind == X25519:
        key_id = sealing_public_of(secret).hex()
        if key_id == current_sealing_key_id(conn):
            keyring.grant(conn, user_id, JOURNAL_SEAL, key_id, secret)


def withdraw_account(conn: Connection, user_id: int) -> None:
    """Deactivation: the slot and every grant go at once (R-2.8)."""
    keyring.withdraw(conn, user_id)


__all__ = [
    "DMK", "JOURNAL_SEAL", "Ed25519SealKey", "KeyHolder", "SealingPublicKey", "current_sealing_key_id",
    "current_sealing_public_key",
    "grant_sealing_key_to_directors", "new_sealing_key", "profile_changed", "sealing_key_orphaned",
    "sealing_public_keys", "set_password_keys", "withdraw_account",
]
