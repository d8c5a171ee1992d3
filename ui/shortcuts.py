"""Keyboard shortcuts: one way to make them (UI.md: shortcuts that work window-wide or, for a
panel's own actions, only while the focus is inside that panel)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def shortcut(keys: str, owner: QWidget, action: Callable[[], object], *, inside: bool = False) -> QShortcut:
    """``keys`` runs ``action`` in ``owner``'s window, or only while the focus is inside
    ``owner`` (``inside``: a panel's Ctrl+S must not save another panel)."""
    made = QShortcut(QKeySequence(keys), owner)
    if inside:
        made.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    made.activated.connect(action)
    return made
