"""Backups: made, verified, restored, and refused when damaged, foreign or older (R-9.1, R-2.3)."""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import apsw
import pytest

from app.auth.service import AccountService
from app.backup import BackupService, read_info, restore_backup, verify_backup
from app.dossiers.service import DossierService
from app.errors import KnownError, PermissionRefused, TamperingDetected
from app.session import Session
from app.workspace import AppContext, Workspace
from storage.backup import BackupCancelled, open_archive
from storage.journal import verify_chain
from storage.recovery_key import decode
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from tests.store_access import store_of


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def add_dossiers(session: Session, names: list[str]) -> None:
    service = DossierService(session)
    for name in names:
        service.create_dossier(last_name=name, first_names="Léa", birth_date=None, unit_id=1)


def numbers(session: Session) -> list[tuple[str, str]]:
    return sorted((r.number, r.last_name) for r in DossierService(session).list_dossiers())


@pytest.fixture
def backup_file(ws: WorkspaceHandle, director: Session, out: Path) -> Path:
    add_dossiers(director, ["Durand", "Benali", "Nguyen"])
    return BackupService(director).create(out / "sauvegarde.sillage").info.path


def test_round_trip_same_dossiers_and_a_verifying_journal_R_9_1(
    ws: WorkspaceHandle, director: Session, out: Path, tmp_path: Path, context: AppContext
) -> None:
    add_dossiers(director, ["Durand", "Benali", "Nguyen"])
    before = numbers(director)
    result = BackupService(director).create(out / "sauvegarde.sillage")
    assert result.content.dossiers == 3
    assert result.info.path.is_file() and result.info.path.parent == out
    checked = BackupService(director).verify(result.info.path)
    assert checked.content.journal_seq == result.info.manifest.journal_seq
    restored = restore_backup(result.info.path, tmp_path / "restored", store_of(director).dmk,
                              clock=ws.clock, actor_login=DIRECTOR_LOGIN)
    assert restored.rollback is None and restored.previous is None
    session = Workspace(tmp_path / "restored", context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    try:
        assert numbers(session) == before
        assert verify_chain(store_of(session).journal).ok
        details = [e.detail for e in store_of(session).journal.iter_entries() if e.action == "sauvegarde"]
        assert any(d.startswith("restauration de la sauvegarde du") for d in details)
    finally:
        session.close()
        session.workspace.release()
    # Nothing of the backup's work is left beside it.
    assert sorted(p.name for p in out.iterdir()) == ["sauvegarde.sillage"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_backup_and_verification_are_journaled(director: Session, backup_file: Path) -> None:
    BackupService(director).verify(backup_file)
    details = [e.detail for e in store_of(director).journal.iter_entries() if e.action == "sauvegarde"]
    assert details[0].startswith("création (") and details[1].startswith("vérification : intègre")


def test_manifest_carries_date_key_journal_head_and_part_hashes_R_9_1(
    director: Session, backup_file: Path
) -> None:
    manifest = read_info(backup_file).manifest
    body = manifest.body
    assert body["created_at"] == "2026-11-23T09:30:00+00:00"
    assert body["journal"]["seq"] >= 1 and len(body["journal"]["hash"]) == 64
    assert {p["name"] for p in body["parts"]} >= {"sillage.db", "keyslots.json"}
    assert any(p["name"].startswith("journal/") for p in body["parts"])
    assert all(len(p["sha256"]) == 64 for p in body["parts"])
    assert body["key_since"] == "2026-11-23T09:30:00+00:00" and len(body["key_id"]) == 16


def test_a_backup_is_never_written_inside_the_workspace_R_2_9(ws: WorkspaceHandle, director: Session) -> None:
    with pytest.raises(KnownError, match="dossier de l'espace de travail"):
        BackupService(director).create(ws.root / "copie.sillage")
    with pytest.raises(KnownError, match="dossier de l'espace de travail"):
        BackupService(director).create(ws.root / "journal" / "copie.sillage")
    assert not list(ws.root.rglob("*.sillage"))


def test_an_existing_file_is_not_overwritten_without_force_R_2_9(director: Session, out: Path) -> None:
    target = out / "sauvegarde.sillage"
    target.write_bytes(b"autre chose")
    with pytest.raises(KnownError, match="existe déjà"):
        BackupService(director).create(target)
    assert target.read_bytes() == b"autre chose"
    BackupService(director).create(target, force=True)
    assert open_archive(target).manifest.parts


def test_profiles_without_the_backup_right_are_refused_R_3_5(ws: WorkspaceHandle, director: Session, out: Path) -> None:
    AccountService(director).create_user(login="educ", display_name="Paul Éduc", profile="educateur",
                                         units=["Les Lilas"], password="Chat-Bleu-Mardi-41!")
    director.close()
    educ = ws.login("educ", "Chat-Bleu-Mardi-41!")
    try:
        with pytest.raises(PermissionRefused):
            BackupService(educ).create(out / "x.sillage")
        assert not (out / "x.sillage").exists()
    finally:
        educ.close()


# -- damaged, truncated, foreign ---------------------------------------------------------------------
def _offsets(path: Path) -> dict[str, int]:
    """Interesting places in the archive: headers, data of each part, padding, end blocks."""
    with tarfile.open(path, "r:") as archive:
        members = archive.getmembers()
    size = path.stat().st_size
    db = next(m for m in members if m.name == "sillage.db")
    last = members[-1]
    end = last.offset_data + last.size
    places = {
        "manifest header": members[0].offset + 10,
        "manifest json": members[0].offset_data + 20,
        "main db header": db.offset + 100,
        "main db first page": db.offset_data + 5,
        "main db middle": db.offset_data + db.size // 2,
        "main db last byte": db.offset_data + db.size - 1,
        "keyslots": next(m for m in members if m.name == "keyslots.json").offset_data + 30,
        "end blocks": size - 10,
    }
    if end % 512:
        places["padding"] = end + 1
    return places


@pytest.mark.parametrize("place", ["manifest header", "manifest json", "main db header", "main db first page",
                                   "main db middle", "main db last byte", "keyslots", "end blocks", "padding"])
def test_a_flipped_byte_anywhere_is_rejected_R_9_1(director: Session, backup_file: Path, place: str) -> None:
    offsets = _offsets(backup_file)
    if place not in offsets:
        pytest.skip("this archive has no padding after its last part")
    data = bytearray(backup_file.read_bytes())
    data[offsets[place]] ^= 0x01
    backup_file.write_bytes(bytes(data))
    with pytest.raises(KnownError) as caught:
        verify_backup(backup_file, store_of(director).dmk)
    assert "Traceback" not in caught.value.message


def test_every_flipped_byte_of_the_journal_and_keys_is_rejected_R_9_1(director: Session, backup_file: Path) -> None:
    """A sweep over the parts, one bit every 509 bytes (prime: every position within a page)."""
    original = backup_file.read_bytes()
    positions = range(0, len(original), 509)
    for pos in positions:
        data = bytearray(original)
        data[pos] ^= 0x10
        backup_file.write_bytes(bytes(data))
        with pytest.raises(KnownError):
            verify_backup_fast(backup_file, director)
    backup_file.write_bytes(original)


def verify_backup_fast(path: Path, director: Session) -> None:
    """Structure, signature and hashes: what catches a changed byte (the full check also opens)."""
    from storage.backup import authenticate, hash_parts

    archive = open_archive(path)
    authenticate(archive, store_of(director).dmk)
    hash_parts(archive, None)


@pytest.mark.parametrize("keep", [0, 100, 512, 1024, 0.5, -10240, -1024, -512, -1])
def test_a_truncated_backup_is_rejected_R_9_1(director: Session, backup_file: Path, keep: float) -> None:
    data = backup_file.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else (keep if keep >= 0 else len(data) + keep)
    backup_file.write_bytes(data[:cut])
    with pytest.raises(KnownError):
        verify_backup(backup_file, store_of(director).dmk)


def test_a_backup_under_another_workspaces_key_is_rejected(
    tmp_path: Path, context: AppContext, director: Session, backup_file: Path
) -> None:
    other = Workspace(tmp_path / "other", context)
    other.create(org_name="Autre foyer", admin_login="autre", admin_name="Anne Autre",
                 password="Pomme-Verte-Orage-93!")
    session = other.login("autre", "Pomme-Verte-Orage-93!")
    try:
        with pytest.raises(TamperingDetected, match="autre clé"):
            BackupService(session).verify(backup_file)
        with pytest.raises(TamperingDetected, match="autre clé"):
            BackupService(session).restore(backup_file, tmp_path / "nouveau")
        assert not (tmp_path / "nouveau").exists()
    finally:
        session.close()
        other.release()


def test_a_manifest_rewritten_without_the_key_is_rejected(director: Session, backup_file: Path) -> None:
    """Editing the manifest (e.g. a later date) and keeping its length still breaks its MAC."""
    data = backup_file.read_bytes()
    edited = data.replace(b"2026-11-23T09:30:00", b"2027-11-23T09:30:00", 1)
    assert edited != data
    # keep the tar header checksum right, as a careful forger would
    with tarfile.open(backup_file, "r:") as archive:
        members = archive.getmembers()
    backup_file.write_bytes(edited)
    with pytest.raises(TamperingDetected, match="modifiée en dehors de Sillage"):
        verify_backup(backup_file, store_of(director).dmk)
    assert members[0].name == "sillage-backup.json"


def test_a_file_that_is_not_a_backup_is_refused(director: Session, tmp_path: Path) -> None:
    for content in (b"", b"bonjour", os.urandom(4096), (tmp_path / "x").as_posix().encode() * 100):
        path = tmp_path / "faux.sillage"
        path.write_bytes(content)
        with pytest.raises(KnownError, match="n'est pas une sauvegarde|endommagée"):
            verify_backup(path, store_of(director).dmk)


# -- rollback -------------------------------------------------------------------------------------
def test_an_older_backup_is_flagged_as_a_rollback_and_journaled_R_9_1(
    ws: WorkspaceHandle, director: Session, out: Path, context: AppContext
) -> None:
    add_dossiers(director, ["Durand"])
    older = BackupService(director).create(out / "lundi.sillage").info.path
    ws.clock.advance(days=1)
    add_dossiers(director, ["Benali"])
    newer = BackupService(director).create(out / "mardi.sillage").info.path
    ws.clock.advance(hours=2)
    result = BackupService(director).restore(older, ws.root, force=True)
    assert result.rollback and "plus ancienne" in result.rollback
    assert result.previous is not None and (result.previous / "sillage.db").is_file()
    ws.workspace.release()
    session = Workspace(ws.root, context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    try:
        assert [n for _, n in numbers(session)] == ["Durand"]
        details = [e.detail for e in store_of(session).journal.iter_entries() if e.action == "sauvegarde"]
        assert details[-1].endswith("retour en arrière signalé")
        assert verify_chain(store_of(session).journal).ok
        # Restoring the newest one again is not a rollback.
        again = BackupService(session).restore(newer, ws.root, force=True)
        assert again.rollback is None
    finally:
        session.close()
        session.workspace.release()


def test_an_older_backup_restored_into_a_new_folder_is_flagged_from_this_computers_record(
    ws: WorkspaceHandle, director: Session, out: Path, tmp_path: Path
) -> None:
    older = BackupService(director).create(out / "lundi.sillage").info.path
    ws.clock.advance(days=1)
    add_dossiers(director, ["Benali"])
    BackupService(director).create(out / "mardi.sillage")
    result = restore_backup(older, tmp_path / "ailleurs", store_of(director).dmk, clock=ws.clock,
                            actor_login=None)
    assert result.rollback is not None


def test_restore_refuses_a_non_empty_folder_that_is_not_a_workspace(
    director: Session, backup_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "documents"
    target.mkdir()
    (target / "lettre.txt").write_text("à garder")
    with pytest.raises(KnownError, match="n'est pas un espace de travail"):
        restore_backup(backup_file, target, store_of(director).dmk, clock=director.clock, actor_login=None)
    assert [p.name for p in target.iterdir()] == ["lettre.txt"]


def test_restore_over_a_workspace_needs_confirmation(
    ws: WorkspaceHandle, director: Session, backup_file: Path
) -> None:
    with pytest.raises(KnownError, match="confirmez"):
        BackupService(director).restore(backup_file, ws.root)
    assert director.is_open  # nothing closed, nothing replaced


# -- the recovery key and standard tools ----------------------------------------------------------
def test_the_recovery_key_opens_a_backup_in_an_independent_sqlcipher_client_R_2_3(
    ws: WorkspaceHandle, backup_file: Path, tmp_path: Path
) -> None:
    """Standard tar unpacks it; sqlite3mc (apsw), not SQLCipher's own library, opens every part."""
    unpacked = tmp_path / "unpacked"
    with tarfile.open(backup_file, "r:") as archive:
        archive.extractall(unpacked, filter="data")
    hex_key = decode(ws.recovery_key).hex()
    dbs = sorted(unpacked.rglob("*.db"))
    assert unpacked / "sillage.db" in dbs and len(dbs) >= 2
    for path in dbs:
        conn = apsw.Connection(str(path))
        conn.execute("PRAGMA cipher = 'sqlcipher'")
        conn.execute("PRAGMA legacy = 4")
        conn.execute(f"PRAGMA key = \"x'{hex_key}'\"")
        if path.name == "sillage.db":
            names = sorted(r[0] for r in conn.execute("SELECT last_name FROM dossiers"))
            assert names == ["Benali", "Durand", "Nguyen"]
        else:
            assert list(conn.execute("SELECT count(*) FROM journal"))[0][0] >= 1
        conn.close()


def test_restore_with_the_recovery_key_when_the_workspace_is_lost_R_2_3(
    ws: WorkspaceHandle, director: Session, backup_file: Path, tmp_path: Path, context: AppContext
) -> None:
    director.close()
    ws.workspace.release()
    import shutil

    shutil.rmtree(ws.root)
    dmk = decode(ws.recovery_key)
    assert verify_backup(backup_file, dmk).content.dossiers == 3
    restore_backup(backup_file, ws.root, dmk, clock=ws.clock, actor_login=None)
    session = Workspace(ws.root, context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    try:
        assert sorted(n for _, n in numbers(session)) == ["Benali", "Durand", "Nguyen"]
        last = list(store_of(session).journal.iter_entries())
        assert any("avec la clé de secours" in e.detail for e in last)
    finally:
        session.close()
        session.workspace.release()


# -- progress and cancellation ------------------------------------------------------------------
def test_progress_is_reported_and_cancelling_leaves_nothing_R_9_1(
    director: Session, out: Path
) -> None:
    seen: list[tuple[int, int]] = []

    def watch(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    BackupService(director).create(out / "a.sillage", progress=watch)
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    for stop_after in (1, 3, len(seen) - 1):
        calls = [0]

        def cancel(done: int, total: int, stop_after: int = stop_after, calls: list[int] = calls) -> bool:
            calls[0] += 1
            return calls[0] < stop_after

        with pytest.raises(BackupCancelled):
            BackupService(director).create(out / "b.sillage", progress=cancel)
        assert sorted(p.name for p in out.iterdir()) == ["a.sillage"]


# -- reminder -------------------------------------------------------------------------------------
def test_reminder_after_seven_days_without_backup_R_9_1(
    ws: WorkspaceHandle, director: Session, out: Path
) -> None:
    service = BackupService(director)
    assert service.status().reminder is None  # a new workspace
    ws.clock.advance(days=8)
    assert "Aucune sauvegarde" in (service.status().reminder or "")
    service.create(out / "s.sillage")
    status = service.status()
    assert status.reminder is None and status.last_at == ws.clock.now()
    assert status.last_path == str(out / "s.sillage")
    ws.clock.advance(days=7, minutes=1)
    assert "plus de 7 jours" in (service.status().reminder or "")



# -- renewal of the workspace key (R-2.8) ------------------------------------------------------
def test_backups_across_a_key_renewal_R_2_8(
    ws: WorkspaceHandle, director: Session, out: Path, tmp_path: Path, context: AppContext
) -> None:
    """A backup made before the renewal keeps the old key: refused under the new one with a
    message that says so, opened by the old recovery key. One made after verifies (its journal
    chain keeps its first HMAC key) and restores."""
    from app.rekey import RekeyService

    add_dossiers(director, ["Durand"])
    before = BackupService(director).create(out / "avant.sillage").info.path
    delivered: list[str] = []
    RekeyService(director).rekey(delivered.append)
    director.close()
    session = ws.reopen().login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    try:
        with pytest.raises(TamperingDetected, match="renouvellement de la clé"):
            BackupService(session).verify(before)
        after = BackupService(session).create(out / "apres.sillage")
        assert after.content.journal_entries > 0
        assert BackupService(session).verify(after.info.path).content.dossiers == 1
        assert after.info.manifest.body["key_id"] != read_info(before).manifest.body["key_id"]
    finally:
        session.close()
    assert verify_backup(before, decode(ws.recovery_key)).content.dossiers == 1  # the old sheet
    new_key = decode(delivered[0])
    restore_backup(out / "apres.sillage", tmp_path / "copie", new_key, clock=ws.clock, actor_login=None)
    restored = Workspace(tmp_path / "copie", context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    try:
        assert verify_chain(store_of(restored).journal).ok
        assert [n for _, n in numbers(restored)] == ["Durand"]
    finally:
        restored.close()
        restored.workspace.release()
