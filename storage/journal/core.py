"""The partition files, the outbox and the authenticated head: writing entries (R-5.2)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from storage.connection import Connection, environment_error, open_database, transaction
from storage.errors import DamagedFile, TamperingDetected
from storage.files import fsync_dir, private_dir
from storage.journal.records import (
    ALERT_ACTION,
    COLUMNS,
    EXPIRED_TABLE,
    GENESIS,
    META_V2_FROM,
    PARTITION_RE,
    PARTITION_SCHEMA,
    Alert,
    EntryMac,
    Head,
    checkpoint_mac,
    clean,
    head_mac,
    partition_of,
    rest_of,
)


class DamagedPartition(TamperingDetected):
    """A partition file that no longer decrypts or authenticates (overwritten bytes, truncated,
    replaced): a tamper report naming it, never an internal error (R-5.4, R-9.4)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"Journal altéré : le fichier « journal/{name}.db » est endommagé ou a été modifié en "
            "dehors de Sillage ; ses entrées ne peuvent plus être vérifiées. Rien n'a été modifié. "
            "Que faire : ne supprimez pas ce fichier, prévenez la direction, puis restaurez la "
            "dernière sauvegarde de l'espace de travail."
        )


def partition_rows(name: str, conn: Connection, sql: str, params: tuple[object, ...]) -> Iterator[Any]:
    """The rows of one partition; a page that no longer authenticates names the partition."""
    try:
        yield from conn.execute(sql, params)
    except sqlcipher3.DatabaseError as exc:
        raise environment_error(exc, Path(f"{name}.db")) or DamagedPartition(name) from None

