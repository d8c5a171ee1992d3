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

from app.auth.access import gated_service, require_right
from app.auth.permissions import UNIT_SCOPED, Right
from app.auth.profiles import Profile
from app.csvsafe import SafeWriter
from app.errors import KnownError
from app.journal.events import ACTION_LABELS, Action
from app.output_files import check_output
from app.session import Session
from storage.files import atomic_write
from storage.journal import StoredEntry, from_micros, to_micros

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
        return self.when.strftime("%d/%m/%Y %H:%M:%S")


@dataclass(frozen=True)
class ReviewPage:
    rows: list[ReviewRow]
    next_before: int | None  # pass to ``next_page`` for the older entries; None at the end


@dataclass(frozen=True)
class _Query:
    where: str
    params: tuple[object, ...]
    ts_from: int | None
    ts_to: int | None


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
        head = f"Scellé jusqu'au n° {self.sealed_seq} du {when:%d/%m/%Y à %H:%M} ; {tail} depuis."
        if self.verified:
            return f"{head} Sceau et chaîne vérifiés."
        return f"{head} « Vérifier l'intégrité » contrôle le sceau et toute la chaîne."


@gated_service
class JournalReview:
    def __init__(self, session: Session) -> None:
        self.session = session

    def seal_state(self) -> SealState:
        """The latest seal as recorded (not yet verified) and the entries after it (R-5.6)."""
        require_right(self.session, Right.REVIEW_JOURNAL)
        journal = self.session.store.journal
        latest = journal.latest_seal()
        head_seq = journal.head()[0]
        if latest is None:
            return SealState(None, None, head_seq, verified=False)
        return SealState(latest.seq, from_micros(latest.sealed_ts), max(0, head_seq - latest.seq), verified=False)

    def users(self) -> list[tuple[int, str]]:
        require_right(self.session, Right.REVIEW_JOURNAL)
        return [(int(r[0]), str(r[1])) for r in self.session.conn.execute(
            "SELECT id, display_name FROM users ORDER BY display_name")]

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
        q = self._query(flt)
        return self.session.store.journal.count_upto(q.where, q.params, cap=cap, ts_from=q.ts_from,
                                                     ts_to=q.ts_to)

    def _query(self, flt: JournalFilter) -> _Query:
        where: list[str] = []
        params: list[object] = []
        ts_from = ts_to = None
        if flt.date_from:
            ts_from = _local_midnight(flt.date_from)
            where.append("ts >= ?")
            params.append(ts_from)
        if flt.date_to:
            ts_to = _local_midnight(flt.date_to + dt.timedelta(days=1))
            where.append("ts < ?")
            params.append(ts_to)
        if flt.user_id is not None:
            where.append("user_id = ?")
            params.append(flt.user_id)
        if flt.dossier_number:
            row = self.session.conn.execute("SELECT id FROM dossiers WHERE number = ?",
                                            (flt.dossier_number.strip(),)).fetchone()
            if row is None:
                raise KnownError(f"Aucun dossier n° « {flt.dossier_number[:20]} ».")
            where.append("dossier_id = ?")
            params.append(int(row[0]))
        if flt.action:
            where.append("action = ?")
            params.append(flt.action)
        if flt.target:
            where.append("target = ?")
            params.append(flt.target)
        return _Query(" AND ".join(where), tuple(params), ts_from, ts_to)

    def _page(self, q: _Query, before_seq: int | None, size: int) -> ReviewPage:
        journal = self.session.store.journal
        entries = journal.newest(q.where, q.params, limit=size + 1, before_seq=before_seq,
                                 ts_from=q.ts_from, ts_to=q.ts_to)
        more = len(entries) > size
        entries = entries[:size]
        if not entries:
            return ReviewPage([], None)
        burst = _bursts(self._burst_context(q, entries))
        conn = self.session.conn
        users = {int(r[0]): (str(r[1]), str(r[2])) for r in conn.execute(
            "SELECT id, display_name, profile FROM users")}
        unit_of_user: dict[int, set[int]] = defaultdict(set)
        for uid, unit in conn.execute("SELECT user_id, unit_id FROM user_units"):
            unit_of_user[int(uid)].add(int(unit))
        wanted = sorted({e.dossier_id for e in entries if e.dossier_id is not None})
        dossiers: dict[int, tuple[str, int]] = {}
        for chunk in range(0, len(wanted), 500):
            ids = wanted[chunk:chunk + 500]
            marks = ",".join("?" * len(ids))
            for r in conn.execute(f"SELECT id, number, unit_id FROM dossiers WHERE id IN ({marks})", ids):
                dossiers[int(r[0])] = (str(r[1]), int(r[2]))
        targets = _target_labels_cached()
        rows: list[ReviewRow] = []
        for e in entries:
            flags: list[str] = []
            local = from_micros(e.ts).astimezone(PARIS)
            if e.action == Action.CONSULTATION.value:
                if local.hour >= NIGHT_START or local.hour < NIGHT_END:
                    flags.append("nuit")
                if e.seq in burst:
                    flags.append("rafale")
                if e.user_id is not None and e.dossier_id in dossiers:
                    profile = users.get(e.user_id, ("", ""))[1]
                    if profile and Profile(profile) in UNIT_SCOPED and \
                            dossiers[e.dossier_id][1] not in unit_of_user[e.user_id]:
                        flags.append("hors_unite")
            name = users.get(e.user_id, ("(identifiant inconnu)", ""))[0] if e.user_id else "—"
            try:
                action_label = ACTION_LABELS[Action(e.action)]
            except ValueError:
                action_label = e.action
            rows.append(ReviewRow(
                seq=e.seq, when=local, user=name, profile=e.profile,
                dossier=dossiers.get(e.dossier_id, ("", 0))[0] if e.dossier_id else "",
                target=e.target, action=action_label, detail=e.detail, flags=tuple(flags),
                target_label=targets.get(e.target, e.target),
                profile_label=_profile_label(e.profile),
            ))
        return ReviewPage(rows, entries[-1].seq if more else None)

    def _burst_context(self, q: _Query, page: list[StoredEntry]) -> list[StoredEntry]:
        """The page's consultations with those just before and after it, oldest first.

        A burst that straddles the edge of a page is still seen from both sides.
        """
        journal = self.session.store.journal
        window = int(BURST_WINDOW.total_seconds() * 1_000_000)
        consult = "action = ?"
        base = f"({q.where}) AND {consult}" if q.where else consult
        older = journal.newest(f"{base} AND ts >= ?", (*q.params, Action.CONSULTATION.value,
                                                         page[-1].ts - window),
                               limit=CONTEXT_CAP, before_seq=page[-1].seq,
                               ts_from=max(q.ts_from or 0, page[-1].ts - window), ts_to=q.ts_to)
        newer = journal.newest(f"{base} AND seq > ? AND ts <= ?", (*q.params, Action.CONSULTATION.value,
                                                                   page[0].seq, page[0].ts + window),
                               limit=CONTEXT_CAP, ts_from=max(q.ts_from or 0, page[0].ts),
                               ts_to=min(q.ts_to or 2**62, page[0].ts + window + 1))
        return [*newer, *page, *older][::-1]

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
        from app.journal.service import seal_line, seal_now
        from storage.store import get_meta

        seal_now(self.session, "export")  # the PDF carries the latest seal
        data = render_journal_pdf(
            rows, org_name=get_meta(self.session.conn, "org_name", "") or "",
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


def _local_midnight(day: dt.date) -> int:
    return to_micros(dt.datetime(day.year, day.month, day.day, tzinfo=PARIS))


def _period_text(flt: JournalFilter) -> str:
    if flt.date_from and flt.date_to:
        return f"du {flt.date_from:%d/%m/%Y} au {flt.date_to:%d/%m/%Y}"
    if flt.date_from:
        return f"depuis le {flt.date_from:%d/%m/%Y}"
    if flt.date_to:
        return f"jusqu'au {flt.date_to:%d/%m/%Y}"
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
