"""Journal verification, expiry after six rolling months, export and review (R-5.3 to R-5.5)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from app.auth.access import require_right
from app.auth.permissions import Right
from app.clock import Clock
from app.csvsafe import SafeWriter
from app.errors import KnownError
from app.journal.events import Action
from app.session import Session
from storage.journal import (
    RETENTION_MONTHS,
    ChainReport,
    Checkpoint,
    ClockNotTrusted,
    JournalIntegrityError,
    from_micros,
    months_before,
    to_micros,
    verify_chain,
)
from storage.store import Store


def retention_cutoff(now: dt.datetime) -> dt.datetime:
    return months_before(now, RETENTION_MONTHS)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    count: int
    first_bad_seq: int | None
    seconds: float
    message: str


@dataclass(frozen=True)
class RotateResult:
    done: bool
    checkpoint: Checkpoint | None
    message: str
    clock_warning: str | None = None
    #: the clock is out of its trusted bounds: a director must confirm the date (R-5.7)
    needs_confirmation: bool = False


def clock_question(store: Store, now: dt.datetime) -> str | None:
    """The director's question when the clock cannot be trusted (R-5.7), else None."""
    state = store.journal.clock_state(to_micros(now))
    if state == "ok":
        return None
    head = store.journal.head_state()
    last = from_micros(head.max_ts)
    behind = "L'horloge de l'ordinateur est en retard sur la dernière entrée du journal. "
    prefix = behind if state == "behind" else ""
    trusted = from_micros(head.trusted_ts)
    since = (f" (date sûre la plus récente : {trusted:%d/%m/%Y})"
             if trusted.date() != last.date() else "")
    return (
        f"{prefix}L'horloge de l'ordinateur indique le {now:%d/%m/%Y} ; la dernière activité date "
        f"du {last:%d/%m/%Y}{since} ; confirmer ? L'expiration du journal attend la confirmation "
        "de la date par la direction."
    )


def clock_warning(store: Store, now: dt.datetime) -> str | None:
    return clock_question(store, now)


def expire(store: Store, clock: Clock, cutoff: dt.datetime | None = None,
           *, confirmed: bool = False) -> RotateResult:
    """Destroy entries older than six rolling months, each by its own time (R-5.3, R-5.7).

    Runs only while the clock lies within its trusted bounds, unless a director ``confirmed``
    the date; refuses a too-recent cutoff and a head or checkpoint that does not authenticate."""
    now = clock.now()
    limit = retention_cutoff(now)
    if cutoff is None:
        cutoff = limit
    if cutoff > limit:
        raise KnownError(
            "La date limite demandée est plus récente que six mois : les entrées du journal "
            "doivent être conservées six mois. Rien n'a été supprimé."
        )
    try:
        checkpoint = store.journal.expire_before(to_micros(cutoff), to_micros(now), confirmed=confirmed)
    except ClockNotTrusted as exc:
        question = clock_question(store, now) or ""
        if str(exc) == "behind":
            store.journal.alert(
                "horloge",
                f"Horloge en retard : {now:%d/%m/%Y %H:%M} UTC, avant la dernière entrée du journal "
                f"({from_micros(store.journal.head_state().max_ts):%d/%m/%Y %H:%M} UTC).",
            )
        return RotateResult(False, None, question, question, needs_confirmation=True)
    except JournalIntegrityError as exc:
        return RotateResult(
            False, None,
            f"Journal altéré : {exc}. Rien n'a été détruit ; vérifiez le journal (« journal verify »).",
        )
    if checkpoint is None:
        return RotateResult(True, None, "Aucune entrée n'avait plus de six mois.")
    return RotateResult(
        True, checkpoint,
        f"Entrées antérieures au {from_micros(checkpoint.cutoff_ts):%d/%m/%Y} détruites "
        f"(jusqu'au n° {checkpoint.last_seq}).",
    )


def daily_expiry(session: Session) -> RotateResult:
    """The automatic daily expiry (R-5.3): a system task, not a user's request."""
    return expire(session.store, session.clock)


