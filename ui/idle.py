"""Application-wide idle detection (R-3.8): any mouse or keyboard event in any window resets it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from app.auth.idle import IdleState, IdleTracker

ACTIVITY_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
})


class TimerLike:
    """What the watcher needs of a timer; tests inject one they fire by hand."""

    timeout: object

    def start(self, msec: int) -> None: ...
    def stop(self) -> None: ...


def qt_timer_factory(parent: QObject) -> QTimer:
    timer = QTimer(parent)
    return timer


class IdleWatcher(QObject):
    warn = Signal(int)   # seconds left
    active = Signal()
    lock = Signal()
    remaining = Signal(int)  # seconds left before the idle lock, at every tick

    def __init__(self, tracker: IdleTracker,
                 timer_factory: Callable[[QObject], QTimer] = qt_timer_factory) -> None:
        super().__init__()
        self.tracker = tracker
        self.timer = timer_factory(self)
        self.timer.timeout.connect(self.tick)
        self._warned = False
        self._locked = False

    def start(self) -> None:
        self._locked = False
        self._warned = False
        self.tracker.restart()
        self.timer.start(1000)

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and not self._locked:
            self.tracker.activity()
            if self._warned:
                self._warned = False
                self.active.emit()
        return False

    def stay(self) -> None:
        """« Rester connecté »."""
        self.tracker.activity()
        self._warned = False
        self.active.emit()

    def tick(self) -> None:
        if self._locked:
            return
        state = self.tracker.check()
        self.remaining.emit(max(0, int(self.tracker.seconds_left())))
        if state is IdleState.LOCK:
            self._locked = True
            self.timer.stop()
            self.lock.emit()
        elif state is IdleState.WARNING:
            self._warned = True
            self.warn.emit(max(0, int(self.tracker.seconds_left())))
