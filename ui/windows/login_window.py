"""Login window: opens the workspace off the GUI thread (SPEC §11) and shows delays as a countdown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.auth.login_guard import LoginDelayed
from app.session import Session
from app.workspace import Workspace
from ui.errors import report_error
from ui.widgets.common import busy_bar, error_label, note, text_field
from ui.widgets.password_prompt import PasswordPrompt
from ui.worker import run_in_thread

JOURNAL_NOTICE = "Les accès aux données sensibles sont enregistrés dans un journal."


class LoginWindow(QWidget):
    """Emits ``logged_in(Session)`` on success."""

    logged_in = Signal(object)

    def __init__(self, workspace: Workspace, *, org_name: str = "", parent: QWidget | None = None,
                 login_fn: Callable[[str, str], Session] | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._login_fn = login_fn or workspace.login
        self._countdown = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.setWindowTitle("Sillage — connexion")
        self.setObjectName("loginWindow")

        title = QLabel("Sillage")
        title.setObjectName("title")
        where = QLabel(org_name or f"Espace de travail : {workspace.root.name}")
        where.setObjectName("subtitle")
        where.setAccessibleName("Espace de travail")
        where.setToolTip(str(workspace.root))

        self.demo_band = QLabel("DONNÉES FICTIVES — démonstration")
        self.demo_band.setObjectName("demoBand")
        self.demo_band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_band.setVisible(workspace.is_demo())

        self.login_edit = text_field("Identifiant", max_length=40)
        self.prompt = PasswordPrompt(before=[("&Identifiant", self.login_edit)])
        self.prompt.form.setSpacing(12)  # the window's spacing, as when the rows were its own
        self.password_edit = self.prompt.current

        self.submit = QPushButton("Se &connecter")
        self.submit.setObjectName("primary")
        self.submit.setDefault(True)
        self.submit.setAccessibleName("Se connecter")
        self.submit.clicked.connect(self.attempt)
        self.password_edit.returnPressed.connect(self.attempt)
        self.login_edit.returnPressed.connect(self.password_edit.setFocus)

        self.spinner = busy_bar("Connexion en cours")

        self.error = error_label()
        self.error.setAccessibleName("Message")
        self.error.setVisible(False)

        notice = note(JOURNAL_NOTICE, "notice")

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.submit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(self.demo_band)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addWidget(self.prompt)
        layout.addWidget(self.spinner)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(notice)
        layout.addStretch(1)
        self.setTabOrder(self.login_edit, self.password_edit)
        self.setTabOrder(self.password_edit, self.submit)
        self.resize(440, 360)
        self.login_edit.setFocus()

    # -- behaviour -------------------------------------------------------------------------
    def attempt(self) -> None:
        if not self.submit.isEnabled():
            return
        login = self.login_edit.text().strip()
        password = self.password_edit.text()
        if not login or not password:
            self._show_error("Saisissez votre identifiant et votre mot de passe.")
            return
        self._busy(True)
        run_in_thread(lambda: self._login_fn(login, password), self._done, self._failed)

    def _busy(self, busy: bool) -> None:
        self.spinner.setVisible(busy)
        self.submit.setEnabled(not busy and self._countdown == 0)
        self.login_edit.setEnabled(not busy)
        self.password_edit.setEnabled(not busy)
        if busy:
            self.error.setVisible(False)

    def _done(self, session: Session) -> None:
        self._busy(False)
        self.password_edit.clear()
        self.logged_in.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.password_edit.clear()
        self.password_edit.setFocus()
        if isinstance(exc, LoginDelayed):
            self._start_countdown(exc.seconds)
            return
        report_error(exc, self._show_error, self)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def _start_countdown(self, seconds: int) -> None:
        self._countdown = seconds
        self.submit.setEnabled(False)
        self._tick(initial=True)
        self._timer.start()

    def _tick(self, initial: bool = False) -> None:
        if not initial:
            self._countdown -= 1
        if self._countdown <= 0:
            self._timer.stop()
            self._countdown = 0
            self.submit.setEnabled(True)
            self._show_error("Vous pouvez réessayer.")
            return
        self._show_error(
            f"Trop de tentatives infructueuses : nouvel essai possible dans {self._countdown} s."
        )

    def reset(self, *, clear_login: bool = False) -> None:
        self.password_edit.clear()
        if clear_login:
            self.login_edit.clear()
            self.login_edit.setFocus()
        self.error.setVisible(False)
