"""Seals against an insider who holds the DMK (issue 11, R-5.6).

The insider here knows the recovery key, so the DMK and everything derived from it: they
open the files in the independent SQLCipher client, rewrite entries, recompute the whole
HMAC chain and the head's MAC. Only the director's Ed25519 seal resists that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import shutil
from pathlib import Path

import apsw
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.journal.events import Action
from app.journal.service import JournalService
from app.session import Session
from storage.journal import GENESIS, EntryMac, head_mac, rest_of
from storage.keyslots import hkdf
from storage.recovery_key import decode
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of


def insider(path: Path, recovery_key: str) -> apsw.Connection:
    conn = apsw.Connection(str(path))
    conn.execute("PRAGMA cipher = 'sqlcipher'")
    conn.execute("PRAGMA legacy = 4")
    conn.execute(f"PRAGMA key = \"x'{decode(recovery_key).hex()}'\"")
    return conn


def keys_of(recovery_key: str) -> tuple[bytes, bytes]:
    """What an insider derives from the DMK: the chain key and the head/checkpoint key."""
    audit = hkdf(decode(recovery_key), b"sillage journal hmac v1")
    return audit, hmac.digest(audit, b"sillage journal head and checkpoints v1", "sha256")


def rechain(ws: WorkspaceHandle, *, upto: int | None = None) -> None:
    """Recompute every h of every partition, then the head and its MAC, with the DMK."""
    audit, meta = keys_of(ws.recovery_key)
    mac = EntryMac(audit)
    prev, last = GENESIS, None
    for path in sorted((ws.root / "journal").glob("*.db")):
        conn = insider(path, ws.recovery_key)
        rows = list(conn.execute("SELECT seq, ts, user_id, profile, dossier_id, target, action, detail "
                                 "FROM journal ORDER BY seq"))
        for seq, ts, user_id, profile, dossier_id, target, action, detail in rows:
            if upto is not None and seq > upto:
                conn.execute("DELETE FROM journal WHERE seq = ?", (seq,))
                continue
            prev = mac.v2(prev, seq, ts, hashlib.sha256(rest_of(user_id, profile, dossier_id, target,
                                                                  action, detail)).digest())
            conn.execute("UPDATE journal SET h = ? WHERE seq = ?", (prev, seq))
            last = (seq, ts, path.stem)
        conn.close()
    assert last is not None
    main = insider(ws.root / "sillage.db", ws.recovery_key)
    max_ts, trusted, ckpt = next(iter(main.execute("SELECT max_ts, trusted_ts, ckpt_mac FROM journal_head")))
    seq, ts, partition = last
    main.execute("UPDATE journal_head SET seq = ?, h = ?, partition = ?, last_ts = ?, mac = ?",
                 (seq, prev, partition, ts,
                  head_mac(meta, seq, prev, partition, ts, max_ts, trusted, bytes(ckpt or b""))))
    main.close()


def used(ws: WorkspaceHandle) -> int:
    """A director works, logs out (sealed), works again, logs out (sealed). Returns the seq
    of an entry covered by the seals."""
    session = ws.login()
    assert session.journal_sealing_key() is not None, "the director holds the sealing key"
    for dossier in range(1, 6):
        session.journal_event(Action.CONSULTATION, "sante", dossier_id=dossier)
    target = store_of(session).journal.head()[0] - 2
    session.close()
    ws.clock.advance(hours=2)
    session = ws.login()
    session.journal_event(Action.CONSULTATION, "sante", dossier_id=9)
    session.close()
    ws.workspace.release()
    return target


def verify_as_director(ws: WorkspaceHandle) -> tuple[Session, str, bool]:
    ws.reopen()
    session = ws.login()
    report = JournalService(session).verify()
    return session, report.message, report.ok


def test_verify_reports_how_far_the_journal_is_sealed(ws: WorkspaceHandle) -> None:
    """R-5.6: « scellé jusqu'au n° … du … » and the unsealed tail."""
    used(ws)
    ws.reopen()
    session = ws.login()  # sealed at login
    session.journal_event(Action.CONSULTATION, "sante", dossier_id=3)
    report = JournalService(session).verify()
    assert report.ok, report.message
    assert "scellé jusqu'au n°" in report.message and "1 entrée non scellée" in report.message
    assert report.sealed_seq is not None and report.unsealed == 1
    session.close()


def test_editing_a_sealed_entry_and_recomputing_the_chain_with_the_dmk_is_detected(ws: WorkspaceHandle) -> None:
    target = used(ws)
    for path in (ws.root / "journal").glob("*.db"):
        conn = insider(path, ws.recovery_key)
        conn.execute("UPDATE journal SET dossier_id = 77 WHERE seq = ?", (target,))
        conn.close()
    rechain(ws)
    session, message, ok = verify_as_director(ws)
    assert not ok and "sceau" in message and "rompu" in message, message
    # the login did not seal the forged state: it was refused and reported
    assert any(a.kind == "sceau" for a in store_of(session).journal.alerts())
    session.close()


