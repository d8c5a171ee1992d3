"""The journal against an insider and against the computer's clock (issue 11, R-5.4, R-5.7).

Each attack is made as an insider would: the files opened with the recovery key in the
independent SQLCipher client (apsw + sqlite3mc), rows rewritten in place, no Sillage code.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import apsw
import pytest

from app.clock import FixedClock
from app.journal.events import Action
from app.journal.service import JournalService, expire, retention_cutoff
from app.session import Session
from app.workspace import AppContext, Workspace
from storage.journal import from_micros, to_micros, verify_chain
from storage.recovery_key import decode
from tests.app.journal.test_journal_chain import fill
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_NAME, DIRECTOR_PASSWORD, ORG, WorkspaceHandle
from tests.store_access import store_of

DAY = dt.timedelta(days=1)
SIX_MONTHS_AND_A_DAY = dt.timedelta(days=185)


def insider(path: Path, recovery_key: str) -> apsw.Connection:
    """A read-write connection of the independent client, keyed with the recovery key."""
    conn = apsw.Connection(str(path))
    conn.execute("PRAGMA cipher = 'sqlcipher'")
    conn.execute("PRAGMA legacy = 4")
    conn.execute(f"PRAGMA key = \"x'{decode(recovery_key).hex()}'\"")
    return conn


@pytest.fixture
def history(tmp_path: Path, context: AppContext, clock: FixedClock) -> Iterator[WorkspaceHandle]:
    """A workspace used from 01/03/2026 to 23/11/2026 (3 entries a day), closed."""
    clock.set(dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC))
    workspace = Workspace(tmp_path / "history", context)
    key = workspace.create(org_name=ORG, admin_login=DIRECTOR_LOGIN, admin_name=DIRECTOR_NAME,
                           password=DIRECTOR_PASSWORD, units=["Les Lilas"])
    ws = WorkspaceHandle(workspace, clock, key)
    session = ws.login()
    fill(session, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), 267)  # up to 22/11/2026
    clock.set(dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC))
    session.close()
    ws.workspace.release()
    yield ws
    ws.workspace.release()


def entries(session: Session) -> dict[int, int]:
    return {e.seq: e.ts for e in store_of(session).journal.iter_entries()}


def login(ws: WorkspaceHandle) -> Session:
    ws.reopen()
    return ws.login()


def verify_fails(ws: WorkspaceHandle) -> tuple[Session, str]:
    session = login(ws)
    report = JournalService(session).verify()
    assert not report.ok, report
    assert report.first_bad_seq is not None
    return session, report.message


def head_row(ws: WorkspaceHandle) -> tuple[int, bytes]:
    conn = insider(ws.root / "sillage.db", ws.recovery_key)
    seq, h = next(iter(conn.execute("SELECT seq, h FROM journal_head")))
    conn.close()
    return int(seq), bytes(h)


# -- attacks on the stored rows -------------------------------------------------------------

def test_truncation_with_the_head_rewritten_is_detected(history: WorkspaceHandle) -> None:
    """R-5.4: the tail deleted and the head row rewritten to the new last entry."""
    ws = history
    part = insider(ws.root / "journal" / "2026-11.db", ws.recovery_key)
    seqs = [r[0] for r in part.execute("SELECT seq FROM journal ORDER BY seq")]
    keep = seqs[-10]
    new_last_h = next(iter(part.execute("SELECT h FROM journal WHERE seq = ?", (keep,))))[0]
    part.execute("DELETE FROM journal WHERE seq > ?", (keep,))
    part.close()
    main = insider(ws.root / "sillage.db", ws.recovery_key)
    main.execute("UPDATE journal_head SET seq = ?, h = ?", (keep, new_last_h))
    main.close()
    session, message = verify_fails(ws)
    assert "tête" in message or "scellées manquantes" in message, message
    session.close()


def test_deleted_unexpired_month_with_a_forged_checkpoint_is_detected(history: WorkspaceHandle) -> None:
    """R-5.4: a month of 7 months ago is young enough to keep: deleting it needs a checkpoint."""
    ws = history
    old = insider(ws.root / "journal" / "2026-06.db", ws.recovery_key)
    last_seq, last_h = next(iter(old.execute("SELECT seq, h FROM journal ORDER BY seq DESC LIMIT 1")))
    old.close()
    for name in ("2026-03", "2026-04", "2026-05", "2026-06"):
        (ws.root / "journal" / f"{name}.db").unlink()
    main = insider(ws.root / "sillage.db", ws.recovery_key)
    now = to_micros(dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
    main.execute(
        "INSERT INTO journal_checkpoints (first_seq, last_seq, count, last_hash, cutoff_ts, created_ts, "
        "partitions) VALUES (1, ?, ?, ?, ?, ?, '')",
        (last_seq, last_seq, last_h, now - 150 * 86_400_000_000, now),
    )
    main.close()
    session, message = verify_fails(ws)
    assert "point de contrôle" in message
    session.close()


def test_a_forged_checkpoint_makes_sillage_destroy_nothing(history: WorkspaceHandle) -> None:
    """R-5.4: the attack of the issue: one forged row used to make the next login delete
    the whole journal. Now the checkpoint is refused, reported, and every entry stays."""
    ws = history
    session = login(ws)
    before = entries(session)
    session.close()
    head_seq, head_h = head_row(ws)
    main = insider(ws.root / "sillage.db", ws.recovery_key)
    main.execute(
        "INSERT INTO journal_checkpoints (first_seq, last_seq, count, last_hash, cutoff_ts, created_ts, "
        "partitions) VALUES (1, ?, ?, ?, ?, ?, '')",
        (head_seq, head_seq, head_h, to_micros(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
         to_micros(dt.datetime(2031, 1, 1, tzinfo=dt.UTC))),
    )
    main.close()
    session = login(ws)
    after = entries(session)
    assert set(before) <= set(after), "nothing may be destroyed by a forged checkpoint"
    assert any(a.kind == "point de contrôle" for a in store_of(session).journal.alerts())
    report = JournalService(session).verify()
    assert not report.ok and "point de contrôle" in report.message
    session.close()


def test_an_older_copy_of_a_month_with_the_head_rewritten_is_detected(history: WorkspaceHandle) -> None:
    """R-5.4: 2026-11 replaced by a copy taken earlier, the head set back to match it."""
    ws = history
    ws.clock.set(dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC))
    session = login(ws)
    store_of(session).journal.flush()
    session.close()
    ws.workspace.release()
    copy = ws.root.parent / "copy-2026-11.db"
    shutil.copyfile(ws.root / "journal" / "2026-11.db", copy)
    old_seq, old_h = head_row(ws)
    ws.clock.set(dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC))
    session = login(ws)
    for _ in range(5):
        session.journal_event(Action.CONSULTATION, "sante", dossier_id=1)
    session.close()
    ws.workspace.release()
    shutil.copyfile(copy, ws.root / "journal" / "2026-11.db")
    main = insider(ws.root / "sillage.db", ws.recovery_key)
    main.execute("UPDATE journal_head SET seq = ?, h = ?", (old_seq, old_h))
    main.close()
    session, message = verify_fails(ws)
    assert "tête" in message or "scellées manquantes" in message, message
    session.close()


def test_a_rolled_back_main_database_is_an_alert_not_a_merge(history: WorkspaceHandle) -> None:
    """R-5.4: sillage.db restored from an earlier copy while the partitions went on."""
    ws = history
    session = login(ws)
    store_of(session).journal.flush()
    session.close()
    ws.workspace.release()
    saved = ws.root.parent / "sillage-earlier.db"
    shutil.copyfile(ws.root / "sillage.db", saved)
    session = login(ws)
    for _ in range(5):
        session.journal_event(Action.CONSULTATION, "sante", dossier_id=1)
    store_of(session).journal.flush()
    kept = entries(session)
    session.close()
    ws.workspace.release()
    for suffix in ("-wal", "-shm"):
        (ws.root / f"sillage.db{suffix}").unlink(missing_ok=True)
    shutil.copyfile(saved, ws.root / "sillage.db")
    session = login(ws)
    assert any(a.kind == "conflit" for a in store_of(session).journal.alerts())
    session.journal_event(Action.CONSULTATION, "sante", dossier_id=1)
    store_of(session).journal.flush()
    # the partitions' entries are all still there, nothing was overwritten or dropped
    stored = {e.seq: e.ts for e in store_of(session).journal.iter_entries()}
    assert set(kept) <= set(stored)
    report = JournalService(session).verify()
    assert not report.ok
    session.close()


def test_blanking_the_head_mac_is_not_re_adopted(history: WorkspaceHandle) -> None:
    """The one-time adoption of a pre-migration journal cannot be replayed by an insider."""
    ws = history
    main = insider(ws.root / "sillage.db", ws.recovery_key)
    main.execute("UPDATE journal_head SET mac = NULL")
    main.close()
    session, message = verify_fails(ws)
    assert "tête" in message
    session.close()


# -- the clock (R-5.7) ------------------------------------------------------------------------

def _check_retention(all_seen: dict[int, int], present: dict[int, int], now: dt.datetime) -> None:
    """Nothing destroyed before its 6 months; nothing kept beyond 6 months and a day."""
    cutoff = retention_cutoff(now)
    for seq, ts in all_seen.items():
        when = from_micros(ts)
        if when >= cutoff:
            assert seq in present, f"entry {seq} of {when} destroyed before its six months"
        if when < cutoff - DAY:
            assert seq not in present, f"entry {seq} of {when} kept beyond six months and a day"


def test_clock_stepped_44_days_at_each_of_five_logins_destroys_nothing(history: WorkspaceHandle) -> None:
    """The attack of the issue: five logins, the clock 44 days further each time."""
    ws = history
    session = login(ws)
    before = entries(session)
    session.close()
    for _ in range(5):
        ws.clock.advance(days=44)
        session = login(ws)
        rotation = session.workspace.last_rotation
        assert rotation is not None and rotation.needs_confirmation and not rotation.done
        session.close()
    session = login(ws)
    assert set(before) <= set(entries(session))
    assert JournalService(session).verify().ok
    session.close()


def test_clock_steps_of_six_days_repeated_keep_six_months_exactly(history: WorkspaceHandle) -> None:
    """Each step is within the trusted window: expiry runs, each entry by its own time."""
    ws = history
    seen: dict[int, int] = {}
    for _ in range(40):
        session = login(ws)
        present = entries(session)
        seen.update(present)
        _check_retention(seen, present, ws.clock.now())
        session.journal_event(Action.CONSULTATION, "sante", dossier_id=1)
        seen.update(entries(session))
        session.close()
        ws.clock.advance(days=6)
    session = login(ws)
    assert JournalService(session).verify().ok
    session.close()


def test_a_jump_of_a_year_waits_for_the_director_then_expires_exactly(history: WorkspaceHandle) -> None:
    ws = history
    session = login(ws)
    before = entries(session)
    session.close()
    ws.clock.advance(days=365)
    session = login(ws)
    rotation = session.workspace.last_rotation
    assert rotation is not None and rotation.needs_confirmation
    assert "L'horloge de l'ordinateur indique le" in rotation.message
    assert "la dernière activité date du" in rotation.message
    present = entries(session)
    assert set(before) <= set(present)
    # the daily expiry, once the login entries carry the new time, still waits
    assert not expire(store_of(session), ws.clock).done
    service = JournalService(session)
    from app.errors import KnownError

    with pytest.raises(KnownError):
        service.rotate(confirm_date=(ws.clock.now() - DAY).date())
    result = service.rotate(confirm_date=ws.clock.now().date())
    assert result.done
    present = entries(session)
    seen = {**before, **present}
    _check_retention(seen, present, ws.clock.now())
    details = [e.detail for e in store_of(session).journal.iter_entries()]
    assert any(d.startswith("date de l'horloge confirmée") for d in details)
    assert service.verify().ok
    # from now on the clock is trusted again
    ws.clock.advance(days=2)
    assert expire(store_of(session), ws.clock).done
    session.close()


def test_a_clock_behind_the_newest_entry_is_an_alert(history: WorkspaceHandle) -> None:
    ws = history
    session = login(ws)
    before = entries(session)
    session.close()
    ws.clock.set(dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    session = login(ws)
    rotation = session.workspace.last_rotation
    assert rotation is not None and not rotation.done and rotation.needs_confirmation
    assert any(a.kind == "horloge" for a in store_of(session).journal.alerts())
    assert set(before) <= set(entries(session))
    session.close()


def test_an_entry_recorded_late_is_expired_by_its_own_time(history: WorkspaceHandle) -> None:
    """R-5.7: a failed login journaled at the next login carries its earlier time; it is
    expired by that time, leaving a tombstone that keeps the chain verifiable."""
    ws = history
    session = login(ws)
    late_ts = to_micros(dt.datetime(2026, 5, 20, 3, 0, tzinfo=dt.UTC))
    with session.transaction():
        late = store_of(session).journal.append(late_ts, None, "", None, "session", "echec_connexion",
                                            "identifiant inconnu")
    session.journal_event(Action.CONSULTATION, "sante", dossier_id=1)
    assert late in entries(session)
    session.close()
    ws.clock.set(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC))  # 20/05 is now 6 months + 5 days old
    session = login(ws)
    present = entries(session)
    assert late not in present
    assert late + 1 in present
    report = verify_chain(store_of(session).journal)
    assert report.ok and report.expired_late == 1, report
    session.close()


def test_admin_technique_does_not_rotate() -> None:
    from app.auth.permissions import Right, has_right
    from app.auth.profiles import Profile

    assert not has_right(Profile.ADMIN_TECHNIQUE, Right.ROTATE_JOURNAL)
    assert has_right(Profile.DIRECTION, Right.ROTATE_JOURNAL)
