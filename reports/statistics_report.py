"""Anonymised statistics as a PDF (R-8.4): per dimension a table and a bar chart of the counts
shown; suppressed cells have no bar and read "<5" or "masqué"."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, Protocol

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.fonts import register_fonts
from reports.french import short_date
from reports.pages import esc, numbered_canvas
from reports.styles import ACCENT

BAR = colors.HexColor("#3a7ca5")  # only the bars use it (the tests count them)


class CellLike(Protocol):
    @property
    def category(self) -> str: ...

    @property
    def count(self) -> int | None: ...

    @property
    def shown(self) -> str: ...


class DimensionLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def cells(self) -> Sequence[CellLike]: ...

    @property
    def total_shown(self) -> str: ...


class StatisticsLike(Protocol):
    @property
    def year(self) -> int: ...

    @property
    def dimensions(self) -> Sequence[DimensionLike]: ...


def render_statistics(stats: StatisticsLike, *, org_name: str, author: str, generated: dt.datetime) -> bytes:
    regular, bold = register_fonts()
    body = ParagraphStyle("b", fontName=regular, fontSize=10, leading=13)
    title = ParagraphStyle("t", fontName=bold, fontSize=16, leading=20, spaceAfter=4)
    h2 = ParagraphStyle("h", fontName=bold, fontSize=12, leading=15, textColor=ACCENT, spaceBefore=6, spaceAfter=3)
    width = A4[0] - 36 * mm
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"Statistiques anonymisées {stats.year} — {org_name}",
                            author=author, subject="Statistiques anonymisées", lang="fr-FR", creator="Sillage")
    story: list[Any] = [
        Paragraph(esc(f"Statistiques anonymisées {stats.year} — {org_name}"), title),
        Paragraph(esc(
            f"Personnes accompagnées au cours de l'année {stats.year}. Établi le {short_date(generated)} par {author}. "
            "Aucun effectif de 1 à 4 n'est publié : ces cases sont notées « <5 », et d'autres cases sont "
            "« masqué » lorsqu'elles permettraient de les retrouver par différence."), body),
        Spacer(1, 3 * mm),
    ]
    for dim in stats.dimensions:
        # The bar chart: one bar per category, beside its count, on a common scale; a suppressed
        # cell has no bar (drawing it would publish its size).
        shown = [c.count for c in dim.cells if c.count is not None]
        scale = max(shown + [1])
        bar_width = width - width * 0.45 - 22 * mm - 4
        rows = [[Paragraph(esc(c.category), body), Paragraph(esc(c.shown), body), _bar(c.count, scale, bar_width)]
                for c in dim.cells]
        rows.append([Paragraph("Total", body), Paragraph(esc(dim.total_shown), body), ""])
        table = Table(rows, colWidths=[width * 0.45, 22 * mm, bar_width + 4])
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, 10),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c0")),
            ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f1f4f7")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        story.append(KeepTogether([Paragraph(esc(dim.name), h2), table]))
    doc.build(story, canvasmaker=numbered_canvas(f"Sillage — statistiques anonymisées {stats.year} — {org_name}"))
    return buffer.getvalue()


def _bar(count: int | None, scale: int, width: float) -> Drawing:
    drawing = Drawing(width, 10)
    if count:
        drawing.add(Rect(0, 1, max(1.0, width * count / scale), 8, fillColor=BAR, strokeColor=None))
    return drawing
