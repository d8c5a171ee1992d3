"""Shared page furniture of the documents: embedded fonts from the first glyph, a footer with
"page X sur Y", safe escaping of text given to reportlab's mini-markup."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from reports.fonts import register_fonts


def numbered_canvas(footer_left: str, page_label: str = "page {page} sur {total}",
                    *, header_right: str = "", size: float = 9, margin: float = 18 * mm,
                    baseline: float = 9 * mm, grey: float | None = 0.25) -> type[canvas.Canvas]:
    """A canvas class that writes the footer once the page count is known.

    ``page_label`` carries the language (``"page {page} sur {total}"``, ``"page {page} of {total}"``).
    The footer stands ``margin`` from the sides and ``baseline`` from the bottom, in ``grey`` (None:
    the text colour). The number of pages is kept in ``pages_written`` of the class for the caller.
    """

    class NumberedCanvas(canvas.Canvas):  # type: ignore[misc]
        pages_written = 0

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            regular, _ = register_fonts()
            kwargs["initialFontName"] = regular  # no Helvetica anywhere
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            type(self).pages_written = total
            regular, bold = register_fonts()
            for state in self._saved:
                self.__dict__.update(state)
                width, height = self._pagesize
                self.setFont(regular, size)
                if grey is not None:
                    self.setFillGray(grey)
                self.drawString(margin, baseline, footer_left)
                self.drawRightString(width - margin, baseline,
                                     page_label.format(page=self._pageNumber, total=total))
                if header_right:
                    self.setFont(bold, size + 1)
                    self.setFillColorRGB(0.6, 0.1, 0.1)
                    self.drawRightString(width - 18 * mm, height - 11 * mm, header_right)
                super().showPage()
            super().save()

    return NumberedCanvas


def admin_canvas(footer: str) -> type[canvas.Canvas]:
    """The footer of the administrative documents (journal, habilitation review, recovery sheet):
    small, in the text colour, 15 mm in from the edges."""
    return numbered_canvas(footer, size=8, margin=15 * mm, baseline=8 * mm, grey=None)


def esc(text: str) -> str:
    """Text for a reportlab Paragraph: its mini-markup must never interpret user text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
