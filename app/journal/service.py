"""Journal verification, expiry after six rolling months, export and review (R-5.3 to R-5.5)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TextIO

from app.auth.access import require_right
from app.auth.permissions import Right
from app.clock import Clock
from app.csvsafe import SafeWriter
from app.errors import KnownError
from app.journal.events import Action
from app.journal.seals import seal_now, trusted_seal_keys
from app.session import Session
from app.session_service import SessionService
from reports.french import date_time, read_date, short_date
from storage.journal import (
    RETENTION_MONTHS,
    ChainReport,
    Checkpoint,
    ClockNotTrusted,
    DamagedPartition,
    JournalIntegrityError,
    JournalStore,
    from_micros,
    months_before,
    to_micros,
    verify_chain,
)
from storage.journal.review import EntryFilter, iter_matching


def retention_cutoff(now: dt.datetime) -> dt.datetime:
    return months_before(now, RETENTION_MONTHS)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    count: int
    first_bad_seq: int | None
    seconds: float
    message: str
    sealed_seq: int | None = None
    sealed_at: dt.datetime | None = None
    unsealed: int = 0


@dataclass(frozen=True)
class RotateResult:
    done: bool
    checkpoint: Checkpoint | None
    message: str
    clock_warning: str | None = None
    #: the clock is out of its trusted bounds: a director must confirm the date (R-5.7)
    needs_confirmation: bool = False


class HasJournal(Protocol):
    """What the journal's expiry needs: a ``Store`` or a ``Session``."""

    @property
    def journal(self) -> JournalStore: ...


def clock_question(store: HasJournal, now: dt.datetime) -> str | None:
    """The director's question when the clock cannot be trusted (R-5.7), else None."""
    state = store.journal.clock_state(to_micros(now))
    if state == "ok":
        return None
    head = store.journal.head_state()
    last = from_micros(head.max_ts)
    behind = "L'horloge de l'ordinateur est en retard sur la dernière entrée du journal. "
    prefix = behind if state == "behind" else ""
    trusted = from_micros(head.trusted_ts)
    since = (f" (date sûre la plus récente : {short_date(trusted)})"
             if trusted.date() != last.date() else "")
    return (
        f"{prefix}L'horloge de l'ordinateur indique le {short_date(now)} ; la dernière activité date "
        f"du {short_date(last)}{since} ; confirmer ? L'expiration du journal attend la confirmation "
        "de la date par la direction."
    )


def clock_warning(store: HasJournal, now: dt.datetime) -> str | None:
    return clock_question(store, now)


