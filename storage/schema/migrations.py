"""One function per schema step, each run in one transaction after an encrypted copy (R-2.5)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from storage.connection import Connection
from storage.schema.value_checks import install_value_checks

SCHEMA_DIR = Path(__file__).resolve().parent


def _create_v1(conn: Connection) -> None:
    run_script(conn, (SCHEMA_DIR / "v1.sql").read_text(encoding="utf-8"))


def run_script(conn: Connection, script: str) -> None:
    """Run SQL statements one by one inside the caller's transaction (no executescript commit)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError("incomplete SQL statement at the end of the script")


def _add_retention(conn: Connection) -> None:
    """Retention durations, decisions and the purge record (issue 12, R-6.1 to R-6.5)."""
    run_script(conn, (SCHEMA_DIR / "retention.sql").read_text(encoding="utf-8"))


def _add_documents(conn: Connection) -> None:
    """Notice deliveries and the register of communications (issue 13, R-8.2, R-8.3)."""
    run_script(conn, (SCHEMA_DIR / "documents.sql").read_text(encoding="utf-8"))


def _add_rights(conn: Connection) -> None:
    """The rights register (issue 12, R-7.1)."""
    run_script(conn, (SCHEMA_DIR / "rights.sql").read_text(encoding="utf-8"))


def _add_key_grants(conn: Connection) -> None:
    """Account key pairs and grants (issue 10); existing slots are copied in at the next open."""
    run_script(conn, (SCHEMA_DIR / "keys.sql").read_text(encoding="utf-8"))


def _journal_integrity(conn: Connection) -> None:
    """Authenticated, chained head and checkpoints, alerts, seals (issue 11, R-5.4 to R-5.7)."""
    run_script(conn, (SCHEMA_DIR / "journal_v2.sql").read_text(encoding="utf-8"))


def _generated_value_checks(conn: Connection) -> None:
    """The value triggers generated from one declaration per field type; the NIR checked as
    the application checks it, key included; a JSON null refused (issue 9, R-4.2, R-4.4)."""
    install_value_checks(conn)


#: MIGRATIONS[i] takes a database from user_version i to i + 1.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _create_v1, _add_retention, _add_documents, _add_rights, _add_key_grants,
    _journal_integrity, _generated_value_checks,
]

CURRENT_VERSION = len(MIGRATIONS)
