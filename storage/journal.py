"""Storage of the access journal: month partitions, HMAC chain, checkpoints (R-5.2 to R-5.4, R-5.7).

An entry is first written to ``journal_outbox`` in the main database, in the same
transaction as the change it records. ``flush`` later moves entries to their partition
file ``journal/AAAA-MM.db`` (idempotently: a crash between the two steps only leaves
entries to move again; an entry whose number already holds another entry is a conflict,
kept in the outbox and reported, never dropped).

Chain (v2): ``h_i = HMAC(K_audit, h_{i-1} ‖ seq ‖ ts ‖ SHA-256(rest of the entry))``, so an
entry recorded late with an earlier time (failed logins journaled at the next login) can be
expired by its own time: it leaves a tombstone (seq, ts, digest, h) that proves its time and
keeps the chain verifiable. Entries written before the v2 migration keep the v1 formula.

The head and the checkpoints are authenticated with a key derived from ``K_audit`` and
chained: each checkpoint's MAC covers the previous one's, the head's covers the latest
checkpoint's. A checkpoint is obeyed only if that chain is intact, its cutoff lies at least
six months before its creation, its creation is not later than the last trusted time of the
clock, and it removes only entries whose own time is older than its cutoff. Anything else is
an alert, and nothing is destroyed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import os
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from storage.connection import Connection, open_database, transaction
from storage.files import fsync_dir, private_dir

GENESIS = hashlib.sha256(b"sillage journal genesis v1").digest()
PARTITION_RE = re.compile(r"^(\d{4})-(\d{2})\.db$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
RETENTION_MONTHS = 6
#: the automatic expiry trusts the clock up to this long after the last trusted time (R-5.7)
TRUST_WINDOW = 7 * 86_400 * 1_000_000
#: jitter tolerated before a clock behind the newest entry counts as going backwards
BACKWARD_TOLERANCE = 10 * 60 * 1_000_000
META_V2_FROM = "journal_chain_v2_from"
#: the action of an entry written by Sillage itself when it finds the journal tampered with
ALERT_ACTION = "alerte"

PARTITION_SCHEMA = (
    "CREATE TABLE journal (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, user_id INTEGER, "
    "profile TEXT NOT NULL, dossier_id INTEGER, target TEXT NOT NULL, action TEXT NOT NULL, "
    "detail TEXT NOT NULL, h BLOB NOT NULL)",
    "CREATE INDEX journal_ts ON journal (ts)",
    "CREATE INDEX journal_dossier ON journal (dossier_id)",
    "CREATE INDEX journal_user ON journal (user_id)",
)
#: tombstones of entries expired out of order (no personal data: number, time, hashes)
EXPIRED_TABLE = (
    "CREATE TABLE IF NOT EXISTS expired (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, "
    "digest BLOB NOT NULL, h BLOB NOT NULL)"
)
COLUMNS = "seq, ts, user_id, profile, dossier_id, target, action, detail, h"


class JournalIntegrityError(Exception):
    """The head or the checkpoints do not authenticate: nothing may be destroyed."""


class ClockNotTrusted(Exception):
    """The clock lies outside the bounds in which expiry may trust it (R-5.7)."""


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
    first_seq: int = 0
    mac: bytes = b""


@dataclass(frozen=True)
class Head:
    seq: int
    h: bytes
    partition: str
    last_ts: int
    max_ts: int  # the newest entry's time (entries may be recorded with an earlier time)
    trusted_ts: int  # the clock was last trusted (in bounds or confirmed) at this time
    ckpt_mac: bytes
    mac: bytes | None


@dataclass(frozen=True)
class Alert:
    id: int
    kind: str
    detail: str
    after_seq: int


def to_micros(when: dt.datetime) -> int:
    return int(when.timestamp() * 1_000_000)


def from_micros(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts / 1_000_000, tz=dt.UTC)


def months_before(when: dt.datetime, months: int) -> dt.datetime:
    year, month = when.year, when.month - months
    while month <= 0:
        month += 12
        year -= 1
    day = min(when.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                         31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return when.replace(year=year, month=month, day=day)


def retention_limit(now_ts: int) -> int:
    """The latest cutoff allowed at ``now_ts``: six rolling months before it (R-5.3)."""
    return to_micros(months_before(from_micros(now_ts), RETENTION_MONTHS))


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
    """The v1 canonical form (entries written before the v2 migration)."""
    return "\x1f".join(
        (
            str(seq), str(ts), "" if user_id is None else str(user_id), profile,
            "" if dossier_id is None else str(dossier_id), target, action, detail,
        )
    ).encode("utf-8")


def rest_of(
    user_id: int | None, profile: str, dossier_id: int | None, target: str, action: str, detail: str,
) -> bytes:
    """Everything of an entry but its number and time (v2: hashed into the chain)."""
    return (
        f"{'' if user_id is None else user_id}\x1f{profile}\x1f"
        f"{'' if dossier_id is None else dossier_id}\x1f{target}\x1f{action}\x1f{detail}"
    ).encode()


def _i64(value: int) -> bytes:
    return value.to_bytes(8, "big", signed=True)


class EntryMac:
    """The chain MAC with the standard library's ``hmac``: the keyed state is made once and
    copied for each entry (R-5.4)."""

    def __init__(self, key: bytes) -> None:
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def v2(self, prev: bytes, seq: int, ts: int, digest: bytes) -> bytes:
        mac = self._base.copy()
        mac.update(prev + _i64(seq) + _i64(ts) + digest)
        return mac.digest()

    def v1(self, prev: bytes, seq: int, body: bytes) -> bytes:
        mac = self._base.copy()
        mac.update(prev + seq.to_bytes(8, "big") + body)
        return mac.digest()

    def entry(self, prev: bytes, seq: int, ts: int, rest: bytes, v2_from: int) -> bytes:
        if seq >= v2_from:
            return self.v2(prev, seq, ts, hashlib.sha256(rest).digest())
        return self.v1(prev, seq, f"{seq}\x1f{ts}\x1f".encode() + rest)


def chain_hash(key: bytes, prev: bytes, seq: int, body: bytes) -> bytes:
    """The v1 chain step (kept for entries written before the v2 migration)."""
    return hmac.digest(key, prev + seq.to_bytes(8, "big") + body, "sha256")


def head_mac(key: bytes, seq: int, h: bytes, partition: str, last_ts: int, max_ts: int,
             trusted_ts: int, ckpt_mac: bytes) -> bytes:
    message = (b"head\0" + _i64(seq) + h + partition.encode() + b"\0" + _i64(last_ts)
               + _i64(max_ts) + _i64(trusted_ts) + ckpt_mac)
    return hmac.digest(key, message, "sha256")


def checkpoint_mac(key: bytes, prev_mac: bytes, first_seq: int, last_seq: int, count: int,
                   last_hash: bytes, cutoff_ts: int, created_ts: int) -> bytes:
    message = (b"checkpoint\0" + prev_mac + _i64(first_seq) + _i64(last_seq) + _i64(count)
               + last_hash + _i64(cutoff_ts) + _i64(created_ts))
    return hmac.digest(key, message, "sha256")


# -- seals (R-5.6) -------------------------------------------------------------------------
#: a copy of every seal inside the partition that was the head when it was made, so that a
#: rolled-back main database cannot take the seals with it
SEALS_TABLE = (
    "CREATE TABLE IF NOT EXISTS seals (seq INTEGER NOT NULL, h BLOB NOT NULL, entry_ts INTEGER NOT NULL, "
    "sealed_ts INTEGER NOT NULL, reason TEXT NOT NULL, public_key BLOB NOT NULL, signature BLOB NOT NULL, "
    "PRIMARY KEY (seq, signature))"
)
SEAL_COLUMNS = "seq, h, entry_ts, sealed_ts, reason, public_key, signature"


class SealKey(Protocol):
    """The journal sealing key as the journal needs it (R-5.6): an Ed25519 signer."""

    def public_bytes(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature of ``message``."""


