"""Small widgets shared by the screens."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def error_label(text: str = "") -> QLabel:
    """A wrapped label in the error style (red, bold), for messages next to what they concern."""
    label = QLabel(text)
    label.setObjectName("error")
    label.setWordWrap(True)
    return label
