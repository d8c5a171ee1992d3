"""Repository of the rights register (R-7.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.connection import Connection


@dataclass(frozen=True)
class RequestRow:
    id: int
    dossier_id: int | None
    dossier_number: str | None
    kind: str
    requester: str
    requester_role: str
    received_on: str
    due_on: str
    extended_on: str | None
    extension_reason: str | None
    status: str
    answered_on: str | None
    answer: str | None


_SQL = (
    "SELECT r.id, r.dossier_id, d.number, r.kind, r.requester, r.requester_role, r.received_on, "
    "r.due_on, r.extended_on, r.extension_reason, r.status, r.answered_on, r.answer "
    "FROM rights_requests r LEFT JOIN dossiers d ON d.id = r.dossier_id"
)


def _row(r: Any) -> RequestRow:
    return RequestRow(int(r[0]), r[1], r[2], str(r[3]), str(r[4]), str(r[5]), str(r[6]), str(r[7]),
                      r[8], r[9], str(r[10]), r[11], r[12])


def list_requests(conn: Connection, *, open_only: bool = False) -> list[RequestRow]:
    where = " WHERE r.status = 'open'" if open_only else ""
    return [_row(r) for r in conn.execute(
        f"{_SQL}{where} ORDER BY r.status = 'open' DESC, r.due_on, r.id")]


def get_request(conn: Connection, request_id: int) -> RequestRow | None:
    r = conn.execute(f"{_SQL} WHERE r.id = ?", (request_id,)).fetchone()
    return None if r is None else _row(r)


def requests_of(conn: Connection, dossier_id: int) -> list[RequestRow]:
    return [_row(r) for r in conn.execute(f"{_SQL} WHERE r.dossier_id = ? ORDER BY r.id", (dossier_id,))]


def dossier_by_number(conn: Connection, number: str) -> tuple[int, str, str] | None:
    r = conn.execute("SELECT id, last_name, first_names FROM dossiers WHERE number = ?",
                     (number,)).fetchone()
    return None if r is None else (int(r[0]), str(r[1]), str(r[2]))


def insert_request(conn: Connection, *, dossier_id: int | None, kind: str, requester: str,
                   requester_role: str, received_on: str, due_on: str, recorded_by: int,
                   now: str) -> int:
    cur = conn.execute(
        "INSERT INTO rights_requests (dossier_id, kind, requester, requester_role, received_on, "
        "due_on, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (dossier_id, kind, requester, requester_role, received_on, due_on, recorded_by, now))
    return int(cur.lastrowid or 0)


def extend(conn: Connection, request_id: int, due_on: str, reason: str, today: str) -> None:
    conn.execute("UPDATE rights_requests SET due_on = ?, extended_on = ?, extension_reason = ? "
                 "WHERE id = ?", (due_on, today, reason, request_id))


def close(conn: Connection, request_id: int, status: str, answer: str, today: str) -> None:
    conn.execute("UPDATE rights_requests SET status = ?, answer = ?, answered_on = ? WHERE id = ?",
                 (status, answer, today, request_id))


PURGE_ANSWER = "Données effacées : dossier supprimé (purge)."


def anonymise_for_purge(conn: Connection, dossier_id: int, today: str) -> int:
    """Before a purge: the requests stay as proof they were handled, without the dossier link
    or the requester's name; open erasure requests are answered by the purge itself."""
    conn.execute(
        "UPDATE rights_requests SET status = 'answered', answered_on = ?, answer = ? "
        "WHERE dossier_id = ? AND status = 'open' AND kind = 'erasure'", (today, PURGE_ANSWER, dossier_id))
    cur = conn.execute(
        "UPDATE rights_requests SET dossier_id = NULL, requester = '(personne effacée)', "
        "extension_reason = CASE WHEN extension_reason IS NULL THEN NULL ELSE '(effacé)' END, "
        "answer = CASE WHEN answer IS NULL OR answer = ? THEN answer ELSE '(effacé)' END "
        "WHERE dossier_id = ?", (PURGE_ANSWER, dossier_id))
    return int(cur.rowcount)
