"""Storage of the access journal: month partitions, HMAC chain, checkpoints (R-5.2 to R-5.4).

An entry is first written to ``journal_outbox`` in the main database, in the same
transaction as the change it records. ``flush`` later moves entries to their partition
file ``journal/AAAA-MM.db`` (idempotently: a crash between the two steps only leaves
entries to move again). Expiry deletes whole partition files, plus the old head of the
boundary partition, after a checkpoint (range, count, last hash, cutoff) has been
committed, so that verification of what remains still proves nothing else was removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.connection import Connection, open_database, transaction
from storage.files import fsync_dir, private_dir

GENESIS = hashlib.sha256(b"sillage journal genesis v1").digest()
PARTITION_RE = re.compile(r"^(\d{4})-(\d{2})\.db$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

PARTITION_SCHEMA = (
    "CREATE TABLE journal (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, user_id INTEGER, "
    "profile TEXT NOT NULL, dossier_id INTEGER, target TEXT NOT NULL, action TEXT NOT NULL, "
    "detail TEXT NOT NULL, h BLOB NOT NULL)",
    "CREATE INDEX journal_ts ON journal (ts)",
    "CREATE INDEX journal_dossier ON journal (dossier_id)",
    "CREATE INDEX journal_user ON journal (user_id)",
)
COLUMNS = "seq, ts, user_id, profile, dossier_id, target, action, detail, h"


@dataclass(frozen=True)
class StoredEntry:
    seq: int
    ts: int  # microseconds since the Unix epoch, UTC
    user_id: int | None
    profile: str
    dossier_id: int | None
    target: str
    action: str
    detail: str
    h: bytes


@dataclass(frozen=True)
class Checkpoint:
    last_seq: int
    count: int
    last_hash: bytes
    cutoff_ts: int
    created_ts: int


def to_micros(when: dt.datetime) -> int:
    return int(when.timestamp() * 1_000_000)


def from_micros(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts / 1_000_000, tz=dt.UTC)


def partition_of(ts: int) -> str:
    when = from_micros(ts)
    return f"{when.year:04d}-{when.month:02d}"


def partition_end(name: str) -> int:
    """First microsecond after the month ``name`` (AAAA-MM)."""
    year, month = int(name[:4]), int(name[5:7])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return to_micros(dt.datetime(year, month, 1, tzinfo=dt.UTC))


def clean(text: str) -> str:
    """Journal text never holds control characters, so the canonical form stays unambiguous."""
    return _CONTROL.sub(" ", text)


def canonical(
    seq: int, ts: int, user_id: int | None, profile: str, dossier_id: int | None,
    target: str, action: str, detail: str,
) -> bytes:
    return "\x1f".join(
        (
            str(seq), str(ts), "" if user_id is None else str(user_id), profile,
            "" if dossier_id is None else str(dossier_id), target, action, detail,
        )
    ).encode("utf-8")


class HmacSha256:
    """HMAC-SHA256 (RFC 2104) with the padded key hashed once: about 3× faster than
    ``hmac.digest`` per entry, which the verification budget of SPEC §11 needs."""

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        padded = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def __call__(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


def chain_hash(key: bytes, prev: bytes, seq: int, body: bytes) -> bytes:
    return hmac.digest(key, prev + seq.to_bytes(8, "big") + body, "sha256")


class JournalStore:
    """The partition files of one workspace plus the outbox and head in the main database."""

    def __init__(self, directory: Path, key: bytes, main: Connection, audit_key: bytes) -> None:
        self.directory = directory
        self._key = key
        self.main = main
        self._audit_key = audit_key
        self._open: dict[str, Connection] = {}

    # -- partitions ------------------------------------------------------------------------
    def partition_names(self) -> list[str]:
        if not self.directory.exists():
            return []
        names = [p.name[:-3] for p in self.directory.iterdir() if PARTITION_RE.match(p.name)]
        return sorted(names)

    def path_of(self, name: str) -> Path:
        return self.directory / f"{name}.db"

    def partition(self, name: str, create: bool = False) -> Connection:
        conn = self._open.get(name)
        if conn is not None:
            return conn
        path = self.path_of(name)
        if not path.exists():
            if not create:
                raise FileNotFoundError(name)
            self._create_partition(name)
        conn = open_database(path, self._key, quick_check=False)
        self._open[name] = conn
        return conn

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
                for stmt in PARTITION_SCHEMA:
                    conn.execute(stmt)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{tmp}{suffix}").unlink()
        os.replace(tmp, self.path_of(name))
        fsync_dir(self.directory)

    def close(self) -> None:
        for conn in self._open.values():
            with contextlib.suppress(Exception):
                conn.close()
        self._open.clear()

    # -- writing ---------------------------------------------------------------------------
    def head(self) -> tuple[int, bytes, str, int]:
        row = self.main.execute("SELECT seq, h, partition, last_ts FROM journal_head").fetchone()
        if row is None:
            return 0, GENESIS, "", 0
        return int(row[0]), bytes(row[1]), str(row[2]), int(row[3])

    def append(
        self, ts: int, user_id: int | None, profile: str, dossier_id: int | None,
        target: str, action: str, detail: str = "",
    ) -> int:
        """Add one entry to the outbox. Must run inside the caller's transaction."""
        if not self.main.in_transaction:
            raise RuntimeError("journal entries are written inside the change's transaction")
        seq, prev, head_partition, _ = self.head()
        seq += 1
        profile, target, action, detail = clean(profile), clean(target), clean(action), clean(detail)
        # Partitions never go backwards, even if the clock does: seq order = file order.
        partition = max(partition_of(ts), head_partition)
        h = chain_hash(
            self._audit_key, prev, seq,
            canonical(seq, ts, user_id, profile, dossier_id, target, action, detail),
        )
        self.main.execute(
            f"INSERT INTO journal_outbox (partition, {COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (partition, seq, ts, user_id, profile, dossier_id, target, action, detail, h),
        )
        self.main.execute(
            "INSERT INTO journal_head (id, seq, h, partition, last_ts) VALUES (1, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, h = excluded.h, "
            "partition = excluded.partition, last_ts = excluded.last_ts",
            (seq, h, partition, ts),
        )
        return seq

    def outbox_size(self) -> int:
        return int(self.main.execute("SELECT count(*) FROM journal_outbox").fetchone()[0])

    def flush(self) -> int:
        """Move outbox entries to their partitions. Safe to interrupt and to repeat."""
        rows = self.main.execute(
            f"SELECT partition, {COLUMNS} FROM journal_outbox ORDER BY seq"
        ).fetchall()
        if not rows:
            return 0
        by_partition: dict[str, list[tuple[object, ...]]] = {}
        for row in rows:
            by_partition.setdefault(str(row[0]), []).append(tuple(row[1:]))
        for name, entries in by_partition.items():
            conn = self.partition(name, create=True)
            with transaction(conn, self.path_of(name)):
                conn.executemany(
                    f"INSERT OR IGNORE INTO journal ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                    entries,
                )
        last = int(rows[-1][1])
        with transaction(self.main):
            self.main.execute("DELETE FROM journal_outbox WHERE seq <= ?", (last,))
        return len(rows)

    def bulk_load(self, entries: Iterable[tuple[int, int | None, str, int | None, str, str, str]]) -> int:
        """Append many entries straight into partitions (demo generator, benchmarks).

        The caller guarantees no other writer runs; the head is updated at the end.
        """
        self.flush()
        seq, prev, head_partition, last_ts = self.head()
        mac = HmacSha256(self._audit_key)
        batch: list[tuple[object, ...]] = []
        current = head_partition
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
            prev = mac(prev + seq.to_bytes(8, "big")
                       + canonical(seq, ts, user_id, profile, dossier_id, target, action, detail))
            batch.append((seq, ts, user_id, profile, dossier_id, target, action, detail, prev))
            last_ts = ts
            count += 1
            if len(batch) >= 50_000:
                write(current, batch)
                batch = []
        write(current, batch)
        if count:
            with transaction(self.main):
                self.main.execute(
                    "INSERT INTO journal_head (id, seq, h, partition, last_ts) VALUES (1, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, h = excluded.h, "
                    "partition = excluded.partition, last_ts = excluded.last_ts",
                    (seq, prev, current, last_ts),
                )
        return count

    # -- reading ---------------------------------------------------------------------------
    def latest_checkpoint(self) -> Checkpoint | None:
        row = self.main.execute(
            "SELECT last_seq, count, last_hash, cutoff_ts, created_ts FROM journal_checkpoints "
            "ORDER BY last_seq DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return Checkpoint(int(row[0]), int(row[1]), bytes(row[2]), int(row[3]), int(row[4]))

    def iter_rows(self, where: str = "", params: tuple[object, ...] = ()) -> Iterator[Any]:
        """Every stored entry in seq order: partitions in name order, then the outbox."""
        clause = f" WHERE {where}" if where else ""
        for name in self.partition_names():
            conn = self.partition(name)
            yield from conn.execute(f"SELECT {COLUMNS} FROM journal{clause} ORDER BY seq", params)
        yield from self.main.execute(
            f"SELECT {COLUMNS} FROM journal_outbox{clause} ORDER BY seq", params
        )

    def iter_entries(self, where: str = "", params: tuple[object, ...] = ()) -> Iterator[StoredEntry]:
        for seq, ts, user_id, profile, dossier_id, target, action, detail, h in self.iter_rows(where, params):
            yield StoredEntry(seq, ts, user_id, profile, dossier_id, target, action, detail, h)

    def newest(
        self, where: str = "", params: tuple[object, ...] = (), *, limit: int,
        before_seq: int | None = None, ts_from: int | None = None, ts_to: int | None = None,
    ) -> list[StoredEntry]:
        """Up to ``limit`` matching entries, newest first, with ``seq < before_seq`` if given.

        Reads the outbox, then the partitions from the newest, skipping the months outside
        ``[ts_from, ts_to)`` and stopping as soon as ``limit`` entries are found: a page costs
        what it shows, not the size of the journal (§11, R-5.5).
        """
        clauses = [f"({where})"] if where else []
        values = list(params)
        if before_seq is not None:
            clauses.append("seq < ?")
            values.append(before_seq)
        clause = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        found: list[StoredEntry] = []
        for conn, table in self._sources_newest_first(ts_from, ts_to):
            rest = limit - len(found)
            if rest <= 0:
                break
            for row in conn.execute(
                f"SELECT {COLUMNS} FROM {table}{clause} ORDER BY seq DESC LIMIT ?", (*values, rest)
            ):
                found.append(StoredEntry(*row))
        return found

    def count_upto(
        self, where: str = "", params: tuple[object, ...] = (), *, cap: int,
        ts_from: int | None = None, ts_to: int | None = None,
    ) -> int:
        """How many entries match, counting no further than ``cap``."""
        clause = f" WHERE {where}" if where else ""
        total = 0
        for conn, table in self._sources_newest_first(ts_from, ts_to):
            if total >= cap:
                break
            row = conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table}{clause} LIMIT ?)", (*params, cap - total)
            ).fetchone()
            total += int(row[0])
        return min(total, cap)

    def _sources_newest_first(
        self, ts_from: int | None, ts_to: int | None
    ) -> Iterator[tuple[Connection, str]]:
        yield self.main, "journal_outbox"
        first = partition_of(ts_from) if ts_from is not None else None
        last = partition_of(ts_to - 1) if ts_to is not None else None
        for name in reversed(self.partition_names()):
            if (last is not None and name > last) or (first is not None and name < first):
                continue
            yield self.partition(name), "journal"

    # -- expiry ----------------------------------------------------------------------------
    def expire_before(self, cutoff_ts: int, now_ts: int) -> Checkpoint | None:
        """Remove the longest prefix of entries older than ``cutoff_ts`` (checkpoint first)."""
        self.flush()
        previous = self.latest_checkpoint()
        start_after = previous.last_seq if previous else 0
        count = previous.count if previous else 0
        last_seq, last_hash = start_after, previous.last_hash if previous else GENESIS
        for name in self.partition_names():
            conn = self.partition(name)
            first_young = conn.execute(
                "SELECT min(seq) FROM journal WHERE ts >= ? AND seq > ?", (cutoff_ts, start_after)
            ).fetchone()[0]
            if first_young is None:
                row = conn.execute(
                    "SELECT max(seq), count(*) FROM journal WHERE seq > ?", (start_after,)
                ).fetchone()
                if row[0] is None:
                    continue
                tail = conn.execute("SELECT seq, h FROM journal WHERE seq = ?", (row[0],)).fetchone()
                last_seq, last_hash, count = int(tail[0]), bytes(tail[1]), count + int(row[1])
                continue
            row = conn.execute(
                "SELECT max(seq), count(*) FROM journal WHERE seq > ? AND seq < ?",
                (start_after, first_young),
            ).fetchone()
            if row[0] is not None:
                tail = conn.execute("SELECT seq, h FROM journal WHERE seq = ?", (row[0],)).fetchone()
                last_seq, last_hash, count = int(tail[0]), bytes(tail[1]), count + int(row[1])
            break
        if last_seq == start_after:
            self.apply_checkpoint()
            return None
        checkpoint = Checkpoint(last_seq, count, last_hash, cutoff_ts, now_ts)
        with transaction(self.main):
            self.main.execute(
                "INSERT INTO journal_checkpoints (first_seq, last_seq, count, last_hash, cutoff_ts, "
                "created_ts, partitions) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (start_after + 1, last_seq, count, last_hash, cutoff_ts, now_ts,
                 ",".join(self.partition_names())),
            )
        self.apply_checkpoint()
        return checkpoint

    def apply_checkpoint(self) -> None:
        """Destroy what the latest checkpoint declares expired (idempotent, crash-safe)."""
        checkpoint = self.latest_checkpoint()
        if checkpoint is None:
            return
        for name in self.partition_names():
            conn = self.partition(name)
            max_seq = conn.execute("SELECT max(seq) FROM journal").fetchone()[0]
            if max_seq is None or int(max_seq) <= checkpoint.last_seq:
                if name == self.head()[2]:
                    # Keep the head partition file (new entries go there), just empty it.
                    with transaction(conn, self.path_of(name)):
                        conn.execute("DELETE FROM journal WHERE seq <= ?", (checkpoint.last_seq,))
                    continue
                self.drop_partition(name)
                continue
            min_seq = conn.execute("SELECT min(seq) FROM journal").fetchone()[0]
            if int(min_seq) <= checkpoint.last_seq:
                with transaction(conn, self.path_of(name)):
                    conn.execute("DELETE FROM journal WHERE seq <= ?", (checkpoint.last_seq,))
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def drop_partition(self, name: str) -> None:
        conn = self._open.pop(name, None)
        if conn is not None:
            conn.close()
        path = self.path_of(name)
        for victim in (Path(f"{path}-wal"), Path(f"{path}-shm"), path):
            with contextlib.suppress(FileNotFoundError):
                victim.unlink()
        fsync_dir(self.directory)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    first_bad_seq: int | None
    reason: str


