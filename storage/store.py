"""An open workspace at the storage level: the main database, the journal partitions and the
key-slot file, all opened with the database master key (DMK)."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from storage import keyring
from storage.connection import Connection, open_database, scalar, transaction
from storage.errors import KnownError, WorkspaceError
from storage.files import private_dir
from storage.journal import JournalStore
from storage.keyslots import KeySlotFile, hkdf
from storage.meta import get_meta, set_meta
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


__all__ = ["JOURNAL_KEY_META", "Store", "WorkspacePaths", "get_meta", "journal_audit_key", "migrate", "set_meta"]


class Store:
    def __init__(self, paths: WorkspacePaths, conn: Connection, dmk: bytes, keyslots: KeySlotFile):
        self.paths = paths
        self.conn = conn
        self._dmk = bytearray(dmk)
        self.keyslots = keyslots
        #: the journal sealing key (Ed25519 private bytes) when the logged-in account holds it
        self._sealing_key = bytearray()
        self.journal = JournalStore(paths.journal_dir, dmk, conn, journal_audit_key(conn, dmk))

    @property
    def dmk(self) -> bytes:
        if not self._dmk:
            raise WorkspaceError("La session est verrouillée.")
        return bytes(self._dmk)

    @property
    def journal_sealing_key(self) -> bytes | None:
        """The journal sealing key granted to the logged-in account (``direction`` only), or None."""
        return bytes(self._sealing_key) if self._sealing_key else None

    def set_journal_sealing_key(self, key: bytes | None) -> None:
        _wipe(self._sealing_key)
        self._sealing_key = bytearray(key or b"")

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, paths: WorkspacePaths, dmk: bytes) -> Store:
        private_dir(paths.root)
        conn = open_database(paths.db, dmk, create=True)
        migrate(conn, paths)
        keyslots = KeySlotFile.new(paths.keyslots)
        with transaction(conn):
            keyring.initialise(conn, dmk, keyslots.salt)
        return cls(paths, conn, dmk, keyslots)

    @classmethod
    def open(cls, paths: WorkspacePaths, dmk: bytes, keyslots: KeySlotFile) -> Store:
        """Open with the DMK a key slot gave; check the slot file against the database.

        An edited file, or one older than the database records, is refused. A file ahead of the
        database (a kill between writing it and committing) or differing from it is rewritten
        from the database, which is authoritative. A format-1 file is copied into the database
        (migration, issue 10).
        """
        conn = open_database(paths.db, dmk)
        try:
            migrate(conn, paths)
            recorded = keyring.recorded_generation(conn)
            keyslots.verify(dmk, recorded)
            if not keyring.is_migrated(conn):
                with transaction(conn, paths.db):
                    keyring.import_file(conn, keyslots, dmk)
                    keyslots = keyring.publish(conn, paths.keyslots, dmk)
            elif keyslots.generation != recorded or not keyring.same_content(
                keyslots, keyring.projection(conn, paths.keyslots)
            ):
                with transaction(conn, paths.db):
                    keyslots = keyring.publish(conn, paths.keyslots, dmk)
        except BaseException:
            conn.close()
            raise
        store = cls(paths, conn, dmk, keyslots)
        store.journal.apply_checkpoint()
        return store

    @classmethod
    def open_with_key(cls, paths: WorkspacePaths, dmk: bytes) -> Store:
        """Open with the DMK itself (recovery key): the key-slot file on disk is not trusted.

        The file is rewritten from the database (R-2.3: access is rebuilt from the accounts
        recorded in the database, never by re-signing a file found on disk). A format-1
        database takes the slots of the file only if that file verifies under this DMK and is
        not older than the database records.
        """
        conn = open_database(paths.db, dmk)
        try:
            migrate(conn, paths)
            with transaction(conn, paths.db):
                if not keyring.is_migrated(conn):
                    trusted: KeySlotFile | None = None
                    with contextlib.suppress(KnownError):
                        candidate = KeySlotFile.load(paths.keyslots)
                        candidate.verify(dmk, keyring.recorded_generation(conn))
                        trusted = candidate
                    if trusted is not None:
                        keyring.import_file(conn, trusted, dmk)
                    else:
                        keyring.initialise(conn, dmk, KeySlotFile.new(paths.keyslots).salt)
                keyslots = keyring.publish(conn, paths.keyslots, dmk)
        except BaseException:
            conn.close()
            raise
        store = cls(paths, conn, dmk, keyslots)
        store.journal.apply_checkpoint()
        return store

    def publish_keys(self) -> None:
        """Rewrite the key-slot file from the database: the last step inside the transaction
        that changed key slots or grants (see ``storage.keyring``)."""
        self.keyslots = keyring.publish(self.conn, self.paths.keyslots, self.dmk)

    def save_keyslots(self) -> None:
        """Rewrite the key-slot file from the database in a transaction of its own."""
        with transaction(self.conn, self.paths.db):
            self.publish_keys()

    def close(self) -> None:
        with contextlib.suppress(sqlcipher3.Error, WorkspaceError):  # the outbox keeps what was not flushed
            self.journal.flush()
        self.journal.close()
        with contextlib.suppress(sqlcipher3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with contextlib.suppress(sqlcipher3.Error):
            self.conn.close()
        _wipe(self._dmk)
        self._dmk = bytearray()
        self.set_journal_sealing_key(None)

    @property
    def closed(self) -> bool:
        return not self._dmk


#: meta key: the journal chain's HMAC key, kept across a renewal of the workspace key (R-2.8)
JOURNAL_KEY_META = "journal_hmac_key"


def journal_audit_key(conn: Connection, dmk: bytes) -> bytes:
    """The HMAC key of the journal chain: derived from the DMK the workspace was created with.

    When the workspace key is renewed (R-2.8) the chain must still verify, so the key in use is
    then kept inside the encrypted main database (meta ``journal_hmac_key``); only someone who
    can open the database reads it.
    """
    value = get_meta(conn, JOURNAL_KEY_META)
    if value:
        return bytes.fromhex(value)
    return hkdf(dmk, b"sillage journal hmac v1")


def _wipe(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


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
