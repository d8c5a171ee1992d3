"""Small widgets shared by the screens."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel


def error_label(text: str = "") -> QLabel:
    """A wrapped label in the error style (red, bold), for messages next to what they concern."""
    label = QLabel(text)
    label.setObjectName("error")
    label.setWordWrap(True)
    return label


def clear_layout(layout: Any) -> None:
    """Remove every widget of a layout at once (hidden and detached now, deleted later), so that
    old and new content never overlap until the event loop runs; nested layouts too."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())