def verify_chain(store: JournalStore) -> ChainReport:
    """Recompute every HMAC from the latest checkpoint to the head (R-5.4)."""
    store.flush()
    checkpoint = store.latest_checkpoint()
    expected_seq = checkpoint.last_seq + 1 if checkpoint else 1
    prev = checkpoint.last_hash if checkpoint else GENESIS
    key = store._audit_key  # noqa: SLF001 - same module family
    head_seq, head_hash, _, _ = store.head()
    count = 0
    mac = HmacSha256(key)
    to_bytes = int.to_bytes
    for name in store.partition_names():
        conn = store.partition(name)
        month_end = partition_end(name)
        cursor = conn.execute(
            f"SELECT {COLUMNS} FROM journal WHERE seq >= ? ORDER BY seq", (expected_seq,)
        )
        # Entries at or below the checkpoint may still be present after a crash during
        # expiry; apply_checkpoint removes them, verification ignores them.
        for seq, ts, user_id, profile, dossier_id, target, action, detail, h in cursor:
            if seq != expected_seq:
                bad = expected_seq if seq > expected_seq else seq
                return ChainReport(False, count, bad, "entrée manquante ou déplacée")
            # Same bytes as canonical(), written inline: this loop is the verification budget.
            body = (
                f"{seq}\x1f{ts}\x1f{'' if user_id is None else user_id}\x1f{profile}\x1f"
                f"{'' if dossier_id is None else dossier_id}\x1f{target}\x1f{action}\x1f{detail}"
            ).encode()
            prev_candidate = mac(prev + to_bytes(seq, 8, "big") + body)
            if prev_candidate != h:
                return ChainReport(False, count, seq, "entrée modifiée")
            if ts >= month_end:
                return ChainReport(False, count, seq, "entrée rangée dans un mauvais mois")
            prev = prev_candidate
            expected_seq += 1
            count += 1
    if expected_seq - 1 < head_seq:
        return ChainReport(False, count, expected_seq, "fin du journal supprimée")
    if expected_seq - 1 > head_seq or (head_seq and prev != head_hash):
        return ChainReport(False, count, head_seq + 1, "entrées ajoutées après la dernière connue")
    return ChainReport(True, count, None, "")
