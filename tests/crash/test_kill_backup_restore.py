"""Backup and restore killed at many points leave the old or the new state, never a broken one
(R-9.2, R-9.1): a real child process is killed with SIGKILL at chosen events."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.backup import BackupService, verify_backup
from app.dossiers.service import DossierService
from app.workspace import AppContext, Workspace
from storage.journal import verify_chain
from storage.recovery_key import decode
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from tests.crash.harness import census, kill_points, killed, run_child
from tests.store_access import store_of

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGKILL"), pytest.mark.slow]



def names_in(root: Path, context: AppContext) -> list[str]:
    session = Workspace(root, context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    try:
        assert verify_chain(store_of(session).journal).ok
        return sorted(r.last_name for r in DossierService(session).list_dossiers())
    finally:
        session.close()
        session.workspace.release()


def add(ws: WorkspaceHandle, *names: str) -> None:
    session = ws.login()
    service = DossierService(session)
    for name in names:
        service.create_dossier(last_name=name, first_names="Léa", birth_date=None, unit_id=1)
    session.close()


BACKUP_CHILD = """
from pathlib import Path
from app.workspace import AppContext, Workspace
from app.backup import BackupService
from tests.conftest import TEST_KDF
ws = Workspace(Path({ws!r}), AppContext(kdf_policy=TEST_KDF))
session = ws.login({login!r}, {password!r})
service = BackupService(session)
start()
service.create(Path({target!r}))
stop()
session.close()
"""


def test_backup_killed_anywhere_leaves_no_file_or_a_valid_one_and_the_workspace_intact(
    ws: WorkspaceHandle, tmp_path: Path, context: AppContext
) -> None:
    add(ws, "Durand", "Benali")
    ws.workspace.release()
    out = tmp_path / "usb"
    out.mkdir()
    dmk = decode(ws.recovery_key)

    def body(name: str) -> str:
        return BACKUP_CHILD.format(ws=str(ws.root), login=DIRECTOR_LOGIN, password=DIRECTOR_PASSWORD,
                                   target=str(out / name))

    found = census(body("census.sillage"))
    assert verify_backup(out / "census.sillage", dmk).content.dossiers == 2
    points = kill_points(found, {"posix.fsync", "Connection.backup", "mkstemp", "rmtree"}, 10)
    outcomes = {"absent": 0, "complete": 0}
    for point in points:
        target = out / f"kill-{point}.sillage"
        result = run_child(body(target.name), point)
        assert killed(result) or result.returncode == 0, result.stderr[-2000:]
        if target.exists():
            assert verify_backup(target, dmk).content.dossiers == 2
            outcomes["complete"] += 1
        else:
            outcomes["absent"] += 1
    assert outcomes["absent"] and outcomes["complete"], outcomes  # both sides of the rename were hit
    # Only whole backups carry the name; the workspace opens, its journal verifies.
    for path in out.iterdir():
        if path.name.endswith(".sillage"):
            verify_backup(path, dmk)
    assert names_in(ws.root, context) == ["Benali", "Durand"]


RESTORE_CHILD = """
from pathlib import Path
from app.workspace import AppContext, Workspace
from app.backup import BackupService
from tests.conftest import TEST_KDF
ws = Workspace(Path({ws!r}), AppContext(kdf_policy=TEST_KDF))
session = ws.login({login!r}, {password!r})
service = BackupService(session)
start()
service.restore(Path({backup!r}), Path({ws!r}), force=True)
stop()
"""


def test_restore_over_a_workspace_killed_anywhere_leaves_the_old_or_the_restored_one(
    ws: WorkspaceHandle, tmp_path: Path, context: AppContext
) -> None:
    add(ws, "Durand")
    session = ws.login()
    backup = BackupService(session).create(tmp_path / "lundi.sillage").info.path
    session.close()
    add(ws, "Benali", "Nguyen")
    ws.workspace.release()
    pristine = tmp_path / "pristine"
    shutil.copytree(ws.root, pristine)
    old, new = ["Benali", "Durand", "Nguyen"], ["Durand"]

    def reset() -> None:
        for entry in tmp_path.iterdir():
            if entry.name.startswith((".ws.", "ws.avant-restauration")) or entry.name == "ws":
                shutil.rmtree(entry)
        shutil.copytree(pristine, ws.root)

    body = RESTORE_CHILD.format(ws=str(ws.root), login=DIRECTOR_LOGIN, password=DIRECTOR_PASSWORD,
                                backup=str(backup))
    found = census(body)
    assert names_in(ws.root, context) == new
    points = kill_points(found, {"posix.fsync", "rmtree", "posix.mkdir", "Connection.execute"}, 10)
    seen = {"old": 0, "new": 0}
    for point in points:
        reset()
        result = run_child(body, point)
        assert killed(result) or result.returncode == 0, result.stderr[-2000:]
        names = names_in(ws.root, context)  # opening finishes a restore stopped between renames
        assert names in (old, new), (point, names)
        seen["old" if names == old else "new"] += 1
        # The replaced workspace is never lost: it is in place, or kept aside whole.
        if names == new:
            aside = [p for p in tmp_path.iterdir() if p.name.startswith("ws.avant-restauration")]
            assert len(aside) == 1 and names_in(aside[0], context) == old
    assert seen["old"] and seen["new"], seen
