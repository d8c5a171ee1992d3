"""Information notices (R-8.1): large sans-serif text, left-aligned, one sentence per line,
a pictogram left of every heading, sections never split across pages, "page X sur Y", and the
acknowledgement block. Every font is embedded (DejaVu Sans, Material Icons)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.fonts import register_fonts, register_icon_font
from reports.pages import esc, numbered_canvas

ACCENT = colors.HexColor("#1f5f8b")


@dataclass(frozen=True)
class NoticeSection:
    icon: int  # a Material Icons code point
    heading: str
    lines: tuple[str, ...]  # one sentence each; a line starting with "- " is a list item


@dataclass(frozen=True)
class Acknowledgement:
    heading: str
    lines: tuple[str, ...]
    fields: tuple[str, ...]  # "Date :", "Ta signature :"… each followed by room to write


@dataclass(frozen=True)
class NoticeDocument:
    title: str
    intro: tuple[str, ...]
    sections: tuple[NoticeSection, ...]
    acknowledgement: Acknowledgement
    lang: str  # BCP 47 tag written in the PDF catalogue, e.g. "fr-FR"
    author: str
    subject: str
    footer: str
    page_label: str  # "page {page} sur {total}"
    body_size: float = 14.0
    ack_icon: int = 0xE150  # "create" (a pen)


@dataclass(frozen=True)
class RenderedNotice:
    pdf: bytes
    pages: int


def render_notice(doc: NoticeDocument) -> RenderedNotice:
    regular, bold = register_fonts()
    icons = register_icon_font()
    size = max(14.0, doc.body_size)  # body text 14 pt at least
    body = ParagraphStyle("body", fontName=regular, fontSize=size, leading=size * 1.25,
                          alignment=TA_LEFT, spaceAfter=size * 0.12)
    item = ParagraphStyle("item", parent=body, leftIndent=8 * mm, bulletIndent=2 * mm,
                          bulletFontName=regular, bulletFontSize=size)
    heading = ParagraphStyle("heading", fontName=bold, fontSize=size + 2, leading=(size + 2) * 1.2,
                             textColor=ACCENT, alignment=TA_LEFT)
    title = ParagraphStyle("title", fontName=bold, fontSize=size + 7, leading=(size + 7) * 1.25,
                           alignment=TA_LEFT, spaceAfter=size * 0.6)
    icon_style = ParagraphStyle("icon", fontName=icons, fontSize=size + 8, leading=size + 9,
                                textColor=ACCENT, alignment=TA_LEFT)

    buffer = io.BytesIO()
    frame_width = A4[0] - 36 * mm
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
        bottomMargin=18 * mm, title=doc.title, author=doc.author, subject=doc.subject,
        lang=doc.lang, creator="Sillage",
    )

    def lines_flow(lines: tuple[str, ...]) -> list[Any]:
        out: list[Any] = []
        for line in lines:
            if line.startswith("- "):
                out.append(Paragraph(esc(line[2:]), item, bulletText="•"))
            else:
                out.append(Paragraph(esc(line), body))
        return out

    def heading_row(icon: int, text: str) -> Table:
        table = Table([[Paragraph(chr(icon), icon_style), Paragraph(esc(text), heading)]],
                      colWidths=[13 * mm, frame_width - 13 * mm])
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, size),  # never reportlab's default Helvetica
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
        ]))
        return table

    story: list[Any] = [Paragraph(esc(doc.title), title), *lines_flow(doc.intro), Spacer(1, size * 0.4)]
    for section in doc.sections:
        # A section is never split across two pages.
        story.append(KeepTogether([heading_row(section.icon, section.heading), *lines_flow(section.lines),
                                   Spacer(1, size * 0.4)]))

    ack = doc.acknowledgement
    # Fields two by two: room to write a name, a date and the signatures.
    cells = [Paragraph(esc(f), body) for f in ack.fields]
    if len(cells) % 2:
        cells.append(Paragraph("", body))
    field_rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    box = Table(field_rows, colWidths=[frame_width / 2] * 2, rowHeights=[size * 3.2] * len(field_rows))
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), regular, size),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
        ("INNERGRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa7b2")),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]))
    story.append(KeepTogether([heading_row(doc.ack_icon, ack.heading), *lines_flow(ack.lines), box]))

    canvas_class = numbered_canvas(doc.footer, doc.page_label)
    template.build(story, canvasmaker=canvas_class)
    return RenderedNotice(buffer.getvalue(), canvas_class.pages_written)
