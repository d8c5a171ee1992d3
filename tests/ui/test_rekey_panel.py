"""« Renouveler la clé de l'espace » on the Paramètres page (R-2.8; issue 10): the new recovery
key is shown and its sheet printed before anything changes, then the files are re-keyed under a
progress window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.auth.service import AccountService
from storage.connection import open_database
from storage.errors import WorkspaceError
from storage.recovery_key import decode
from storage.rekey import database_files
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of
from ui.windows.settings_page import SettingsPage

PASSWORD = "Arbre-Soleil-Pluie-84!"


def _answer(widget: QWidget, yes: bool) -> None:
    boxes = [b for b in widget.findChildren(QMessageBox, "confirmBox") if b.isVisible()]
    assert len(boxes) == 1
    box = boxes[0]
    wanted = QMessageBox.ButtonRole.DestructiveRole if yes else QMessageBox.ButtonRole.RejectRole
    button = next(b for b in box.buttons() if box.buttonRole(b) == wanted)
    button.click()


def _opens(path: Path, key: bytes) -> bool:
    try:
        open_database(path, key, quick_check=False).close()
    except WorkspaceError:
        return False
    return True


def test_director_renews_the_key_after_keeping_the_new_one(qtbot, ws: WorkspaceHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    page = SettingsPage(session)
    qtbot.addWidget(page)
    panel = page.rekey_panel
    assert panel is not None
    page.show()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    _answer(panel, yes=True)
    assert panel.key_box.isVisible()
    shown = panel.key_label.text()
    assert len(shown.split("-")) == 14
    assert not panel.run_button.isEnabled()
    # Abandoning draws nothing into the workspace.
    qtbot.mouseClick(panel.abandon_button, Qt.MouseButton.LeftButton)
    assert "rien n'a changé" in panel.message.text()
    assert _opens(ws.root / "sillage.db", decode(ws.recovery_key))

    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    _answer(panel, yes=True)
    recovery = panel.key_label.text()
    assert recovery != shown  # a new key each time
    sheet = tmp_path / "feuille.pdf"
    panel.choose_path = lambda: sheet
    qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    assert sheet.read_bytes().startswith(b"%PDF")
    qtbot.keyClicks(panel.last_group, "ZZZZ" if not recovery.endswith("ZZZZ") else "YYYY")
    assert not panel.run_button.isEnabled()
    panel.last_group.clear()
    qtbot.keyClicks(panel.last_group, recovery.split("-")[-1].lower())
    assert panel.run_button.isEnabled()
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.result is not None or bool(panel.error.text()), timeout=30000)
    assert panel.error.text() == ""
    assert "renouvelée" in panel.message.text() and "sauvegardes faites avant" in panel.message.text()
    assert panel.key_label.text() == "" and not panel.key_box.isVisible()  # shown once
    assert store_of(session).dmk == decode(recovery)
    session.close()
    ws.workspace.release()
    for path in database_files(ws.root):
        assert _opens(path, decode(recovery)) and not _opens(path, decode(ws.recovery_key))
    ws.reopen()
    ws.login().close()


def test_only_the_direction_sees_the_renewal(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    director = ws.login()
    AccountService(director).create_user(login="admin1", display_name="Pierre Vasseur",
                                         profile="admin_technique", password=PASSWORD)
    director.close()
    admin = ws.login("admin1", PASSWORD)
    page = SettingsPage(admin)
    qtbot.addWidget(page)
    assert page.rekey_panel is None
    admin.close()
