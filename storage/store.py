"""An open workspace at the storage level: the main database, the journal partitions and the
key-slot file, all opened with the database master key (DMK)."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from storage.connection import Connection, open_database, scalar, transaction
from storage.errors import WorkspaceError
from storage.files import private_dir
from storage.journal import JournalStore
from storage.keyslots import KeySlotFile, hkdf
from storage.schema.migrations import CURRENT_VERSION, MIGRATIONS


@dataclass(frozen=True)
class WorkspacePaths:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "sillage.db"

    @property
    def keyslots(self) -> Path:
        return self.root / "keyslots.json"

    @property
    def journal_dir(self) -> Path:
        return self.root / "journal"

    @property
    def lock(self) -> Path:
        return self.root / "sillage.lock"

    @property
    def auth_state(self) -> Path:
        return self.root / "auth_state.json"

    @property
    def demo_marker(self) -> Path:
        return self.root / "DEMO"

    @property
    def migration_backups(self) -> Path:
        return self.root / "migrations"

    def exists(self) -> bool:
        return self.db.exists() or self.keyslots.exists()


NEWER_VERSION = (
    "Cet espace de travail a été créé par une version plus récente de Sillage (schéma {found}, "
    "cette version connaît le schéma {known}). Installez la dernière version ; rien n'a été modifié."
)


class Store:
    def __init__(self, paths: WorkspacePaths, conn: Connection, dmk: bytes, keyslots: KeySlotFile):
        self.paths = paths
        self.conn = conn
        self._dmk = bytearray(dmk)
        self.keyslots = keyslots
        self.journal = JournalStore(paths.journal_dir, dmk, conn, hkdf(dmk, b"sillage journal hmac v1"))

    @property
    def dmk(self) -> bytes:
        if not self._dmk:
            raise WorkspaceError("La session est verrouillée.")
        return bytes(self._dmk)

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, paths: WorkspacePaths, dmk: bytes) -> Store:
        private_dir(paths.root)
        conn = open_database(paths.db, dmk, create=True)
        migrate(conn, paths)
        return cls(paths, conn, dmk, KeySlotFile.new(paths.keyslots))

    @classmethod
    def open(cls, paths: WorkspacePaths, dmk: bytes, keyslots: KeySlotFile) -> Store:
        conn = open_database(paths.db, dmk)
        try:
            migrate(conn, paths)
            recorded = scalar(conn, "SELECT value FROM meta WHERE key = 'keyslot_generation'")
            keyslots.verify(dmk, int(recorded) if recorded is not None else None)
            if recorded is None or keyslots.generation > int(recorded):
                # The file was saved but the process stopped before the database was told.
                with transaction(conn):
                    set_meta(conn, "keyslot_generation", str(keyslots.generation))
        except BaseException:
            conn.close()
            raise
        store = cls(paths, conn, dmk, keyslots)
        store.journal.apply_checkpoint()
        return store

    def save_keyslots(self) -> None:
        """Write the key-slot file (next generation), then record that generation."""
        generation = self.keyslots.save(self.dmk)
        with transaction(self.conn):
            set_meta(self.conn, "keyslot_generation", str(generation))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.journal.flush()
        self.journal.close()
        with contextlib.suppress(Exception):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with contextlib.suppress(Exception):
            self.conn.close()
        for i in range(len(self._dmk)):
            self._dmk[i] = 0
        self._dmk = bytearray()

    @property
    def closed(self) -> bool:
        return not self._dmk


def get_meta(conn: Connection, key: str, default: str | None = None) -> str | None:
    value = scalar(conn, "SELECT value FROM meta WHERE key = ?", (key,))
    return default if value is None else str(value)


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def migrate(conn: Connection, paths: WorkspacePaths) -> None:
    version = int(scalar(conn, "PRAGMA user_version"))
    if version > CURRENT_VERSION:
        raise WorkspaceError(NEWER_VERSION.format(found=version, known=CURRENT_VERSION))
    if version == CURRENT_VERSION:
        return
    if version > 0:
        _copy_before_migration(conn, paths, version)
    for step in range(version, CURRENT_VERSION):
        with transaction(conn, paths.db):
            MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version = {step + 1}")


def _copy_before_migration(conn: Connection, paths: WorkspacePaths, version: int) -> None:
    """An encrypted copy of the database as it was, before any step runs (R-2.5)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    private_dir(paths.migration_backups)
    target = paths.migration_backups / f"sillage.v{version}.db"
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(paths.db, tmp)
        tmp.replace(target)
