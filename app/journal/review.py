"""Review of the access journal by `direction` and `archiviste` (R-5.5), with detection aids.

Consulting or exporting the journal is itself journaled.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from app.auth.access import require_right
from app.auth.permissions import UNIT_SCOPED, Right
from app.auth.profiles import Profile
from app.csvsafe import SafeWriter
from app.errors import KnownError
from app.journal.events import ACTION_LABELS, Action
from app.output_files import check_output
from app.session_service import SessionService
from reports.french import date_time, short_date
from storage.files import atomic_write
from storage.journal import StoredEntry, from_micros, to_micros
from storage.journal import review as queries
from storage.journal.review import EntryFilter, ReviewNames

PARIS = ZoneInfo("Europe/Paris")
NIGHT_START, NIGHT_END = 22, 6
BURST_WINDOW = dt.timedelta(minutes=10)
BURST_COUNT = 30
MAX_ROWS = 5000
PAGE_SIZE = 500
COUNT_CAP = 10_000
CONTEXT_CAP = 2000


@dataclass(frozen=True)
class JournalFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    user_id: int | None = None
    dossier_number: str | None = None
    action: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class ReviewRow:
    seq: int
    when: dt.datetime  # local time (Europe/Paris)
    user: str
    profile: str
    dossier: str
    target: str
    action: str
    detail: str
    flags: tuple[str, ...] = field(default_factory=tuple)
    target_label: str = ""
    profile_label: str = ""

    @property
    def when_text(self) -> str:
        return date_time(self.when, seconds=True)


@dataclass(frozen=True)
class ReviewPage:
    rows: list[ReviewRow]
    next_before: int | None  # pass to ``next_page`` for the older entries; None at the end


FLAG_LABELS = {
    "hors_unite": "Dossier hors des unités de l'utilisateur",
    "nuit": "Consultation de nuit (22 h – 6 h)",
    "rafale": f"Rafale : plus de {BURST_COUNT} consultations en 10 minutes",
}


@dataclass(frozen=True)
class SealState:
    """How far the journal is sealed (R-5.6), as the review screen shows it."""

    sealed_seq: int | None
    sealed_at: dt.datetime | None
    unsealed: int
    verified: bool  # True once « journal verify » has checked the seal and the whole chain

    def text(self) -> str:
        tail = f"{self.unsealed} entrée{'s' if self.unsealed > 1 else ''} non scellée{'s' if self.unsealed > 1 else ''}"
        if self.sealed_seq is None or self.sealed_at is None:
            return (f"Aucun sceau : {tail}. Le journal est scellé à la connexion d'un compte de la "
                    "direction, puis toutes les heures.")
        when = self.sealed_at.astimezone(PARIS)
        head = f"Scellé jusqu'au n° {self.sealed_seq} du {date_time(when, at=True)} ; {tail} depuis."
        if self.verified:
            return f"{head} Sceau et chaîne vérifiés."
        return f"{head} « Vérifier l'intégrité » contrôle le sceau et toute la chaîne."


class JournalReview(SessionService):
    def seal_state(self) -> SealState:
        """The latest seal as recorded (not yet verified) and the entries after it (R-5.6)."""
        require_right(self.session, Right.REVIEW_JOURNAL)
        journal = self.session.journal
        latest = journal.latest_seal()
        head_seq = journal.head()[0]
        if latest is None:
            return SealState(None, None, head_seq, verified=False)
        return SealState(latest.seq, from_micros(latest.sealed_ts), max(0, head_seq - latest.seq), verified=False)

    def users(self) -> list[tuple[int, str]]:
        require_right(self.session, Right.REVIEW_JOURNAL)
        with self.session.reading() as conn:
            return queries.accounts_by_name(conn)

    def actions(self) -> list[tuple[str, str]]:
        return [(a.value, ACTION_LABELS[a]) for a in Action]

    def search(self, flt: JournalFilter, *, limit: int = MAX_ROWS) -> list[ReviewRow]:
        """The newest ``limit`` entries matching ``flt`` (one journaled consultation)."""
        page = self.first_page(flt, size=min(limit, PAGE_SIZE))
        rows = list(page.rows)
        cursor = page.next_before
        while cursor is not None and len(rows) < limit:
            page = self.next_page(flt, cursor, size=min(PAGE_SIZE, limit - len(rows)))
            rows.extend(page.rows)
            cursor = page.next_before
        return rows

    def first_page(self, flt: JournalFilter, *, size: int = PAGE_SIZE) -> ReviewPage:
        """First page of a consultation: journaled once, whatever is paged after it (R-5.5)."""
        require_right(self.session, Right.REVIEW_JOURNAL)
        query = self._query(flt)
        with self.session.transaction():
            self.session.record(Action.JOURNAL, "journal", detail="consultation du journal")
        return self._page(query, None, size)

    def next_page(self, flt: JournalFilter, before_seq: int, *, size: int = PAGE_SIZE) -> ReviewPage:
        require_right(self.session, Right.REVIEW_JOURNAL)
        return self._page(self._query(flt), before_seq, size)

    def count(self, flt: JournalFilter, *, cap: int = COUNT_CAP) -> int:
        """Matching entries, counted up to ``cap`` (the screen says « plus de » beyond)."""
        require_right(self.session, Right.REVIEW_JOURNAL)
        return queries.count_matching(self.session.journal, self._query(flt), cap=cap)

    def _query(self, flt: JournalFilter) -> EntryFilter:
        dossier_id = None
        if flt.dossier_number:
            with self.session.reading() as conn:
                dossier_id = queries.dossier_id_of(conn, flt.dossier_number.strip())
            if dossier_id is None:
                raise KnownError(f"Aucun dossier n° « {flt.dossier_number[:20]} ».")
        return EntryFilter(
            ts_from=_local_midnight(flt.date_from) if flt.date_from else None,
            ts_to=_local_midnight(flt.date_to + dt.timedelta(days=1)) if flt.date_to else None,
            user_id=flt.user_id, dossier_id=dossier_id, action=flt.action, target=flt.target,
        )

    def _page(self, q: EntryFilter, before_seq: int | None, size: int) -> ReviewPage:
        journal = self.session.journal
        entries = queries.newest_matching(journal, q, limit=size + 1, before_seq=before_seq)
        more = len(entries) > size
        entries = entries[:size]
        if not entries:
            return ReviewPage([], None)
        window = int(BURST_WINDOW.total_seconds() * 1_000_000)
        context = queries.actions_around(journal, q, entries, action=Action.CONSULTATION.value,
                                         window=window, cap=CONTEXT_CAP)
        with self.session.reading() as conn:
            names = queries.review_names(conn, [e.dossier_id for e in entries if e.dossier_id is not None])
        burst = _bursts(context)
        targets = _target_labels_cached()
        rows = [_row(e, names, burst, targets) for e in entries]
        return ReviewPage(rows, entries[-1].seq if more else None)

    def export_csv(self, rows: list[ReviewRow], path: Path) -> None:
        require_right(self.session, Right.REVIEW_JOURNAL)
        path = check_output(path, workspace_root=self.session.workspace.root, force=True)
        buffer = io.StringIO()
        writer = SafeWriter(buffer)
        writer.writerow(["n°", "date", "utilisateur", "profil", "dossier", "donnée", "action",
                         "détail", "alertes"])
        for r in rows:
            writer.writerow([r.seq, r.when_text, r.user, r.profile_label, r.dossier, r.target_label, r.action,
                             r.detail, " ; ".join(FLAG_LABELS[f] for f in r.flags)])
        with self.session.transaction():
            self.session.record(Action.EXPORT, "journal", detail=f"export csv ({len(rows)} lignes)")
        atomic_write(path, buffer.getvalue().encode("utf-8"))

    def export_pdf(self, rows: list[ReviewRow], path: Path, flt: JournalFilter) -> None:
        require_right(self.session, Right.REVIEW_JOURNAL)
        path = check_output(path, workspace_root=self.session.workspace.root, force=True)
        from app.resources import prepare_reports
        from reports.journal_report import render_journal_pdf

        prepare_reports()
        from app.journal.seals import seal_line, seal_now
        from storage.store import get_meta

        seal_now(self.session, "export")  # the PDF carries the latest seal
        with self.session.reading() as conn:
            data = render_journal_pdf(
                rows, org_name=get_meta(conn, "org_name", "") or "",
                author=self.session.user.display_name,
                period=_period_text(flt), flag_labels=FLAG_LABELS,
                generated=self.session.clock.now().astimezone(PARIS), seal=seal_line(self.session),
            )
        with self.session.transaction():
            self.session.record(Action.EXPORT, "journal", detail=f"export pdf ({len(rows)} lignes)")
        atomic_write(path, data)


OTHER_TARGETS = {
    "session": "Session", "journal": "Journal des accès", "compte": "Comptes", "charte": "Charte",
    "espace": "Espace de travail", "habilitations": "Habilitations", "dossier": "Dossier",
    "consentements": "Consentements", "registre": "Registre des droits",
    "export_personne": "Export des données de la personne (droit d'accès)",
}


@functools.cache
def _target_labels_cached() -> dict[str, str]:
    return target_labels()


def target_labels() -> dict[str, str]:
    from app.catalogue import load_catalogue

    labels = dict(OTHER_TARGETS)
    labels.update({c.id: c.label for c in load_catalogue().categories})
    return labels


def _profile_label(value: str) -> str:
    try:
        return Profile(value).label
    except ValueError:
        return value or "—"


def _flags(e: StoredEntry, local: dt.datetime, names: ReviewNames, burst: set[int]) -> tuple[str, ...]:
    """The detection aids of one entry (R-5.5): at night, in a burst, outside the user's units."""
    if e.action != Action.CONSULTATION.value:
        return ()
    flags: list[str] = []
    if local.hour >= NIGHT_START or local.hour < NIGHT_END:
        flags.append("nuit")
    if e.seq in burst:
        flags.append("rafale")
    if e.user_id is not None and e.dossier_id in names.dossiers:
        profile = names.accounts.get(e.user_id, ("", ""))[1]
        if profile and Profile(profile) in UNIT_SCOPED and \
                names.dossiers[e.dossier_id][1] not in names.units_of.get(e.user_id, set()):
            flags.append("hors_unite")
    return tuple(flags)


