"""Repository of the documents given and sent: notice deliveries (R-8.2) and the register of
communications (R-8.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.connection import Connection
from storage.where import Where


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    dossier_id: int
    audience: str
    lang: str
    text_version: str
    delivered_on: str
    recipient: str
    delivered_by: str  # display name of the user, "" if the account is gone


@dataclass(frozen=True)
class CommunicationRow:
    id: int
    dossier_id: int | None
    kind: str
    recipient: str
    purpose: str
    sections: tuple[str, ...]
    encrypted: bool
    author: str
    sent_at: str


def insert_delivery(conn: Connection, *, dossier_id: int, audience: str, lang: str, text_version: str,
                    delivered_on: str, recipient: str, delivered_by: int, created_at: str) -> int:
    cur = conn.execute(
        "INSERT INTO notice_deliveries (dossier_id, audience, lang, text_version, delivered_on, recipient, "
        "delivered_by, created_at) VALUES (?,?,?,?,?,?,?,?)",
        (dossier_id, audience, lang, text_version, delivered_on, recipient, delivered_by, created_at))
    return int(cur.lastrowid or 0)


def list_deliveries(conn: Connection, dossier_id: int) -> list[DeliveryRow]:
    rows = conn.execute(
        "SELECT n.id, n.dossier_id, n.audience, n.lang, n.text_version, n.delivered_on, n.recipient, "
        "coalesce(u.display_name, '') FROM notice_deliveries n LEFT JOIN users u ON u.id = n.delivered_by "
        "WHERE n.dossier_id = ? ORDER BY n.delivered_on DESC, n.id DESC", (dossier_id,))
    return [DeliveryRow(*r) for r in rows]


def dossiers_without_delivery(conn: Connection, dossier_ids: Sequence[int]) -> set[int]:
    """Which of these dossiers have no notice delivered yet (R-8.2 flag)."""
    if not dossier_ids:
        return set()
    placeholders = ",".join("?" * len(dossier_ids))
    delivered = {int(r[0]) for r in conn.execute(
        f"SELECT DISTINCT dossier_id FROM notice_deliveries WHERE dossier_id IN ({placeholders})",
        list(dossier_ids))}
    return set(dossier_ids) - delivered


def insert_communication(conn: Connection, *, dossier_id: int | None, kind: str, recipient: str, purpose: str,
                         sections: Sequence[str], encrypted: bool, author_id: int, sent_at: str) -> int:
    cur = conn.execute(
        "INSERT INTO communications (dossier_id, kind, recipient, purpose, sections, encrypted, author_id, "
        "sent_at) VALUES (?,?,?,?,?,?,?,?)",
        (dossier_id, kind, recipient, purpose, ",".join(sections), int(encrypted), author_id, sent_at))
    return int(cur.lastrowid or 0)


def list_communications(conn: Connection, *, dossier_id: int | None = None,
                        kind: str | None = None) -> list[CommunicationRow]:
    where = Where()
    where.equals("c.dossier_id", dossier_id)
    where.equals("c.kind", kind)
    sql = ("SELECT c.id, c.dossier_id, c.kind, c.recipient, c.purpose, c.sections, c.encrypted, "
           "coalesce(u.display_name, ''), c.sent_at FROM communications c LEFT JOIN users u ON u.id = c.author_id"
           + where.sql() + " ORDER BY c.sent_at DESC, c.id DESC")
    return [CommunicationRow(r[0], r[1], r[2], r[3], r[4], tuple(s for s in str(r[5]).split(",") if s),
                             bool(r[6]), r[7], r[8]) for r in conn.execute(sql, where.params)]