def test_truncating_sealed_entries_with_the_dmk_is_detected(ws: WorkspaceHandle) -> None:
    target = used(ws)
    rechain(ws, upto=target)
    session, message, ok = verify_as_director(ws)
    assert not ok and "scellées manquantes" in message, message
    session.close()


def test_a_rolled_back_main_database_with_a_rewritten_head_is_detected(ws: WorkspaceHandle) -> None:
    session = ws.login()
    session.journal_event(Action.CONSULTATION, "sante", dossier_id=1)
    session.close()
    ws.workspace.release()
    saved = ws.root.parent / "earlier.db"
    shutil.copyfile(ws.root / "sillage.db", saved)
    ws.clock.advance(hours=1)
    used(ws)
    for suffix in ("-wal", "-shm"):
        (ws.root / f"sillage.db{suffix}").unlink(missing_ok=True)
    shutil.copyfile(saved, ws.root / "sillage.db")
    # the insider also makes the old head agree with the partitions, with the DMK
    rechain(ws)
    session, message, ok = verify_as_director(ws)
    assert not ok and "restaurée" in message, message
    session.close()


def test_a_forged_checkpoint_dated_in_the_future_destroys_nothing(ws: WorkspaceHandle) -> None:
    """With the DMK the insider can make an authentic-looking checkpoint and head; dated in
    the future so that its cutoff covers young entries. Sillage destroys nothing."""
    from storage.journal import checkpoint_mac

    used(ws)
    ws.reopen()
    session = ws.login()
    before = {e.seq for e in store_of(session).journal.iter_entries()}
    session.close()
    ws.workspace.release()
    audit, meta = keys_of(ws.recovery_key)
    main = insider(ws.root / "sillage.db", ws.recovery_key)
    seq, h, partition, last_ts, max_ts = next(iter(main.execute(
        "SELECT seq, h, partition, last_ts, max_ts FROM journal_head")))
    created = int(dt.datetime(2030, 1, 1, tzinfo=dt.UTC).timestamp() * 1_000_000)
    cutoff = int(dt.datetime(2029, 6, 1, tzinfo=dt.UTC).timestamp() * 1_000_000)
    last = seq - 3
    part = insider(ws.root / "journal" / f"{partition}.db", ws.recovery_key)
    last_h = bytes(next(iter(part.execute("SELECT h FROM journal WHERE seq = ?", (last,))))[0])
    part.close()
    cmac = checkpoint_mac(meta, b"", 1, last, last, last_h, cutoff, created)
    main.execute("INSERT INTO journal_checkpoints (first_seq, last_seq, count, last_hash, cutoff_ts, "
                 "created_ts, partitions, mac) VALUES (1, ?, ?, ?, ?, ?, '', ?)",
                 (last, last, last_h, cutoff, created, cmac))
    main.execute("UPDATE journal_head SET trusted_ts = ?, ckpt_mac = ?, mac = ?",
                 (created, cmac, head_mac(meta, seq, bytes(h), partition, last_ts, max_ts, created, cmac)))
    main.close()
    session, message, ok = verify_as_director(ws)
    after = {e.seq for e in store_of(session).journal.iter_entries()}
    assert before <= after, "nothing destroyed"
    assert not ok, message
    session.close()


def test_a_sealed_journal_expires_normally_and_still_verifies(ws: WorkspaceHandle) -> None:
    used(ws)
    for _ in range(40):  # six-day steps, each a sealed login and logout
        ws.clock.advance(days=6)
        ws.reopen()
        session = ws.login()
        session.journal_event(Action.CONSULTATION, "sante", dossier_id=2)
        session.close()
    session, message, ok = verify_as_director(ws)
    assert ok and "scellé jusqu'au n°" in message, message
    assert store_of(session).journal.latest_checkpoint() is not None
    session.close()


def test_seals_rewritten_to_match_a_recomputed_chain_do_not_verify(ws: WorkspaceHandle) -> None:
    """The insider edits a sealed entry, recomputes the chain with the DMK, then makes every
    seal row (and its copies) name the new hashes: without the director's key the signatures
    no longer verify."""
    target = used(ws)
    for path in (ws.root / "journal").glob("*.db"):
        conn = insider(path, ws.recovery_key)
        conn.execute("UPDATE journal SET dossier_id = 77 WHERE seq = ?", (target,))
        conn.close()
    rechain(ws)
    hashes: dict[int, bytes] = {}
    for path in (ws.root / "journal").glob("*.db"):
        conn = insider(path, ws.recovery_key)
        hashes.update({int(seq): bytes(h) for seq, h in conn.execute("SELECT seq, h FROM journal")})
        conn.execute("DELETE FROM seals")
        conn.close()
    main = insider(ws.root / "sillage.db", ws.recovery_key)
    for sid, seq in list(main.execute("SELECT id, seq FROM journal_seals")):
        main.execute("UPDATE journal_seals SET h = ? WHERE id = ?", (hashes[int(seq)], sid))
    main.close()
    session, message, ok = verify_as_director(ws)
    assert not ok and "invalide" in message, message
    session.close()


