"""The journal's records and their authentication: entries, head, checkpoints, chain MACs,
times and partition names (R-5.2, R-5.4)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

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
        #: the OpenSSL HMAC state the standard library wraps, when it has one: copying it
        #: directly saves a Python-level object per entry (a third of verify's MAC time)
        self.keyed: hmac.HMAC = getattr(self._base, "_hmac", None) or self._base

    def v2(self, prev: bytes, seq: int, ts: int, digest: bytes) -> bytes:
        mac = self.keyed.copy()
        mac.update(prev + _i64(seq) + _i64(ts) + digest)
        return mac.digest()

    def v1(self, prev: bytes, seq: int, body: bytes) -> bytes:
        mac = self.keyed.copy()
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

