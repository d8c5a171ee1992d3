"""Account key pairs, grants, revocation, migration of format-1 slots (R-2.2, R-2.3, R-2.8; issue 10)."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.auth.keys import current_sealing_key_id, sealing_public_keys
from app.auth.service import AccountService
from app.errors import AuthenticationError, TamperingDetected, WorkspaceError, WrongCredentials
from app.session import Session
from app.workspace import AppContext, Workspace
from storage import keyring
from storage.connection import open_database, transaction
from storage.keyslots import (
    DMK,
    JOURNAL_SEAL,
    LEGACY,
    LEGACY_FORMAT,
    X25519,
    KdfParams,
    KdfPolicy,
    KeySlot,
    KeySlotFile,
    derive_kek,
    key_id_of,
)
from storage.recovery_key import decode
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, TEST_KDF, WorkspaceHandle
from tests.store_access import store_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EDUC_PASSWORD = "Arbre-Soleil-Pluie-84!"
EDUC2_PASSWORD = "Nuage-Colline-Fleuve-52!"
DIR2_PASSWORD = "Phare-Marée-Galet-61!"


def _file(ws: WorkspaceHandle) -> KeySlotFile:
    return KeySlotFile.load(ws.root / "keyslots.json")


def _add(session: Session, login: str, profile: str, password: str, units: tuple[str, ...] = ("Les Lilas",)) -> int:
    return AccountService(session).create_user(
        login=login, display_name=f"Personne {login}", profile=profile, units=list(units), password=password
    )


def test_each_account_has_a_key_pair_and_grants_r_2_2(ws: WorkspaceHandle) -> None:
    director = ws.login()
    educ = _add(director, "educ1", "educateur", EDUC_PASSWORD)
    director_id = director.user.id
    assert director.journal_sealing_key() is not None  # directors hold the sealing key
    director.close()

    ksf = _file(ws)
    assert ksf.format == "sillage-keyslots-2"
    assert {s.user_id: s.kind for s in ksf.slots} == {director_id: X25519, educ: X25519}
    assert all(len(s.public_key) == 32 for s in ksf.slots)
    granted = {(g.user_id, g.key_name) for g in ksf.grants}
    assert granted == {(director_id, DMK), (director_id, JOURNAL_SEAL), (educ, DMK)}
    # Nothing in the file is the DMK in clear or wrapped under a password.
    dmk = decode(ws.recovery_key)
    assert base64.b64encode(dmk).decode() not in (ws.root / "keyslots.json").read_text()

    unlocked = ksf.unlock("educ1", EDUC_PASSWORD, TEST_KDF)
    assert unlocked.dmk == dmk and JOURNAL_SEAL not in unlocked.keys
    session = ws.login("educ1", EDUC_PASSWORD)
    assert session.journal_sealing_key() is None  # only `direction` gets the sealing key
    session.close()


def test_sealing_key_is_pinned_and_listed_r_5_6(ws: WorkspaceHandle) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    session = ws.login()
    key = session.journal_sealing_key()
    assert key is not None
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert current_sealing_key_id(store_of(session).conn) == public.hex()
    keys = sealing_public_keys(store_of(session).conn)
    assert [k.key_id for k in keys] == [public.hex()] and keys[0].retired_at is None
    signature = key.sign(b"head")
    keys[0].public_key.verify(signature, b"head")
    session.close()


def test_deactivated_account_old_password_unwraps_nothing_r_2_8(ws: WorkspaceHandle) -> None:
    director = ws.login()
    educ = _add(director, "educ1", "educateur", EDUC_PASSWORD)
    second = _add(director, "dir2", "direction", DIR2_PASSWORD, units=())
    director.close()
    # dir2 logs in once (takes the sealing key), then both are deactivated.
    ws.login("dir2", DIR2_PASSWORD).close()
    director = ws.login()
    service = AccountService(director)
    service.deactivate(educ)
    service.deactivate(second)
    director.close()

    ksf = _file(ws)
    assert {s.user_id for s in ksf.slots} == {director.user.id}
    assert {g.user_id for g in ksf.grants} == {director.user.id}
    for login, password in (("educ1", EDUC_PASSWORD), ("dir2", DIR2_PASSWORD)):
        with pytest.raises(WrongCredentials):
            ksf.unlock(login, password, TEST_KDF)
        with pytest.raises(AuthenticationError):
            ws.login(login, password)
    # Nor does the database keep anything for them.
    conn = open_database(ws.root / "sillage.db", decode(ws.recovery_key))
    assert conn.execute("SELECT count(*) FROM key_slots WHERE user_id IN (?, ?)", (educ, second)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM key_grants WHERE user_id IN (?, ?)", (educ, second)).fetchone()[0] == 0
    conn.close()


def test_profile_change_grants_and_withdraws_the_sealing_key_r_2_2(ws: WorkspaceHandle) -> None:
    director = ws.login()
    educ = _add(director, "educ1", "educateur", EDUC_PASSWORD)
    service = AccountService(director)
    service.set_profile(educ, "direction")
    assert {g.key_name for g in _file(ws).grants_of(educ)} == {DMK, JOURNAL_SEAL}
    director.close()
    session2 = ws.login("educ1", EDUC_PASSWORD)
    assert session2.journal_sealing_key() is not None
    session2.close()
    director = ws.login()
    AccountService(director).set_profile(educ, "educateur", ["Les Lilas"])
    director.close()
    assert {g.key_name for g in _file(ws).grants_of(educ)} == {DMK}
    session3 = ws.login("educ1", EDUC_PASSWORD)
    assert session3.journal_sealing_key() is None
    session3.close()


def test_password_reset_and_change_keep_access_without_the_old_password(ws: WorkspaceHandle) -> None:
    director = ws.login()
    educ = _add(director, "educ1", "educateur", EDUC_PASSWORD)
    otp = AccountService(director).reset_password(educ)
    director.close()
    with pytest.raises(WrongCredentials):
        _file(ws).unlock("educ1", EDUC_PASSWORD, TEST_KDF)
    session = ws.login("educ1", otp)
    AccountService(session).change_own_password(otp, EDUC2_PASSWORD)
    session.close()
    ws.login("educ1", EDUC2_PASSWORD).close()
    for old in (EDUC_PASSWORD, otp):
        with pytest.raises(WrongCredentials):
            _file(ws).unlock("educ1", old, TEST_KDF)


def test_replayed_old_file_never_brings_back_a_replaced_password_r_2_3(ws: WorkspaceHandle) -> None:
    """The bug of issue 10: recovery used to re-sign whatever file was on disk."""
    director = ws.login()
    educ = _add(director, "educ1", "educateur", EDUC_PASSWORD)
    director.close()
    old = (ws.root / "keyslots.json").read_bytes()
    director = ws.login()
    otp = AccountService(director).reset_password(educ)
    director.close()
    (ws.root / "keyslots.json").write_bytes(old)  # an attacker puts back the old file
    ws.reopen()
    with pytest.raises(TamperingDetected):
        ws.login("educ1", EDUC_PASSWORD)
    # The organisation uses the recovery key: access is rebuilt from the database.
    ws.workspace.recover(ws.recovery_key, login="secours", name="Nina Petit", password="Marche-Orange-Vent-93!")
    with pytest.raises(WrongCredentials):
        _file(ws).unlock("educ1", EDUC_PASSWORD, TEST_KDF)
    with pytest.raises(AuthenticationError):
        ws.login("educ1", EDUC_PASSWORD)
    ws.login("educ1", otp).close()
    ws.login().close()
    session = ws.login("secours", "Marche-Orange-Vent-93!")
    assert session.journal_sealing_key() is not None
    # A new sealing key, the old one retired and kept for verification.
    keys = sealing_public_keys(store_of(session).conn)
    assert len(keys) == 2 and keys[0].retired_at is not None and keys[1].retired_at is None
    session.close()


def test_replayed_newer_looking_file_of_a_replaced_slot_is_refused(ws: WorkspaceHandle) -> None:
    """A file ahead of the database is rewritten from it, and the password retried on the
    slot the database records: the old password does not come back."""
    director = ws.login()
    educ = _add(director, "educ1", "educateur", EDUC_PASSWORD)
    dmk = store_of(director).dmk
    director.close()
    old = _file(ws)
    director = ws.login()
    AccountService(director).reset_password(educ)
    director.close()
    # Re-sign the old file with a generation ahead of the database (someone holding the DMK).
    ahead = KeySlotFile.generation_on_disk(ws.root / "keyslots.json") + 5
    old.path.unlink()
    old.save(dmk, ahead)
    ws.reopen()
    with pytest.raises(WrongCredentials):
        ws.login("educ1", EDUC_PASSWORD)
    # and the file is the database's again
    with pytest.raises(WrongCredentials):
        _file(ws).unlock("educ1", EDUC_PASSWORD, TEST_KDF)


def test_kdf_parameters_outside_the_bounds_are_refused_without_counting_r_2_2(ws: WorkspaceHandle) -> None:
    bounded = KdfPolicy(params=TEST_KDF.params, minimum=TEST_KDF.minimum, maximum=KdfParams(2, 4096, 2))
    path = ws.root / "keyslots.json"
    data = json.loads(path.read_text())
    data["slots"][0]["kdf"]["t"] = 3
    path.write_text(json.dumps(data))
    workspace = Workspace(ws.root, AppContext(clock=ws.clock, kdf_policy=bounded))
    ws.workspace.release()
    state = ws.root / "auth_state.json"
    before = state.read_bytes() if state.exists() else None
    with pytest.raises(TamperingDetected) as info:
        workspace.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    assert "hors des limites" in info.value.message
    assert (state.read_bytes() if state.exists() else None) == before
    workspace.release()


def _legacy_slot(salt: bytes, login: str, user_id: int, password: str, dmk: bytes) -> KeySlot:
    """A format-1 slot as the previous version wrote it (the DMK under the password)."""
    import os

    from storage.keyslots import lookup_of

    slot = KeySlot(slot_id=os.urandom(8).hex(), lookup=lookup_of(salt, login), user_id=user_id,
                   params=TEST_KDF.params, salt=os.urandom(16), nonce=os.urandom(12), wrapped=b"", kind=LEGACY)
    kek = derive_kek(password, slot.salt, slot.params)
    slot.wrapped = AESGCM(kek).encrypt(slot.nonce, dmk, slot.associated_data())
    return slot


def test_format_1_workspace_moves_to_key_pairs_at_each_login(tmp_path: Path) -> None:
    """The fixture of the previous format is upgraded: every account keeps its password, no
    data is touched, each slot becomes a key pair at its owner's next login (issue 10)."""
    target = tmp_path / "v1"
    shutil.copytree(FIXTURES / "schema-v1", target)
    info = dict(line.split("=", 1) for line in (target / "FIXTURE").read_text().splitlines() if "=" in line)
    dmk = decode(info["recovery"])
    old = KeySlotFile.load(target / "keyslots.json")
    assert old.format == LEGACY_FORMAT
    old.verify(dmk, None)
    # Give a known password to a second account, the way version 1 wrote slots.
    conn = open_database(target / "sillage.db", dmk)
    other_login, other_id = conn.execute(
        "SELECT login, id FROM users WHERE profile = 'educateur' AND active = 1 ORDER BY id").fetchone()
    dossiers = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    conn.close()
    old.slots = [s for s in old.slots if s.user_id != other_id]
    old.slots.append(_legacy_slot(old.salt, other_login, other_id, EDUC_PASSWORD, dmk))
    old.mac = old._compute_mac(dmk)
    data = dict(old._body(), mac=base64.b64encode(old.mac).decode())
    (target / "keyslots.json").write_text(json.dumps(data))
    slots_before = len(old.slots)

    workspace = Workspace(target, AppContext(kdf_policy=TEST_KDF))
    session = workspace.login(info["login"], info["password"])
    assert session.journal_sealing_key() is not None  # created: nobody held one in format 1
    assert store_of(session).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == dossiers
    director_id = session.user.id
    session.close()
    ksf = KeySlotFile.load(target / "keyslots.json")
    assert ksf.format == "sillage-keyslots-2"
    kinds = {s.user_id: s.kind for s in ksf.slots}
    assert kinds[director_id] == X25519 and kinds[other_id] == LEGACY
    assert len(ksf.slots) <= slots_before

    session = workspace.login(other_login, EDUC_PASSWORD)
    session.close()
    ksf = KeySlotFile.load(target / "keyslots.json")
    assert {s.user_id: s.kind for s in ksf.slots}[other_id] == X25519
    assert {g.key_name for g in ksf.grants_of(other_id)} == {DMK}
    workspace.login(other_login, EDUC_PASSWORD).close()
    workspace.login(info["login"], info["password"]).close()
    workspace.release()