@dataclass(frozen=True)
class Seal:
    seq: int
    h: bytes
    entry_ts: int  # the sealed entry's own time
    sealed_ts: int
    reason: str
    public_key: bytes
    signature: bytes

    def message(self) -> bytes:
        return seal_message(self.seq, self.h, self.entry_ts, self.sealed_ts)

    def is_valid(self) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(self.signature, self.message())
        except (InvalidSignature, ValueError):
            return False
        return True


def seal_anchor(conn: Connection) -> dict[str, Any] | None:
    """The latest seal of a main database, as carried outside the workstation by backups and
    journal exports (R-5.6): entry number, hash, times, public key and signature."""
    row = conn.execute(
        f"SELECT {SEAL_COLUMNS} FROM journal_seals ORDER BY seq DESC, sealed_ts DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return {
        "seq": int(row[0]), "hash": bytes(row[1]).hex(), "entry_ts": int(row[2]),
        "sealed_at": from_micros(int(row[3])).isoformat(timespec="seconds"),
        "public_key": bytes(row[5]).hex(), "signature": bytes(row[6]).hex(),
    }


def seal_message(seq: int, h: bytes, entry_ts: int, sealed_ts: int) -> bytes:
    return b"sillage journal seal v1\0" + _i64(seq) + h + _i64(entry_ts) + _i64(sealed_ts)


# -- sealing key lineage (R-5.6) --------------------------------------------------------------
#: Every new sealing key is recorded by a journal entry naming its predecessor. A retired key's
#: seals count only through this lineage, read back from entries that the newer key itself has
#: sealed — never because its public key is listed in the database, which an insider with the
#: DMK can rewrite.
SUCCESSION_TARGET = "cles"
_SUCCESSION_RE = re.compile(
    r"clé de scellement du journal : nouvelle ([0-9a-f]{64}), précédente ([0-9a-f]{64}|aucune)(?: \(.*\))?"
)

#: public key → the last entry number it may seal (None: no limit, the current key)
TrustedKeys = Mapping[bytes, int | None]