class JournalCore:
    """The partition files of one workspace plus the outbox and head in the main database."""


    def __init__(self, directory: Path, key: bytes, main: Connection, audit_key: bytes) -> None:
        self.directory = directory
        self._key = key
        self.main = main
        self._audit_key = audit_key
        self._meta_key = hmac.digest(audit_key, b"sillage journal head and checkpoints v1", "sha256")
        self._mac = EntryMac(audit_key)
        self._open: dict[str, Connection] = {}
        self._current: str | None = None  # the partition last asked for (damage_named)
        self._v2_from: int | None = None

    # -- partitions ------------------------------------------------------------------------
    def partition_names(self) -> list[str]:
        if not self.directory.exists():
            return []
        names = [p.name[:-3] for p in self.directory.iterdir() if PARTITION_RE.match(p.name)]
        return sorted(names)

    def path_of(self, name: str) -> Path:
        return self.directory / f"{name}.db"

    def partition(self, name: str, create: bool = False) -> Connection:
        self._current = name
        conn = self._open.get(name)
        if conn is not None:
            return conn
        path = self.path_of(name)
        if not path.exists():
            if not create:
                raise FileNotFoundError(name)
            self._create_partition(name)
        try:
            conn = open_database(path, self._key, quick_check=False)
        except DamagedFile:
            raise DamagedPartition(name) from None
        self._open[name] = conn
        return conn

    @contextlib.contextmanager
    def damage_named(self) -> Iterator[None]:
        """A page of a partition that no longer authenticates, met while reading it, becomes a
        ``DamagedPartition`` naming the partition last opened (R-9.4)."""
        try:
            yield
        except sqlcipher3.DatabaseError as exc:
            name = self._current or "?"
            raise environment_error(exc, Path(f"{name}.db")) or DamagedPartition(name) from None

    def _create_partition(self, name: str) -> None:
        """Create the file under a temporary name, then rename: never a half-made partition."""
        private_dir(self.directory)
        tmp = self.directory / f".{name}.creating"
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        conn = open_database(tmp, self._key, create=True)
        try:
            with transaction(conn):
                for stmt in (*PARTITION_SCHEMA, EXPIRED_TABLE):
                    conn.execute(stmt)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{tmp}{suffix}").unlink()
        os.replace(tmp, self.path_of(name))
        fsync_dir(self.directory)

    @staticmethod
    def has_tombstones_table(conn: Connection) -> bool:
        return conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'expired'"
        ).fetchone() is not None

    def tombstones(self, conn: Connection, from_seq: int, name: str = "") -> dict[int, tuple[int, bytes, bytes]]:
        if not any(partition_rows(name, conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                  "AND name = 'expired'", ())):
            return {}
        return {
            int(seq): (int(ts), bytes(digest), bytes(h))
            for seq, ts, digest, h in partition_rows(
                name, conn, "SELECT seq, ts, digest, h FROM expired WHERE seq >= ?", (from_seq,)
            )
        }

    def close(self) -> None:
        for conn in self._open.values():
            with contextlib.suppress(sqlcipher3.Error):
                conn.close()
        self._open.clear()

    # -- head ------------------------------------------------------------------------------
    @property
    def v2_from(self) -> int:
        """First entry number written with the v2 chain formula."""
        if self._v2_from is None:
            row = self.main.execute("SELECT value FROM meta WHERE key = ?", (META_V2_FROM,)).fetchone()
            self._v2_from = int(row[0]) if row is not None else 1
        return self._v2_from

    def head_state(self) -> Head:
        row = self.main.execute(
            "SELECT seq, h, partition, last_ts, max_ts, trusted_ts, ckpt_mac, mac FROM journal_head"
        ).fetchone()
        if row is None:
            return Head(0, GENESIS, "", 0, 0, 0, b"", None)
        last_ts = int(row[3])
        return Head(
            int(row[0]), bytes(row[1]), str(row[2]), last_ts,
            last_ts if row[4] is None else int(row[4]),
            last_ts if row[5] is None else int(row[5]),
            b"" if row[6] is None else bytes(row[6]),
            None if row[7] is None else bytes(row[7]),
        )

    def head(self) -> tuple[int, bytes, str, int]:
        head = self.head_state()
        return head.seq, head.h, head.partition, head.last_ts

    def head_is_authentic(self, head: Head | None = None) -> bool:
        head = head or self.head_state()
        if head.seq == 0 and head.mac is None:
            return True
        expected = head_mac(self._meta_key, head.seq, head.h, head.partition, head.last_ts,
                            head.max_ts, head.trusted_ts, head.ckpt_mac)
        return head.mac is not None and hmac.compare_digest(expected, head.mac)

    def _write_head(self, seq: int, h: bytes, partition: str, last_ts: int, max_ts: int,
                    trusted_ts: int, ckpt_mac: bytes) -> None:
        mac = head_mac(self._meta_key, seq, h, partition, last_ts, max_ts, trusted_ts, ckpt_mac)
        self.main.execute(
            "INSERT INTO journal_head (id, seq, h, partition, last_ts, max_ts, trusted_ts, ckpt_mac, mac) "
            "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, "
            "h = excluded.h, partition = excluded.partition, last_ts = excluded.last_ts, "
            "max_ts = excluded.max_ts, trusted_ts = excluded.trusted_ts, "
            "ckpt_mac = excluded.ckpt_mac, mac = excluded.mac",
            (seq, h, partition, last_ts, max_ts, trusted_ts, ckpt_mac, mac),
        )

    def adopt_legacy(self) -> None:
        """Authenticate the head and checkpoints of a journal written before they carried a MAC.

        Done once, right after the migration: only while the head is still below the first
        v2 entry, so blanking a MAC later is reported, never re-adopted."""
        head = self.head_state()
        if head.mac is not None or head.seq == 0 or head.seq >= self.v2_from:
            return
        with transaction(self.main):
            prev = b""
            rows = self.main.execute(
                "SELECT id, first_seq, last_seq, count, last_hash, cutoff_ts, created_ts, mac "
                "FROM journal_checkpoints ORDER BY id"
            ).fetchall()
            for cid, first, last, count, last_hash, cutoff, created, mac in rows:
                if mac is None:
                    mac = checkpoint_mac(self._meta_key, prev, int(first), int(last), int(count),
                                         bytes(last_hash), int(cutoff), int(created))
                    self.main.execute("UPDATE journal_checkpoints SET mac = ? WHERE id = ?", (mac, cid))
                prev = bytes(mac)
            self._write_head(head.seq, head.h, head.partition, head.last_ts, head.max_ts,
                             head.trusted_ts, prev)

    # -- alerts ----------------------------------------------------------------------------
    def alert(self, kind: str, detail: str) -> None:
        """Record an alert once (no personal data: numbers, dates, file names)."""
        exists = self.main.execute(
            "SELECT 1 FROM journal_alerts WHERE kind = ? AND detail = ?", (kind, detail)
        ).fetchone()
        if exists:
            return
        head = self.head_state()
        with transaction(self.main):
            self.main.execute(
                "INSERT INTO journal_alerts (kind, detail, after_seq, ts) VALUES (?, ?, ?, ?)",
                (kind, detail, head.seq, head.max_ts),
            )

    def alerts(self) -> list[Alert]:
        return [
            Alert(int(r[0]), str(r[1]), str(r[2]), int(r[3]))
            for r in self.main.execute(
                "SELECT id, kind, detail, after_seq FROM journal_alerts ORDER BY id"
            )
        ]

    # -- writing ---------------------------------------------------------------------------
    def append(
        self, ts: int, user_id: int | None, profile: str, dossier_id: int | None,
        target: str, action: str, detail: str = "",
    ) -> int:
        """Add one entry to the outbox. Must run inside the caller's transaction."""
        if not self.main.in_transaction:
            raise RuntimeError("journal entries are written inside the change's transaction")
        head = self.head_state()
        if not self.head_is_authentic(head):
            # Never re-authenticate a head changed outside Sillage without a trace: the chain
            # itself records the alert, which verification reports until it expires.
            self._append(head, ts, None, "", None, "journal", ALERT_ACTION,
                         "tête du journal modifiée en dehors de Sillage")
            head = self.head_state()
        return self._append(head, ts, user_id, profile, dossier_id, target, action, detail)

    def _append(
        self, head: Head, ts: int, user_id: int | None, profile: str, dossier_id: int | None,
        target: str, action: str, detail: str,
    ) -> int:
        seq = head.seq + 1
        profile, target, action, detail = clean(profile), clean(target), clean(action), clean(detail)
        # Partitions never go backwards, even if the clock does: seq order = file order.
        partition = max(partition_of(ts), head.partition)
        h = self._mac.entry(head.h, seq, ts, rest_of(user_id, profile, dossier_id, target, action, detail),
                            self.v2_from)
        self.main.execute(
            f"INSERT INTO journal_outbox (partition, {COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (partition, seq, ts, user_id, profile, dossier_id, target, action, detail, h),
        )
        trusted = head.trusted_ts if head.seq else ts
        self._write_head(seq, h, partition, ts, max(head.max_ts, ts), trusted, head.ckpt_mac)
        return seq

    def outbox_size(self) -> int:
        return int(self.main.execute("SELECT count(*) FROM journal_outbox").fetchone()[0])

    def flush(self) -> int:
        """Move outbox entries to their partitions. Safe to interrupt and to repeat.

        An entry whose number is already taken in its partition by a different entry is a
        conflict (e.g. the main database was rolled back): it stays in the outbox and an alert
        is recorded; nothing is merged or dropped (R-5.4)."""
        rows = self.main.execute(
            f"SELECT partition, {COLUMNS} FROM journal_outbox ORDER BY seq"
        ).fetchall()
        if not rows:
            return 0
        by_partition: dict[str, list[tuple[Any, ...]]] = {}
        for row in rows:
            by_partition.setdefault(str(row[0]), []).append(tuple(row[1:]))
        conflicts: list[int] = []
        for name, entries in by_partition.items():
            conn = self.partition(name, create=True)
            existing = {
                int(seq): bytes(h)
                for seq, h in conn.execute(
                    "SELECT seq, h FROM journal WHERE seq BETWEEN ? AND ?", (entries[0][0], entries[-1][0])
                )
            }
            fresh = []
            for entry in entries:
                have = existing.get(int(entry[0]))
                if have is None:
                    fresh.append(entry)
                elif have != bytes(entry[8]):
                    conflicts.append(int(entry[0]))
            if fresh:
                with transaction(conn, self.path_of(name)):
                    conn.executemany(
                        f"INSERT INTO journal ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", fresh
                    )
        last = int(rows[-1][1])
        with transaction(self.main):
            if conflicts:
                marks = ",".join("?" * len(conflicts))
                self.main.execute(
                    f"DELETE FROM journal_outbox WHERE seq <= ? AND seq NOT IN ({marks})",
                    (last, *conflicts),
                )
            else:
                self.main.execute("DELETE FROM journal_outbox WHERE seq <= ?", (last,))
        if conflicts:
            self.alert(
                "conflit",
                f"Les entrées n° {conflicts[0]} à {conflicts[-1]} existent déjà dans les partitions "
                "avec un autre contenu : la base principale a peut-être été restaurée à un état "
                "antérieur. Elles sont conservées à part.",
            )
        return len(rows) - len(conflicts)

    def bulk_load(self, entries: Iterable[tuple[int, int | None, str, int | None, str, str, str]]) -> int:
        """Append many entries straight into partitions (demo generator, benchmarks).

        The caller guarantees no other writer runs; the head is updated at the end.
        """
        self.flush()
        head = self.head_state()
        seq, prev, max_ts, last_ts = head.seq, head.h, head.max_ts, head.last_ts
        v2_from = self.v2_from
        mac = self._mac
        sha256 = hashlib.sha256
        batch: list[tuple[object, ...]] = []
        current = head.partition
        count = 0

        def write(name: str, rows: list[tuple[object, ...]]) -> None:
            if not rows:
                return
            conn = self.partition(name, create=True)
            with transaction(conn, self.path_of(name)):
                conn.executemany(f"INSERT INTO journal ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", rows)

        for ts, user_id, profile, dossier_id, target, action, detail in entries:
            seq += 1
            name = max(partition_of(ts), current)
            if name != current:
                write(current, batch)
                batch = []
                current = name
            profile, target, action, detail = clean(profile), clean(target), clean(action), clean(detail)
            rest = rest_of(user_id, profile, dossier_id, target, action, detail)
            if seq >= v2_from:
                prev = mac.v2(prev, seq, ts, sha256(rest).digest())
            else:
                prev = mac.v1(prev, seq, f"{seq}\x1f{ts}\x1f".encode() + rest)
            batch.append((seq, ts, user_id, profile, dossier_id, target, action, detail, prev))
            last_ts = ts
            max_ts = max(max_ts, ts)
            count += 1
            if len(batch) >= 50_000:
                write(current, batch)
                batch = []
        write(current, batch)
        if count:
            # The generator writes history as it happened: its times are trusted.
            trusted = max(head.trusted_ts, max_ts)
            with transaction(self.main):
                self._write_head(seq, prev, current, last_ts, max_ts, trusted, head.ckpt_mac)
        return count



    def drop_partition(self, name: str) -> None:
        conn = self._open.pop(name, None)
        if conn is not None:
            conn.close()
        path = self.path_of(name)
        for victim in (Path(f"{path}-wal"), Path(f"{path}-shm"), path):
            with contextlib.suppress(FileNotFoundError):
                victim.unlink()
        fsync_dir(self.directory)
