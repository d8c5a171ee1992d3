"""Key slots, wrong passwords, tampering, foreign files, single process (R-2.1 to R-2.6)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.errors import AuthenticationError, TamperingDetected, WorkspaceError
from app.workspace import AppContext, Workspace
from storage.keyslots import PRODUCTION_MINIMUM, KdfPolicy
from storage.recovery_key import decode
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, TEST_KDF, WorkspaceHandle
from tests.store_access import store_of


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "sillage.lock"
    }


def test_wrong_password_gives_french_message_and_changes_nothing(ws: WorkspaceHandle) -> None:
    ws.workspace.release()
    before = {k: v for k, v in snapshot(ws.root).items() if k != "auth_state.json"}
    with pytest.raises(AuthenticationError) as info:
        ws.login(DIRECTOR_LOGIN, "Mauvais-Mot-De-Passe-1")
    assert info.value.message == "Identifiant ou mot de passe incorrect."
    after = {k: v for k, v in snapshot(ws.root).items() if k != "auth_state.json"}
    assert after == before
    # unknown login: same message
    with pytest.raises(AuthenticationError) as info2:
        ws.login("personne", DIRECTOR_PASSWORD)
    assert info2.value.message == info.value.message
    session = ws.login()
    assert session.user.login == DIRECTOR_LOGIN
    session.close()


def _edit_slots(root: Path, edit) -> None:  # type: ignore[no-untyped-def]
    path = root / "keyslots.json"
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))


def test_flipped_byte_in_wrapped_key_is_refused(ws: WorkspaceHandle) -> None:
    def flip(data: dict) -> None:  # type: ignore[type-arg]
        raw = bytearray(base64.b64decode(data["slots"][0]["wrapped"]))
        raw[5] ^= 0x01
        data["slots"][0]["wrapped"] = base64.b64encode(bytes(raw)).decode()

    _edit_slots(ws.root, flip)
    with pytest.raises(AuthenticationError):
        ws.login()


def test_flipped_byte_anywhere_in_the_file_is_refused(ws: WorkspaceHandle) -> None:
    path = ws.root / "keyslots.json"
    original = path.read_bytes()
    refused = 0
    for offset in range(0, len(original), max(1, len(original) // 40)):
        data = bytearray(original)
        data[offset] ^= 0x04
        path.write_bytes(bytes(data))
        with pytest.raises((AuthenticationError, TamperingDetected, WorkspaceError)):
            ws.login()
        refused += 1
        ws.reopen()
        # the failure counter must not lock the account during this loop
        (ws.root / "auth_state.json").unlink(missing_ok=True)
    path.write_bytes(original)
    assert refused >= 40
    ws.login().close()


def test_weakened_argon2_parameters_are_refused(ws: WorkspaceHandle, tmp_path: Path) -> None:
    # Even when the slot was genuinely made with weak parameters, the production minimum refuses it.
    production = Workspace(ws.root, AppContext(clock=ws.clock, kdf_policy=KdfPolicy()))
    ws.workspace.release()
    with pytest.raises(TamperingDetected) as info:
        production.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    assert "trop faibles" in info.value.message
    production.release()
    # And lowering the recorded parameters of a slot breaks the AEAD binding.
    ws.reopen()

    def weaken(data: dict) -> None:  # type: ignore[type-arg]
        data["slots"][0]["kdf"]["t"] = 2

    _edit_slots(ws.root, weaken)
    strong = Workspace(ws.root, AppContext(clock=ws.clock, kdf_policy=KdfPolicy(
        params=TEST_KDF.params, minimum=TEST_KDF.minimum)))
    ws.workspace.release()
    with pytest.raises(AuthenticationError):
        strong.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    strong.release()
    assert PRODUCTION_MINIMUM.memory_kib == 65536 and PRODUCTION_MINIMUM.time_cost >= 3


def test_older_generation_of_the_slot_file_is_refused(ws: WorkspaceHandle) -> None:
    old = (ws.root / "keyslots.json").read_bytes()
    session = ws.login()
    from app.auth.service import AccountService

    AccountService(session).create_user(
        login="educ1", display_name="Paul Durand", profile="educateur",
        units=["Les Lilas"], password="Arbre-Soleil-Pluie-84!",
    )
    session.close()
    (ws.root / "keyslots.json").write_bytes(old)  # roll back
    ws.reopen()
    with pytest.raises(TamperingDetected):
        ws.login()


def test_edited_slot_file_detected_even_with_valid_slot(ws: WorkspaceHandle) -> None:
    def bump(data: dict) -> None:  # type: ignore[type-arg]
        data["generation"] = data["generation"] + 5

    _edit_slots(ws.root, bump)
    with pytest.raises(TamperingDetected):
        ws.login()


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\x00" * 4080, b"\x13" * 8192])
def test_foreign_or_corrupt_database_is_refused_and_not_overwritten(
    ws: WorkspaceHandle, content: bytes
) -> None:
    db = ws.root / "sillage.db"
    for extra in ("sillage.db-wal", "sillage.db-shm"):
        (ws.root / extra).unlink(missing_ok=True)
    db.write_bytes(content)
    with pytest.raises(WorkspaceError) as info:
        ws.login()
    assert "n'est pas une base Sillage" in info.value.message or "endommagé" in info.value.message
    assert db.read_bytes() == content


def test_truncated_database_is_refused(ws: WorkspaceHandle) -> None:
    db = ws.root / "sillage.db"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkspaceError):
        ws.login()
    assert len(db.read_bytes()) == len(data) // 2


def test_second_process_is_refused_and_told_who_holds_it(ws: WorkspaceHandle) -> None:
    ws.workspace.release()
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(Path.cwd())!r})
        from storage.lock import WorkspaceLock
        from pathlib import Path
        lock = WorkspaceLock(Path({str(ws.root / 'sillage.lock')!r}))
        lock.acquire()
        print("held", flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(WorkspaceError) as info:
            ws.login()
        assert f"processus {child.pid}" in info.value.message
    finally:
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    ws.login().close()  # the lock is free once the holder is gone


def test_database_from_a_newer_version_is_refused(ws: WorkspaceHandle) -> None:
    session = ws.login()
    store_of(session).conn.execute("PRAGMA user_version = 99")
    session.close()
    ws.reopen()
    with pytest.raises(WorkspaceError) as info:
        ws.login()
    assert "plus récente" in info.value.message


def test_recovery_key_round_trip_and_typo(ws: WorkspaceHandle) -> None:
    key = decode(ws.recovery_key)
    assert len(key) == 32
    assert decode(ws.recovery_key.lower().replace("-", " ")) == key
    typo = ws.recovery_key[:-1] + ("0" if ws.recovery_key[-1] != "0" else "1")
    with pytest.raises(Exception) as info:
        decode(typo)
    assert "incorrecte" in str(info.value)


def test_recovery_key_creates_a_new_director_when_passwords_are_lost(ws: WorkspaceHandle) -> None:
    (ws.root / "keyslots.json").unlink()
    ws.reopen()
    ws.workspace.recover(ws.recovery_key, login="nouveau", name="Nina Petit",
                         password="Marche-Orange-Vent-93!")
    session = ws.login("nouveau", "Marche-Orange-Vent-93!")
    assert session.user.profile.value == "direction"
    session.close()


def test_files_are_private(ws: WorkspaceHandle) -> None:
    import os
    import stat

    if os.name != "posix":
        pytest.skip("POSIX permissions")
    for name in ("sillage.db", "keyslots.json"):
        mode = stat.S_IMODE((ws.root / name).stat().st_mode)
        assert mode & 0o077 == 0, name
    assert stat.S_IMODE(ws.root.stat().st_mode) & 0o077 == 0


def test_full_check_detects_a_damaged_page(ws: WorkspaceHandle) -> None:
    from storage.connection import full_check

    session = ws.login()
    assert session.check_database()
    session.close()
    ws.workspace.release()
    db = ws.root / "sillage.db"
    data = bytearray(db.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096 + 100
    data[middle] ^= 0xFF
    db.write_bytes(bytes(data))
    assert not full_check(db, decode(ws.recovery_key))


def test_password_is_normalised_before_derivation(tmp_path: Path) -> None:
    import unicodedata

    composed = "Élan-Vélo-Rouge-27!"
    workspace = Workspace(tmp_path / "w", AppContext(kdf_policy=TEST_KDF))
    workspace.create(org_name="Foyer Test", admin_login="dir", admin_name="Denise Roy", password=composed)
    session = workspace.login("dir", unicodedata.normalize("NFD", composed))
    assert session.user.login == "dir"
    session.close()
    workspace.release()