def expire(store: HasJournal, clock: Clock, cutoff: dt.datetime | None = None,
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
        with store.journal.damage_named():
            checkpoint = store.journal.expire_before(to_micros(cutoff), to_micros(now), confirmed=confirmed)
    except DamagedPartition as exc:  # nothing is destroyed; `journal verify` names the file
        return RotateResult(False, None, f"{exc.message} Aucune entrée n'a été détruite.")
    except ClockNotTrusted as exc:
        question = clock_question(store, now) or ""
        if str(exc) == "behind":
            store.journal.alert(
                "horloge",
                f"Horloge en retard : {date_time(now)} UTC, avant la dernière entrée du journal "
                f"({date_time(from_micros(store.journal.head_state().max_ts))} UTC).",
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
        f"Entrées antérieures au {short_date(from_micros(checkpoint.cutoff_ts))} détruites "
        f"(jusqu'au n° {checkpoint.last_seq}).",
    )


def daily_expiry(session: Session) -> RotateResult:
    """The automatic daily expiry (R-5.3): a system task, not a user's request."""
    return expire(session, session.clock)


class JournalService(SessionService):
    def verify(self) -> VerifyReport:
        require_right(self.session, Right.VERIFY_JOURNAL)
        started = time.perf_counter()
        journal = self.session.journal
        try:
            with journal.damage_named():
                keys, substituted = trusted_seal_keys(self.session)
                if substituted:
                    result = VerifyReport(False, 0, None, 0.0, f"Journal altéré : {substituted}.")
                else:
                    now = to_micros(self.session.clock.now())
                    result = _report(verify_chain(journal, now, trusted_keys=keys), time.perf_counter() - started)
        except DamagedPartition as exc:  # a tamper report, not an error
            result = VerifyReport(False, 0, None, time.perf_counter() - started, exc.message)
        self.record_verification(result)
        return result

    def background_verification(self) -> Callable[[], VerifyReport]:
        """A job for a worker thread: it verifies on its own read-only connections, so the GUI
        may keep using the session meanwhile. Call ``record_verification`` with its result."""
        require_right(self.session, Right.VERIFY_JOURNAL)
        self.session.journal.flush()
        paths, dmk = self.session.paths, self.session.workspace_key()
        try:
            with self.session.journal.damage_named():
                keys, substituted = trusted_seal_keys(self.session)
        except DamagedPartition as damaged:  # a tamper report, not an error
            message = damaged.message
            return lambda: VerifyReport(False, 0, None, 0.0, message)
        now = to_micros(self.session.clock.now())

        def work() -> VerifyReport:
            if substituted:
                return VerifyReport(False, 0, None, 0.0, f"Journal altéré : {substituted}.")
            from storage.connection import open_database
            from storage.journal import JournalStore
            from storage.store import journal_audit_key

            started = time.perf_counter()
            main = open_database(paths.db, dmk, quick_check=False, read_only=True)
            journal = JournalStore(paths.journal_dir, dmk, main, journal_audit_key(main, dmk))
            try:
                with journal.damage_named():
                    report = verify_chain(journal, now, trusted_keys=keys)
            except DamagedPartition as exc:  # a tamper report, not an error
                return VerifyReport(False, 0, None, time.perf_counter() - started, exc.message)
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
                    f"La date confirmée ({short_date(confirm_date)}) n'est pas celle qu'indique "
                    f"l'horloge de l'ordinateur ({short_date(now)}). Corrigez la date de l'ordinateur, "
                    "puis confirmez-la. Rien n'a été supprimé."
                )
            with self.session.transaction():
                self.session.record(Action.JOURNAL, "journal",
                                    detail=f"date de l'horloge confirmée : {short_date(confirm_date)}")
        result = expire(self.session, self.session.clock, confirmed=confirm_date is not None)
        with self.session.transaction():
            self.session.record(Action.JOURNAL, "journal", detail="expiration")
        return result

    def export_csv(self, out: TextIO, *, date_from: str | None = None, date_to: str | None = None) -> int:
        require_right(self.session, Right.REVIEW_JOURNAL)
        seal_now(self.session, "export")  # every journal export is sealed
        period = _period(date_from, date_to)
        with self.session.transaction():
            self.session.record(Action.EXPORT, "journal", detail="export csv")
        writer = SafeWriter(out)
        writer.writerow(["seq", "date", "user_id", "profile", "dossier_id", "target", "action", "detail"])
        count = 0
        for e in iter_matching(self.session.journal, period):
            writer.writerow([
                e.seq, from_micros(e.ts).isoformat(timespec="seconds"), e.user_id or "",
                e.profile, e.dossier_id or "", e.target, e.action, e.detail,
            ])
            count += 1
        return count


def seal_status(report: ChainReport) -> str:
    """« scellé jusqu'au n° … du … » and the unsealed tail (R-5.6)."""
    if report.sealed_seq is None or report.sealed_ts is None:
        return f"aucun sceau : {report.unsealed} entrées non scellées"
    when = from_micros(report.sealed_ts)
    return (f"scellé jusqu'au n° {report.sealed_seq} du {date_time(when, at=True)} UTC ; "
            f"{report.unsealed} entrée{'s' if report.unsealed > 1 else ''} non scellée"
            f"{'s' if report.unsealed > 1 else ''}")


def _report(report: ChainReport, seconds: float) -> VerifyReport:
    if report.ok:
        message = f"Journal intègre : {report.count} entrées vérifiées ; {seal_status(report)}."
    else:
        message = (
            f"Journal altéré : première entrée en cause n° {report.first_bad_seq} "
            f"({report.reason}). {report.count} entrées vérifiées avant elle."
        )
    sealed_at = from_micros(report.sealed_ts) if report.sealed_ts is not None else None
    return VerifyReport(report.ok, report.count, report.first_bad_seq, seconds, message,
                        report.sealed_seq, sealed_at, report.unsealed)


_last_expiry: dict[int, float] = {}


def periodic_tasks(session: Session) -> None:
    """Every hour while a session is open: seal (directors); once a day: expiry (R-5.3, R-5.6)."""
    seal_now(session, "horaire")
    key = id(session)
    now = session.clock.monotonic()
    if now - _last_expiry.get(key, float("-inf")) >= 24 * 3600 - 60:
        _last_expiry[key] = now
        daily_expiry(session)


def parse_day(text: str) -> dt.date:
    day = read_date(text)
    if day is None:
        raise KnownError(f"Date invalide « {text[:20]} » : utilisez jj/mm/aaaa ou aaaa-mm-jj.")
    return day


def _period(date_from: str | None, date_to: str | None) -> EntryFilter:
    """The entries of the days from ``date_from`` to ``date_to`` included (UTC days)."""
    ts_from = ts_to = None
    if date_from:
        start = parse_day(date_from)
        ts_from = to_micros(dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC))
    if date_to:
        end = parse_day(date_to) + dt.timedelta(days=1)
        ts_to = to_micros(dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC))
    return EntryFilter(ts_from=ts_from, ts_to=ts_to)
