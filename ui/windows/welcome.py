"""First start without a workspace: explain, and create the demonstration with a progress bar
that can be cancelled (UI.md « Ouvrir la démonstration », SPEC §11 long work)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.auth.profiles import Profile
from app.demo import DemoOptions, DemoResult, create_demo
from app.workspace import Workspace
from ui.errors import report_error
from ui.widgets.common import error_label, heading, note
from ui.widgets.text_table import TextTable
from ui.worker import run_in_thread


class _Progress(QObject):
    changed = Signal(int, int)


class WelcomeWindow(QWidget):
    """Emits ``open_workspace(Path)`` when the person chooses to open the created demo."""

    open_workspace = Signal(object)
    create_workspace = Signal()

    def __init__(self, missing: Path, demo_root: Path, options: DemoOptions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sillage — bienvenue")
        self.demo_root = demo_root
        self.options = options or DemoOptions()
        self.result: DemoResult | None = None
        self._cancel = threading.Event()
        self._progress = _Progress()
        self._progress.changed.connect(self._show_progress)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(heading("Bienvenue dans Sillage"))
        layout.addWidget(note(
            f"Aucun espace de travail n'existe encore dans « {missing} ».\n\n"
            "Pour découvrir Sillage sans risque, créez l'espace de démonstration : des jeunes, des "
            "mesures, un suivi et un journal entièrement fictifs, et un compte par profil.\n\n"
            "Pour votre organisme, créez l'espace de travail réel : l'assistant demande le nom de "
            "l'organisme, le compte de la direction, les unités, puis remet la clé de secours."))
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName("Avancement de la création")
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.error = error_label()
        layout.addWidget(self.error)
        self.accounts = TextTable(("Identifiant", "Mot de passe", "Profil"), "Comptes de démonstration")
        self.accounts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.accounts.setVisible(False)
        layout.addWidget(self.accounts, 1)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self._cancel.set)
        self.create_button = QPushButton("Créer la &démonstration")
        self.create_button.setObjectName("primary")
        self.create_button.clicked.connect(self.create_demo)
        self.open_button = QPushButton("&Ouvrir la démonstration")
        self.open_button.setObjectName("primary")
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(lambda: self.open_workspace.emit(self.demo_root))
        self.real_button = QPushButton("Créer l'espace de l'&organisme…")
        self.real_button.clicked.connect(self.create_workspace.emit)
        buttons.insertWidget(0, self.real_button)
        for b in (self.cancel_button, self.create_button, self.open_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.resize(560, 460)

    def create_demo(self) -> None:
        self._cancel.clear()
        self.error.setText("")
        self.create_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        workspace = Workspace(self.demo_root)

        def progress(done: int, total: int) -> bool:
            self._progress.changed.emit(done, total)  # queued to the GUI thread
            return not self._cancel.is_set()

        workspace.context.progress = progress
        run_in_thread(lambda: create_demo(workspace, self.options), self._done, self._failed)

    def _show_progress(self, done: int, total: int) -> None:
        if total:
            self.progress.setValue(min(100, 100 * done // total))

    def _done(self, result: DemoResult) -> None:
        self.result = result
        self.progress.setValue(100)
        self.cancel_button.setVisible(False)
        self.create_button.setVisible(False)
        self.accounts.rows.set_rows([(a.login, a.password, Profile(a.profile).label)
                                     for a in result.accounts])
        self.accounts.setVisible(True)
        self.error.setObjectName("notice")
        self.error.setText("Démonstration prête. Notez un identifiant et son mot de passe (données "
                           "fictives), puis ouvrez-la.")
        self.open_button.setVisible(True)
        self.open_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.cancel_button.setVisible(False)
        self.create_button.setEnabled(True)
        self.progress.setVisible(False)
        report_error(exc, self.error.setText, self)
