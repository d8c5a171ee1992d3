"""Change-password screen: the only screen reachable with a provisional password (R-3.4)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QVBoxLayout,
    QWidget,
)

from app.auth.password_policy import POLICY_TEXT, password_strength
from ui.errors import ui_action
from ui.widgets.common import dialog_buttons, error_label, note
from ui.widgets.password_prompt import Field, PasswordPrompt


class ChangePassword(QDialog):
    def __init__(self, change: Callable[[str, str], None], *, login: str = "", name: str = "",
                 voluntary: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changer mon mot de passe" if voluntary else "Choisir votre mot de passe")
        self._change = change
        layout = QVBoxLayout(self)
        layout.addWidget(note(("Choisissez un nouveau mot de passe. " if voluntary else
                               "Votre mot de passe est provisoire : choisissez maintenant le vôtre. ")
                              + POLICY_TEXT))
        self.prompt = PasswordPrompt(
            current=Field("Mot de passe &actuel :", "Mot de passe actuel"),
            new=(Field("&Nouveau mot de passe :", "Nouveau mot de passe"),
                 Field("&Confirmation :", "Confirmation du nouveau mot de passe")),
            strength=lambda text: password_strength(text, login=login, person_name=name).message)
        self.current, self.new, self.repeat = self.prompt.current, self.prompt.new, self.prompt.repeat
        self.strength = self.prompt.strength
        layout.addWidget(self.prompt)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons, self.ok = dialog_buttons(self, "Enregistrer", self.submit,
                                               "Annuler" if voluntary else None)
        layout.addWidget(self.buttons)

    @ui_action("error")
    def submit(self) -> None:
        if not self.prompt.repeated_alike():
            self.error.setText("Les deux saisies du nouveau mot de passe sont différentes.")
            return
        self._change(self.current.text(), self.new.text())
        self.prompt.clear()
        self.accept()
