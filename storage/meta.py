"""The ``meta`` table of the main database: named text values (settings, key ids, generations)."""

from __future__ import annotations

from storage.connection import Connection, scalar


def get_meta(conn: Connection, key: str, default: str | None = None) -> str | None:
    value = scalar(conn, "SELECT value FROM meta WHERE key = ?", (key,))
    return default if value is None else str(value)


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def delete_meta(conn: Connection, key: str) -> None:
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))
