"""Report to the juge des enfants (R-8.3): "Confidentiel" on every page, page numbers, author,
date, recipient court, and only the sections the author ticked."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from reports.pages import esc, numbered_canvas
from reports.styles import document_styles, grid_style

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
    styles = document_styles(body=(10.5, 14), small=(9.5, 12), h3=(10.5, 14), h2_before=8, h3_before=3)
    body, small, label, h2, h3 = styles.body, styles.small, styles.label, styles.h2, styles.h3
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
    head.setStyle(grid_style(styles.regular, 9.5))
    story: list[Any] = [
        Paragraph(f"{CONFIDENTIAL} — rapport de situation", styles.title),
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
                table.setStyle(grid_style(styles.regular, 9.5))
                flow.append(table)
        if not section.text and not section.blocks:
            flow.append(Paragraph(esc(section.empty_note), body))
        story.append(KeepTogether(flow[:3]))
        story += flow[3:]
    doc.build(story, canvasmaker=numbered_canvas(
        f"{CONFIDENTIAL} — {report.org_name} — {report.dossier_number}", header_right=CONFIDENTIAL.upper()))
    return buffer.getvalue()

