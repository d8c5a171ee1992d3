"""Repository of the entries of the repeating categories: follow-up, measures, people involved."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage.connection import Connection

_COLUMNS = "id, category_id, record_date, deadline, author_id, created_at"


@dataclass(frozen=True)
class RecordRow:
    id: int
    category_id: str
    record_date: str | None
    deadline: str | None
    author_id: int | None
    created_at: str
    values: dict[str, Any]


def _row(r: Sequence[Any], values: dict[str, Any]) -> RecordRow:
    return RecordRow(int(r[0]), str(r[1]), r[2], r[3], r[4], str(r[5]), values)


def list_records(conn: Connection, dossier_id: int, category_id: str) -> list[RecordRow]:
    """The entries of one category of a dossier, latest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM records WHERE dossier_id = ? AND category_id = ? "
        "ORDER BY record_date DESC, id DESC",
        (dossier_id, category_id),
    ).fetchall()
    values: dict[int, dict[str, Any]] = {int(r[0]): {} for r in rows}
    if rows:
        for record_id, field, value in conn.execute(
            "SELECT v.record_id, v.field_id, v.value FROM record_values v JOIN records r "
            "ON r.id = v.record_id WHERE r.dossier_id = ? AND r.category_id = ?",
            (dossier_id, category_id),
        ):
            values[int(record_id)][str(field)] = json.loads(value)
    return [_row(r, values[int(r[0])]) for r in rows]


def get_record(conn: Connection, record_id: int) -> tuple[int, RecordRow] | None:
    """(dossier id, the record) or None."""
    row = conn.execute(f"SELECT dossier_id, {_COLUMNS} FROM records WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        return None
    values = {str(f): json.loads(v) for f, v in conn.execute(
        "SELECT field_id, value FROM record_values WHERE record_id = ?", (record_id,))}
    return int(row[0]), _row(row[1:], values)


def _insert_values(conn: Connection, record_id: int, category_id: str, values: Mapping[str, Any]) -> None:
    conn.executemany(
        "INSERT INTO record_values (record_id, category_id, field_id, value) VALUES (?, ?, ?, ?)",
        [(record_id, category_id, f, json.dumps(v, ensure_ascii=False)) for f, v in values.items()
         if v is not None],
    )


def insert_record(
    conn: Connection, dossier_id: int, category_id: str, values: Mapping[str, Any],
    *, record_date: str | None, deadline: str | None, author_id: int | None, now: str,
) -> int:
    cur = conn.execute(
        "INSERT INTO records (dossier_id, category_id, record_date, deadline, author_id, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (dossier_id, category_id, record_date, deadline, author_id, now, now),
    )
    record_id = int(cur.lastrowid or 0)
    _insert_values(conn, record_id, category_id, values)
    return record_id


def replace_record_values(
    conn: Connection, record_id: int, category_id: str, values: Mapping[str, Any],
    *, record_date: str | None, deadline: str | None, now: str,
) -> None:
    """The corrected record takes the place of the old one (same id, author and creation time)."""
    conn.execute("UPDATE records SET record_date = ?, deadline = ?, updated_at = ? WHERE id = ?",
                 (record_date, deadline, now, record_id))
    conn.execute("DELETE FROM record_values WHERE record_id = ?", (record_id,))
    _insert_values(conn, record_id, category_id, values)


def delete_record(conn: Connection, record_id: int) -> None:
    conn.execute("DELETE FROM record_values WHERE record_id = ?", (record_id,))
    conn.execute("DELETE FROM records WHERE id = ?", (record_id,))
