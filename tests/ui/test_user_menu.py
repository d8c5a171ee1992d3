"""The header's user menu: change one's password, lock, log out (issue 15, UI.md)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from tests.ui.conftest import login
from ui.dialogs.auth.change_password import ChangePassword
from ui.session_controller import SessionController


def _action(ctl: SessionController, text: str):  # type: ignore[no-untyped-def]
    assert ctl.main is not None
    return next(a for a in ctl.main.user_menu.actions() if a.text().split("\t")[0] == text)


def test_user_menu_offers_the_session_actions(qtbot, controller: SessionController) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, controller)
    assert controller.main is not None
    texts = [a.text() for a in controller.main.user_menu.actions() if a.text()]
    assert texts == ["Changer mon mot de passe…", "Verrouiller\tCtrl+L", "Se déconnecter"]
    assert controller.main.user_button.text() == "Claire Martin — Direction ▾"
    _action(controller, "Se déconnecter").trigger()
    assert controller.session is None and controller.main is None
    assert controller.login.isVisible()


def test_lock_from_the_user_menu(qtbot, controller: SessionController) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, controller)
    _action(controller, "Verrouiller").trigger()
    assert controller.session is None and controller.lock_screen is not None


def test_change_own_password_from_the_user_menu(qtbot, controller: SessionController, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, controller)
    _action(controller, "Changer mon mot de passe…").trigger()
    dialog = controller.dialog
    assert isinstance(dialog, ChangePassword)
    assert dialog.windowTitle() == "Changer mon mot de passe"
    new = "Grange-Hibou-Tulipe-93!"
    qtbot.keyClicks(dialog.current, DIRECTOR_PASSWORD)
    qtbot.keyClicks(dialog.new, new)
    qtbot.keyClicks(dialog.repeat, new)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert controller.dialog is None and controller.main is not None
    assert "changé" in controller.main.statusBar().currentMessage()
    _action(controller, "Se déconnecter").trigger()
    assert all(not e.text() for e in controller.login.findChildren(QLineEdit)
               if e.echoMode() == QLineEdit.EchoMode.Password)
    controller.login.login_edit.clear()
    login(qtbot, controller, DIRECTOR_LOGIN, new)
    assert controller.session is not None