def test_a_kill_between_file_and_commit_leaves_no_half_account_r_2_2(ws: WorkspaceHandle) -> None:
    """The child writes the key-slot file of a new account and dies before the commit."""
    ws.workspace.release()
    script = textwrap.dedent(
        f"""
        import os, sys, datetime as dt
        sys.path.insert(0, {str(Path.cwd())!r})
        from app.clock import FixedClock
        from app.workspace import AppContext, Workspace
        from app.auth.service import AccountService
        from storage import store as store_module
        from tests.conftest import TEST_KDF

        original = store_module.Store.publish_keys
        def publish_then_die(self):
            original(self)
            os._exit(9)
        store_module.Store.publish_keys = publish_then_die
        clock = FixedClock(dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC))
        ws = Workspace({str(ws.root)!r}, AppContext(clock=clock, kdf_policy=TEST_KDF))
        session = ws.login({DIRECTOR_LOGIN!r}, {DIRECTOR_PASSWORD!r})
        AccountService(session).accept_charter()
        AccountService(session).create_user(login="educ1", display_name="Paul Durand",
            profile="educateur", units=["Les Lilas"], password={EDUC_PASSWORD!r})
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    assert KeySlotFile.load(ws.root / "keyslots.json").slot_for("educ1") is not None  # file ahead
    ws.reopen()
    with pytest.raises(WrongCredentials):  # the account was never committed
        ws.login("educ1", EDUC_PASSWORD)
    director = ws.login()  # the start repairs the file from the database
    assert _file(ws).slot_for("educ1") is None
    _add(director, "educ1", "educateur", EDUC_PASSWORD)  # and the account can be created again
    director.close()
    ws.login("educ1", EDUC_PASSWORD).close()


def test_two_writers_never_drop_each_others_slot(ws: WorkspaceHandle) -> None:
    """Two connections changing key slots in turn: each file holds both (R-2.2)."""
    dmk = decode(ws.recovery_key)
    path = ws.root / "keyslots.json"
    conns = [open_database(ws.root / "sillage.db", dmk) for _ in range(2)]
    ids = []
    for i, conn in enumerate(conns):
        with transaction(conn):
            cur = conn.execute(
                "INSERT INTO users (login, display_name, profile, created_at) VALUES (?, ?, 'educateur', '2026-01-01')",
                (f"educ{i}", f"Personne {i}"),
            )
            user_id = int(cur.lastrowid or 0)
            keyring.set_account_key(conn, user_id, f"educ{i}", EDUC_PASSWORD, TEST_KDF)
            keyring.grant_dmk(conn, user_id, dmk)
            keyring.publish(conn, path, dmk)
        ids.append(user_id)
    for conn in conns:
        conn.close()
    ksf = KeySlotFile.load(path)
    assert set(ids) <= {s.user_id for s in ksf.slots}
    for i in range(2):
        assert ksf.unlock(f"educ{i}", EDUC_PASSWORD, TEST_KDF).dmk == dmk
    # A file newer than the one a writer is about to save is never overwritten.
    newer = KeySlotFile.generation_on_disk(path)
    with pytest.raises(WorkspaceError):
        ksf.save(dmk, newer)
    assert KeySlotFile.generation_on_disk(path) == newer


def test_deleting_the_lock_file_does_not_let_a_second_process_in_r_2_6(ws: WorkspaceHandle) -> None:
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
        (ws.root / "sillage.lock").unlink()
        with pytest.raises(WorkspaceError) as info:
            ws.login()
        assert "déjà ouvert" in info.value.message
    finally:
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    ws.login().close()


def test_grants_are_bound_to_their_account_and_key(ws: WorkspaceHandle) -> None:
    """Moving a grant to another account, or relabelling it, opens nothing."""
    director = ws.login()
    educ = _add(director, "educ1", "educateur", EDUC_PASSWORD)
    director.close()
    path = ws.root / "keyslots.json"
    data = json.loads(path.read_text())
    for grant in data["grants"]:
        if grant["user_id"] == educ:
            grant["key_id"] = key_id_of(b"\x00" * 32)
    path.write_text(json.dumps(data))
    with pytest.raises(TamperingDetected):
        KeySlotFile.load(path).unlock("educ1", EDUC_PASSWORD, TEST_KDF)
