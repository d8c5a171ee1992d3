"""The data is never locked in: an independent SQLCipher client opens every file (R-2.3)."""

from __future__ import annotations

import apsw

from storage.recovery_key import decode
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of


def open_with_sqlite3mc(path: str, hex_key: str) -> apsw.Connection:
    conn = apsw.Connection(path, flags=apsw.SQLITE_OPEN_READONLY)
    conn.execute("PRAGMA cipher = 'sqlcipher'")
    conn.execute("PRAGMA legacy = 4")
    conn.execute(f"PRAGMA key = \"x'{hex_key}'\"")
    return conn


def test_main_database_and_partitions_open_in_sqlite3mc(ws: WorkspaceHandle) -> None:
    session = ws.login()
    store_of(session).journal.flush()
    session.close()
    ws.workspace.release()
    hex_key = decode(ws.recovery_key).hex()
    conn = open_with_sqlite3mc(str(ws.root / "sillage.db"), hex_key)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"users", "dossiers", "field_values", "journal_head"} <= tables
    logins = [r[0] for r in conn.execute("SELECT login FROM users")]
    assert logins == ["cmartin"]
    partitions = sorted((ws.root / "journal").glob("*.db"))
    assert partitions, "the login must have created a journal partition"
    for part in partitions:
        pconn = open_with_sqlite3mc(str(part), hex_key)
        count = list(pconn.execute("SELECT count(*) FROM journal"))[0][0]
        assert count >= 1
        pconn.close()
    conn.close()


def test_wrong_key_fails_in_sqlite3mc(ws: WorkspaceHandle) -> None:
    import pytest

    ws.workspace.release()
    conn = open_with_sqlite3mc(str(ws.root / "sillage.db"), "00" * 32)
    with pytest.raises(apsw.NotADBError):
        list(conn.execute("SELECT count(*) FROM sqlite_master"))
