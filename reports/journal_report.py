"""PDF export of the access journal (R-5.5): landscape table, page X sur Y, fonts embedded."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from reports.fonts import register_fonts


def _numbered_canvas_factory(footer: str):  # type: ignore[no-untyped-def]
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            regular, _ = register_fonts()
            # No Helvetica anywhere: the canvas starts with the embedded font.
            kwargs["initialFontName"] = regular
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                regular, _ = register_fonts()
                self.setFont(regular, 8)
                width, _ = self._pagesize
                self.drawString(15 * mm, 8 * mm, footer)
                self.drawRightString(width - 15 * mm, 8 * mm, f"page {self._pageNumber} sur {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_journal_pdf(
    rows: Sequence[Any], *, org_name: str, author: str, period: str,
    flag_labels: Mapping[str, str], generated: dt.datetime, seal: str | None = None,
) -> bytes:
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
        topMargin=15 * mm, bottomMargin=15 * mm,
        title="Journal des accès", author=author, subject=f"Journal des accès — {org_name}",
        lang="fr-FR",
    )
    title = ParagraphStyle("t", fontName=bold, fontSize=15, leading=19)
    body = ParagraphStyle("b", fontName=regular, fontSize=9, leading=11)
    cell = ParagraphStyle("c", fontName=regular, fontSize=7.5, leading=9)
    story: list[Any] = [
        Paragraph(f"Journal des accès — {_esc(org_name)}", title),
        Spacer(1, 3 * mm),
        Paragraph(
            f"Période : {_esc(period)}. Extrait le {generated:%d/%m/%Y à %H:%M} par {_esc(author)}. "
            f"{len(rows)} entrée(s). Document confidentiel : ne pas diffuser.", body),
        Spacer(1, 4 * mm),
    ]
    if seal:  # the latest journal seal, an anchor outside the workstation
        story[-1:-1] = [Spacer(1, 2 * mm), Paragraph(_esc(seal), body)]
    data: list[list[Any]] = [["N°", "Date", "Utilisateur", "Profil", "Dossier", "Donnée", "Action", "Alertes"]]
    for r in rows:
        data.append([
            str(r.seq), r.when_text, Paragraph(_esc(r.user), cell), Paragraph(_esc(r.profile_label), cell),
            r.dossier, Paragraph(_esc(r.target_label), cell), Paragraph(_esc(r.action), cell),
            Paragraph(_esc(" ; ".join(flag_labels.get(f, f) for f in r.flags)), cell),
        ])
    table = LongTable(data, repeatRows=1, colWidths=[
        14 * mm, 32 * mm, 38 * mm, 26 * mm, 22 * mm, 34 * mm, 40 * mm, 61 * mm])
    style = [
        ("FONT", (0, 0), (-1, 0), bold, 8),
        ("FONT", (0, 1), (-1, -1), regular, 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f5f8b")),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c0")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f5f7")]),
    ]
    for i, r in enumerate(rows, start=1):
        if r.flags:
            style.append(("TEXTCOLOR", (7, i), (7, i), colors.HexColor("#b3261e")))
    table.setStyle(TableStyle(style))
    story.append(table)
    doc.build(story, canvasmaker=_numbered_canvas_factory(f"Sillage — journal des accès — {org_name}"))
    return buffer.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
