"""The bridge from app/ to reports/: where the fonts are (resources belong to app/)."""

from __future__ import annotations

from app.resources import resource_path
from reports.fonts import use_font_dir


def prepare_reports() -> None:
    use_font_dir(resource_path("fonts"))
