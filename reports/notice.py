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
from reports.styles import ACCENT


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
    size = max(14.0, doc.body_size)  # body text 14 pt at least
    look = _NoticeLook(size, A4[0] - 36 * mm)
    story: list[Any] = [Paragraph(esc(doc.title), look.title), *look.lines(doc.intro), Spacer(1, size * 0.4)]
    for section in doc.sections:
        # A section is never split across two pages.
        story.append(KeepTogether([look.heading_row(section.icon, section.heading), *look.lines(section.lines),
                                   Spacer(1, size * 0.4)]))
    ack = doc.acknowledgement
    story.append(KeepTogether([look.heading_row(doc.ack_icon, ack.heading), *look.lines(ack.lines),
                               look.fields_box(ack.fields)]))
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
        bottomMargin=18 * mm, title=doc.title, author=doc.author, subject=doc.subject,
        lang=doc.lang, creator="Sillage",
    )
    canvas_class = numbered_canvas(doc.footer, doc.page_label)
    template.build(story, canvasmaker=canvas_class)
    return RenderedNotice(buffer.getvalue(), canvas_class.pages_written)


class _NoticeLook:
    """The notice's styles for a body size, and the parts drawn with them."""

    def __init__(self, size: float, frame_width: float) -> None:
        regular, bold = register_fonts()
        icons = register_icon_font()
        self.size, self.frame_width, self.regular = size, frame_width, regular
        self.body = ParagraphStyle("body", fontName=regular, fontSize=size, leading=size * 1.25,
                                   alignment=TA_LEFT, spaceAfter=size * 0.12)
        self.item = ParagraphStyle("item", parent=self.body, leftIndent=8 * mm, bulletIndent=2 * mm,
                                   bulletFontName=regular, bulletFontSize=size)
        self.heading = ParagraphStyle("heading", fontName=bold, fontSize=size + 2, leading=(size + 2) * 1.2,
                                      textColor=ACCENT, alignment=TA_LEFT)
        self.title = ParagraphStyle("title", fontName=bold, fontSize=size + 7, leading=(size + 7) * 1.25,
                                    alignment=TA_LEFT, spaceAfter=size * 0.6)
        self.icon = ParagraphStyle("icon", fontName=icons, fontSize=size + 8, leading=size + 9,
                                   textColor=ACCENT, alignment=TA_LEFT)

    def lines(self, lines: tuple[str, ...]) -> list[Any]:
        """One paragraph a sentence; a line starting with "- " is a list item."""
        return [Paragraph(esc(line[2:]), self.item, bulletText="•") if line.startswith("- ")
                else Paragraph(esc(line), self.body) for line in lines]

    def heading_row(self, icon: int, text: str) -> Table:
        table = Table([[Paragraph(chr(icon), self.icon), Paragraph(esc(text), self.heading)]],
                      colWidths=[13 * mm, self.frame_width - 13 * mm])
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.regular, self.size),  # never reportlab's default Helvetica
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
        ]))
        return table

    def fields_box(self, fields: tuple[str, ...]) -> Table:
        """Fields two by two: room to write a name, a date and the signatures."""
        cells = [Paragraph(esc(f), self.body) for f in fields]
        if len(cells) % 2:
            cells.append(Paragraph("", self.body))
        rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
        box = Table(rows, colWidths=[self.frame_width / 2] * 2, rowHeights=[self.size * 3.2] * len(rows))
        box.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.regular, self.size),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
            ("INNERGRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa7b2")),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ]))
        return box
