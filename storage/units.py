"""Repository of units (groupes de vie, services): the places a dossier and an account belong to."""

from __future__ import annotations

from storage.connection import Connection, scalar


def add_unit(conn: Connection, name: str) -> int:
    cur = conn.execute("INSERT INTO units (name) VALUES (?)", (name,))
    return int(cur.lastrowid or 0)


def active_unit_id(conn: Connection, name: str) -> int | None:
    """The id of the active unit of this exact name, or None."""
    value = scalar(conn, "SELECT id FROM units WHERE name = ? AND active = 1", (name,))
    return None if value is None else int(value)


def active_unit_names(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT name FROM units WHERE active = 1 ORDER BY name")]
