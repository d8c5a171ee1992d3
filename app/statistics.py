"""Anonymised statistics for financers and the activity report (R-8.4; AU49 art. 5; AU28 §6:
"aucune statistique correspondant à une sélection de moins de cinq individus").

Each dimension is a one-way table over the same population with its total. A count from 1 to 4
is suppressed (primary); then further cells are suppressed (complementary) until no suppressed
count from 1 to 4 can be worked out from the total and the counts shown, even knowing that a
primary cell holds 1 to 4 and a complementary one 5 or more, and until the suppressed cells add up
to 5 at least (their sum is the total minus the counts shown). If that is impossible, the whole
dimension, total included, is suppressed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.auth.access import require_right
from app.auth.permissions import Right
from app.catalogue import load_catalogue
from app.errors import ValidationError
from app.exports import ExportRequest, send
from app.journal.events import Action
from app.organisation import read_profile
from app.resources import prepare_reports
from app.session_service import SessionService
from reports.french import age_on
from storage import statistics as repo

THRESHOLD = 5
PRIMARY = "<5"
COMPLEMENT = "masqué"
NOT_SET = "Non renseigné"


@dataclass(frozen=True)
class Cell:
    category: str
    count: int | None  # None when suppressed
    marker: str = ""  # PRIMARY or COMPLEMENT when suppressed

    @property
    def shown(self) -> str:
        return self.marker if self.count is None else str(self.count)


@dataclass(frozen=True)
class Dimension:
    name: str
    cells: tuple[Cell, ...]
    total: int | None  # None when the whole dimension is suppressed

    @property
    def total_shown(self) -> str:
        return PRIMARY if self.total is None else str(self.total)


def _intervals_pinned(hidden: Sequence[tuple[int, bool]], hidden_sum: int) -> bool:
    """Whether a reader can pin one primary cell to a single value: each primary lies in 1..4,
    each complement in 5..hidden_sum, and together they make ``hidden_sum``."""
    lows = [1 if primary else THRESHOLD for _, primary in hidden]
    highs = [THRESHOLD - 1 if primary else hidden_sum for _, primary in hidden]
    for i, (_, primary) in enumerate(hidden):
        if not primary:
            continue
        others_low = sum(lows) - lows[i]
        others_high = sum(highs) - highs[i]
        low = max(lows[i], hidden_sum - others_high)
        high = min(highs[i], hidden_sum - others_low)
        if low >= high:
            return True
    return False


def suppress(name: str, counts: Mapping[str, int]) -> Dimension:
    total = sum(counts.values())
    if 0 < total < THRESHOLD:
        return Dimension(name, tuple(Cell(c, None, PRIMARY if n else COMPLEMENT) for c, n in counts.items()), None)
    primary = {c for c, n in counts.items() if 0 < n < THRESHOLD}
    complement: set[str] = set()

    def disclosed() -> bool:
        if not primary:
            return False
        hidden = [(counts[c], c in primary) for c in (*primary, *complement)]
        hidden_sum = sum(n for n, _ in hidden)
        # the hidden cells together are a group the total reveals: five people at least
        return hidden_sum < THRESHOLD or _intervals_pinned(hidden, hidden_sum)

    while disclosed():
        candidates = sorted((n, c) for c, n in counts.items() if n > 0 and c not in primary and c not in complement)
        if not candidates:  # cannot be protected: the whole dimension goes
            return Dimension(name, tuple(Cell(c, None, PRIMARY if 0 < n < THRESHOLD else COMPLEMENT)
                                         for c, n in counts.items()), None)
        complement.add(candidates[0][1])
    cells = tuple(
        Cell(c, None, PRIMARY) if c in primary else Cell(c, None, COMPLEMENT) if c in complement else Cell(c, n)
        for c, n in counts.items())
    return Dimension(name, cells, total)


# -- the counts -------------------------------------------------------------------------------
AGE_BANDS = ((0, 5, "0 à 5 ans"), (6, 10, "6 à 10 ans"), (11, 14, "11 à 14 ans"), (15, 17, "15 à 17 ans"),
             (18, 21, "18 à 21 ans"), (22, 200, "22 ans et plus"))
DURATIONS = ((0, 182, "Moins de 6 mois"), (183, 365, "6 mois à 1 an"), (366, 730, "1 à 2 ans"),
             (731, 100000, "Plus de 2 ans"))


@dataclass(frozen=True)
class Statistics:
    year: int
    population: int
    dimensions: tuple[Dimension, ...]


def compute(rows: Sequence[repo.StatRow], year: int) -> Statistics:
    catalogue = load_catalogue()
    end = dt.date(year, 12, 31)

    def vocab_counts(vocabulary: str, values: Sequence[str | None]) -> dict[str, int]:
        vocab = catalogue.vocabulary(vocabulary)
        counts = {item.label: 0 for item in vocab.active_items}
        counts[NOT_SET] = 0
        for v in values:
            label = vocab.label(v) if v and vocab.has(v) else NOT_SET
            counts[label] = counts.get(label, 0) + 1
        return counts

    ages = {label: 0 for _, _, label in AGE_BANDS} | {NOT_SET: 0}
    durations = {label: 0 for _, _, label in DURATIONS}
    for r in rows:
        on = min(end, dt.date.fromisoformat(r.closed_on)) if r.closed_on else end
        age = age_on(r.birth_date, on)
        ages[next((lbl for lo, hi, lbl in AGE_BANDS if age is not None and lo <= age <= hi), NOT_SET)] += 1
        days = (on - dt.date.fromisoformat(r.opened_on)).days
        durations[next(lbl for lo, hi, lbl in DURATIONS if lo <= max(days, 0) <= hi)] += 1
    exits = [r.exit_reason for r in rows if r.exit_reason]
    dims = (
        suppress("Tranche d'âge", ages),
        suppress("Sexe", vocab_counts("sexe", [r.sex for r in rows])),
        suppress("Type de mesure", vocab_counts("type_mesure", [r.measure_type for r in rows])),
        suppress("Durée de l'accompagnement", durations),
        suppress("Niveau scolaire", vocab_counts("nivsco", [r.school_level for r in rows])),
        suppress("Motif de sortie (sorties de l'année)", vocab_counts("motif_sortie", exits)),
    )
    return Statistics(year, len(rows), dims)


def to_csv(stats: Statistics) -> bytes:
    """Long form ``dimension,category,count`` (R-8.4), UTF-8 with BOM for LibreOffice Calc, cells
    that a spreadsheet would run as a formula neutralised."""
    import csv
    import io

    def safe(text: str) -> str:
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["dimension", "category", "count"])
    for dim in stats.dimensions:
        for cell in dim.cells:
            writer.writerow([safe(dim.name), safe(cell.category), cell.shown])
        writer.writerow([safe(dim.name), "Total", dim.total_shown])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


class StatisticsService(SessionService):
    def compute(self, year: int) -> Statistics:
        require_right(self.session, Right.EXPORT)
        if not 2000 <= year <= self.session.clock.now().year:
            raise ValidationError("Année invalide : choisissez une année passée ou l'année en cours.", "year")
        with self.session.reading() as conn:
            return compute(repo.rows_for_year(conn, year), year)

    def export(self, year: int, out: Path, request: ExportRequest) -> Statistics:
        """CSV or PDF by the file's extension; journaled with the recipient and the purpose."""
        stats = self.compute(year)
        suffix = Path(out).suffix.lower()
        if suffix == ".csv":
            data = to_csv(stats)
        elif suffix == ".pdf":
            from reports.statistics_report import render_statistics

            prepare_reports()
            with self.session.reading() as conn:
                data = render_statistics(stats, org_name=read_profile(conn).name,
                                         author=self.session.user.display_name,
                                         generated=self.session.clock.now())
        else:
            raise ValidationError("Le fichier doit se terminer par .csv ou .pdf.", "out")
        send(self.session, out=out, data=data, kind="statistiques", request=request, action=Action.EXPORT,
             target="statistiques", dossier_id=None, detail=f"statistiques {year} ({suffix[1:]})")
        return stats
