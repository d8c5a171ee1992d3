"""Python's cyclic garbage collector runs on the GUI thread only.

Left automatic, a collection can start in whichever thread happens to allocate — a background
job (Argon2, demo creation, verification) — and then destroy Qt objects that belong to the GUI
thread, which crashes the process. Automatic collection is turned off and a timer on the GUI
thread collects with the same generation thresholds as Python would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
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
                return

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()
