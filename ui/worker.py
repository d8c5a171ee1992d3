"""Run slow work (Argon2, exports, verification) off the GUI thread; results come back as signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_running: set[_Job] = set()


def run_in_thread(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> _Job:
    job = _Job(fn)

    def finished_ok(result: Any) -> None:
        _running.discard(job)
        on_done(result)

    def finished_err(exc: BaseException) -> None:
        _running.discard(job)
        on_error(exc)

    job.signals.done.connect(finished_ok)
    job.signals.failed.connect(finished_err)
    _running.add(job)
    QThreadPool.globalInstance().start(job)
    return job


def wait_all(timeout_ms: int = 30000) -> bool:
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
