"""The first-run wizard, driven through its real widgets (UI.md first run, R-2.3)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.workspace import AppContext, Workspace
from tests.conftest import TEST_KDF
from ui.windows.first_run import FirstRunWizard


def test_wizard_creates_the_workspace_and_asks_for_the_last_group(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = Workspace(tmp_path / "ws", AppContext(kdf_policy=TEST_KDF))
    wizard = FirstRunWizard(workspace)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert "obligatoire" in wizard.error.text() and wizard.pages.currentIndex() == 0
    qtbot.keyClicks(wizard.org_name, "MECS Les Tilleuls")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.pages.currentIndex() == 1
    wizard.director_name.insert("Hélène Fabre")
    qtbot.keyClicks(wizard.director_login, "hfabre")
    qtbot.keyClicks(wizard.password, "azerty")
    assert wizard.strength.text()  # live indicator
    qtbot.keyClicks(wizard.repeat, "azerty")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.pages.currentIndex() == 1 and "12 caractères" in wizard.error.text()
    for edit in (wizard.password, wizard.repeat):
        edit.clear()
        qtbot.keyClicks(edit, "Velo-Rouge-Lune-27!")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.pages.currentIndex() == 2
    wizard.units.setPlainText("Les Lilas\nLes Érables")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 3, timeout=20000)
    key = wizard.flow.recovery_key
    assert key is not None and key.split("-")[0] in wizard.key_label.text()
    assert not wizard.next_button.isEnabled()
    wizard.choose_path = lambda: tmp_path / "secours.pdf"
    qtbot.mouseClick(wizard.print_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "secours.pdf").stat().st_size > 1000
    qtbot.keyClicks(wizard.last_group, "ZZZZ" if key.split("-")[-1] != "ZZZZ" else "YYYY")
    assert not wizard.next_button.isEnabled()
    wizard.last_group.clear()
    qtbot.keyClicks(wizard.last_group, key.split("-")[-1])
    assert wizard.next_button.isEnabled()
    with qtbot.waitSignal(wizard.created):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    session = Workspace(tmp_path / "ws", AppContext(kdf_policy=TEST_KDF)).login("hfabre", "Velo-Rouge-Lune-27!")
    assert session.user.profile.value == "direction"
    session.close()
    session.workspace.release()
