"""« Renouveler la clé de l'espace » (R-2.8), on the Paramètres page, for `direction`.

The new recovery key is drawn first and shown once, with its printable sheet; the person
retypes its last group; only then the renewal runs in a worker thread, under a modal progress
window (nothing else may use the session meanwhile). It cannot be cancelled once started: a
crash is finished at the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.rekey import RekeyResult, RekeyService
from app.session import Session
from ui.dialogs.ask import confirm
from ui.errors import report_error, ui_action
from ui.widgets.common import WrappingLabel, error_label, heading
from ui.widgets.recovery_key import SHEET_SAVED, RecoveryKeyBox, ask_sheet_path
from ui.worker import run_in_thread

EXPLANATION = (
    "Après un départ, si la personne a pu garder une copie de la clé de secours ou du fichier des "
    "clés, renouvelez la clé de l'espace : toutes les données sont rechiffrées avec une nouvelle "
    "clé, chacun garde son mot de passe, et une nouvelle clé de secours est remise — l'ancienne "
    "n'ouvre plus rien. Les sauvegardes faites avant gardent l'ancienne clé."
)


class _Progress:
    def __init__(self) -> None:
        self.done = 0
        self.total = 0

    def __call__(self, done: int, total: int) -> bool:
        self.done, self.total = done, total
        return True


class RekeyPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.service = RekeyService(session)
        self.recovery: str | None = None
        self.result: RekeyResult | None = None
        #: replaced in tests: where to save the recovery sheet
        self.choose_path: Callable[[], Path | None] = lambda: ask_sheet_path(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(heading("Clé de l'espace", "subtitle"))
        layout.addWidget(WrappingLabel(EXPLANATION))
        row = QHBoxLayout()
        self.start_button = QPushButton("Renouveler la &clé de l'espace…")
        self.start_button.clicked.connect(self.ask)
        row.addWidget(self.start_button)
        row.addStretch(1)
        layout.addLayout(row)

        self.key_box = QWidget()
        box = QVBoxLayout(self.key_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(WrappingLabel(
            "Nouvelle clé de secours — affichée une seule fois. Imprimez la feuille, rangez-la en lieu "
            "sûr, puis recopiez le dernier groupe pour lancer le renouvellement."))
        self.recovery_key = RecoveryKeyBox(
            name="Nouvelle clé de secours", retype_name="Dernier groupe de la nouvelle clé, recopié", point_size=14,
            print_text="Imprimer la &feuille de secours…", on_print=self.save_sheet)
        self.key_label, self.print_button = self.recovery_key.key_label, self.recovery_key.print_button
        self.last_group = self.recovery_key.last_group
        self.last_group.setMaximumWidth(100)
        self.last_group.textChanged.connect(self._check_last_group)
        box.addWidget(self.recovery_key)
        buttons = QHBoxLayout()
        self.run_button = QPushButton("&Renouveler maintenant")
        self.run_button.setObjectName("primary")
        self.run_button.setEnabled(False)
        self.run_button.clicked.connect(self.run)
        self.abandon_button = QPushButton("Abandonner")
        self.abandon_button.clicked.connect(self.abandon)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.abandon_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        layout.addWidget(self.key_box)
        self.key_box.setVisible(False)
        self.message = WrappingLabel("")
        self.message.setAccessibleName("Résultat du renouvellement")
        layout.addWidget(self.message)
        self.error = error_label()
        layout.addWidget(self.error)
        self.progress_window: QProgressDialog | None = None
        self.poll = QTimer(self)
        self.poll.setInterval(100)
        self.poll.timeout.connect(self._show_progress)

    # -- steps -------------------------------------------------------------------------------
    def ask(self) -> None:
        self.error.setText("")
        self.message.setText("")
        confirm(self, "Renouveler la clé de l'espace",
                "Une nouvelle clé de secours va être affichée ; elle remplacera l'ancienne, qui "
                "n'ouvrira plus rien. Continuer ?",
                lambda yes: self.prepare() if yes else None, yes_text="Continuer")

    @ui_action("error")
    def prepare(self) -> None:
        self.recovery = self.service.prepare()
        self.key_label.setText(self.recovery)
        self.last_group.clear()
        self.key_box.setVisible(True)
        self.start_button.setEnabled(False)
        self.last_group.setFocus()

    def abandon(self) -> None:
        self._forget_key()
        self.message.setText("Renouvellement abandonné : rien n'a changé.")

    def _forget_key(self) -> None:
        self.recovery = None
        self.service = RekeyService(self.session)  # drops the drawn key
        self.key_label.setText("")
        self.last_group.clear()
        self.key_box.setVisible(False)
        self.start_button.setEnabled(True)

    def _check_last_group(self) -> None:
        self.run_button.setEnabled(
            self.recovery is not None and self.service.last_group_matches(self.recovery, self.last_group.text()))

    @ui_action("error")
    def save_sheet(self) -> None:
        if self.recovery is None:
            return
        path = self.choose_path()
        if path is None:
            return
        from app.output_files import save_document

        save_document(path, self.service.recovery_sheet(self.recovery),
                      workspace_root=self.session.workspace.root)
        self.message.setText(SHEET_SAVED.format(path=path))

    def run(self) -> None:
        if self.recovery is None or not self.run_button.isEnabled():
            return
        progress = _Progress()
        self._progress = progress
        window = QProgressDialog("Rechiffrement des données avec la nouvelle clé…", "", 0, 1000, self)
        window.setWindowTitle("Renouvellement de la clé de l'espace")
        window.setCancelButton(None)  # cannot be cancelled once started
        window.setWindowModality(Qt.WindowModality.ApplicationModal)
        window.setMinimumDuration(0)
        window.setAutoClose(False)
        window.setValue(0)
        window.show()
        self.progress_window = window
        self.poll.start()
        self.run_button.setEnabled(False)
        self.abandon_button.setEnabled(False)
        service = self.service
        run_in_thread(lambda: service.rekey(progress=progress), self._done, self._failed)

    def _show_progress(self) -> None:
        if self.progress_window is not None and self._progress.total:
            self.progress_window.setValue(int(1000 * self._progress.done / self._progress.total))

    def _finish_window(self) -> None:
        self.poll.stop()
        if self.progress_window is not None:
            self.progress_window.close()
            self.progress_window.deleteLater()
            self.progress_window = None
        self.abandon_button.setEnabled(True)

    def _done(self, result: RekeyResult) -> None:
        self._finish_window()
        self.result = result
        self._forget_key()
        self.message.setText(
            f"Clé de l'espace renouvelée en {result.seconds:.1f} s : {result.files} fichiers rechiffrés, "
            f"{result.accounts} comptes actifs gardent l'accès avec leur mot de passe. L'ancienne clé de "
            "secours n'ouvre plus rien : détruisez l'ancienne feuille. Les sauvegardes faites avant "
            "gardent l'ancienne clé.")

    def _failed(self, exc: BaseException) -> None:
        self._finish_window()
        self._forget_key()
        report_error(exc, self.error.setText, self)
