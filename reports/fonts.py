"""Fonts embedded in every PDF (DejaVu Sans, free licence), registered once."""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ICONS = "MaterialIcons"
_FONT_DIR: list[Path] = []


def use_font_dir(directory: Path) -> None:
    """Set by ``app/`` (which owns the resources helper) before the first document."""
    _FONT_DIR[:] = [directory]


@functools.cache
def register_fonts() -> tuple[str, str]:
    if not _FONT_DIR:
        raise RuntimeError("reports.fonts.use_font_dir() was not called")
    directory = _FONT_DIR[0]
    pdfmetrics.registerFont(TTFont(REGULAR, str(directory / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(directory / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    # Charts start every drawing with this font: without it a chart pulls in Helvetica, unembedded.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = REGULAR
    return REGULAR, BOLD


@functools.cache
def register_icon_font() -> str:
    """Material Icons (Apache 2.0): pictograms drawn by code point, embedded as a subset."""
    if not _FONT_DIR:
        raise RuntimeError("reports.fonts.use_font_dir() was not called")
    pdfmetrics.registerFont(TTFont(ICONS, str(_FONT_DIR[0] / "MaterialIcons-Regular.ttf")))
    return ICONS
