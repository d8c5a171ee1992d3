"""Report to the juge des enfants (R-8.3): "Confidentiel" on every page, page numbers, author,
date, recipient court, and only the sections the author ticked."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.fonts import register_fonts
from reports.pages import esc, numbered_canvas

ACCENT = colors.HexColor("#1f5f8b")
CONFIDENTIAL = "Confidentiel"


@dataclass(frozen=True)
class ReportBlock:
    """One category or one record: a caption and label/value lines."""

    caption: str
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ReportSection:
    title: str
    blocks: tuple[ReportBlock, ...] = ()
    text: str = ""  # the author's own words (observations, proposals)
    empty_note: str = "Aucune information enregistrée."


@dataclass(frozen=True)
class JudgeReport:
    org_name: str
    court: str
    author: str
    date_text: str
    youth_name: str
    youth_birth: str
    dossier_number: str
    measure: str
    sections: tuple[ReportSection, ...]


def render_judge_report(report: JudgeReport) -> bytes:
    regular, bold = register_fonts()
    body = ParagraphStyle("b", fontName=regular, fontSize=10.5, leading=14)
    small = ParagraphStyle("s", fontName=regular, fontSize=9.5, leading=12)
    label = ParagraphStyle("l", fontName=bold, fontSize=9.5, leading=12)
    title = ParagraphStyle("t", fontName=bold, fontSize=17, leading=22, spaceAfter=4)
    h2 = ParagraphStyle("h", fontName=bold, fontSize=12.5, leading=16, textColor=ACCENT, spaceBefore=8,
                        spaceAfter=4)
    h3 = ParagraphStyle("h3", fontName=bold, fontSize=10.5, leading=14, spaceBefore=3, spaceAfter=2)
    width = A4[0] - 40 * mm

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=18 * mm,
        title=f"Rapport de situation — {report.dossier_number}", author=report.author,
        subject=f"{CONFIDENTIAL} — rapport au juge des enfants", lang="fr-FR", creator="Sillage",
    )
    head = Table([
        [Paragraph("Destinataire", label), Paragraph(esc(report.court), small)],
        [Paragraph("Jeune", label), Paragraph(esc(f"{report.youth_name} — né(e) le {report.youth_birth}"), small)],
        [Paragraph("Dossier", label), Paragraph(esc(f"{report.dossier_number} — {report.measure}"), small)],
        [Paragraph("Rédigé par", label), Paragraph(esc(f"{report.author}, {report.org_name}"), small)],
        [Paragraph("Date", label), Paragraph(esc(report.date_text), small)],
    ], colWidths=[32 * mm, width - 32 * mm])
    head.setStyle(_grid(regular))
    story: list[Any] = [
        Paragraph(f"{CONFIDENTIAL} — rapport de situation", title),
        head, Spacer(1, 4 * mm),
    ]
    for number, section in enumerate(report.sections, start=1):
        flow: list[Any] = [Paragraph(esc(f"{number}. {section.title}"), h2)]
        if section.text:
            flow += [Paragraph(esc(p), body) for p in section.text.split("\n") if p.strip()]
        for block in section.blocks:
            rows = [[Paragraph(esc(k), small), Paragraph(esc(v), small)] for k, v in block.lines]
            if block.caption:
                flow.append(Paragraph(esc(block.caption), h3))
            if rows:
                table = Table(rows, colWidths=[60 * mm, width - 60 * mm])
                table.setStyle(_grid(regular))
                flow.append(table)
        if not section.text and not section.blocks:
            flow.append(Paragraph(esc(section.empty_note), body))
        story.append(KeepTogether(flow[:3]))
        story += flow[3:]
    doc.build(story, canvasmaker=numbered_canvas(
        f"{CONFIDENTIAL} — {report.org_name} — {report.dossier_number}", header_right=CONFIDENTIAL.upper()))
    return buffer.getvalue()


def _grid(font: str) -> TableStyle:
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 9.5),  # never reportlab's default Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c0")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f4f7")),
    ])
