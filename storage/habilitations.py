"""Repository of the annual habilitation reviews (R-3.6): who signed, when, over how many accounts."""

from __future__ import annotations

from dataclasses import dataclass

from storage.connection import Connection


@dataclass(frozen=True)
class ReviewRecord:
    signed_at: str
    signed_by_name: str


def last_review(conn: Connection) -> ReviewRecord | None:
    row = conn.execute(
        "SELECT h.signed_at, u.display_name FROM habilitation_reviews h JOIN users u "
        "ON u.id = h.signed_by ORDER BY h.signed_at DESC LIMIT 1"
    ).fetchone()
    return None if row is None else ReviewRecord(str(row[0]), str(row[1]))


def add_review(conn: Connection, *, signed_by: int, signed_at: str, account_count: int) -> None:
    conn.execute(
        "INSERT INTO habilitation_reviews (signed_by, signed_at, account_count) VALUES (?, ?, ?)",
        (signed_by, signed_at, account_count),
    )
