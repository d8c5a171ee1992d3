"""Fixtures of the GUI tests: a controller whose timers never fire by themselves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Qt, QTimer

from app.auth.service import AccountService
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from ui.session_controller import SessionController


class ManualTimer(QTimer):
    """A timer that never fires by itself: the test calls ``fire()``."""

    def start(self, msec: int = 0) -> None:  # type: ignore[override]
        self.running = True

    def stop(self) -> None:
        self.running = False

    def fire(self) -> None:
        self.timeout.emit()


@pytest.fixture
def controller(qtbot, ws: WorkspaceHandle) -> Iterator[SessionController]:  # type: ignore[no-untyped-def]
    timers: list[ManualTimer] = []

    def factory(parent: QObject) -> QTimer:
        timer = ManualTimer(parent)
        timers.append(timer)
        return timer

    # the director accepted the charter already, so the main window opens at once
    session = ws.login()
    AccountService(session).accept_charter()
    session.close()
    ctl = SessionController(ws.workspace, timer_factory=factory)
    ctl.timer = timers[0]  # type: ignore[attr-defined]  # the idle timer
    ctl.daily_timer = timers[1]  # type: ignore[attr-defined]
    qtbot.addWidget(ctl.login)
    ctl.start()
    yield ctl
    ctl.shutdown()


def login(qtbot, ctl: SessionController, name: str = DIRECTOR_LOGIN, password: str = DIRECTOR_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(ctl.login.login_edit, name)
    qtbot.keyClicks(ctl.login.password_edit, password)
    qtbot.mouseClick(ctl.login.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctl.main is not None, timeout=10000)
