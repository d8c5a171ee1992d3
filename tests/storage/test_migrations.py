"""Schema versioning: one transaction per step, an encrypted copy first (R-2.5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.errors import WorkspaceError
from storage.connection import Connection, open_database
from storage.recovery_key import decode
from storage.schema import migrations
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def add_column(conn: Connection) -> None:
    conn.execute("ALTER TABLE units ADD COLUMN colour TEXT NOT NULL DEFAULT 'bleu'")


def broken_step(conn: Connection) -> None:
    conn.execute("ALTER TABLE units ADD COLUMN colour TEXT")
    raise RuntimeError("step failed half-way")


def test_a_new_step_runs_after_an_encrypted_copy(ws: WorkspaceHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    base = migrations.CURRENT_VERSION
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, add_column])
    monkeypatch.setattr("storage.store.MIGRATIONS", migrations.MIGRATIONS)
    monkeypatch.setattr("storage.store.CURRENT_VERSION", len(migrations.MIGRATIONS))
    session = ws.login()
    assert store_of(session).conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)
    assert [r[0] for r in store_of(session).conn.execute("SELECT colour FROM units")] == ["bleu", "bleu"]
    session.close()
    copy = ws.root / "migrations" / f"sillage.v{base}.db"
    assert copy.exists()
    assert b"SQLite format 3" not in copy.read_bytes()[:16]  # the copy is encrypted too
    conn = open_database(copy, decode(ws.recovery_key))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == base
    conn.close()


def test_a_failing_step_changes_nothing(ws: WorkspaceHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    base = migrations.CURRENT_VERSION
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken_step])
    monkeypatch.setattr("storage.store.MIGRATIONS", migrations.MIGRATIONS)
    monkeypatch.setattr("storage.store.CURRENT_VERSION", len(migrations.MIGRATIONS))
    with pytest.raises(RuntimeError):
        ws.login()
    conn = open_database(ws.root / "sillage.db", decode(ws.recovery_key))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == base
    columns = [r[1] for r in conn.execute("PRAGMA table_info(units)")]
    assert "colour" not in columns
    conn.close()


@pytest.mark.parametrize("version", sorted(p.name for p in FIXTURES.glob("schema-v*")))
def test_released_schema_fixtures_open_and_upgrade(tmp_path: Path, version: str) -> None:
    """Each released schema is kept as a workspace under tests/fixtures and must still open."""
    from app.workspace import AppContext, Workspace
    from tests.conftest import TEST_KDF

    target = tmp_path / version
    shutil.copytree(FIXTURES / version, target)
    info = dict(line.split("=", 1) for line in (target / "FIXTURE").read_text().splitlines() if "=" in line)
    workspace = Workspace(target, AppContext(kdf_policy=TEST_KDF))
    session = workspace.login(info["login"], info["password"])
    assert store_of(session).conn.execute("PRAGMA user_version").fetchone()[0] == migrations.CURRENT_VERSION
    count = store_of(session).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    assert count == int(info["dossiers"])
    from storage.journal import verify_chain

    assert verify_chain(store_of(session).journal).ok
    session.close()
    workspace.release()


def test_fixtures_exist_for_every_schema_version() -> None:
    versions = {p.name for p in FIXTURES.glob("schema-v*")}
    assert versions == {f"schema-v{v}" for v in range(1, migrations.CURRENT_VERSION + 1)}


def test_missing_database_gives_a_clear_message(ws: WorkspaceHandle) -> None:
    (ws.root / "sillage.db").unlink()
    for extra in ("sillage.db-wal", "sillage.db-shm"):
        (ws.root / extra).unlink(missing_ok=True)
    with pytest.raises(WorkspaceError) as info:
        ws.login()
    assert "introuvable" in info.value.message


def test_catalogue_mirror_is_refreshed_only_when_the_catalogue_changes(ws: WorkspaceHandle) -> None:
    from app.catalogue.mirror import sync_catalogue

    session = ws.login()
    conn = store_of(session).conn
    before = conn.execute("SELECT value FROM meta WHERE key = 'catalogue_hash'").fetchone()[0]
    conn.execute("DELETE FROM vocabulary_items WHERE vocabulary_id = 'sexe' AND code = '9'")
    sync_catalogue(conn)  # same catalogue: nothing to do, the mirror is not rewritten
    assert conn.execute("SELECT count(*) FROM vocabulary_items WHERE vocabulary_id = 'sexe'").fetchone()[0] == 2  # 3 items, one deleted
    conn.execute("UPDATE meta SET value = 'old' WHERE key = 'catalogue_hash'")
    sync_catalogue(conn)  # a different catalogue version: upserted again
    assert conn.execute("SELECT count(*) FROM vocabulary_items WHERE vocabulary_id = 'sexe'").fetchone()[0] == 3
    assert conn.execute("SELECT value FROM meta WHERE key = 'catalogue_hash'").fetchone()[0] == before
    session.close()
