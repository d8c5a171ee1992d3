"""Tamper evidence, expiry and checkpoints of the access journal (R-5.2 to R-5.4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.clock import FixedClock
from app.errors import KnownError
from app.journal.service import JournalService, expire, retention_cutoff
from app.session import Session
from app.workspace import AppContext, Workspace
from storage.connection import open_database, transaction
from storage.journal import from_micros, partition_of, to_micros, verify_chain
from storage.recovery_key import decode
from tests.conftest import (
    DIRECTOR_LOGIN,
    DIRECTOR_NAME,
    DIRECTOR_PASSWORD,
    ORG,
    WorkspaceHandle,
)
from tests.store_access import store_of

DAY = dt.timedelta(days=1)


def fill(session: Session, start: dt.datetime, days: int, per_day: int = 3) -> None:
    def rows() -> Iterator[tuple[int, int | None, str, int | None, str, str, str]]:
        for d in range(days):
            for k in range(per_day):
                when = start + d * DAY + dt.timedelta(hours=8 + k)
                yield (to_micros(when), session.user.id, "direction", 1, "sante", "consultation", "")

    store_of(session).journal.bulk_load(rows())


@pytest.fixture
def filled(tmp_path: Path, context: AppContext, clock: FixedClock) -> Iterator[tuple[WorkspaceHandle, Session]]:
    # a workspace created on 01/03/2026, with entries over the 8 months before "now" (23/11/2026)
    clock.set(dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC))
    workspace = Workspace(tmp_path / "filled", context)
    key = workspace.create(org_name=ORG, admin_login=DIRECTOR_LOGIN, admin_name=DIRECTOR_NAME,
                           password=DIRECTOR_PASSWORD, units=["Les Lilas"])
    ws = WorkspaceHandle(workspace, clock, key)
    session = ws.login()
    fill(session, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), 260)
    ws.clock.set(dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC))
    yield ws, session
    if session.is_open:
        session.close()
    ws.workspace.release()


def partition_conn(ws: WorkspaceHandle, name: str):  # type: ignore[no-untyped-def]
    return open_database(ws.root / "journal" / f"{name}.db", decode(ws.recovery_key))


def test_untouched_journal_verifies(filled: tuple[WorkspaceHandle, Session]) -> None:
    ws, session = filled
    report = verify_chain(store_of(session).journal)
    assert report.ok, report
    assert report.count >= 780
    assert len(store_of(session).journal.partition_names()) >= 8


@pytest.mark.parametrize("month", ["2026-03", "2026-07", "2026-11"])
@pytest.mark.parametrize("kind", ["edit", "insert", "delete", "reorder", "truncate_tail"])
def test_any_tampering_is_detected(filled: tuple[WorkspaceHandle, Session], month: str, kind: str) -> None:
    ws, session = filled
    store_of(session).journal.flush()
    store_of(session).journal.close()
    conn = partition_conn(ws, month)
    seqs = [r[0] for r in conn.execute("SELECT seq FROM journal ORDER BY seq")]
    middle = seqs[len(seqs) // 2]
    with transaction(conn):
        if kind == "edit":
            conn.execute("UPDATE journal SET user_id = 999 WHERE seq = ?", (middle,))
            expected = middle
        elif kind == "insert":
            conn.execute("UPDATE journal SET seq = seq + 1000000 WHERE seq > ?", (middle,))
            conn.execute(
                "INSERT INTO journal SELECT ?, ts, user_id, profile, dossier_id, target, action, "
                "detail, h FROM journal WHERE seq = ?", (middle + 1, middle))
            conn.execute("UPDATE journal SET seq = seq - 1000000 + 1 WHERE seq > 1000000")
            expected = middle + 1
        elif kind == "delete":
            conn.execute("DELETE FROM journal WHERE seq = ?", (middle,))
            expected = middle
        elif kind == "reorder":
            conn.execute("UPDATE journal SET seq = -1 WHERE seq = ?", (middle,))
            conn.execute("UPDATE journal SET seq = ? WHERE seq = ?", (middle, middle + 1))
            conn.execute("UPDATE journal SET seq = ? WHERE seq = -1", (middle + 1,))
            expected = middle
        else:
            conn.execute("DELETE FROM journal WHERE seq >= ?", (seqs[-3],))
            expected = seqs[-3]
    conn.close()
    report = verify_chain(store_of(session).journal)
    assert not report.ok
    if kind == "truncate_tail" and month != "2026-11":
        # truncating an older month leaves a gap: the first missing entry is named
        assert report.first_bad_seq == expected
    else:
        assert report.first_bad_seq == expected, report


def test_tail_truncation_of_the_newest_partition_is_detected(filled: tuple[WorkspaceHandle, Session]) -> None:
    ws, session = filled
    store_of(session).journal.flush()
    head = store_of(session).journal.head()[0]
    name = store_of(session).journal.partition_names()[-1]
    conn = store_of(session).journal.partition(name)
    with transaction(conn):
        conn.execute("DELETE FROM journal WHERE seq = ?", (head,))
    report = verify_chain(store_of(session).journal)
    assert not report.ok and report.first_bad_seq == head


def test_deleting_a_whole_partition_is_detected(filled: tuple[WorkspaceHandle, Session]) -> None:
    ws, session = filled
    store_of(session).journal.flush()
    store_of(session).journal.drop_partition("2026-08")
    report = verify_chain(store_of(session).journal)
    assert not report.ok


def test_expiry_keeps_six_months_and_verification_green(filled: tuple[WorkspaceHandle, Session]) -> None:
    ws, session = filled
    now = ws.clock.now()
    cutoff = retention_cutoff(now)
    assert cutoff == dt.datetime(2026, 5, 23, 9, 30, tzinfo=dt.UTC)
    before = [e for e in store_of(session).journal.iter_entries()]
    young = [e.seq for e in before if from_micros(e.ts) >= cutoff]
    result = expire(store_of(session), ws.clock, confirmed=True)  # more than 7 days after the last entry
    assert result.done and result.checkpoint is not None
    after = list(store_of(session).journal.iter_entries())
    assert all(from_micros(e.ts) >= cutoff for e in after)
    assert [e.seq for e in after if e.seq in set(young)] == young  # every young entry is there
    assert {e.seq for e in after} >= set(young)
    assert "2026-03" not in store_of(session).journal.partition_names()
    report = verify_chain(store_of(session).journal)
    assert report.ok, report
    # and later entries chain on correctly
    with session.transaction():
        session.record(__import__("app.journal.events", fromlist=["Action"]).Action.CONNEXION, "session")
    assert verify_chain(store_of(session).journal).ok


def test_cutoff_more_recent_than_six_months_is_refused(filled: tuple[WorkspaceHandle, Session]) -> None:
    ws, session = filled
    count = sum(1 for _ in store_of(session).journal.iter_entries())
    with pytest.raises(KnownError):
        expire(store_of(session), ws.clock, ws.clock.now() - dt.timedelta(days=30))
    assert sum(1 for _ in store_of(session).journal.iter_entries()) == count


def test_forward_clock_jump_is_reported_not_acted_upon(filled: tuple[WorkspaceHandle, Session]) -> None:
    ws, session = filled
    count = sum(1 for _ in store_of(session).journal.iter_entries())
    ws.clock.set(dt.datetime(2031, 1, 1, tzinfo=dt.UTC))
    result = expire(store_of(session), ws.clock)
    assert not result.done and result.clock_warning
    assert sum(1 for _ in store_of(session).journal.iter_entries()) == count


def test_backward_clock_jump_is_reported(filled: tuple[WorkspaceHandle, Session]) -> None:
    ws, session = filled
    with session.transaction():
        from app.journal.events import Action

        session.record(Action.CONNEXION, "session")
    ws.clock.set(dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    result = expire(store_of(session), ws.clock)
    assert not result.done and "en retard" in (result.clock_warning or "")
    assert any(a.kind == "horloge" for a in store_of(session).journal.alerts())


def test_entries_never_go_to_an_older_partition_when_the_clock_goes_back(ws: WorkspaceHandle) -> None:
    session = ws.login()
    from app.journal.events import Action

    ws.clock.set(dt.datetime(2026, 12, 2, tzinfo=dt.UTC))
    session.journal_event(Action.CONNEXION, "session")
    ws.clock.set(dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    session.journal_event(Action.CONNEXION, "session")
    store_of(session).journal.flush()
    assert store_of(session).journal.partition_names()[-1] == "2026-12"
    assert verify_chain(store_of(session).journal).ok
    session.close()


def test_rotate_after_crash_between_checkpoint_and_deletion(filled: tuple[WorkspaceHandle, Session]) -> None:
    ws, session = filled
    journal = store_of(session).journal
    journal.flush()
    # Simulate: checkpoint committed, partitions not yet deleted (the process died here).
    original_apply = journal.apply_checkpoint
    journal.apply_checkpoint = lambda now_ts=None: None  # type: ignore[method-assign]
    cp = journal.expire_before(to_micros(retention_cutoff(ws.clock.now())), to_micros(ws.clock.now()),
                               confirmed=True)
    journal.apply_checkpoint = original_apply  # type: ignore[method-assign]
    assert cp is not None
    assert "2026-03" in journal.partition_names()  # still there
    assert verify_chain(journal).ok  # verification ignores what the checkpoint covers
    session.close()
    ws.reopen()
    session2 = ws.login()  # startup applies the checkpoint
    assert "2026-03" not in store_of(session2).journal.partition_names()
    assert verify_chain(store_of(session2).journal).ok
    session2.close()


def test_service_verify_and_rotate_are_journaled(filled: tuple[WorkspaceHandle, Session]) -> None:
    ws, session = filled
    service = JournalService(session)
    report = service.verify()
    assert report.ok and "intègre" in report.message
    before = store_of(session).journal.head()[0]
    service.rotate()
    assert store_of(session).journal.head()[0] > before
    last = list(store_of(session).journal.iter_entries())[-1]
    assert last.action == "journal" and last.detail == "expiration"


def test_partition_naming() -> None:
    assert partition_of(to_micros(dt.datetime(2026, 1, 31, 23, 59, tzinfo=dt.UTC))) == "2026-01"
    assert partition_of(to_micros(dt.datetime(2026, 2, 1, tzinfo=dt.UTC))) == "2026-02"


@settings(max_examples=200, deadline=None)
@given(key=st.binary(min_size=1, max_size=100), prev=st.binary(min_size=32, max_size=32),
       seq=st.integers(1, 2**40), ts=st.integers(-(2**62), 2**62), rest=st.binary(max_size=300))
def test_chain_mac_is_the_standard_hmac_sha256(key: bytes, prev: bytes, seq: int, ts: int, rest: bytes) -> None:
    """R-5.4: h_i = HMAC-SHA256(K_audit, h_{i-1} ‖ seq ‖ ts ‖ SHA-256(rest)), copied keyed state."""
    import hashlib
    import hmac

    from storage.journal import EntryMac

    mac = EntryMac(key)
    digest = hashlib.sha256(rest).digest()
    expected = hmac.digest(key, prev + seq.to_bytes(8, "big") + ts.to_bytes(8, "big", signed=True) + digest,
                           "sha256")
    assert mac.v2(prev, seq, ts, digest) == expected
    assert mac.entry(prev, seq, ts, rest, v2_from=1) == expected
