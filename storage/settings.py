"""Repository of the organisation's settings: ``meta`` rows of the encrypted database.

The names of the rows are said once here; values travel as text (the services parse them)."""

from __future__ import annotations

from collections.abc import Mapping

from storage.connection import Connection
from storage.meta import get_meta, set_meta

ORG_NAME = "org_name"
ORG_TYPE = "org_type"
ORG_ADDRESS = "org_address"
ORG_CONTROLLER = "org_controller"
ORG_RECIPIENTS = "org_recipients"
DPO_CONTACT = "dpo_contact"
LOCK_DELAY = "setting.lock_delay"
PUBLIC_SERVICE_BODY = "setting.public_service_body"
RETENTION_YEARS = "setting.retention_years"
IS_DEMO = "is_demo"
#: generation of auth_state.json seen at the last login (R-3.3)
AUTH_STATE_GENERATION = "auth_state_generation"
#: id of the workspace key in force (R-2.8)
DMK_ID = "dmk_id"
DMK_RENEWED_AT = "dmk_renewed_at"


def read(conn: Connection, name: str, default: str | None = None) -> str | None:
    return get_meta(conn, name, default)


def write(conn: Connection, name: str, value: str) -> None:
    set_meta(conn, name, value)


def write_all(conn: Connection, values: Mapping[str, str]) -> None:
    for name, value in values.items():
        set_meta(conn, name, value)


def org_name(conn: Connection) -> str:
    """The organisation's name as documents print it ("" before it is known)."""
    return get_meta(conn, ORG_NAME, "") or ""


def flag(conn: Connection, name: str) -> bool:
    """A yes/no setting kept as "1" / "0" (absent: no)."""
    return get_meta(conn, name, "0") == "1"


def write_flag(conn: Connection, name: str, value: bool) -> None:
    set_meta(conn, name, "1" if value else "0")
