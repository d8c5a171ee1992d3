"""Hostile conditions (R-9.3): a really full disk, a read-only folder, a file locked by another
program, missing files, planted or foreign files in the workspace folder. Each gives a clear
French message; nothing already saved is lost and nothing is left half-written.

The full and read-only disks are real: small tmpfs mounts (root here); where mounting is not
allowed the tests are skipped with that reason.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backup import BackupService, restore_backup
from app.dossiers.service import DossierService
from app.errors import KnownError
from app.journal.service import JournalService
from app.session import Session
from app.workspace import AppContext, Workspace
from storage.journal import verify_chain
from storage.recovery_key import decode
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_NAME, DIRECTOR_PASSWORD, ORG, WorkspaceHandle
from tests.store_access import store_of

ROOT = Path(__file__).resolve().parents[2]



def _mount(path: Path, size_kib: int) -> bool:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    path.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(path)],
                            capture_output=True)
    return result.returncode == 0


@contextlib.contextmanager
def small_disk(path: Path, size_kib: int) -> Iterator[Path]:
    """A real file system of ``size_kib`` KiB mounted at ``path`` for the test's duration."""
    if not _mount(path, size_kib):
        pytest.skip("monter un petit système de fichiers (tmpfs) demande Linux et les droits root")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def make_read_only(path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)


def fill(folder: Path, leave_kib: int) -> Path:
    """A ballast file that leaves about ``leave_kib`` KiB free on the disk of ``folder``."""
    ballast = folder / "ballast"
    free = shutil.disk_usage(folder).free - leave_kib * 1024
    with open(ballast, "wb") as handle:
        handle.write(b"\0" * max(free, 0))
    return ballast


def names(session: Session) -> list[str]:
    return sorted(r.last_name for r in DossierService(session).list_dossiers())


def french_and_clean(exc: KnownError) -> None:
    assert "Traceback" not in exc.message and "Error" not in exc.message
    assert any(word in exc.message for word in ("disque", "dossier", "fichier", "base", "espace"))


@contextlib.contextmanager
def _released(workspace: Workspace, session: Session) -> Iterator[None]:
    try:
        yield
    finally:
        with contextlib.suppress(KnownError):
            session.close()
        workspace.release()


