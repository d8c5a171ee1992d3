"""One password prompt for login, lock, change of password and first run (issue 9): every
password field masked, bounded, labelled and named alike; a new password with its confirmation
and its live strength message."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QLineEdit

from app.auth.password_policy import MAX_LENGTH
from app.session import Session
from app.workspace import Workspace
from tests.conftest import WorkspaceHandle
from ui.dialogs.auth.change_password import ChangePassword
from ui.widgets.password_prompt import PasswordPrompt
from ui.windows.first_run import FirstRunWizard
from ui.windows.lock_screen import LockScreen
from ui.windows.login_window import LoginWindow


def _unused(login: str, password: str) -> Session:
    raise AssertionError("not called")


def _password_fields(prompt: PasswordPrompt) -> dict[str, str]:
    """accessible name -> the visible label of the row, for each masked field of the prompt"""
    rows: dict[str, str] = {}
    for edit in prompt.findChildren(QLineEdit):
        if edit.echoMode() is QLineEdit.EchoMode.Password:
            assert edit.maxLength() == MAX_LENGTH
            label = prompt.form.labelForField(edit)
            assert isinstance(label, QLabel) and label.buddy() is edit  # its mnemonic reaches it
            rows[edit.accessibleName()] = label.text()
    return rows


def test_the_four_screens_ask_passwords_through_the_one_prompt(qtbot, ws: WorkspaceHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    login = LoginWindow(ws.workspace)
    lock = LockScreen("cmartin", "Claire Martin", _unused)
    change = ChangePassword(lambda old, new: None, login="cmartin", name="Claire Martin")
    wizard = FirstRunWizard(Workspace(tmp_path / "neuf"))
    for widget in (login, lock, change, wizard):
        qtbot.addWidget(widget)
    assert _password_fields(login.prompt) == {"Mot de passe": "&Mot de passe"}
    assert login.prompt.form.labelForField(login.login_edit).text() == "&Identifiant"  # type: ignore[union-attr]
    assert _password_fields(lock.prompt) == {"Mot de passe": "&Mot de passe"}
    assert _password_fields(change.prompt) == {
        "Mot de passe actuel": "Mot de passe &actuel :",
        "Nouveau mot de passe": "&Nouveau mot de passe :",
        "Confirmation du nouveau mot de passe": "&Confirmation :",
    }
    assert _password_fields(wizard.prompt) == {
        "Mot de passe": "&Mot de passe :", "Confirmation du mot de passe": "&Confirmation :"}
    # the wizard's name and login share the label column of the password rows
    assert isinstance(wizard.prompt.form.labelForField(wizard.director_login), QLabel)


def test_strength_is_said_as_the_new_password_is_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    change = ChangePassword(lambda old, new: None, login="cmartin", name="Claire Martin")
    qtbot.addWidget(change)
    change.show()
    assert change.strength.isVisible() and change.strength.text() == ""
    qtbot.keyClicks(change.new, "cmartin")
    weak = change.strength.text()
    assert weak
    change.new.clear()
    qtbot.keyClicks(change.new, "Le merle chante sous la pluie d'avril")
    assert change.strength.text() and change.strength.text() != weak


def test_a_confirmation_that_differs_is_refused_and_nothing_is_changed(qtbot) -> None:  # type: ignore[no-untyped-def]
    changed: list[tuple[str, str]] = []
    change = ChangePassword(lambda old, new: changed.append((old, new)), login="cmartin", name="Claire Martin")
    qtbot.addWidget(change)
    qtbot.keyClicks(change.current, "ancien")
    qtbot.keyClicks(change.new, "Le merle chante sous la pluie d'avril")
    qtbot.keyClicks(change.repeat, "Le merle chante sous la pluie de mai")
    change.submit()
    assert changed == [] and "différentes" in change.error.text()
    change.repeat.clear()
    qtbot.keyClicks(change.repeat, "Le merle chante sous la pluie d'avril")
    change.submit()
    assert changed == [("ancien", "Le merle chante sous la pluie d'avril")]
    assert all(edit.text() == "" for edit in (change.current, change.new, change.repeat))  # forgotten


def test_a_prompt_for_a_password_to_check_has_no_strength_row(qtbot) -> None:  # type: ignore[no-untyped-def]
    prompt = PasswordPrompt()
    qtbot.addWidget(prompt)
    prompt.show()
    assert not prompt.strength.isVisible()
    assert prompt.form.rowCount() == 1
