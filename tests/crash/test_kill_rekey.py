"""Renewing the workspace key killed at many points (R-2.8, R-9.2; issue 10): every run ends
with a workspace that opens, whose files are all on one key (the old or the new, never a mix
once opened), whose journal verifies, and where every active account still logs in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.auth.service import AccountService
from app.journal.service import JournalService
from storage.connection import open_database
from storage.errors import WorkspaceError
from storage.recovery_key import decode
from storage.rekey import database_files, pending_path
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from tests.crash.harness import census, kill_points, killed, run_child
from tests.store_access import store_of

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGKILL"), pytest.mark.slow]

EDUC_PASSWORD = "Arbre-Soleil-Pluie-84!"

REKEY_CHILD = """
import datetime as dt
from pathlib import Path
from app.clock import FixedClock
from app.rekey import RekeyService
from app.workspace import AppContext, Workspace
from storage.files import atomic_write
from tests.conftest import TEST_KDF
clock = FixedClock(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))
ws = Workspace(Path({ws!r}), AppContext(clock=clock, kdf_policy=TEST_KDF))
session = ws.login({login!r}, {password!r})
def deliver(key):
    atomic_write(Path({key_file!r}), (key + "\\n").encode("ascii"))
start()
RekeyService(session).rekey(deliver)
stop()
session.close()
"""


def _opens(path: Path, key: bytes) -> bool:
    try:
        conn = open_database(path, key, quick_check=True)
    except WorkspaceError:
        return False
    conn.close()
    return True


def test_rekey_killed_anywhere_leaves_an_openable_verifying_workspace(ws: WorkspaceHandle, tmp_path: Path) -> None:
    director = ws.login()
    AccountService(director).create_user(login="educ1", display_name="Paul Durand", profile="educateur",
                                         units=["Les Lilas"], password=EDUC_PASSWORD)
    director.close()
    # a second journal partition, so that several files are re-keyed
    ws.clock.advance(days=40)
    ws.login().close()
    ws.workspace.release()
    old = decode(ws.recovery_key)
    pristine = tmp_path / "pristine"
    shutil.copytree(ws.root, pristine)
    key_file = tmp_path / "nouvelle-cle.txt"
    body = REKEY_CHILD.format(ws=str(ws.root), login=DIRECTOR_LOGIN, password=DIRECTOR_PASSWORD,
                              key_file=str(key_file))
    found = census(body)
    assert len(database_files(ws.root)) >= 3
    points = kill_points(found, {"Connection.execute", "posix.replace", "posix.fsync", "posix.unlink"}, 14)
    assert len(points) >= 20, len(points)
    outcomes: set[str] = set()
    for point in points:
        shutil.rmtree(ws.root)
        shutil.copytree(pristine, ws.root)
        key_file.unlink(missing_ok=True)
        result = run_child(body, point)
        assert killed(result) or result.returncode == 0, result.stderr[-2000:]
        new = decode(key_file.read_text()) if key_file.exists() else None
        interrupted = pending_path(ws.root).exists()
        workspace = ws.reopen()
        session = workspace.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)  # finishes what was begun
        try:
            dmk = store_of(session).dmk
            assert dmk in (old, new), point
            assert JournalService(session).verify().ok, point
        finally:
            session.close()
        assert not pending_path(ws.root).exists()
        for path in database_files(ws.root):  # never a mix
            assert _opens(path, dmk), (point, path)
            if dmk != old:
                assert not _opens(path, old), (point, path)
        workspace.login("educ1", EDUC_PASSWORD).close()
        outcomes.add("new" if dmk != old else "old")
        if interrupted:
            outcomes.add("resumed")
    assert outcomes == {"old", "new", "resumed"}, outcomes