# -- a really full disk --------------------------------------------------------------------------
def test_backup_onto_a_full_disk_fails_in_french_and_leaves_nothing(
    ws: WorkspaceHandle, director: Session, tmp_path: Path
) -> None:
    DossierService(director).create_dossier(last_name="Durand", first_names="Léa", birth_date=None, unit_id=1)
    size = sum(p.stat().st_size for p in ws.root.rglob("*") if p.is_file())
    with small_disk(tmp_path / "usb", max(64, size // 1024 // 2)) as usb:
        with pytest.raises(KnownError) as caught:
            BackupService(director).create(usb / "sauvegarde.sillage")
        assert "disque est plein" in caught.value.message.lower() or "plein" in caught.value.message
        french_and_clean(caught.value)
        assert list(usb.iterdir()) == []  # no half-written backup, no temporary folder
    assert names(director) == ["Durand"]  # the workspace goes on
    assert verify_chain(store_of(director).journal).ok


def test_restore_onto_a_full_disk_fails_in_french_and_leaves_nothing(
    ws: WorkspaceHandle, director: Session, tmp_path: Path
) -> None:
    backup = BackupService(director).create(tmp_path / "s.sillage").info.path
    with small_disk(tmp_path / "petit", max(64, backup.stat().st_size // 1024 // 2)) as disk:
        with pytest.raises(KnownError) as caught:
            restore_backup(backup, disk / "restaure", store_of(director).dmk, clock=ws.clock, actor_login=None)
        assert "plein" in caught.value.message
        assert list(disk.iterdir()) == []


def test_a_workspace_on_a_disk_that_fills_up_loses_nothing_saved(tmp_path: Path, context: AppContext) -> None:
    with small_disk(tmp_path / "disque", 4096) as disk:
        workspace = Workspace(disk / "ws", context)
        workspace.create(org_name=ORG, admin_login=DIRECTOR_LOGIN, admin_name=DIRECTOR_NAME,
                         password=DIRECTOR_PASSWORD, units=["A"])
        session = workspace.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        service = DossierService(session)
        ballast = fill(disk, 160)
        saved: list[str] = []
        with pytest.raises(KnownError) as caught, _released(workspace, session):
            for i in range(100_000):
                name = f"Plein{i:05d}" + "x" * 80
                service.create_dossier(last_name=name, first_names="Disque" * 10, birth_date=None, unit_id=1)
                saved.append(name)
        assert "plein" in caught.value.message or "disque" in caught.value.message
        french_and_clean(caught.value)
        assert saved, "some dossiers were saved before the disk filled"
        ballast.unlink()  # the person frees some space, then starts again
        again = Workspace(disk / "ws", context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        try:
            found = names(again)
            assert set(saved) <= set(found)  # every save that returned is there
            assert len(found) <= len(saved) + 1  # at most the one being saved when it failed
            entries = {e.dossier_id for e in store_of(again).journal.iter_entries()
                       if e.action == "creation" and e.target == "dossier"}
            assert {r.id for r in DossierService(again).list_dossiers()} <= entries
            assert verify_chain(store_of(again).journal).ok
        finally:
            again.close()
            again.workspace.release()


# -- read-only folders -----------------------------------------------------------------------------
def test_backup_into_a_read_only_folder_fails_in_french(director: Session, tmp_path: Path) -> None:
    with small_disk(tmp_path / "cd", 1024) as cd:
        make_read_only(cd)
        with pytest.raises(KnownError) as caught:
            BackupService(director).create(cd / "sauvegarde.sillage")
        assert "lecture seule" in caught.value.message or "accessible en écriture" in caught.value.message
        assert list(cd.iterdir()) == []


def test_a_backup_on_read_only_media_verifies_and_restores(
    ws: WorkspaceHandle, director: Session, tmp_path: Path
) -> None:
    """A backup kept on a write-protected medium is checked without writing beside it."""
    with small_disk(tmp_path / "cd", 4096) as cd:
        BackupService(director).create(cd / "sauvegarde.sillage")
        make_read_only(cd)
        assert BackupService(director).verify(cd / "sauvegarde.sillage").content.users == 1
        restore_backup(cd / "sauvegarde.sillage", tmp_path / "copie", store_of(director).dmk,
                       clock=ws.clock, actor_login=None)
    assert (tmp_path / "copie" / "sillage.db").is_file()


def test_a_workspace_on_a_read_only_disk_says_so_in_french(tmp_path: Path, context: AppContext) -> None:
    with small_disk(tmp_path / "ro", 4096) as disk:
        workspace = Workspace(disk / "ws", context)
        workspace.create(org_name=ORG, admin_login=DIRECTOR_LOGIN, admin_name=DIRECTOR_NAME,
                         password=DIRECTOR_PASSWORD, units=["A"])
        workspace.release()
        before = {p: p.read_bytes() for p in (disk / "ws").rglob("*") if p.is_file()}
        make_read_only(disk)
        with pytest.raises(KnownError) as caught:
            Workspace(disk / "ws", context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        french_and_clean(caught.value)
        assert {p: p.read_bytes() for p in (disk / "ws").rglob("*") if p.is_file()} == before


# -- a file locked by another program -----------------------------------------------------------
LOCKER = textwrap.dedent(
    """
    import sys, sqlcipher3
    conn = sqlcipher3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA key = \\"x'" + sys.argv[2] + "'\\"")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("CREATE TABLE IF NOT EXISTS other_program (x)")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
    """
)


@contextlib.contextmanager
def locked_by_another_program(db: Path, key: bytes) -> Iterator[None]:
    child = subprocess.Popen([sys.executable, "-c", LOCKER, str(db), key.hex()], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "locked", child.stderr.read() if child.stderr else ""
        yield
    finally:
        child.stdin.close()
        child.wait(timeout=60)
        child.stdout.close()
        if child.stderr:
            child.stderr.close()


def test_a_database_locked_by_another_program_gives_a_french_message(ws: WorkspaceHandle, tmp_path: Path) -> None:
    session = ws.login()
    DossierService(session).create_dossier(last_name="Durand", first_names="Léa", birth_date=None, unit_id=1)
    session.close()
    ws.workspace.release()
    with locked_by_another_program(ws.root / "sillage.db", decode(ws.recovery_key)):
        with pytest.raises(KnownError) as caught:
            ws.reopen()
            ws.login()
        assert "occupée par un autre programme" in caught.value.message
    ws.workspace.release()
    session = ws.reopen().login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    assert names(session) == ["Durand"]
    session.close()


# -- missing files ----------------------------------------------------------------------------------
def test_a_missing_journal_partition_stops_a_backup_with_a_french_message(
    ws: WorkspaceHandle, director: Session, tmp_path: Path
) -> None:
    store_of(director).journal.flush()
    partitions = sorted((ws.root / "journal").glob("*.db"))
    store_of(director).journal.close()
    partitions[0].rename(tmp_path / "mis-de-cote.db")
    with pytest.raises(KnownError) as caught:
        BackupService(director).create(tmp_path / "s.sillage")
    assert "journal" in caught.value.message
    assert not (tmp_path / "s.sillage").exists()


def test_a_missing_key_file_stops_a_backup_with_a_french_message(
    ws: WorkspaceHandle, director: Session, tmp_path: Path
) -> None:
    (ws.root / "keyslots.json").rename(tmp_path / "keyslots.json")
    with pytest.raises(KnownError) as caught:
        BackupService(director).create(tmp_path / "s.sillage")
    assert "keyslots.json" in caught.value.message or "clés" in caught.value.message
    assert not (tmp_path / "s.sillage").exists()


# -- planted or foreign files in the workspace folder --------------------------------------------
def test_a_planted_journal_partition_is_refused_not_trusted(
    ws: WorkspaceHandle, tmp_path: Path, context: AppContext
) -> None:
    other = Workspace(tmp_path / "autre", context)
    other.create(org_name="Autre", admin_login="autre", admin_name="Anne Autre", password="Pomme-Verte-Orage-93!")
    other.login("autre", "Pomme-Verte-Orage-93!").close()
    other.release()
    foreign = sorted((tmp_path / "autre" / "journal").glob("*.db"))[0]
    ws.workspace.release()
    for planted in (foreign.read_bytes(), os.urandom(8192), b"SQLite format 3\x00" + bytes(4080)):
        target = ws.root / "journal" / "2019-01.db"
        target.write_bytes(planted)
        # the login still opens (the dossiers stay reachable), expiry destroys nothing, and the
        # verification reports the planted file by name as a tampering (issue 8 item 7, R-9.4)
        session = ws.reopen().login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        assert ws.workspace.last_rotation is not None and not ws.workspace.last_rotation.done
        assert "journal/2019-01.db" in ws.workspace.last_rotation.message
        report = JournalService(session).verify()
        assert not report.ok and "Journal altéré" in report.message and "journal/2019-01.db" in report.message
        with pytest.raises(KnownError) as caught:
            JournalService(session).export_csv(io.StringIO())
        assert "journal/2019-01.db" in caught.value.message
        session.close()
        assert target.read_bytes() == planted  # reported, neither used nor destroyed
        ws.workspace.release()
    target.unlink()
    session = ws.reopen().login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    assert verify_chain(store_of(session).journal).ok
    session.close()


def test_a_planted_wal_file_is_not_trusted(ws: WorkspaceHandle) -> None:
    session = ws.login()
    DossierService(session).create_dossier(last_name="Durand", first_names="Léa", birth_date=None, unit_id=1)
    session.close()
    ws.workspace.release()
    wal = ws.root / "sillage.db-wal"
    assert not wal.exists()
    wal.write_bytes(b"\x37\x7f\x06\x82" + os.urandom(32 + 4096 * 3))
    session = ws.reopen().login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    try:
        assert names(session) == ["Durand"]
        assert verify_chain(store_of(session).journal).ok
    finally:
        session.close()


def test_a_planted_restore_folder_beside_a_workspace_is_ignored(
    ws: WorkspaceHandle, tmp_path: Path, context: AppContext
) -> None:
    planted = tmp_path / ".ws.restauration-prete"
    planted.mkdir()
    (planted / "sillage.db").write_bytes(os.urandom(4096))
    session = ws.reopen().login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    session.close()
    assert (planted / "sillage.db").exists() and (ws.root / "keyslots.json").exists()
