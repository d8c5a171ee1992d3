"""Renewing the workspace key after a departure (R-2.8, R-2.3; issue 10)."""

from __future__ import annotations

import shutil
from pathlib import Path

import apsw
import pytest

from app.auth.keys import sealing_public_keys
from app.auth.service import AccountService
from app.dossiers.service import DossierService
from app.errors import AuthenticationError, KnownError, PermissionRefused
from app.journal.service import JournalService
from app.rekey import RekeyService
from app.session import Session
from app.workspace import AppContext, Workspace
from storage.connection import open_database
from storage.errors import WorkspaceError
from storage.keyslots import KeySlotFile
from storage.recovery_key import RecoveryKeyError, decode
from storage.rekey import database_files, pending_path
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, TEST_KDF, WorkspaceHandle
from tests.storage.test_standard_client import open_with_sqlite3mc
from tests.store_access import store_of

EDUC_PASSWORD = "Arbre-Soleil-Pluie-84!"
LEFT_PASSWORD = "Nuage-Colline-Fleuve-52!"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _populate(ws: WorkspaceHandle) -> tuple[int, int]:
    director = ws.login()
    accounts = AccountService(director)
    educ = accounts.create_user(login="educ1", display_name="Paul Durand", profile="educateur",
                                units=["Les Lilas"], password=EDUC_PASSWORD)
    left = accounts.create_user(login="parti", display_name="Luc Départ", profile="chef_service",
                                units=["Les Lilas"], password=LEFT_PASSWORD)
    service = DossierService(director)
    for i in range(3):
        service.create_dossier(last_name=f"Nom{i}", first_names="Léa", birth_date=None, unit_id=1)
    store_of(director).journal.flush()
    accounts.deactivate(left)  # the departure
    director.close()
    return educ, left


def _opens(path: Path, key: bytes) -> bool:
    try:
        conn = open_database(path, key, quick_check=True)
    except WorkspaceError:
        return False
    conn.close()
    return True


def _rekey(session: Session, tmp_path: Path) -> tuple[str, list[tuple[int, int]]]:
    delivered: list[str] = []
    steps: list[tuple[int, int]] = []
    RekeyService(session).rekey(delivered.append, lambda d, t: steps.append((d, t)))
    (tmp_path / "nouvelle-cle.txt").write_text(delivered[0])
    return delivered[0], steps


def test_after_rekey_old_recovery_key_opens_nothing_and_everyone_still_logs_in(
        ws: WorkspaceHandle, tmp_path: Path) -> None:
    """R-2.8 acceptance: the old recovery key opens no file, the new one opens every file in
    the independent SQLCipher client (sqlite3mc), every active account logs in with its own
    password, the departed one does not, the journal verifies, all journaled."""
    _populate(ws)
    old = decode(ws.recovery_key)
    director = ws.login()
    seal_before = sealing_public_keys(store_of(director).conn)
    recovery, steps = _rekey(director, tmp_path)
    new = decode(recovery)
    assert new != old
    files = database_files(ws.root)
    assert steps and steps[-1] == (len(files), len(files))  # progress shown file by file
    # The session goes on with the new key.
    assert store_of(director).dmk == new
    assert JournalService(director).verify().ok
    assert director.journal_sealing_key() is not None
    after = sealing_public_keys(store_of(director).conn)
    assert len(after) == len(seal_before) + 1 and after[-1].retired_at is None
    director.close()
    ws.workspace.release()

    assert len(files) >= 2 and not pending_path(ws.root).exists()
    for path in files:
        assert not _opens(path, old), path
        assert _opens(path, new), path
        conn = open_with_sqlite3mc(str(path), new.hex())
        assert list(conn.execute("SELECT count(*) FROM sqlite_master"))[0][0] > 0
        conn.close()
        stale = open_with_sqlite3mc(str(path), old.hex())
        with pytest.raises(apsw.NotADBError):
            list(stale.execute("SELECT count(*) FROM sqlite_master"))
        stale.close()

    ws.reopen()
    for login, password in ((DIRECTOR_LOGIN, DIRECTOR_PASSWORD), ("educ1", EDUC_PASSWORD)):
        session = ws.login(login, password)
        assert store_of(session).dmk == new
        session.close()
    with pytest.raises(AuthenticationError):
        ws.login("parti", LEFT_PASSWORD)
    session = ws.login()
    details = [e.detail for e in store_of(session).journal.iter_entries()]
    assert any("renouvellement de la clé de l'espace" in d for d in details)
    session.close()
    # The old recovery key restores nothing any more; the new one does.
    with pytest.raises(KnownError):
        ws.workspace.recover(ws.recovery_key, login="secours", name="Nina Petit",
                             password="Marche-Orange-Vent-93!")
    ws.workspace.recover(recovery, login="secours", name="Nina Petit", password="Marche-Orange-Vent-93!")
    ws.login("secours", "Marche-Orange-Vent-93!").close()