def test_backups_and_journal_exports_carry_the_latest_seal(ws: WorkspaceHandle, tmp_path: Path) -> None:
    """R-5.6: a backup and the journal PDF are anchors outside the workstation."""
    from pypdf import PdfReader

    from app.backup import BackupService, read_info
    from app.journal.review import JournalFilter, JournalReview

    session = ws.login()
    session.journal_event(Action.CONSULTATION, "sante", dossier_id=1)
    out = tmp_path / "usb"
    out.mkdir()
    result = BackupService(session).create(out / "sauvegarde.sillage")
    seal = read_info(result.info.path).manifest.body["seal"]
    assert seal is not None and len(seal["signature"]) == 128 and len(seal["public_key"]) == 64
    latest = store_of(session).journal.latest_seal()
    assert latest is not None and seal["seq"] == latest.seq and seal["hash"] == latest.h.hex()
    review = JournalReview(session)
    pdf = tmp_path / "journal.pdf"
    review.export_pdf([], pdf, JournalFilter())
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    latest = store_of(session).journal.latest_seal()
    assert latest is not None
    assert f"scellé jusqu'au n° {latest.seq}" in " ".join(text.split())
    session.close()


# -- retired sealing keys count through their journaled lineage only (R-5.6) ---------------

def forged_seal(ws: WorkspaceHandle, signer: Ed25519PrivateKey, *, list_key: bool,
                recovery_key: str | None = None) -> None:
    """The insider signs the current head with a key of their own (a key they made, or a
    former director's key they kept) and, if ``list_key``, lists its public key among the
    workspace's retired sealing keys."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from storage.journal import seal_message

    public = signer.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    main = insider(ws.root / "sillage.db", recovery_key or ws.recovery_key)
    seq, h, last_ts = next(iter(main.execute("SELECT seq, h, last_ts FROM journal_head")))
    sealed_ts = int(ws.clock.now().timestamp() * 1_000_000)
    signature = signer.sign(seal_message(int(seq), bytes(h), int(last_ts), sealed_ts))
    main.execute("INSERT INTO journal_seals (seq, h, entry_ts, sealed_ts, reason, public_key, signature) "
                 "VALUES (?, ?, ?, ?, 'horaire', ?, ?)", (seq, bytes(h), last_ts, sealed_ts, public, signature))
    if list_key:
        main.execute("INSERT INTO journal_seal_keys (key_id, public_key, created_at, retired_at, created_by, reason) "
                     "VALUES (?, ?, '2020-01-01T00:00:00+00:00', '2020-06-01T00:00:00+00:00', NULL, "
                     "'création de l''espace')", (public.hex(), public))
    main.close()


def test_a_key_listed_as_retired_by_an_insider_does_not_make_its_seals_count(ws: WorkspaceHandle) -> None:
    """The insider rewrites a sealed entry, recomputes the chain with the DMK, adds a
    « retired » key of their own to the list and seals the forged head with it: its seals do
    not count, and the director's next seal is refused, not laid over the forgery."""
    target = used(ws)
    for path in (ws.root / "journal").glob("*.db"):
        conn = insider(path, ws.recovery_key)
        conn.execute("UPDATE journal SET dossier_id = 77 WHERE seq = ?", (target,))
        conn.close()
    rechain(ws)
    forged_seal(ws, Ed25519PrivateKey.generate(), list_key=True)
    session, message, ok = verify_as_director(ws)
    assert not ok and "clé de scellement inconnue" in message, message
    assert any(a.kind == "sceau" for a in store_of(session).journal.alerts()), "the login seal was refused"
    session.close()


def test_a_renewed_key_keeps_the_old_seals_and_refuses_the_old_key_afterwards(ws: WorkspaceHandle) -> None:
    """After the sealing key is renewed (with the workspace key, R-2.8), seals by the previous
    key still count through the journaled succession; a seal made afterwards with the old key
    (a former director who kept it) does not."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from app.rekey import RekeyService

    used(ws)
    ws.reopen()
    session = ws.login()
    old_private = session.journal_sealing_key()
    assert old_private is not None
    old_raw = old_private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    keys: list[str] = []
    RekeyService(session).rekey(keys.append)
    report = JournalService(session).verify()  # before the new key has sealed anything
    assert report.ok, report.message
    session.close()
    ws.workspace.release()
    session, message, ok = verify_as_director(ws)
    assert ok, message
    new_private = session.journal_sealing_key()
    assert new_private is not None and new_private.private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()) != old_raw
    details = [e.detail for e in store_of(session).journal.iter_entries() if e.target == "cles"]
    assert any("clé de scellement du journal : nouvelle" in d and "précédente aucune" not in d for d in details)
    session.close()
    ws.workspace.release()
    ws.clock.advance(hours=1)
    forged_seal(ws, Ed25519PrivateKey.from_private_bytes(old_raw), list_key=False, recovery_key=str(keys[-1]))
    session, message, ok = verify_as_director(ws)
    assert not ok and "retirée" in message, message
    session.close()
