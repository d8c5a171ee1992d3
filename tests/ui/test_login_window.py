"""The real login window, driven with pytest-qt (R-3.3, SPEC §11 login off the GUI thread)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.session import Session
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from ui.windows.login_window import JOURNAL_NOTICE, LoginWindow


def test_wrong_password_shows_french_message(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    window = LoginWindow(ws.workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.login_edit, DIRECTOR_LOGIN)
    qtbot.keyClicks(window.password_edit, "pas-le-bon")
    qtbot.mouseClick(window.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.error.isVisible(), timeout=10000)
    assert window.error.text() == "Identifiant ou mot de passe incorrect."
    assert window.password_edit.text() == ""
    assert not window.demo_band.isVisible()
    assert any(w.text() == JOURNAL_NOTICE for w in window.findChildren(type(window.error)))


def test_login_happens_off_the_gui_thread_and_emits_the_session(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    import threading

    threads: list[str] = []

    def login(login: str, password: str) -> Session:
        threads.append(threading.current_thread().name)
        return ws.workspace.login(login, password)

    window = LoginWindow(ws.workspace, login_fn=login)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.login_edit, DIRECTOR_LOGIN)
    qtbot.keyClicks(window.password_edit, DIRECTOR_PASSWORD)
    with qtbot.waitSignal(window.logged_in, timeout=10000) as blocker:
        qtbot.keyClick(window.password_edit, Qt.Key.Key_Return)
        assert window.spinner.isVisible()  # the window stays responsive and shows a spinner
    session = blocker.args[0]
    assert session.user.login == DIRECTOR_LOGIN
    assert threads and threads[0] != threading.main_thread().name
    session.close()


def test_delay_after_failures_shows_countdown(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    window = LoginWindow(ws.workspace)
    qtbot.addWidget(window)
    for _ in range(3):
        ws.workspace.guard.record_failure(
            __import__("storage.keyslots", fromlist=["KeySlotFile"]).KeySlotFile.load(
                ws.root / "keyslots.json").lookup_of(DIRECTOR_LOGIN))
    qtbot.keyClicks(window.login_edit, DIRECTOR_LOGIN)
    qtbot.keyClicks(window.password_edit, DIRECTOR_PASSWORD)
    qtbot.mouseClick(window.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "nouvel essai possible dans" in window.error.text(), timeout=10000)
    assert not window.submit.isEnabled()
