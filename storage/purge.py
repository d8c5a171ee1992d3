"""Secure deletion of every row of a dossier in every table of every database (R-6.3, R-6.4).

The tables are found by their columns, not listed by hand, so that a table added later by
another part of Sillage is purged too: every table with a ``dossier_id`` column, rows reached
through foreign keys (``ON DELETE CASCADE``), then the ``dossiers`` row itself. The journal keeps
its entries (six months, R-5.3): they hold the dossier's id but never a value or a name.
Connections run with ``secure_delete=ON`` (R-2.4), so freed pages are overwritten with zeros;
a ``wal_checkpoint(TRUNCATE)`` then moves every page into the main file and empties the WAL.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from storage.connection import Connection, open_database, transaction
from storage.rights import anonymise_for_purge

#: tables that keep a dossier's id on purpose, without anything personal; the rights register
#: keeps each request as proof it was handled, its name and dossier link removed first
KEPT = frozenset({"journal_outbox", "retention_purges", "rights_requests"})


def dossier_tables(conn: Connection) -> list[str]:
    tables = [str(r[0]) for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return [t for t in tables if t not in KEPT
            and any(str(c[1]) == "dossier_id" for c in conn.execute(f'PRAGMA table_info("{t}")'))]


def _has_table(conn: Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def delete_dossier_rows(conn: Connection, dossier_id: int, today: str) -> int:
    """Delete the dossier everywhere in this database (caller's transaction); rows deleted."""
    before = conn.total_changes
    if _has_table(conn, "rights_requests"):
        anonymise_for_purge(conn, dossier_id, today)
    for table in dossier_tables(conn):
        conn.execute(f'DELETE FROM "{table}" WHERE dossier_id = ?', (dossier_id,))
    if _has_table(conn, "dossiers"):
        conn.execute("DELETE FROM dossiers WHERE id = ?", (dossier_id,))
    return int(conn.total_changes - before)


def checkpoint_truncate(conn: Connection) -> None:
    """Move every page into the main file and empty the WAL; a busy checkpoint is an error."""
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise RuntimeError("WAL checkpoint did not complete")


def other_databases(root: Path, main_db: Path, journal_dir: Path) -> list[Path]:
    """Every other SQLCipher file of the workspace that may hold dossier rows (e.g. the
    encrypted copies kept before a migration); the journal partitions are left out."""
    found = []
    for path in sorted(root.rglob("*.db")):
        if path == main_db or journal_dir in path.parents:
            continue
        found.append(path)
    return found


def purge_other_databases(paths: Iterable[Path], key: bytes, dossier_ids: Iterable[int],
                          today: str) -> int:
    ids = list(dossier_ids)
    total = 0
    for path in paths:
        conn = open_database(path, key)
        try:
            with transaction(conn, path):
                for dossier_id in ids:
                    total += delete_dossier_rows(conn, dossier_id, today)
            checkpoint_truncate(conn)
        finally:
            conn.close()
    return total
