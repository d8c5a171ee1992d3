"""A schema migration and the journal expiry killed at many points (R-9.2, R-2.5, R-5.3):
the workspace opens afterwards in the old or the new state and its journal verifies."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.dossiers.service import DossierService
from app.journal.service import JournalService, retention_cutoff
from app.workspace import AppContext, Workspace
from storage.connection import open_database
from storage.journal import JournalStore, to_micros, verify_chain
from storage.keyslots import hkdf
from storage.recovery_key import decode
from storage.schema.migrations import CURRENT_VERSION
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_NAME, DIRECTOR_PASSWORD, TEST_KDF, WorkspaceHandle
from tests.crash.harness import census, kill_points, killed, run_child
from tests.store_access import store_of

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGKILL"), pytest.mark.slow]

MIGRATION_CHILD = """
from pathlib import Path
from storage.schema import migrations
import storage.store
def add_colour(conn):
    conn.execute("ALTER TABLE units ADD COLUMN colour TEXT NOT NULL DEFAULT 'bleu'")
    conn.execute("UPDATE units SET colour = 'vert' WHERE id = 1")
migrations.MIGRATIONS.append(add_colour)
storage.store.CURRENT_VERSION = len(migrations.MIGRATIONS)
from app.workspace import AppContext, Workspace
from tests.conftest import TEST_KDF
ws = Workspace(Path({ws!r}), AppContext(kdf_policy=TEST_KDF))
start()
session = ws.login({login!r}, {password!r})
stop()
session.close()
"""


def open_raw(root: Path, dmk: bytes):  # type: ignore[no-untyped-def]
    conn = open_database(root / "sillage.db", dmk, quick_check=True)
    return conn, JournalStore(root / "journal", dmk, conn, hkdf(dmk, b"sillage journal hmac v1"))


def test_migration_killed_anywhere_leaves_the_old_or_the_new_schema(ws: WorkspaceHandle, tmp_path: Path) -> None:
    ws.login().close()
    ws.workspace.release()
    dmk = decode(ws.recovery_key)
    pristine = tmp_path / "pristine"
    shutil.copytree(ws.root, pristine)
    body = MIGRATION_CHILD.format(ws=str(ws.root), login=DIRECTOR_LOGIN, password=DIRECTOR_PASSWORD)
    found = census(body)
    assert any(m[2] == "copyfile" for m in found.marks)  # the copy before migrating was made
    points = kill_points(found, {"copyfile", "Connection.execute", "posix.fsync"}, 12)
    versions = set()
    for point in points:
        shutil.rmtree(ws.root)
        shutil.copytree(pristine, ws.root)
        result = run_child(body, point)
        assert killed(result) or result.returncode == 0, result.stderr[-2000:]
        conn, journal = open_raw(ws.root, dmk)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            columns = [r[1] for r in conn.execute("PRAGMA table_info(units)")]
            assert version in (CURRENT_VERSION, CURRENT_VERSION + 1), version
            # never a mix: the new column exists exactly when the version says so
            assert ("colour" in columns) == (version == CURRENT_VERSION + 1), (point, version, columns)
            if version == CURRENT_VERSION + 1:
                assert [r[0] for r in conn.execute("SELECT colour FROM units ORDER BY id")] == ["vert", "bleu"]
            assert verify_chain(journal).ok
            copy = ws.root / "migrations" / f"sillage.v{CURRENT_VERSION}.db"
            if copy.exists():  # the copy made before migrating is whole
                old = open_database(copy, dmk, quick_check=True)
                assert old.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
                old.close()
            versions.add(version)
        finally:
            journal.close()
            conn.close()
    assert versions == {CURRENT_VERSION, CURRENT_VERSION + 1}, versions


EXPIRY_CHILD = """
import datetime as dt
from pathlib import Path
from app.clock import FixedClock
from app.workspace import AppContext, Workspace
from tests.conftest import TEST_KDF
clock = FixedClock(dt.datetime.fromisoformat({now!r}))
ws = Workspace(Path({ws!r}), AppContext(clock=clock, kdf_policy=TEST_KDF))
start()
session = ws.login({login!r}, {password!r})  # the expiry runs at every start (R-5.3)
stop()
session.close()
"""


def test_journal_expiry_killed_anywhere_loses_nothing_young_and_verifies(tmp_path: Path) -> None:
    clock = FixedClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
    context = AppContext(clock=clock, kdf_policy=TEST_KDF)
    root = tmp_path / "ws"
    workspace = Workspace(root, context)
    key = workspace.create(org_name="Foyer", admin_login=DIRECTOR_LOGIN, admin_name=DIRECTOR_NAME,
                           password=DIRECTOR_PASSWORD, units=["A"])
    for month in range(8):  # entries in eight monthly partitions
        session = workspace.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        # a month without use: the director confirms the date so expiry trusts it
        JournalService(session).rotate(confirm_date=clock.now().date())
        DossierService(session).create_dossier(last_name=f"Mois{month}", first_names="Léa",
                                               birth_date=None, unit_id=1)
        session.close()
        clock.advance(days=30)
    workspace.release()
    # 6 days after the last start (within the 7 days the expiry trusts without asking, R-5.7):
    # the cutoff moves past entries the previous start kept.
    now = clock.now() - dt.timedelta(days=30) + dt.timedelta(days=6)
    cutoff = to_micros(retention_cutoff(now))
    dmk = decode(key)
    conn, journal = open_raw(root, dmk)
    young = {e.seq for e in journal.iter_entries() if e.ts >= cutoff}
    old = {e.seq for e in journal.iter_entries() if e.ts < cutoff}
    journal.close()
    conn.close()
    assert young and old and len(list((root / "journal").glob("*.db"))) >= 5
    pristine = tmp_path / "pristine"
    shutil.copytree(root, pristine)
    body = EXPIRY_CHILD.format(ws=str(root), now=now.isoformat(), login=DIRECTOR_LOGIN,
                               password=DIRECTOR_PASSWORD)
    found = census(body)
    assert any(m[2] == "posix.unlink" for m in found.marks)  # partitions were dropped
    points = kill_points(found, {"posix.unlink", "Connection.execute", "Connection.executemany", "posix.fsync"}, 12)
    states: set[str] = set()
    later = Workspace(root, AppContext(clock=FixedClock(now), kdf_policy=TEST_KDF))
    for point in points:
        shutil.rmtree(root)
        shutil.copytree(pristine, root)
        result = run_child(body, point)
        assert killed(result) or result.returncode == 0, result.stderr[-2000:]
        conn, journal = open_raw(root, dmk)
        try:
            present = {e.seq for e in journal.iter_entries()}
            assert young <= present, (point, sorted(young - present)[:5])  # nothing young destroyed
            states.add("before" if old <= present else "after" if not old & present else "partial")
            assert verify_chain(journal).ok, point
        finally:
            journal.close()
            conn.close()
        session = later.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)  # the next start completes it
        try:
            remaining = {e.seq for e in store_of(session).journal.iter_entries()}
            assert young <= remaining and not (old & remaining), point
            assert verify_chain(store_of(session).journal).ok
        finally:
            session.close()
            later.release()
    assert {"before", "after"} <= states, states