def _row(e: StoredEntry, names: ReviewNames, burst: set[int], targets: dict[str, str]) -> ReviewRow:
    local = from_micros(e.ts).astimezone(PARIS)
    name = names.accounts.get(e.user_id, ("(identifiant inconnu)", ""))[0] if e.user_id else "—"
    try:
        action_label = ACTION_LABELS[Action(e.action)]
    except ValueError:
        action_label = e.action
    return ReviewRow(
        seq=e.seq, when=local, user=name, profile=e.profile,
        dossier=names.dossiers.get(e.dossier_id, ("", 0))[0] if e.dossier_id else "",
        target=e.target, action=action_label, detail=e.detail, flags=_flags(e, local, names, burst),
        target_label=targets.get(e.target, e.target),
        profile_label=_profile_label(e.profile),
    )


def _local_midnight(day: dt.date) -> int:
    return to_micros(dt.datetime(day.year, day.month, day.day, tzinfo=PARIS))


def _period_text(flt: JournalFilter) -> str:
    if flt.date_from and flt.date_to:
        return f"du {short_date(flt.date_from)} au {short_date(flt.date_to)}"
    if flt.date_from:
        return f"depuis le {short_date(flt.date_from)}"
    if flt.date_to:
        return f"jusqu'au {short_date(flt.date_to)}"
    return "six derniers mois"


def _bursts(entries: list[StoredEntry]) -> set[int]:
    """Seqs of consultations that belong to a burst of one user (sliding 10-minute window)."""
    flagged: set[int] = set()
    per_user: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for e in entries:
        if e.action == Action.CONSULTATION.value:
            per_user[e.user_id].append((e.ts, e.seq))
    window = int(BURST_WINDOW.total_seconds() * 1_000_000)
    for items in per_user.values():
        start = 0
        for end in range(len(items)):
            while items[end][0] - items[start][0] > window:
                start += 1
            if end - start + 1 > BURST_COUNT:
                flagged.update(seq for _, seq in items[start:end + 1])
    return flagged
