"""What the demo generator writes and reads in bulk (R-2.7): its dossiers with their values,
entries and consents, and the few facts about accounts it needs to draw a plausible history."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from storage import category_values, consents, dossiers, records
from storage.connection import Connection
from storage.where import Where

#: (category id, values) -> (date of the entry, deadline it carries)
RecordDates = Callable[[str, Mapping[str, Any]], tuple[str | None, str | None]]


def bulk_insert(
    conn: Connection,
    new_dossiers: Sequence[Mapping[str, Any]],
    now: str,
    record_dates: RecordDates,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Insert many dossiers with their values, records and consents (caller's transaction)."""
    ids: list[int] = []
    for index, d in enumerate(new_dossiers):
        dossier_id = dossiers.insert_dossier(
            conn, number=d["number"], last_name=d["last_name"], first_names=d["first_names"],
            birth_date=d["birth_date"], unit_id=d["unit_id"], referent_id=d["referent_id"], status=d["status"],
            status_reason=d.get("status_reason"), opened_on=d["opened_on"], closed_on=d.get("closed_on"),
            last_contact_on=d.get("last_contact_on"), now=now)
        ids.append(dossier_id)
        category_values.insert_all(conn, dossier_id, d["categories"], now)
        for category_id, values in d["records"]:
            record_date, deadline = record_dates(category_id, values)
            records.insert_record(conn, dossier_id, category_id, values, record_date=record_date,
                                  deadline=deadline, author_id=None, now=now)
        for c in d["consents"]:
            consents.insert_consent(
                conn, dossier_id, consent_type=c["consent_type"], given_by=c["given_by"],
                given_by_role=c["given_by_role"], form=c["form"], scope=c.get("scope", ""), state=c["state"],
                recorded_on=c["recorded_on"], recorded_by=None,
                withdrawn_on=c["recorded_on"] if c["state"] == "withdrawn" else None)
        if progress is not None and index % 200 == 0:
            progress(index)
    return ids


def user_ids(conn: Connection) -> dict[str, int]:
    """{login: user id} of every account."""
    return {str(r[0]): int(r[1]) for r in conn.execute("SELECT login, id FROM users")}


def unit_ids(conn: Connection) -> list[int]:
    return [int(r[0]) for r in conn.execute("SELECT id FROM units ORDER BY id")]


def dossier_ids(conn: Connection, unit_ids: Iterable[int] | None = None) -> list[int]:
    """Every dossier, or those of the given units."""
    where = Where()
    where.within("unit_id", unit_ids)
    return [int(r[0]) for r in conn.execute(f"SELECT id FROM dossiers{where.sql()}", where.params)]


def dossiers_in(conn: Connection, statuses: Iterable[str]) -> list[tuple[int, str]]:
    """(dossier id, status) of the dossiers in the given statuses, in the order they were created."""
    where = Where()
    where.within("status", statuses)
    return [(int(r[0]), str(r[1])) for r in conn.execute(
        f"SELECT id, status FROM dossiers{where.sql()} ORDER BY id", where.params)]


def clear_charter_acceptances(conn: Connection) -> None:
    """Every account meets the charter at its next login (R-3.7)."""
    conn.execute("UPDATE users SET charter_accepted_at = NULL")
