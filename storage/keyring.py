"""The authoritative copy of account key slots and grants, inside the encrypted database.

``keyslots.json`` (see ``storage.keyslots``) is a projection of the ``key_slots`` and
``key_grants`` tables, written by ``publish`` *inside* the database transaction that changes
them, just before the commit:

* a kill before the file is written leaves both old;
* a kill after the file is written but before the commit leaves the file one generation ahead
  of the database: the next open sees it and rewrites the file from the database (the
  database wins), so a change is never half done;
* a writer never overwrites a newer file (``KeySlotFile.save`` re-reads the generation on disk)
  and always writes a generation above both the database's record and the disk's.

Recovery (R-2.3) rebuilds the file from these tables too, never by re-signing a file found on
disk.
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from storage.connection import Connection, scalar
from storage.keyslots import (
    DEFAULT_POLICY,
    DMK,
    LEGACY,
    X25519,
    Grant,
    KdfParams,
    KdfPolicy,
    KeySlot,
    KeySlotFile,
    key_id_of,
    lookup_of,
    new_slot,
    seal_grant,
)
from storage.meta import get_meta, set_meta
from storage.users import active_user_ids

FORMAT_VERSION = "2"


def is_migrated(conn: Connection) -> bool:
    """True once the database holds the key slots (format 2)."""
    return get_meta(conn, "keyring_format") == FORMAT_VERSION


def salt(conn: Connection) -> bytes:
    value = get_meta(conn, "keyslot_salt")
    if value is None:
        raise ValueError("the keyring is not initialised")
    return base64.b64decode(value)


def recorded_generation(conn: Connection) -> int | None:
    value = get_meta(conn, "keyslot_generation")
    return None if value is None else int(value)


def initialise(conn: Connection, dmk: bytes, lookup_salt: bytes) -> None:
    """Mark an empty keyring as format 2 (call inside a transaction)."""
    set_meta(conn, "keyslot_salt", base64.b64encode(lookup_salt).decode("ascii"))
    set_meta(conn, "keyring_format", FORMAT_VERSION)
    set_meta(conn, "dmk_id", key_id_of(dmk))


def import_file(conn: Connection, ksf: KeySlotFile, dmk: bytes) -> int:
    """Copy the slots of a verified file into the tables (migration from format 1).

    Slots of accounts that no longer exist or are deactivated are not copied: their holders
    lose access at once (R-2.8). Returns the number of slots copied.
    """
    initialise(conn, dmk, ksf.salt)
    active = active_user_ids(conn)
    copied = 0
    for slot in ksf.slots:
        if slot.user_id not in active:
            continue
        _store_slot(conn, slot)
        copied += 1
    for grant in ksf.grants:
        if grant.user_id in active:
            _store_grant(conn, grant)
    return copied


def _store_slot(conn: Connection, slot: KeySlot) -> None:
    conn.execute("DELETE FROM key_slots WHERE user_id = ? OR lookup = ?", (slot.user_id, slot.lookup))
    conn.execute(
        "INSERT INTO key_slots (user_id, slot_id, lookup, kind, kdf_t, kdf_m, kdf_p, salt, nonce, "
        "wrapped, public_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (slot.user_id, slot.slot_id, slot.lookup, slot.kind, slot.params.time_cost,
         slot.params.memory_kib, slot.params.parallelism, slot.salt, slot.nonce, slot.wrapped,
         slot.public_key),
    )


def _store_grant(conn: Connection, grant: Grant) -> None:
    conn.execute(
        "INSERT INTO key_grants (user_id, key_name, key_id, sealed) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id, key_name) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed",
        (grant.user_id, grant.key_name, grant.key_id, grant.sealed),
    )


def _slot_from_row(row: tuple[object, ...]) -> KeySlot:
    return KeySlot(
        user_id=int(row[0]),  # type: ignore[call-overload]
        slot_id=str(row[1]),
        lookup=str(row[2]),
        kind=str(row[3]),
        params=KdfParams(int(row[4]), int(row[5]), int(row[6])),  # type: ignore[call-overload]
        salt=bytes(row[7]),  # type: ignore[call-overload]
        nonce=bytes(row[8]),  # type: ignore[call-overload]
        wrapped=bytes(row[9]),  # type: ignore[call-overload]
        public_key=bytes(row[10]),  # type: ignore[call-overload]
    )


_SLOT_COLUMNS = "user_id, slot_id, lookup, kind, kdf_t, kdf_m, kdf_p, salt, nonce, wrapped, public_key"


def slots(conn: Connection) -> list[KeySlot]:
    return [_slot_from_row(r) for r in conn.execute(f"SELECT {_SLOT_COLUMNS} FROM key_slots ORDER BY user_id")]


def slot_of(conn: Connection, user_id: int) -> KeySlot | None:
    row = conn.execute(f"SELECT {_SLOT_COLUMNS} FROM key_slots WHERE user_id = ?", (user_id,)).fetchone()
    return None if row is None else _slot_from_row(row)


def grants(conn: Connection) -> list[Grant]:
    return [
        Grant(int(r[0]), str(r[1]), str(r[2]), bytes(r[3]))
        for r in conn.execute("SELECT user_id, key_name, key_id, sealed FROM key_grants ORDER BY user_id, key_name")
    ]


def holders(conn: Connection, key_name: str, key_id: str) -> set[int]:
    """Accounts holding a grant of this key (whatever the state of the account)."""
    return {
        int(r[0]) for r in conn.execute(
            "SELECT user_id FROM key_grants WHERE key_name = ? AND key_id = ?", (key_name, key_id)
        )
    }


def projection(conn: Connection, path: Path) -> KeySlotFile:
    """The key-slot file as the database says it must be."""
    return KeySlotFile(path=path, salt=salt(conn), slots=slots(conn), grants=grants(conn))


def same_content(a: KeySlotFile, b: KeySlotFile) -> bool:
    return (a.salt, [s.to_json() for s in a.slots], [g.to_json() for g in a.grants]) == (
        b.salt, [s.to_json() for s in b.slots], [g.to_json() for g in b.grants]
    )


def publish(conn: Connection, path: Path, dmk: bytes) -> KeySlotFile:
    """Write the file from the tables with a new generation and record it.

    Call inside the transaction that changed the tables, as its last step before the commit.
    """
    recorded = recorded_generation(conn) or 0
    generation = max(recorded, KeySlotFile.generation_on_disk(path)) + 1
    ksf = projection(conn, path)
    ksf.save(dmk, generation)
    set_meta(conn, "keyslot_generation", str(generation))
    return ksf


# -- changes (each inside the caller's transaction, followed by ``publish``) ---------------------
def set_account_key(
    conn: Connection, user_id: int, login: str, password: str, policy: KdfPolicy = DEFAULT_POLICY
) -> tuple[KeySlot, X25519PrivateKey]:
    """A new key pair for the account, wrapped under ``password``; its old grants go (they were
    sealed to the old public key): grant again with ``grant``."""
    slot, private = new_slot(user_id, lookup_of(salt(conn), login), password, policy)
    conn.execute("DELETE FROM key_grants WHERE user_id = ?", (user_id,))
    _store_slot(conn, slot)
    return slot, private


def grant(conn: Connection, user_id: int, key_name: str, key_id: str, secret: bytes) -> None:
    """Seal ``secret`` to the account's public key (replacing its grant of that key)."""
    slot = slot_of(conn, user_id)
    if slot is None or slot.kind != X25519:
        raise ValueError("the account has no key pair to grant to")
    _store_grant(conn, Grant(user_id, key_name, key_id, seal_grant(slot.public_key, user_id, key_name, key_id, secret)))


def grant_dmk(conn: Connection, user_id: int, dmk: bytes) -> None:
    grant(conn, user_id, DMK, key_id_of(dmk), dmk)


def withdraw_key(conn: Connection, user_id: int, key_name: str) -> None:
    conn.execute("DELETE FROM key_grants WHERE user_id = ? AND key_name = ?", (user_id, key_name))


def withdraw(conn: Connection, user_id: int) -> None:
    """Remove the account's slot and every grant at once (deactivation, R-2.8)."""
    conn.execute("DELETE FROM key_grants WHERE user_id = ?", (user_id,))
    conn.execute("DELETE FROM key_slots WHERE user_id = ?", (user_id,))


def grant_count(conn: Connection, key_name: str) -> int:
    """How many accounts hold a grant of this key (e.g. the DMK after a renewal)."""
    return int(scalar(conn, "SELECT count(*) FROM key_grants WHERE key_name = ?", (key_name,)))


def legacy_accounts(conn: Connection) -> list[int]:
    """Accounts still on a format-1 slot (their key pair is made at their next login)."""
    return [int(r[0]) for r in conn.execute("SELECT user_id FROM key_slots WHERE kind = ?", (LEGACY,))]
