"""Lock screen (R-3.8): hides everything, shows who was connected, asks the password again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.auth.login_guard import LoginDelayed
from app.errors import WrongCredentials
from app.session import Session
from ui.errors import report_error
from ui.icons import lock_icon
from ui.widgets.common import busy_bar, button, button_row, error_label
from ui.widgets.password_prompt import PasswordPrompt
from ui.worker import run_in_thread


class LockScreen(QWidget):
    unlocked = Signal(object)  # Session
    switch_user = Signal()

    def __init__(self, login: str, display_name: str, unlock: Callable[[str, str], Session],
                 *, is_demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sillage — session verrouillée")
        self.login = login
        self._unlock = unlock
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        if is_demo:
            band = QLabel("DONNÉES FICTIVES — démonstration")
            band.setObjectName("demoBand")
            band.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(band)
        heading = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(lock_icon().pixmap(28, 28))
        title = QLabel("Session verrouillée")
        title.setObjectName("title")
        heading.addWidget(icon)
        heading.addWidget(title, 1)
        layout.addLayout(heading)
        who = QLabel(f"Connecté : {display_name}")
        who.setAccessibleName("Utilisateur connecté")
        layout.addWidget(who)
        self.prompt = PasswordPrompt()
        self.password = self.prompt.current
        self.password.returnPressed.connect(self.attempt)
        layout.addWidget(self.prompt)
        self.spinner = busy_bar("Déverrouillage en cours")
        layout.addWidget(self.spinner)
        self.error = error_label()
        layout.addWidget(self.error)
        self.switch_button = button("Changer d'&utilisateur", self.switch_user.emit)
        self.unlock_button = button("&Déverrouiller", self.attempt, primary=True, default=True)
        layout.addLayout(button_row(self.switch_button, None, self.unlock_button))
        layout.addStretch(1)
        self.resize(440, 280)
        self.password.setFocus()

    def attempt(self) -> None:
        password = self.password.text()
        if not password or not self.unlock_button.isEnabled():
            return
        self.unlock_button.setEnabled(False)
        self.spinner.setVisible(True)
        self.error.setText("")
        run_in_thread(lambda: self._unlock(self.login, password), self._done, self._failed)

    def _done(self, session: Session) -> None:
        self.spinner.setVisible(False)
        self.unlock_button.setEnabled(True)
        self.password.clear()
        self.unlocked.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self.spinner.setVisible(False)
        self.unlock_button.setEnabled(True)
        self.password.clear()
        if isinstance(exc, LoginDelayed):
            self.error.setText(exc.message)
        elif isinstance(exc, WrongCredentials):
            # Only the password was asked here: the login is known (UI.md, issue 15).
            self.error.setText("Mot de passe incorrect.")
        else:
            report_error(exc, self.error.setText, self)
