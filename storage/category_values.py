"""Repository of the values of a dossier's single-form categories (identity, health, …)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from storage.connection import Connection


def category_values(conn: Connection, dossier_id: int, category_id: str) -> dict[str, Any]:
    """{field id: value} of one category of a dossier."""
    return {
        str(field): json.loads(value)
        for field, value in conn.execute(
            "SELECT field_id, value FROM field_values WHERE dossier_id = ? AND category_id = ?",
            (dossier_id, category_id),
        )
    }


def filled_categories(conn: Connection, dossier_id: int) -> set[str]:
    return {
        str(r[0])
        for r in conn.execute(
            "SELECT DISTINCT category_id FROM field_values WHERE dossier_id = ?", (dossier_id,)
        )
    }


def write_values(
    conn: Connection, dossier_id: int, category_id: str, values: Mapping[str, Any], now: str
) -> list[str]:
    """Upsert given values; a None value deletes the field. Returns the changed field ids."""
    current = category_values(conn, dossier_id, category_id)
    changed: list[str] = []
    for field_id, value in values.items():
        if value is None:
            if field_id in current:
                conn.execute(
                    "DELETE FROM field_values WHERE dossier_id = ? AND category_id = ? AND field_id = ?",
                    (dossier_id, category_id, field_id),
                )
                changed.append(field_id)
            continue
        if current.get(field_id) == value:
            continue
        conn.execute(
            "INSERT INTO field_values (dossier_id, category_id, field_id, value, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (dossier_id, category_id, field_id) "
            "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (dossier_id, category_id, field_id, json.dumps(value, ensure_ascii=False), now),
        )
        changed.append(field_id)
    return changed


def delete_category(conn: Connection, dossier_id: int, category_id: str) -> int:
    """Every value and every entry of the category (a withdrawn consent, R-4.6): rows deleted."""
    cur = conn.execute(
        "DELETE FROM field_values WHERE dossier_id = ? AND category_id = ?", (dossier_id, category_id)
    )
    deleted = cur.rowcount
    rec = conn.execute(
        "DELETE FROM records WHERE dossier_id = ? AND category_id = ?", (dossier_id, category_id)
    )
    return int(deleted + rec.rowcount)


def insert_all(conn: Connection, dossier_id: int, categories: Mapping[str, Mapping[str, Any]], now: str) -> None:
    """The values of a new dossier, every category at once."""
    conn.executemany(
        "INSERT INTO field_values (dossier_id, category_id, field_id, value, updated_at) VALUES (?,?,?,?,?)",
        [(dossier_id, category_id, f, json.dumps(v, ensure_ascii=False), now)
         for category_id, values in categories.items() for f, v in values.items()],
    )
