"""Repository of retention durations, decisions and the purge record (SPEC §6)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storage.connection import Connection
from storage.where import Where


@dataclass(frozen=True)
class DurationRow:
    measure_type: str
    years: int
    justification: str
    set_by: int | None
    set_at: str


@dataclass(frozen=True)
class DecisionRow:
    id: int
    dossier_id: int
    kind: str
    reason: str
    until_on: str | None
    decided_by: int | None
    decided_by_name: str
    decided_at: str
    settled_at: str | None


@dataclass(frozen=True)
class ScheduleRow:
    """What the schedule needs about one dossier: no sensitive value (R-4.7)."""

    id: int
    number: str
    last_name: str
    first_names: str
    birth_date: str | None
    unit_id: int
    unit_name: str
    status: str
    opened_on: str
    closed_on: str | None
    last_contact_on: str | None
    measure_types: tuple[str, ...]


@dataclass(frozen=True)
class PurgeRow:
    id: int
    dossier_id: int
    cause: str
    reason: str
    decided_by: int | None
    purged_at: str
    rows_deleted: int


# -- durations ------------------------------------------------------------------------------
def list_durations(conn: Connection) -> list[DurationRow]:
    return [DurationRow(str(r[0]), int(r[1]), str(r[2]), r[3], str(r[4])) for r in conn.execute(
        "SELECT measure_type, years, justification, set_by, set_at FROM retention_durations "
        "ORDER BY measure_type")]


def set_duration(conn: Connection, measure_type: str, years: int, justification: str,
                 set_by: int, now: str) -> None:
    conn.execute(
        "INSERT INTO retention_durations (measure_type, years, justification, set_by, set_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (measure_type) DO UPDATE SET years = excluded.years, "
        "justification = excluded.justification, set_by = excluded.set_by, set_at = excluded.set_at",
        (measure_type, years, justification, set_by, now),
    )


def remove_duration(conn: Connection, measure_type: str) -> bool:
    cur = conn.execute("DELETE FROM retention_durations WHERE measure_type = ?", (measure_type,))
    return cur.rowcount > 0


# -- the schedule -----------------------------------------------------------------------------
def schedule_rows(conn: Connection, *, measure_type_field: str, unit_ids: Iterable[int] | None,
                  dossier_id: int | None = None, number: str | None = None) -> list[ScheduleRow]:
    where = Where()
    where.within("d.unit_id", unit_ids)
    where.equals("d.id", dossier_id)
    where.equals("d.number", number)
    sql = (
        "SELECT d.id, d.number, d.last_name, d.first_names, d.birth_date, d.unit_id, u.name, "
        "d.status, d.opened_on, d.closed_on, d.last_contact_on, "
        "(SELECT group_concat(DISTINCT json_extract(v.value, '$')) FROM records r "
        " JOIN record_values v ON v.record_id = r.id WHERE r.dossier_id = d.id "
        " AND r.category_id = 'mesures' AND v.field_id = ?) "
        "FROM dossiers d JOIN units u ON u.id = d.unit_id"
        + where.sql()
        + " ORDER BY d.id"
    )
    return [
        ScheduleRow(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], int(r[5]), str(r[6]),
                    str(r[7]), str(r[8]), r[9], r[10],
                    tuple(sorted(str(r[11]).split(","))) if r[11] else ())
        for r in conn.execute(sql, [measure_type_field, *where.params])
    ]


# -- decisions --------------------------------------------------------------------------------
_DECISION_SQL = (
    "SELECT d.id, d.dossier_id, d.kind, d.reason, d.until_on, d.decided_by, "
    "coalesce(u.display_name, ''), d.decided_at, d.settled_at FROM retention_decisions d "
    "LEFT JOIN users u ON u.id = d.decided_by"
)


def _decision(r: Any) -> DecisionRow:
    return DecisionRow(int(r[0]), int(r[1]), str(r[2]), str(r[3]), r[4], r[5], str(r[6]),
                       str(r[7]), r[8])


def open_decisions(conn: Connection) -> list[DecisionRow]:
    """Every decision or proposal not yet settled, oldest first."""
    return [_decision(r) for r in conn.execute(
        f"{_DECISION_SQL} WHERE d.settled_at IS NULL ORDER BY d.id")]


def decisions_of(conn: Connection, dossier_id: int) -> list[DecisionRow]:
    return [_decision(r) for r in conn.execute(
        f"{_DECISION_SQL} WHERE d.dossier_id = ? ORDER BY d.id", (dossier_id,))]


def add_decision(conn: Connection, dossier_id: int, kind: str, reason: str, until_on: str | None,
                 decided_by: int, now: str) -> int:
    cur = conn.execute(
        "INSERT INTO retention_decisions (dossier_id, kind, reason, until_on, decided_by, decided_at) "
        "VALUES (?, ?, ?, ?, ?, ?)", (dossier_id, kind, reason, until_on, decided_by, now))
    return int(cur.lastrowid or 0)


def settle_open(conn: Connection, dossier_id: int, now: str, kinds: Iterable[str] | None = None) -> int:
    """Settle the dossier's open decisions and proposals (all, or only the given kinds)."""
    sql = "UPDATE retention_decisions SET settled_at = ? WHERE dossier_id = ? AND settled_at IS NULL"
    params: list[Any] = [now, dossier_id]
    if kinds is not None:
        kinds = list(kinds)
        sql += f" AND kind IN ({','.join('?' * len(kinds))})"
        params.extend(kinds)
    return int(conn.execute(sql, params).rowcount)


def set_status(conn: Connection, dossier_id: int, status: str, now: str) -> None:
    conn.execute("UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ?", (status, now, dossier_id))


# -- purges -----------------------------------------------------------------------------------
def record_purge(conn: Connection, dossier_id: int, cause: str, reason: str, decided_by: int,
                 now: str, rows_deleted: int) -> int:
    cur = conn.execute(
        "INSERT INTO retention_purges (dossier_id, cause, reason, decided_by, purged_at, rows_deleted) "
        "VALUES (?, ?, ?, ?, ?, ?)", (dossier_id, cause, reason, decided_by, now, rows_deleted))
    return int(cur.lastrowid or 0)


def list_purges(conn: Connection) -> list[PurgeRow]:
    return [PurgeRow(int(r[0]), int(r[1]), str(r[2]), str(r[3]), r[4], str(r[5]), int(r[6]))
            for r in conn.execute(
                "SELECT id, dossier_id, cause, reason, decided_by, purged_at, rows_deleted "
                "FROM retention_purges ORDER BY id")]
