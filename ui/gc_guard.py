"""Python's cyclic garbage collector runs on the GUI thread only.

Left automatic, a collection can start in whichever thread happens to allocate — a background
job (Argon2, demo creation, verification) — and then destroy Qt objects that belong to the GUI
thread, which crashes the process. Automatic collection is turned off and a timer on the GUI
thread collects with the same generation thresholds as Python would.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
TRIM_EVERY_S = 1.0


def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    """glibc keeps the memory of freed widgets for reuse instead of giving it back; on Linux,
    ``malloc_trim`` returns it (a dossier click frees and allocates a few MiB of widgets)."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self._trim = _malloc_trim()
        self._last_trim = time.monotonic()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                break
        now = time.monotonic()
        if self._trim is not None and now - self._last_trim >= TRIM_EVERY_S:
            self._last_trim = now
            self._trim(0)

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()
