"""Locate the data files of ``resources/``, also inside a PyInstaller bundle, and hand reports/ its
fonts (resources belong to app/)."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def prepare_reports() -> None:
    """reports/ draws with the bundled fonts: tell it where they are. Imported here, not at the
    top: every start reads resources (the catalogue), and reportlab is for documents only."""
    from reports.fonts import use_font_dir

    use_font_dir(resource_path("fonts"))
