"""First start without a workspace: the demonstration is created with progress, and can be
cancelled without leaving anything behind (R-2.7, SPEC §11)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.demo import DemoOptions
from app.workspace import AppContext, Workspace
from tests.conftest import TEST_KDF
from ui.windows.welcome import WelcomeWindow


def test_create_and_open_the_demo(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = WelcomeWindow(tmp_path / "absent", tmp_path / "demo", DemoOptions(youths=15, journal_rows=500))
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert window.progress.isVisible() and window.cancel_button.isVisible()
    qtbot.waitUntil(lambda: window.open_button.isVisible(), timeout=60000)
    assert window.accounts.rowCount() == 7
    login = window.accounts.text(0, 0)
    password = window.accounts.text(0, 1)
    with qtbot.waitSignal(window.open_workspace) as opened:
        qtbot.mouseClick(window.open_button, Qt.MouseButton.LeftButton)
    workspace = Workspace(opened.args[0], AppContext(kdf_policy=TEST_KDF))
    assert workspace.is_demo()
    session = workspace.login(login, password)
    assert session.user.profile.value == "direction"
    session.close()
    workspace.release()


def test_cancel_leaves_nothing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = WelcomeWindow(tmp_path / "absent", tmp_path / "demo", DemoOptions(youths=400, journal_rows=200_000))
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=60000)
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.create_button.isEnabled(), timeout=60000)
    assert "annulée" in window.error.text()
    assert not Workspace(tmp_path / "demo").exists()
    assert list((tmp_path / "demo").iterdir()) == []