def succession_detail(new: bytes, old: bytes | None, reason: str) -> str:
    """The journal text that records a new sealing key and its predecessor."""
    return (f"clé de scellement du journal : nouvelle {new.hex()}, "
            f"précédente {old.hex() if old else 'aucune'} ({reason})")


def parse_succession(detail: str) -> tuple[bytes, bytes | None] | None:
    match = _SUCCESSION_RE.fullmatch(detail)
    if match is None:
        return None
    old = match.group(2)
    return bytes.fromhex(match.group(1)), None if old == "aucune" else bytes.fromhex(old)


def key_problem(trusted: Collection[bytes] | TrustedKeys | None, seal: Seal) -> str | None:
    """Why ``seal``'s key may not seal its entry, or None."""
    if trusted is None:
        return None
    if seal.public_key not in trusted:
        return f"sceau du {_when(seal.sealed_ts)} signé par une clé de scellement inconnue"
    bound = trusted.get(seal.public_key) if isinstance(trusted, Mapping) else None
    if bound is not None and seal.seq > bound:
        return (f"sceau du {_when(seal.sealed_ts)} signé par une clé de scellement retirée "
                f"avant l'entrée n° {seal.seq}")
    return None


class JournalStore:
    """The partition files of one workspace plus the outbox and head in the main database."""

    def __init__(self, directory: Path, key: bytes, main: Connection, audit_key: bytes) -> None:
        self.directory = directory
        self._key = key
        self.main = main
        self._audit_key = audit_key
        self._meta_key = hmac.digest(audit_key, b"sillage journal head and checkpoints v1", "sha256")
        self._mac = EntryMac(audit_key)
        self._open: dict[str, Connection] = {}
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

    def tombstones(self, conn: Connection, from_seq: int) -> dict[int, tuple[int, bytes, bytes]]:
        if not self.has_tombstones_table(conn):
            return {}
        return {
            int(seq): (int(ts), bytes(digest), bytes(h))
            for seq, ts, digest, h in conn.execute(
                "SELECT seq, ts, digest, h FROM expired WHERE seq >= ?", (from_seq,)
            )
        }

    def close(self) -> None:
        for conn in self._open.values():
            with contextlib.suppress(Exception):
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

    # -- reading ---------------------------------------------------------------------------
    def checkpoints(self) -> list[Checkpoint]:
        return [
            Checkpoint(int(r[2]), int(r[3]), bytes(r[4]), int(r[5]), int(r[6]), int(r[1]),
                       b"" if r[7] is None else bytes(r[7]))
            for r in self.main.execute(
                "SELECT id, first_seq, last_seq, count, last_hash, cutoff_ts, created_ts, mac "
                "FROM journal_checkpoints ORDER BY id"
            )
        ]

    def latest_checkpoint(self) -> Checkpoint | None:
        checkpoints = self.checkpoints()
        return checkpoints[-1] if checkpoints else None

    def check_checkpoints(self, head: Head | None = None) -> tuple[Checkpoint | None, str | None]:
        """The latest checkpoint if the head and the whole checkpoint chain authenticate and
        obey the rules of R-5.4; otherwise (None, the problem in French)."""
        head = head or self.head_state()
        if not self.head_is_authentic(head):
            return None, "la tête du journal (dernière entrée connue) a été modifiée"
        prev_mac = b""
        previous: Checkpoint | None = None
        for cp in self.checkpoints():
            expected = checkpoint_mac(self._meta_key, prev_mac, cp.first_seq, cp.last_seq, cp.count,
                                      cp.last_hash, cp.cutoff_ts, cp.created_ts)
            if not cp.mac or not hmac.compare_digest(expected, cp.mac):
                return None, f"le point de contrôle jusqu'au n° {cp.last_seq} a été modifié ou ajouté"
            if cp.cutoff_ts > retention_limit(cp.created_ts):
                return None, (f"le point de contrôle jusqu'au n° {cp.last_seq} supprimerait des "
                              "entrées de moins de six mois")
            if previous is not None and (cp.last_seq < previous.last_seq or cp.cutoff_ts < previous.cutoff_ts
                                         or cp.first_seq != previous.last_seq + 1):
                return None, f"le point de contrôle jusqu'au n° {cp.last_seq} ne suit pas le précédent"
            if previous is None and cp.first_seq != 1:
                return None, f"le point de contrôle jusqu'au n° {cp.last_seq} ne commence pas au n° 1"
            if cp.created_ts > head.trusted_ts + BACKWARD_TOLERANCE:
                return None, (f"le point de contrôle jusqu'au n° {cp.last_seq} est daté d'après la "
                              "dernière date confirmée de l'horloge")
            if cp.last_seq > head.seq:
                return None, f"le point de contrôle va au-delà de la dernière entrée (n° {head.seq})"
            prev_mac, previous = cp.mac, cp
        if head.ckpt_mac != prev_mac:
            return None, "un point de contrôle a été supprimé ou remplacé"
        return previous, None

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
    def partitions_max_seq(self) -> int:
        """The highest entry number found in the partition files (live or tombstone)."""
        best = 0
        for name in reversed(self.partition_names()):
            conn = self.partition(name)
            top = conn.execute("SELECT max(seq) FROM journal").fetchone()[0]
            if self.has_tombstones_table(conn):
                dead = conn.execute("SELECT max(seq) FROM expired").fetchone()[0]
                top = max(top or 0, dead or 0)
            if top:
                best = max(best, int(top))
                break
        return best

    def check_head(self) -> str | None:
        """At opening: the head must authenticate and match the partitions (R-5.4)."""
        head = self.head_state()
        if not self.head_is_authentic(head):
            problem = "La tête du journal a été modifiée en dehors de Sillage."
            self.alert("tete", problem)
            return problem
        stored = self.partitions_max_seq()
        if stored > head.seq:
            problem = (f"Les partitions du journal vont jusqu'au n° {stored} mais la tête s'arrête au "
                       f"n° {head.seq} : la base principale a peut-être été restaurée à un état antérieur.")
            self.alert("conflit", problem)
            return problem
        return None

    # -- expiry ----------------------------------------------------------------------------
    def clock_state(self, now_ts: int) -> str:
        """"ok", "ahead" (beyond the trust window) or "behind" (before the newest entry)."""
        head = self.head_state()
        if head.seq == 0:
            return "ok"
        if now_ts < head.max_ts - BACKWARD_TOLERANCE:
            return "behind"
        if now_ts > head.trusted_ts + TRUST_WINDOW:
            return "ahead"
        return "ok"

    def _hash_at(self, seq: int) -> bytes:
        for name in self.partition_names():
            conn = self.partition(name)
            row = conn.execute("SELECT h FROM journal WHERE seq = ?", (seq,)).fetchone()
            if row is None and self.has_tombstones_table(conn):
                row = conn.execute("SELECT h FROM expired WHERE seq = ?", (seq,)).fetchone()
            if row is not None:
                return bytes(row[0])
        raise JournalIntegrityError(f"entrée n° {seq} introuvable")

    def expire_before(self, cutoff_ts: int, now_ts: int, *, confirmed: bool = False) -> Checkpoint | None:
        """Destroy every entry whose own time is older than ``cutoff_ts`` (R-5.3, R-5.4, R-5.7).

        The prefix of the chain goes with a checkpoint; entries recorded late with an earlier
        time leave a tombstone. Refused (nothing destroyed) for a cutoff later than six months
        before ``now_ts``, for a clock outside its trusted bounds unless ``confirmed`` by a
        director, and for a head or checkpoint chain that does not authenticate."""
        self.flush()
        if cutoff_ts > retention_limit(now_ts):
            raise ValueError("cutoff later than six months before now")
        self.adopt_legacy()
        head = self.head_state()
        if head.seq == 0:
            return None
        state = self.clock_state(now_ts)
        if state != "ok" and not confirmed:
            raise ClockNotTrusted(state)
        previous, problem = self.check_checkpoints(head)
        if problem:
            self.alert("point de contrôle", problem)
            raise JournalIntegrityError(problem)
        trusted = max(head.trusted_ts, now_ts) if not confirmed else now_ts
        start_after = previous.last_seq if previous else 0
        if previous is not None:
            cutoff_ts = max(cutoff_ts, previous.cutoff_ts)
        first_young: int | None = None
        late = 0
        for name in self.partition_names():
            conn = self.partition(name)
            if first_young is None:
                young = conn.execute(
                    "SELECT min(seq) FROM journal WHERE ts >= ? AND seq > ?", (cutoff_ts, start_after)
                ).fetchone()[0]
                if young is not None:
                    first_young = int(young)
            if first_young is not None:
                late += int(conn.execute(
                    "SELECT count(*) FROM journal WHERE ts < ? AND seq > ?", (cutoff_ts, first_young)
                ).fetchone()[0])
        outbox_young = self.main.execute(
            "SELECT min(seq) FROM journal_outbox WHERE ts >= ?", (cutoff_ts,)
        ).fetchone()[0]
        if first_young is None and outbox_young is not None:
            first_young = int(outbox_young)
        last_seq = head.seq if first_young is None else first_young - 1
        if last_seq <= start_after and not late:
            if trusted != head.trusted_ts:
                with transaction(self.main):
                    self._write_head(head.seq, head.h, head.partition, head.last_ts, head.max_ts,
                                     trusted, head.ckpt_mac)
            self.apply_checkpoint(now_ts)
            return None
        last_seq = max(last_seq, start_after)
        last_hash = previous.last_hash if previous and last_seq == start_after else (
            GENESIS if last_seq == 0 else self._hash_at(last_seq))
        count = (previous.count if previous else 0) + (last_seq - start_after)
        first_seq = start_after + 1
        mac = checkpoint_mac(self._meta_key, previous.mac if previous else b"", first_seq, last_seq,
                             count, last_hash, cutoff_ts, now_ts)
        with transaction(self.main):
            self.main.execute(
                "INSERT INTO journal_checkpoints (first_seq, last_seq, count, last_hash, cutoff_ts, "
                "created_ts, partitions, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (first_seq, last_seq, count, last_hash, cutoff_ts, now_ts,
                 ",".join(self.partition_names()), mac),
            )
            self._write_head(head.seq, head.h, head.partition, head.last_ts, head.max_ts, trusted, mac)
        self.apply_checkpoint(now_ts)
        return Checkpoint(last_seq, count, last_hash, cutoff_ts, now_ts, first_seq, mac)

    def apply_checkpoint(self, now_ts: int | None = None) -> None:
        """Destroy what the latest checkpoint declares expired (idempotent, crash-safe).

        Only an authentic checkpoint is obeyed, only with the current time at hand (``now_ts``:
        at opening, without it, nothing is destroyed; the expiry at login finishes the work),
        never one dated after ``now_ts``, and only for entries whose own time is older than its
        cutoff: a forged or contradicted checkpoint is an alert and destroys nothing."""
        self.adopt_legacy()
        if self.check_head():
            return
        checkpoint, problem = self.check_checkpoints()
        if problem:
            self.alert("point de contrôle", problem)
            return
        if checkpoint is None or now_ts is None:
            return
        if checkpoint.created_ts > now_ts + BACKWARD_TOLERANCE:
            self.alert("point de contrôle",
                       f"Le point de contrôle jusqu'au n° {checkpoint.last_seq} est daté du "
                       f"{_when(checkpoint.created_ts)}, après la date du jour : rien n'a été détruit.")
            return
        last_seq, cutoff = checkpoint.last_seq, checkpoint.cutoff_ts
        names = self.partition_names()
        # First pass: refuse if the checkpoint would remove anything not older than its cutoff.
        for name in names:
            conn = self.partition(name)
            low = conn.execute("SELECT min(seq) FROM journal").fetchone()[0]
            if low is None or int(low) > last_seq:
                continue
            young = conn.execute(
                "SELECT min(seq) FROM journal WHERE ts >= ? AND seq <= ?", (cutoff, last_seq)
            ).fetchone()[0]
            if young is not None:
                self.alert("point de contrôle",
                           f"Le point de contrôle jusqu'au n° {last_seq} supprimerait l'entrée "
                           f"n° {young}, qui n'a pas six mois : rien n'a été détruit.")
                return
        head_partition = self.head_state().partition
        for name in names:
            conn = self.partition(name)
            tombs = self.has_tombstones_table(conn)
            top = conn.execute("SELECT max(seq) FROM journal").fetchone()[0]
            if tombs:
                dead = conn.execute("SELECT max(seq) FROM expired").fetchone()[0]
                top = max(top or 0, dead or 0) or None
            if top is None or int(top) <= last_seq:
                if name == head_partition:
                    with transaction(conn, self.path_of(name)):
                        conn.execute("DELETE FROM journal WHERE seq <= ?", (last_seq,))
                        if tombs:
                            conn.execute("DELETE FROM expired WHERE seq <= ?", (last_seq,))
                    continue
                self.drop_partition(name)
                continue
            low = conn.execute("SELECT min(seq) FROM journal").fetchone()[0]
            low_dead = conn.execute("SELECT min(seq) FROM expired").fetchone()[0] if tombs else None
            changed = False
            with transaction(conn, self.path_of(name)):
                if (low is not None and int(low) <= last_seq) or (low_dead is not None and int(low_dead) <= last_seq):
                    conn.execute("DELETE FROM journal WHERE seq <= ?", (last_seq,))
                    if tombs:
                        conn.execute("DELETE FROM expired WHERE seq <= ?", (last_seq,))
                    changed = True
                late = conn.execute(
                    f"SELECT {COLUMNS} FROM journal WHERE ts < ? AND seq > ?", (cutoff, last_seq)
                ).fetchall()
                if late:
                    conn.execute(EXPIRED_TABLE)
                    self._tombstone(conn, late)
                    changed = True
            if changed:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _tombstone(self, conn: Connection, rows: list[Any]) -> None:
        v2_from = self.v2_from
        for seq, ts, user_id, profile, dossier_id, target, action, detail, h in rows:
            digest = (hashlib.sha256(rest_of(user_id, profile, dossier_id, target, action, detail)).digest()
                      if seq >= v2_from else b"")
            conn.execute("INSERT OR REPLACE INTO expired (seq, ts, digest, h) VALUES (?, ?, ?, ?)",
                         (seq, ts, digest, h))
            conn.execute("DELETE FROM journal WHERE seq = ?", (seq,))

    # -- seals (R-5.6) ---------------------------------------------------------------------
    @staticmethod
    def _seal_of(row: Any) -> Seal:
        return Seal(int(row[0]), bytes(row[1]), int(row[2]), int(row[3]), str(row[4]), bytes(row[5]),
                    bytes(row[6]))

    def seals(self) -> list[Seal]:
        """Every seal found: the main database's and the copies kept in the partitions."""
        main, only_in_partitions = self.seals_by_place()
        return sorted([*main, *only_in_partitions], key=lambda s: (s.seq, s.sealed_ts))

    def seals_by_place(self) -> tuple[list[Seal], list[Seal]]:
        """The main database's seals, and the seals found only as copies in the partitions
        (a seal is written to the main database first: a copy alone means it was rolled back)."""
        found: dict[tuple[int, bytes], Seal] = {}
        for row in self.main.execute(f"SELECT {SEAL_COLUMNS} FROM journal_seals"):
            seal = self._seal_of(row)
            found[(seal.seq, seal.signature)] = seal
        extra: dict[tuple[int, bytes], Seal] = {}
        for name in self.partition_names():
            conn = self.partition(name)
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seals'").fetchone():
                for row in conn.execute(f"SELECT {SEAL_COLUMNS} FROM seals"):
                    seal = self._seal_of(row)
                    if (seal.seq, seal.signature) not in found:
                        extra[(seal.seq, seal.signature)] = seal
        return list(found.values()), list(extra.values())

    def latest_seal(self) -> Seal | None:
        row = self.main.execute(
            f"SELECT {SEAL_COLUMNS} FROM journal_seals ORDER BY seq DESC, sealed_ts DESC LIMIT 1"
        ).fetchone()
        return None if row is None else self._seal_of(row)

    def successions(self, months: Iterable[str]) -> list[tuple[int, bytes, bytes | None]]:
        """(entry number, new key, previous key) of the key successions recorded in the
        partitions of ``months`` (AAAA-MM), oldest first. Call ``flush`` first."""
        found = []
        existing = set(self.partition_names())
        for name in sorted(set(months) & existing):
            rows = self.partition(name).execute(
                "SELECT seq, detail FROM journal WHERE target = ? AND detail LIKE 'clé de scellement du journal : %'",
                (SUCCESSION_TARGET,))
            for seq, detail in rows:
                parsed = parse_succession(str(detail))
                if parsed is not None:
                    found.append((int(seq), *parsed))
        return sorted(found)

    def newest_valid_seal_by(self, public_key: bytes) -> int | None:
        """The entry number of the newest seal with an authentic signature by ``public_key``."""
        for row in self.main.execute(
                f"SELECT {SEAL_COLUMNS} FROM journal_seals WHERE public_key = ? ORDER BY seq DESC", (public_key,)):
            seal = self._seal_of(row)
            if seal.is_valid():
                return seal.seq
        return None

    def lineage(self, anchor: bytes, months: Iterable[str]) -> dict[bytes, int | None]:
        """The keys whose seals count (R-5.6): ``anchor`` (the key pinned in the director's own
        grant), then each predecessor named by the first succession entry of a trusted key —
        an entry that key has itself sealed since, so that an insider cannot append one — each
        bounded to the entries before its succession. Until the anchor has sealed once (just
        after a renewal), its succession after the latest seal counts."""
        self.flush()
        links = self.successions(months)
        trusted: dict[bytes, int | None] = {anchor: None}
        current, bound = anchor, None
        latest = self.latest_seal()
        while True:
            link = next(((seq, old) for seq, new, old in links if new == current), None)
            if link is None:
                return trusted
            seq, old = link
            if old is None or old in trusted:
                return trusted
            sealed_by_current = self.newest_valid_seal_by(current)
            first_seal = (current == anchor and sealed_by_current is None
                          and seq > (latest.seq if latest else 0))
            if not first_seal and (sealed_by_current is None or sealed_by_current < seq):
                return trusted
            bound = seq - 1 if bound is None else min(bound, seq - 1)
            trusted[old] = bound
            current = old

    def seal(self, key: SealKey, now_ts: int, reason: str, trusted: TrustedKeys | None = None) -> Seal | None:
        """Sign the head (seq, hash, time) with the journal sealing key (R-5.6).

        Never seals a journal whose head, checkpoints or entries since the previous seal do not
        authenticate. Returns None when nothing was sealed."""
        self.flush()
        head = self.head_state()
        if head.seq == 0 or self.check_head() or self.outbox_size():
            return None
        checkpoint, problem = self.check_checkpoints(head)
        if problem:
            return None
        public = key.public_bytes()
        last = self.latest_seal()
        if last is not None and last.seq == head.seq and last.h == head.h and last.public_key == public:
            return last
        if last is not None and not last.is_valid():
            self.alert("sceau", f"Scellement refusé : le sceau n° {last.seq} n'est pas authentique.")
            return None
        untrusted = None if last is None else key_problem(trusted, last)
        if untrusted:
            self.alert("sceau", f"Scellement refusé : {untrusted} (n° {last.seq if last else 0}).")
            return None
        # The entries since the previous seal must still chain from it; a first seal signs the
        # journal as it stands (only ``journal verify`` reads everything, off the login path).
        report = None
        if last is not None and (checkpoint is None or last.seq > checkpoint.last_seq):
            report = verify_chain(self, since=(last.seq, last.h))
        elif last is not None:
            report = verify_chain(self)
        if report is not None and not report.ok:
            self.alert("sceau", f"Scellement refusé : {report.reason} (n° {report.first_bad_seq}).")
            return None
        message = seal_message(head.seq, head.h, head.last_ts, now_ts)
        seal = Seal(head.seq, head.h, head.last_ts, now_ts, reason, public, key.sign(message))
        values = (seal.seq, seal.h, seal.entry_ts, seal.sealed_ts, seal.reason, seal.public_key, seal.signature)
        with transaction(self.main):
            self.main.execute(f"INSERT INTO journal_seals ({SEAL_COLUMNS}) VALUES (?,?,?,?,?,?,?)", values)
        if head.partition:
            conn = self.partition(head.partition, create=True)
            with transaction(conn, self.path_of(head.partition)):
                conn.execute(SEALS_TABLE)
                conn.execute(f"INSERT OR IGNORE INTO seals ({SEAL_COLUMNS}) VALUES (?,?,?,?,?,?,?)", values)
        return seal

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
    expired_late: int = 0
    sealed_seq: int | None = None  # the newest sealed entry
    sealed_ts: int | None = None  # when it was sealed
    unsealed: int = 0  # entries after it


