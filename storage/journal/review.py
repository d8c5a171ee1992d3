"""The journal review's queries (R-5.5): entries matching a filter, newest first, counted up to a
cap, the consultations around a page, and the names the review shows beside the entries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from storage.connection import Connection
from storage.journal.reading import JournalReading
from storage.journal.records import StoredEntry
from storage.where import Where

#: dossier ids asked for at once (below SQLite's limit of bound parameters)
_IDS_PER_QUERY = 500


@dataclass(frozen=True)
class EntryFilter:
    """Which entries to read: times in microseconds, ``ts_from`` included, ``ts_to`` excluded."""

    ts_from: int | None = None
    ts_to: int | None = None
    user_id: int | None = None
    dossier_id: int | None = None
    action: str | None = None
    target: str | None = None

    def where(self) -> tuple[str, tuple[object, ...]]:
        where = Where()
        if self.ts_from is not None:
            where.add("ts >= ?", self.ts_from)
        if self.ts_to is not None:
            where.add("ts < ?", self.ts_to)
        where.equals("user_id", self.user_id)
        where.equals("dossier_id", self.dossier_id)
        where.equals("action", self.action or None)
        where.equals("target", self.target or None)
        return where.text(), tuple(where.params)


def newest_matching(
    journal: JournalReading, flt: EntryFilter, *, limit: int, before_seq: int | None = None
) -> list[StoredEntry]:
    """Up to ``limit`` entries matching ``flt``, newest first, older than ``before_seq`` if given."""
    where, params = flt.where()
    return journal.newest(where, params, limit=limit, before_seq=before_seq, ts_from=flt.ts_from,
                          ts_to=flt.ts_to)


def count_matching(journal: JournalReading, flt: EntryFilter, *, cap: int) -> int:
    where, params = flt.where()
    return journal.count_upto(where, params, cap=cap, ts_from=flt.ts_from, ts_to=flt.ts_to)


def iter_matching(journal: JournalReading, flt: EntryFilter) -> Iterator[StoredEntry]:
    """Every entry matching ``flt``, oldest first."""
    where, params = flt.where()
    return journal.iter_entries(where, params)


def actions_around(
    journal: JournalReading, flt: EntryFilter, page: Sequence[StoredEntry], *, action: str, window: int,
    cap: int,
) -> list[StoredEntry]:
    """The entries of ``action`` matching ``flt`` within ``window`` microseconds before and
    after a page (newest first), at most ``cap`` on each side, with the page, oldest first."""
    where, params = flt.where()
    base = f"({where}) AND action = ?" if where else "action = ?"
    oldest, newest = page[-1], page[0]
    older = journal.newest(f"{base} AND ts >= ?", (*params, action, oldest.ts - window),
                           limit=cap, before_seq=oldest.seq,
                           ts_from=max(flt.ts_from or 0, oldest.ts - window), ts_to=flt.ts_to)
    newer = journal.newest(f"{base} AND seq > ? AND ts <= ?", (*params, action, newest.seq, newest.ts + window),
                           limit=cap, ts_from=max(flt.ts_from or 0, newest.ts),
                           ts_to=min(flt.ts_to or 2**62, newest.ts + window + 1))
    return [*newer, *page, *older][::-1]


def accounts_by_name(conn: Connection) -> list[tuple[int, str]]:
    """(id, display name) of every account, by name: the review's choice of person."""
    return [(int(r[0]), str(r[1])) for r in conn.execute("SELECT id, display_name FROM users ORDER BY display_name")]


def dossier_id_of(conn: Connection, number: str) -> int | None:
    row = conn.execute("SELECT id FROM dossiers WHERE number = ?", (number,)).fetchone()
    return None if row is None else int(row[0])


@dataclass(frozen=True)
class ReviewNames:
    """What the review shows beside the entries of a page, and what its detection aids need."""

    #: account id → (display name, profile)
    accounts: dict[int, tuple[str, str]]
    #: account id → the units it belongs to
    units_of: dict[int, set[int]] = field(default_factory=dict)
    #: dossier id → (number, unit id)
    dossiers: dict[int, tuple[str, int]] = field(default_factory=dict)


def review_names(conn: Connection, dossier_ids: Sequence[int]) -> ReviewNames:
    accounts = {int(r[0]): (str(r[1]), str(r[2])) for r in conn.execute(
        "SELECT id, display_name, profile FROM users")}
    units_of: dict[int, set[int]] = defaultdict(set)
    for uid, unit in conn.execute("SELECT user_id, unit_id FROM user_units"):
        units_of[int(uid)].add(int(unit))
    wanted = sorted(set(dossier_ids))
    dossiers: dict[int, tuple[str, int]] = {}
    for chunk in range(0, len(wanted), _IDS_PER_QUERY):
        ids = wanted[chunk:chunk + _IDS_PER_QUERY]
        marks = ",".join("?" * len(ids))
        for r in conn.execute(f"SELECT id, number, unit_id FROM dossiers WHERE id IN ({marks})", ids):
            dossiers[int(r[0])] = (str(r[1]), int(r[2]))
    return ReviewNames(accounts, units_of, dossiers)
