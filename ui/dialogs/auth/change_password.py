"""Change-password screen: the only screen reachable with a provisional password (R-3.4)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.auth.password_policy import POLICY_TEXT, password_strength
from ui.errors import ui_action
from ui.widgets.common import error_label


class ChangePassword(QDialog):
    def __init__(self, change: Callable[[str, str], None], *, login: str = "", name: str = "",
                 voluntary: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changer mon mot de passe" if voluntary else "Choisir votre mot de passe")
        self._change = change
        self._login, self._name = login, name
        layout = QVBoxLayout(self)
        intro = QLabel(("Choisissez un nouveau mot de passe. " if voluntary else
                        "Votre mot de passe est provisoire : choisissez maintenant le vôtre. ")
                       + POLICY_TEXT)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.current = QLineEdit()
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current.setAccessibleName("Mot de passe actuel")
        self.new = QLineEdit()
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        self.new.setAccessibleName("Nouveau mot de passe")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("Confirmation du nouveau mot de passe")
        form.addRow("Mot de passe &actuel :", self.current)
        form.addRow("&Nouveau mot de passe :", self.new)
        form.addRow("&Confirmation :", self.repeat)
        layout.addLayout(form)
        self.strength = QLabel("")
        self.strength.setWordWrap(True)
        self.strength.setAccessibleName("Solidité du mot de passe")
        layout.addWidget(self.strength)
        self.error = error_label()
        layout.addWidget(self.error)
        self.new.textChanged.connect(self._update_strength)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("Enregistrer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.submit)
        if voluntary:
            self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
            self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _update_strength(self) -> None:
        report = password_strength(self.new.text(), login=self._login, person_name=self._name)
        self.strength.setText(report.message)

    @ui_action("error")
    def submit(self) -> None:
        if self.new.text() != self.repeat.text():
            self.error.setText("Les deux saisies du nouveau mot de passe sont différentes.")
            return
        self._change(self.current.text(), self.new.text())
        for edit in (self.current, self.new, self.repeat):
            edit.clear()
        self.accept()
