"""The look shared by the documents: the accent colour and the paragraph styles of the dossier
documents (judge report, access export), written once."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from reports.fonts import register_fonts

ACCENT = colors.HexColor("#1f5f8b")


@dataclass(frozen=True)
class DocumentStyles:
    regular: str  # the embedded font names
    bold: str
    body: ParagraphStyle
    small: ParagraphStyle  # table cells
    label: ParagraphStyle  # table labels and headers
    title: ParagraphStyle
    h2: ParagraphStyle  # a numbered section
    h3: ParagraphStyle  # a block inside a section


def document_styles(body: tuple[float, float], small: tuple[float, float], h3: tuple[float, float], *,
                    h2_before: float, h3_before: float, body_after: float = 0) -> DocumentStyles:
    """The styles of a dossier document; each pair is (font size, leading)."""
    regular, bold = register_fonts()
    return DocumentStyles(
        regular=regular,
        bold=bold,
        body=ParagraphStyle("b", fontName=regular, fontSize=body[0], leading=body[1], spaceAfter=body_after),
        small=ParagraphStyle("s", fontName=regular, fontSize=small[0], leading=small[1]),
        label=ParagraphStyle("l", fontName=bold, fontSize=small[0], leading=small[1]),
        title=ParagraphStyle("t", fontName=bold, fontSize=17, leading=22, spaceAfter=4),
        h2=ParagraphStyle("h", fontName=bold, fontSize=12.5, leading=16, textColor=ACCENT,
                          spaceBefore=h2_before, spaceAfter=4),
        h3=ParagraphStyle("h3", fontName=bold, fontSize=h3[0], leading=h3[1], spaceBefore=h3_before,
                          spaceAfter=2),
    )


def grid_style(font: str, size: float, *, header_row: bool = False) -> TableStyle:
    """A table with thin rules: its header row shaded, else its first column (the labels)."""
    shaded = (("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6edf3")) if header_row
              else ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f4f7")))
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), font, size),  # never reportlab's default Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c0")),
        shaded,
    ])
