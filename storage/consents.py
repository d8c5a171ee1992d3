"""Repository of the consents recorded on a dossier (R-4.6): requested, given, refused, withdrawn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage.connection import Connection

_COLUMNS = ("id, dossier_id, consent_type, given_by, given_by_role, form, scope, state, recorded_on, "
            "withdrawn_on")
#: what a correction, or the answer to a request, may change
_WRITABLE = ("given_by", "given_by_role", "form", "scope", "state", "recorded_on", "recorded_by")


@dataclass(frozen=True)
class ConsentRow:
    id: int
    dossier_id: int
    consent_type: str
    given_by: str
    given_by_role: str
    form: str
    scope: str
    state: str
    recorded_on: str
    withdrawn_on: str | None


def _row(r: Sequence[Any]) -> ConsentRow:
    return ConsentRow(int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), str(r[6]),
                      str(r[7]), str(r[8]), r[9])


def consents_of(conn: Connection, dossier_id: int) -> list[ConsentRow]:
    """Every consent record of the dossier, in the order they were recorded."""
    return [_row(r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM consents WHERE dossier_id = ? ORDER BY id", (dossier_id,))]


def latest_consent(conn: Connection, dossier_id: int, consent_type: str) -> ConsentRow | None:
    """The last record of one type of consent: the one in force."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM consents WHERE dossier_id = ? AND consent_type = ? ORDER BY id DESC LIMIT 1",
        (dossier_id, consent_type)).fetchone()
    return None if row is None else _row(row)


def get_consent(conn: Connection, consent_id: int) -> ConsentRow | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM consents WHERE id = ?", (consent_id,)).fetchone()
    return None if row is None else _row(row)


def insert_consent(
    conn: Connection, dossier_id: int, *, consent_type: str, given_by: str, given_by_role: str, form: str,
    scope: str, state: str, recorded_on: str, recorded_by: int | None, withdrawn_on: str | None = None,
) -> int:
    cur = conn.execute(
        "INSERT INTO consents (dossier_id, consent_type, given_by, given_by_role, form, scope, state, "
        "recorded_on, recorded_by, withdrawn_on) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (dossier_id, consent_type, given_by, given_by_role, form, scope, state, recorded_on, recorded_by,
         withdrawn_on),
    )
    return int(cur.lastrowid or 0)


def update_consent(conn: Connection, consent_id: int, values: Mapping[str, object]) -> None:
    """Change the given columns of a consent record (a correction, or the answer to a request)."""
    sets = [c for c in _WRITABLE if c in values]
    if sets:
        conn.execute(f"UPDATE consents SET {', '.join(f'{c} = ?' for c in sets)} WHERE id = ?",
                     (*(values[c] for c in sets), consent_id))


def mark_withdrawn(conn: Connection, consent_id: int, day: str) -> None:
    conn.execute("UPDATE consents SET state = 'withdrawn', withdrawn_on = ? WHERE id = ?", (day, consent_id))
