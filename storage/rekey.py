"""Renewing the workspace key: every database file re-keyed, crash-safe (R-2.8).

Order of work (``app.rekey`` drives it):

1. the new recovery key is delivered (nothing changed yet if that fails);
2. ``rekey.json`` is written atomically: the new DMK sealed under the old one and the old
   under the new one (AES-256-GCM, keys from HKDF), so that whichever key a later start holds,
   it can find the other;
3. every database file is re-keyed with ``PRAGMA rekey`` (one transaction per file: a kill
   leaves each file wholly on the old or wholly on the new key), the main database last;
4. in the main database, one transaction gives new grants to every active account, records
   the new key id and rewrites the key-slot file (``app.rekey.complete``);
5. ``rekey.json`` is removed.

A kill anywhere leaves a workspace that the next start finishes (``finish``): it re-keys the
files still on the old key and completes step 4, whichever of the two keys the key-slot file
gave. The workspace never stays in a mix of keys once opened.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.connection import key_pragma, open_database
from storage.errors import TamperingDetected, WorkspaceError, os_reason
from storage.files import atomic_write, fsync_dir
from storage.keyslots import hkdf, key_id_of

PENDING = "rekey.json"
FORMAT = "sillage-rekey-1"

BROKEN_PENDING = (
    "Le renouvellement de la clé de l'espace a été interrompu et son fichier de reprise "
    "(rekey.json) est illisible ou ne correspond pas à cette clé. Rien n'a été modifié ; "
    "utilisez la clé de secours la plus récente, ou restaurez une sauvegarde."
)


def pending_path(root: Path) -> Path:
    return root / PENDING


@dataclass(frozen=True)
class Pending:
    old_id: str
    new_id: str
    new_under_old: bytes
    old_under_new: bytes
    #: the new demo salt when the workspace is a demo (its key derives from it), else None
    demo_salt: bytes | None = None

    def keys_from(self, key: bytes) -> tuple[bytes, bytes]:
        """(old DMK, new DMK) from either of them."""
        kid = key_id_of(key)
        try:
            if kid == self.old_id:
                new = _open(key, self.new_under_old, b"new")
                if key_id_of(new) != self.new_id:
                    raise ValueError("new key id")
                return key, new
            if kid == self.new_id:
                old = _open(key, self.old_under_new, b"old")
                if key_id_of(old) != self.old_id:
                    raise ValueError("old key id")
                return old, key
        except (InvalidTag, ValueError):
            raise TamperingDetected(BROKEN_PENDING) from None
        raise TamperingDetected(BROKEN_PENDING)


def _seal(key: bytes, secret: bytes, label: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(hkdf(key, b"sillage rekey v1")).encrypt(nonce, secret, label)


def _open(key: bytes, blob: bytes, label: bytes) -> bytes:
    return AESGCM(hkdf(key, b"sillage rekey v1")).decrypt(blob[:12], blob[12:], label)


def write_pending(root: Path, old: bytes, new: bytes, demo_salt: bytes | None = None) -> Pending:
    pending = Pending(key_id_of(old), key_id_of(new), _seal(old, new, b"new"), _seal(new, old, b"old"), demo_salt)
    body = {
        "format": FORMAT,
        "old_id": pending.old_id,
        "new_id": pending.new_id,
        "new_under_old": base64.b64encode(pending.new_under_old).decode("ascii"),
        "old_under_new": base64.b64encode(pending.old_under_new).decode("ascii"),
    }
    if demo_salt is not None:
        body["demo_salt"] = demo_salt.hex()
    atomic_write(pending_path(root), json.dumps(body, sort_keys=True).encode("utf-8"))
    return pending


def read_pending(root: Path) -> Pending | None:
    path = pending_path(root)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WorkspaceError(f"Impossible de lire « {PENDING} » ({os_reason(exc)}).") from None
    try:
        obj = json.loads(raw.decode("utf-8"))
        if obj["format"] != FORMAT:
            raise ValueError("format")
        salt = obj.get("demo_salt")
        return Pending(
            str(obj["old_id"]), str(obj["new_id"]),
            base64.b64decode(obj["new_under_old"], validate=True),
            base64.b64decode(obj["old_under_new"], validate=True),
            bytes.fromhex(salt) if isinstance(salt, str) else None,
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise TamperingDetected(BROKEN_PENDING) from None


def clear_pending(root: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(pending_path(root))
    fsync_dir(root)


def database_files(root: Path) -> list[Path]:
    """Every database file of the workspace, the main database last.

    Journal partitions, the encrypted copies made before migrations, and any other ``*.db``
    Sillage keeps in the folder: all are opened with the DMK, so all are re-keyed (the old
    recovery key must open nothing afterwards).
    """
    main = root / "sillage.db"
    others = sorted(
        p for p in root.rglob("*.db")
        if p.is_file() and p != main and not p.name.startswith(".")
    )
    return [*others, main] if main.exists() else others


def _opens_with(path: Path, key: bytes) -> bool:
    try:
        conn = open_database(path, key, quick_check=False)
    except WorkspaceError:
        return False
    conn.close()
    return True


def rekey_file(path: Path, old: bytes, new: bytes) -> bool:
    """Re-key one file in one transaction; False if it was already on the new key."""
    if _opens_with(path, new):
        return False
    conn = open_database(path, old, quick_check=False)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(key_pragma(new).replace("PRAGMA key", "PRAGMA rekey", 1))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlcipher3.Error as exc:
        from storage.connection import translate_db_error

        raise translate_db_error(exc, path) from None
    finally:
        conn.close()
    return True


def rekey_files(
    root: Path, old: bytes, new: bytes, progress: Callable[[int, int], object] | None = None
) -> int:
    """Re-key every database file still on the old key; return how many were re-keyed."""
    files = database_files(root)
    done = 0
    for index, path in enumerate(files):
        if rekey_file(path, old, new):
            done += 1
        if progress is not None:
            progress(index + 1, len(files))
    return done