class JournalService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def verify(self) -> VerifyReport:
        require_right(self.session, Right.VERIFY_JOURNAL)
        started = time.perf_counter()
        result = _report(verify_chain(self.session.store.journal), time.perf_counter() - started)
        self.record_verification(result)
        return result

    def background_verification(self) -> Callable[[], VerifyReport]:
        """A job for a worker thread: it verifies on its own read-only connections, so the GUI
        may keep using the session meanwhile. Call ``record_verification`` with its result."""
        require_right(self.session, Right.VERIFY_JOURNAL)
        store = self.session.store
        store.journal.flush()
        paths, dmk = store.paths, store.dmk

        def work() -> VerifyReport:
            from storage.connection import open_database
            from storage.journal import JournalStore
            from storage.store import journal_audit_key

            started = time.perf_counter()
            main = open_database(paths.db, dmk, quick_check=False, read_only=True)
            journal = JournalStore(paths.journal_dir, dmk, main, journal_audit_key(main, dmk))
            try:
                report = verify_chain(journal)
            finally:
                journal.close()
                main.close()
            return _report(report, time.perf_counter() - started)

        return work

    def record_verification(self, report: VerifyReport) -> None:
        require_right(self.session, Right.VERIFY_JOURNAL)
        with self.session.transaction():
            self.session.record(Action.JOURNAL, "journal", detail="vérification")

    def rotate(self, *, confirm_date: dt.date | None = None) -> RotateResult:
        """Expire the journal now; with ``confirm_date`` a director confirms the clock's date
        (R-5.7), and that decision is journaled before anything is destroyed."""
        require_right(self.session, Right.ROTATE_JOURNAL)
        now = self.session.clock.now()
        if confirm_date is not None:
            if confirm_date != now.date():
                raise KnownError(
                    f"La date confirmée ({confirm_date:%d/%m/%Y}) n'est pas celle qu'indique "
                    f"l'horloge de l'ordinateur ({now:%d/%m/%Y}). Corrigez la date de l'ordinateur, "
                    "puis confirmez-la. Rien n'a été supprimé."
                )
            with self.session.transaction():
                self.session.record(Action.JOURNAL, "journal",
                                    detail=f"date de l'horloge confirmée : {confirm_date:%d/%m/%Y}")
        result = expire(self.session.store, self.session.clock, confirmed=confirm_date is not None)
        with self.session.transaction():
            self.session.record(Action.JOURNAL, "journal", detail="expiration")
        return result

    def export_csv(self, out: TextIO, *, date_from: str | None = None, date_to: str | None = None) -> int:
        require_right(self.session, Right.REVIEW_JOURNAL)
        where, params = _period_clause(date_from, date_to)
        with self.session.transaction():
            self.session.record(Action.EXPORT, "journal", detail="export csv")
        writer = SafeWriter(out)
        writer.writerow(["seq", "date", "user_id", "profile", "dossier_id", "target", "action", "detail"])
        count = 0
        for e in self.session.store.journal.iter_entries(where, params):
            writer.writerow([
                e.seq, from_micros(e.ts).isoformat(timespec="seconds"), e.user_id or "",
                e.profile, e.dossier_id or "", e.target, e.action, e.detail,
            ])
            count += 1
        return count


def _report(report: ChainReport, seconds: float) -> VerifyReport:
    if report.ok:
        message = f"Journal intègre : {report.count} entrées vérifiées."
    else:
        message = (
            f"Journal altéré : première entrée en cause n° {report.first_bad_seq} "
            f"({report.reason}). {report.count} entrées vérifiées avant elle."
        )
    return VerifyReport(report.ok, report.count, report.first_bad_seq, seconds, message)


def parse_day(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise KnownError(f"Date invalide « {text[:20]} » : utilisez jj/mm/aaaa ou aaaa-mm-jj.")


def _period_clause(date_from: str | None, date_to: str | None) -> tuple[str, tuple[object, ...]]:
    clauses: list[str] = []
    params: list[object] = []
    if date_from:
        start = parse_day(date_from)
        clauses.append("ts >= ?")
        params.append(to_micros(dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)))
    if date_to:
        end = parse_day(date_to) + dt.timedelta(days=1)
        clauses.append("ts < ?")
        params.append(to_micros(dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC)))
    return " AND ".join(clauses), tuple(params)
