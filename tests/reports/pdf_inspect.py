"""Read a produced PDF back with pypdf: fonts, metadata, text runs with their font and place.

Tests judge the documents from this, never from what the generator was asked to do.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

STANDARD_14 = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}


@dataclass(frozen=True)
class Run:
    page: int
    text: str
    font: str  # base font name without the subset prefix
    size: float
    x: float
    y: float


@dataclass
class Pdf:
    reader: PdfReader

    @classmethod
    def parse(cls, data: bytes) -> Pdf:
        return cls(PdfReader(io.BytesIO(data)))

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    @property
    def lang(self) -> str | None:
        value = self.reader.trailer["/Root"].get("/Lang")
        return None if value is None else str(value)

    @property
    def metadata(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in (self.reader.metadata or {}).items()}

    def text(self) -> str:
        return "\n".join(page.extract_text() or "" for page in self.reader.pages)

    def fonts(self) -> dict[str, bool]:
        """Every font used on every page -> whether its program is embedded in the file."""
        found: dict[str, bool] = {}
        for page in self.reader.pages:
            resources = _resolve(page.get("/Resources")) or {}
            fonts = _resolve(resources.get("/Font")) or {}
            for ref in fonts.values():
                font = _resolve(ref)
                name = str(font.get("/BaseFont", "?")).lstrip("/")
                descriptor = _resolve(font.get("/FontDescriptor"))
                if descriptor is None and "/DescendantFonts" in font:
                    descendant = _resolve(_resolve(font["/DescendantFonts"])[0])
                    descriptor = _resolve(descendant.get("/FontDescriptor"))
                embedded = descriptor is not None and any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[name.split("+", 1)[-1]] = embedded and name.split("+", 1)[-1] not in STANDARD_14
        return found

    def runs(self) -> list[Run]:
        out: list[Run] = []
        for number, page in enumerate(self.reader.pages, start=1):
            def visit(text: str, cm: Any, tm: Any, font: Any, size: float, number: int = number) -> None:
                if not text.strip() or not font:
                    return
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                name = str(font.get("/BaseFont", "?")).lstrip("/").split("+", 1)[-1]
                out.append(Run(number, text.strip(), name, float(size), float(x), float(y)))

            page.extract_text(visitor_text=visit)
        return out


def _resolve(obj: Any) -> Any:
    while isinstance(obj, IndirectObject):
        obj = obj.get_object()
    if obj is not None and not isinstance(obj, DictionaryObject | list):
        return obj
    return obj
