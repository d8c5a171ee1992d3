"""What Sillage put on the clipboard, so that a lock clears only that (R-3.8)."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication


class ClipboardGuard(QObject):
    """Remembers (as hashes) texts put on the clipboard while Sillage has the focus, so that a
    lock clears the clipboard only if it still holds text copied from Sillage (R-3.8)."""

    def __init__(self) -> None:
        super().__init__()
        self._ours: set[bytes] = set()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.clipboard().dataChanged.connect(self._changed)

    @staticmethod
    def _digest(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def _changed(self) -> None:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        clipboard = app.clipboard()
        if clipboard.ownsClipboard() or app.focusWidget() is not None or app.activeWindow() is not None:
            text = clipboard.text()
            if text:
                self._ours.add(self._digest(text))

    def clear_if_ours(self) -> None:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        clipboard = app.clipboard()
        text = clipboard.text()
        if text and (clipboard.ownsClipboard() or self._digest(text) in self._ours):
            clipboard.clear()
        self._ours.clear()

