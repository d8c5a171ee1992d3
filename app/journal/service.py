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
from storage.journal import ChainReport, Checkpoint, from_micros, to_micros, verify_chain
from storage.store import Store

RETENTION_MONTHS = 6
#: a gap this large between the newest entry and "now" is reported, not acted upon
FORWARD_JUMP = dt.timedelta(days=45)
BACKWARD_JUMP = dt.timedelta(minutes=10)


def months_before(when: dt.datetime, months: int) -> dt.datetime:
    year, month = when.year, when.month - months
    while month <= 0:
        month += 12
        year -= 1
    day = min(when.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                         31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return when.replace(year=year, month=month, day=day)


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


def clock_warning(store: Store, now: dt.datetime) -> str | None:
    _, _, _, last_ts = store.journal.head()
    if not last_ts:
        return None
    last = from_micros(last_ts)
    if now < last - BACKWARD_JUMP:
        return (
            f"L'horloge de ce poste indique une date antérieure à la dernière entrée du journal "
            f"({last:%d/%m/%Y %H:%M} UTC). Vérifiez la date et l'heure de l'ordinateur : "
            "l'expiration du journal n'a pas été appliquée."
        )
    if now > last + FORWARD_JUMP:
        return (
            f"La dernière entrée du journal date du {last:%d/%m/%Y} : l'horloge a peut-être été "
            "avancée. Vérifiez la date de l'ordinateur ; l'expiration du journal n'a pas été "
            "appliquée automatiquement (commande « journal rotate --accept-clock » pour la forcer)."
        )
    return None


def expire(store: Store, clock: Clock, cutoff: dt.datetime | None = None,
           *, accept_clock: bool = False) -> RotateResult:
    """Destroy entries older than six rolling months (R-5.3). Refuses a too-recent cutoff."""
    now = clock.now()
    limit = retention_cutoff(now)
    if cutoff is None:
        cutoff = limit
    if cutoff > limit:
        raise KnownError(
            "La date limite demandée est plus récente que six mois : les entrées du journal "
            "doivent être conservées six mois. Rien n'a été supprimé."
        )
    warning = clock_warning(store, now)
    if warning and not accept_clock:
        return RotateResult(False, None, warning, warning)
    checkpoint = store.journal.expire_before(to_micros(cutoff), to_micros(now))
    if checkpoint is None:
        return RotateResult(True, None, "Aucune entrée n'avait plus de six mois.", warning)
    return RotateResult(
        True, checkpoint,
        f"Entrées antérieures au {cutoff:%d/%m/%Y} détruites (jusqu'au n° {checkpoint.last_seq}).",
        warning,
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

    def rotate(self, *, accept_clock: bool = False) -> RotateResult:
        require_right(self.session, Right.ROTATE_JOURNAL)
        result = expire(self.session.store, self.session.clock, accept_clock=accept_clock)
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


def _parse_day(text: str) -> dt.date:
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
        start = _parse_day(date_from)
        clauses.append("ts >= ?")
        params.append(to_micros(dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)))
    if date_to:
        end = _parse_day(date_to) + dt.timedelta(days=1)
        clauses.append("ts < ?")
        params.append(to_micros(dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC)))
    return " AND ".join(clauses), tuple(params)