def _when(ts: int) -> str:
    return f"{from_micros(ts):%d/%m/%Y %H:%M}"


def verify_chain(
    store: JournalStore, now_ts: int | None = None, *,
    trusted_keys: Collection[bytes] | TrustedKeys | None = None, since: tuple[int, bytes] | None = None,
) -> ChainReport:
    """Recompute every HMAC from the latest checkpoint to the head (R-5.4) and check every
    seal against the chain (R-5.6).

    The head and the checkpoint chain must authenticate first; entries left below the
    checkpoint by a crash during expiry are ignored (``apply_checkpoint`` removes them).
    A seal must be signed by one of ``trusted_keys`` (when given; a mapping also bounds the
    entries a retired key may have sealed, see ``lineage``), and its entry must still
    hash to what it signed, or have been expired by its own time. ``since`` = (seq, hash)
    verifies only the entries after an already sealed one (used before sealing)."""
    store.flush()
    head = store.head_state()
    checkpoint, problem = store.check_checkpoints(head)
    if problem:
        first = checkpoint.last_seq + 1 if checkpoint else 1
        return ChainReport(False, 0, first, problem)
    if now_ts is not None:
        late = [cp for cp in store.checkpoints() if cp.created_ts > now_ts + TRUST_WINDOW]
        if late:
            return ChainReport(False, 0, late[0].first_seq,
                               "point de contrôle daté d'après la date du jour")
    cutoff = checkpoint.cutoff_ts if checkpoint else 0
    expected_seq = checkpoint.last_seq + 1 if checkpoint else 1
    prev = checkpoint.last_hash if checkpoint else GENESIS
    # -- seals: signature, key, and what each one may still be compared with ---------------
    seals: list[Seal] = []
    if since is None:
        in_main, only_copied = store.seals_by_place()
        valid_copies = [seal for seal in only_copied if seal.is_valid()]
        if valid_copies:
            missing = min(valid_copies, key=lambda s: s.seq)
            return ChainReport(False, 0, missing.seq,
                               f"le sceau du {_when(missing.sealed_ts)} manque dans la base principale : "
                               "elle a été restaurée à un état antérieur")
        seals = sorted(in_main, key=lambda s: (s.seq, s.sealed_ts))
    sealed: dict[int, Seal] = {}
    newest: Seal | None = None

    def seal_failure(seal: Seal, report: ChainReport) -> ChainReport:
        """A seal that contradicts the journal counts only if it is genuine."""
        problem = key_problem(trusted_keys, seal)
        if problem:
            return ChainReport(False, 0, seal.seq, problem)
        if not seal.is_valid():
            return ChainReport(False, 0, seal.seq, f"sceau du {_when(seal.sealed_ts)} invalide")
        return report

    # Only the newest seal's signature is needed when everything matches: it covers, through
    # the chain, every entry before it; any seal that contradicts the journal is checked too.
    for seal in seals:
        if seal.seq > head.seq:
            return seal_failure(seal, ChainReport(
                False, 0, head.seq + 1, f"entrées scellées manquantes : le sceau du {_when(seal.sealed_ts)} "
                f"couvre jusqu'au n° {seal.seq} (journal tronqué ou restauré)"))
        if newest is None or (seal.seq, seal.sealed_ts) > (newest.seq, newest.sealed_ts):
            newest = seal
        if checkpoint is not None and seal.seq <= checkpoint.last_seq:
            if seal.entry_ts >= checkpoint.cutoff_ts or (
                    seal.seq == checkpoint.last_seq and seal.h != checkpoint.last_hash):
                return seal_failure(seal, ChainReport(
                    False, 0, seal.seq, f"entrées scellées (sceau du {_when(seal.sealed_ts)}) détruites "
                    "avant leurs six mois"))
            continue
        other = sealed.get(seal.seq)
        if other is not None and other.h != seal.h:
            return seal_failure(seal, seal_failure(other, ChainReport(
                False, 0, seal.seq, "deux sceaux contradictoires")))
        sealed[seal.seq] = seal
    if newest is not None:
        checked = seal_failure(newest, ChainReport(True, 0, None, ""))
        if not checked.ok:
            return checked
    if since is not None:
        expected_seq, prev = since[0] + 1, since[1]
    seal_seqs = sorted(sealed)
    seal_index = 0
    next_seal = seal_seqs[0] if seal_seqs else -1
    v2_from = store.v2_from
    count = 0
    tomb_count = 0
    first_alert: tuple[int, str] | None = None
    copy = store._mac._base.copy  # noqa: SLF001 - same module
    sha256 = hashlib.sha256
    to_bytes = int.to_bytes

    def broken(seal_seq: int) -> ChainReport:
        seal = sealed[seal_seq]
        return seal_failure(seal, ChainReport(
            False, count, seal_seq, f"sceau du {_when(seal.sealed_ts)} rompu : les entrées jusqu'au "
            f"n° {seal_seq} ne sont plus celles qui ont été scellées"))

    for name in store.partition_names():
        conn = store.partition(name)
        month_end = partition_end(name)
        tombs = store.tombstones(conn, expected_seq)
        cursor = conn.execute(
            f"SELECT {COLUMNS} FROM journal WHERE seq >= ? ORDER BY seq", (expected_seq,)
        )
        for seq, ts, user_id, profile, dossier_id, target, action, detail, h in cursor:
            if seq != expected_seq:
                while expected_seq in tombs and expected_seq < seq:
                    tomb = tombs.pop(expected_seq)
                    bad = _tombstone_problem(store, tomb, prev, expected_seq, cutoff, v2_from)
                    if bad:
                        return ChainReport(False, count, expected_seq, bad)
                    prev = tomb[2]
                    if expected_seq == next_seal:
                        if sealed[next_seal].h != prev:
                            return broken(next_seal)
                        seal_index += 1
                        next_seal = seal_seqs[seal_index] if seal_index < len(seal_seqs) else -1
                    expected_seq += 1
                    tomb_count += 1
                if seq != expected_seq:
                    bad_seq = expected_seq if seq > expected_seq else seq
                    return ChainReport(False, count, bad_seq, "entrée manquante ou déplacée")
            # rest_of() written inline: this loop is the verification budget (SPEC §11).
            rest = (
                f"{'' if user_id is None else user_id}\x1f{profile}\x1f"
                f"{'' if dossier_id is None else dossier_id}\x1f{target}\x1f{action}\x1f{detail}"
            ).encode()
            mac = copy()
            if seq >= v2_from:
                mac.update(prev + to_bytes(seq, 8, "big", signed=True) + to_bytes(ts, 8, "big", signed=True)
                           + sha256(rest).digest())
            else:
                mac.update(prev + to_bytes(seq, 8, "big") + f"{seq}\x1f{ts}\x1f".encode() + rest)
            candidate = mac.digest()
            if candidate != h:
                return ChainReport(False, count, seq, "entrée modifiée")
            if ts >= month_end:
                return ChainReport(False, count, seq, "entrée rangée dans un mauvais mois")
            if seq == next_seal:
                if sealed[seq].h != candidate:
                    return broken(seq)
                seal_index += 1
                next_seal = seal_seqs[seal_index] if seal_index < len(seal_seqs) else -1
            if action == ALERT_ACTION and first_alert is None:
                first_alert = (seq, detail)
            prev = candidate
            expected_seq += 1
            count += 1
        while expected_seq in tombs:
            tomb = tombs.pop(expected_seq)
            bad = _tombstone_problem(store, tomb, prev, expected_seq, cutoff, v2_from)
            if bad:
                return ChainReport(False, count, expected_seq, bad)
            prev = tomb[2]
            if expected_seq == next_seal:
                if sealed[next_seal].h != prev:
                    return broken(next_seal)
                seal_index += 1
                next_seal = seal_seqs[seal_index] if seal_index < len(seal_seqs) else -1
            expected_seq += 1
            tomb_count += 1
        if tombs:
            return ChainReport(False, count, min(tombs), "entrée expirée hors de sa place")
    pending = store.main.execute("SELECT min(seq) FROM journal_outbox").fetchone()[0]
    if pending is not None:
        return ChainReport(False, count, int(pending),
                           "conflit entre la tête du journal et les partitions (entrées conservées à part)")
    if next_seal != -1:
        return broken(next_seal)
    if expected_seq - 1 < head.seq:
        return ChainReport(False, count, expected_seq, "fin du journal supprimée")
    if expected_seq - 1 > head.seq or (head.seq and prev != head.h):
        return ChainReport(False, count, head.seq + 1, "entrées ajoutées après la dernière connue")
    if first_alert is not None:
        return ChainReport(False, count, first_alert[0], f"altération détectée par Sillage : {first_alert[1]}")
    if newest is None:
        return ChainReport(True, count, None, "", tomb_count, None, None, head.seq)
    return ChainReport(True, count, None, "", tomb_count, newest.seq, newest.sealed_ts, head.seq - newest.seq)


def _tombstone_problem(store: JournalStore, tomb: tuple[int, bytes, bytes], prev: bytes, seq: int,
                       cutoff: int, v2_from: int) -> str | None:
    ts, digest, h = tomb
    if ts >= cutoff:
        return "entrée supprimée avant ses six mois"
    if seq >= v2_from and store._mac.v2(prev, seq, ts, digest) != h:  # noqa: SLF001
        return "entrée expirée modifiée"
    return None