def test_a_key_slot_file_kept_by_the_departed_user_unwraps_only_the_old_key(
        ws: WorkspaceHandle, tmp_path: Path) -> None:
    """Someone who copied keyslots.json before leaving still unwraps the *old* DMK from it:
    after the renewal, that key opens no file."""
    director = ws.login()
    AccountService(director).create_user(login="parti", display_name="Luc Départ", profile="educateur",
                                         units=["Les Lilas"], password=LEFT_PASSWORD)
    director.close()
    copied = KeySlotFile.load(ws.root / "keyslots.json")
    director = ws.login()
    AccountService(director).deactivate(
        next(a.id for a in AccountService(director).list_accounts() if a.login == "parti"))
    _rekey(director, tmp_path)
    director.close()
    ws.workspace.release()
    kept = copied.unlock("parti", LEFT_PASSWORD, TEST_KDF).dmk
    for path in database_files(ws.root):
        assert not _opens(path, kept)


def test_rekey_is_for_the_direction_only(ws: WorkspaceHandle) -> None:
    director = ws.login()
    AccountService(director).create_user(login="admin1", display_name="Alex Tech", profile="admin_technique",
                                         password=EDUC_PASSWORD)
    director.close()
    session = ws.login("admin1", EDUC_PASSWORD)
    with pytest.raises(PermissionRefused):
        RekeyService(session).rekey(lambda key: None)
    session.close()
    assert _opens(ws.root / "sillage.db", decode(ws.recovery_key))


def test_undelivered_recovery_key_changes_nothing(ws: WorkspaceHandle) -> None:
    director = ws.login()
    before = (ws.root / "keyslots.json").read_bytes()

    def cannot_write(key: str) -> None:
        raise KnownError("disque plein")

    with pytest.raises(KnownError):
        RekeyService(director).rekey(cannot_write)
    director.close()
    ws.workspace.release()
    assert (ws.root / "keyslots.json").read_bytes() == before
    assert not pending_path(ws.root).exists()
    for path in database_files(ws.root):
        assert _opens(path, decode(ws.recovery_key))


def test_accounts_still_on_the_format_1_slot_block_the_renewal(tmp_path: Path) -> None:
    target = tmp_path / "v1"
    shutil.copytree(FIXTURES / "schema-v1", target)
    info = dict(line.split("=", 1) for line in (target / "FIXTURE").read_text().splitlines() if "=" in line)
    workspace = Workspace(target, AppContext(kdf_policy=TEST_KDF))
    session = workspace.login(info["login"], info["password"])
    blocking = RekeyService(session).preflight()
    assert blocking and info["login"] not in blocking
    with pytest.raises(KnownError) as raised:
        RekeyService(session).rekey(lambda key: None)
    assert "ancien format" in raised.value.message and blocking[0] in raised.value.message
    session.close()
    workspace.release()


def test_a_demo_workspace_stays_a_demo_after_rekey(tmp_path: Path) -> None:
    from app.demo import DemoOptions, create_demo

    workspace = Workspace(tmp_path / "demo", AppContext(kdf_policy=TEST_KDF))
    result = create_demo(workspace, DemoOptions(youths=3, journal_rows=50, seed=3))
    workspace.release()
    director = next(a for a in result.accounts if a.profile == "direction")
    session = workspace.login(director.login, director.password)
    delivered: list[str] = []
    RekeyService(session).rekey(delivered.append)
    session.close()
    assert workspace.is_demo()
    assert decode(delivered[0]) != decode(result.recovery_key)
    workspace.login(director.login, director.password).close()
    workspace.release()


def test_the_recovery_key_checksum_still_guards_typing() -> None:
    with pytest.raises(RecoveryKeyError):
        decode("0000-0000")
