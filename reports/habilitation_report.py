"""PDF of the annual habilitation review (R-3.6)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from reports.fonts import register_fonts
from reports.french import short_date
from reports.pages import admin_canvas, esc


def render_habilitation_pdf(lines: Sequence[Any], *, org_name: str, author: str,
                            generated: dt.datetime, status: Any) -> bytes:
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=18 * mm,
                            title="Revue annuelle des habilitations", author=author, lang="fr-FR")
    title = ParagraphStyle("t", fontName=bold, fontSize=15, leading=19)
    body = ParagraphStyle("b", fontName=regular, fontSize=10, leading=13)
    cell = ParagraphStyle("c", fontName=regular, fontSize=8.5, leading=10.5)
    last = (f"Dernière revue signée le {short_date(status.last_review_at)} par {esc(status.last_review_by)}."
            if status.last_review_at else "Aucune revue n'a encore été signée.")
    story: list[Any] = [
        Paragraph(f"Revue annuelle des habilitations — {esc(org_name)}", title),
        Spacer(1, 3 * mm),
        Paragraph(f"Établie le {short_date(generated)} par {esc(author)}. {last} "
                  "Les comptes sans connexion depuis six mois sont signalés : supprimez les "
                  "permissions qui ne servent plus.", body),
        Spacer(1, 4 * mm),
    ]
    head = ParagraphStyle("h", fontName=bold, fontSize=8.5, leading=10.5, textColor=colors.white)
    data: list[list[Any]] = [[Paragraph(h, head) for h in
                              ("Nom", "Identifiant", "Profil", "Unités", "Dernière connexion", "État")]]
    for line in lines:
        state = "Désactivé" if not line.active else (
            '<font color="#b3261e">Inutilisé depuis 6 mois</font>' if line.unused else "Actif")
        data.append([Paragraph(esc(line.display_name), cell), Paragraph(esc(line.login), cell),
                     Paragraph(esc(line.profile.label), cell), Paragraph(esc(line.units), cell),
                     short_date(line.last_login_at, empty="jamais"), Paragraph(state, cell)])
    table = LongTable(data, repeatRows=1, colWidths=[36 * mm, 24 * mm, 34 * mm, 34 * mm, 24 * mm, 28 * mm])
    style = [
        ("FONT", (0, 0), (-1, 0), bold, 8.5), ("FONT", (0, 1), (-1, -1), regular, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f5f8b")),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c0")),
    ]
    table.setStyle(TableStyle(style))
    story += [table, Spacer(1, 12 * mm),
              Paragraph("Revue validée par la direction — date et signature :", body)]
    doc.build(story, canvasmaker=admin_canvas(f"Sillage — habilitations — {org_name}"))
    return buffer.getvalue()
