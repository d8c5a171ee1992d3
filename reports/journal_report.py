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
from reports.french import date_time
from reports.pages import admin_canvas, esc


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
        Paragraph(f"Journal des accès — {esc(org_name)}", title),
        Spacer(1, 3 * mm),
        Paragraph(
            f"Période : {esc(period)}. Extrait le {date_time(generated, at=True)} par {esc(author)}. "
            f"{len(rows)} entrée(s). Document confidentiel : ne pas diffuser.", body),
        Spacer(1, 4 * mm),
    ]
    if seal:  # the latest journal seal, an anchor outside the workstation
        story[-1:-1] = [Spacer(1, 2 * mm), Paragraph(esc(seal), body)]
    data: list[list[Any]] = [["N°", "Date", "Utilisateur", "Profil", "Dossier", "Donnée", "Action", "Alertes"]]
    for r in rows:
        data.append([
            str(r.seq), r.when_text, Paragraph(esc(r.user), cell), Paragraph(esc(r.profile_label), cell),
            r.dossier, Paragraph(esc(r.target_label), cell), Paragraph(esc(r.action), cell),
            Paragraph(esc(" ; ".join(flag_labels.get(f, f) for f in r.flags)), cell),
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
    doc.build(story, canvasmaker=admin_canvas(f"Sillage — journal des accès — {org_name}"))
    return buffer.getvalue()

