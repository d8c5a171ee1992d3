"""What an unpacked backup holds, checked; the private folders a backup or restore works in (R-9.1, R-9.2)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from storage.backup.manifest import READY, Manifest
from storage.connection import Connection, open_database, scalar, translate_db_error
from storage.errors import TamperingDetected, WorkspaceError
from storage.files import fsync_dir


@dataclass(frozen=True)
class ContentReport:
    schema_version: int
    dossiers: int
    users: int
    journal_entries: int
    journal_seq: int
    journal_hash: str


def check_content(root: Path, dmk: bytes, manifest: Manifest | None) -> ContentReport:
    """Open every unpacked database with the key, check it and its journal chain.

    Works on a copy: verifying the chain moves the outbox into the partitions.
    """
    from storage.journal import JournalStore, verify_chain
    from storage.store import journal_audit_key

    conn = open_database(root / "sillage.db", dmk, quick_check=True)
    journal: JournalStore | None = None
    try:
        version = _check_databases(root, dmk, conn)
        journal = JournalStore(root / "journal", dmk, conn, journal_audit_key(conn, dmk))
        report = verify_chain(journal)
        if not report.ok:
            raise TamperingDetected(
                f"Le journal des accès contenu dans la sauvegarde ne se vérifie pas (entrée "
                f"{report.first_bad_seq} : {report.reason}) : elle est refusée."
            )
        seq, head, _, _ = journal.head()
        if manifest is not None and (seq != manifest.journal_seq or head.hex() != manifest.body["journal"]["hash"]):
            raise TamperingDetected(
                "Le journal contenu dans la sauvegarde ne correspond pas à son manifeste : elle est refusée."
            )
        dossiers = int(scalar(conn, "SELECT count(*) FROM dossiers"))
        users = int(scalar(conn, "SELECT count(*) FROM users"))
        return ContentReport(version, dossiers, users, report.count, seq, head.hex())
    except sqlcipher3.Error as exc:
        raise translate_db_error(exc, root / "sillage.db") from None
    finally:
        if journal is not None:
            journal.close()
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


def _check_databases(root: Path, dmk: bytes, conn: Connection) -> int:
    """The schema version of the main database, once every partition opens and the key slots
    match the key; raises otherwise."""
    from storage.keyslots import KeySlotFile
    from storage.schema.migrations import CURRENT_VERSION
    from storage.store import NEWER_VERSION

    version = int(scalar(conn, "PRAGMA user_version"))
    if version > CURRENT_VERSION:
        raise WorkspaceError(NEWER_VERSION.format(found=version, known=CURRENT_VERSION))
    for part in sorted((root / "journal").glob("*.db")):
        pconn = open_database(part, dmk, quick_check=True)
        pconn.close()
    recorded = scalar(conn, "SELECT value FROM meta WHERE key = 'keyslot_generation'")
    keyslots = KeySlotFile.load(root / "keyslots.json")
    keyslots.verify(dmk, int(recorded) if recorded is not None else None)
    return version


def read_meta(root: Path, dmk: bytes) -> dict[str, str]:
    """Every ``meta`` row of the workspace (or unpacked backup) at ``root``, read-only."""
    conn = open_database(root / "sillage.db", dmk, quick_check=False, read_only=True)
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
    finally:
        conn.close()


def read_seal(root: Path, dmk: bytes) -> dict[str, Any] | None:
    """The latest journal seal of the workspace at ``root``, as a backup manifest carries it."""
    from storage.journal import seal_anchor

    conn = open_database(root / "sillage.db", dmk, quick_check=False, read_only=True)
    try:
        return seal_anchor(conn)
    finally:
        conn.close()


def account_of(conn: Connection, login: str | None) -> tuple[int | None, str]:
    """(user id, profile) of ``login`` in a restored workspace; (None, "") when it has none."""
    if login is None:
        return None, ""
    row = conn.execute("SELECT id, profile FROM users WHERE login = ?", (login,)).fetchone()
    if row is None:
        return None, ""
    return int(row[0]), str(row[1])


@contextlib.contextmanager
def scratch_dir(near: Path | None = None) -> Iterator[Path]:
    """A private temporary folder, removed afterwards (it only ever holds encrypted files),
    even when Ctrl+C arrives while it is being made or removed."""
    base = near if near is not None and os.access(near, os.W_OK) else None
    path: Path | None = None
    try:
        path = Path(tempfile.mkdtemp(prefix=".sillage-verification-", dir=base))
        os.chmod(path, 0o700)
        yield path
    finally:
        if path is not None:
            remove_tree(path)


def remove_tree(path: Path) -> None:
    """Remove ``path`` completely; an interruption during the removal is held until it is done."""
    interrupted = False
    while True:
        try:
            shutil.rmtree(path, ignore_errors=True)
            break
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        raise KeyboardInterrupt


def finish_interrupted_restore(root: Path) -> None:
    """A restore stopped between its last two renames left no workspace at ``root`` and the
    restored one ready beside it: put it in place (R-9.2). Called whenever a workspace is opened."""
    ready = root.parent / READY.format(name=root.name)
    if not root.exists() and ready.is_dir() and (ready / "sillage.db").is_file():
        with contextlib.suppress(FileNotFoundError):
            os.replace(ready, root)
            fsync_dir(root.parent)
