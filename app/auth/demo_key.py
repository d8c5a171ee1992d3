"""The key of a demo workspace (R-2.9): public by design (its data are fictive), derived from a
salt kept beside the database in the ``DEMO`` file, so that Sillage can recognise a demo from
its encrypted record without anybody's password. Planted in a real workspace, the file opens
nothing."""

from __future__ import annotations

import secrets

import sqlcipher3

from app.errors import KnownError
from storage import settings
from storage.connection import open_database
from storage.files import atomic_write
from storage.keyslots import hkdf
from storage.store import WorkspacePaths

DEMO_TEXT = "Espace de démonstration Sillage : données fictives.\nsel : "
_DEMO_SECRET = b"Sillage demonstration workspace - fictive data only - v1"


def demo_key(salt: bytes) -> bytes:
    return hkdf(_DEMO_SECRET + salt, b"sillage demo dmk v1")


def new_demo_salt() -> bytes:
    return secrets.token_bytes(16)


def write_demo_marker(paths: WorkspacePaths, salt: bytes) -> None:
    atomic_write(paths.demo_marker, (DEMO_TEXT + salt.hex() + "\n").encode("utf-8"))


def read_demo_record(paths: WorkspacePaths) -> bool:
    """True only if the database opens with the demo key and its meta says ``is_demo``."""
    try:
        text = paths.demo_marker.read_text(encoding="utf-8")[:4096]
        salt = bytes.fromhex(text.rsplit(":", 1)[-1].strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    if len(salt) != 16 or not paths.db.is_file():
        return False
    try:
        conn = open_database(paths.db, demo_key(salt), quick_check=False, read_only=True)
    except KnownError:
        return False
    try:
        return settings.flag(conn, settings.IS_DEMO)
    except sqlcipher3.Error:  # a damaged or foreign file is simply not a demo
        return False
    finally:
        conn.close()
