"""« Sauvegardes » (admin_technique, direction): make, verify, restore, and where (R-9.1, UI.md).

Long work runs in a worker thread with its own connections; the page polls its progress
(never touched from the worker) and offers « Annuler », which stops it cleanly: no file is
left half-written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.backup import (
    BackupCancelled,
    BackupResult,
    BackupService,
    PreparedRestore,
    RestoreResult,
    VerifyResult,
    read_info,
)
from app.errors import KnownError
from app.session import Session
from reports.french import date_time
from ui.dialogs.file_paths import ask_folder, ask_open_path, ask_save_path
from ui.errors import report_error, user_message
from ui.widgets.common import WrappingLabel, error_label, heading
from ui.worker import run_in_thread

FILTER = "Sauvegardes Sillage (*.sillage);;Tous les fichiers (*)"


class Progress:
    """Shared by the worker (writes) and the GUI thread (reads): plain numbers and a flag."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0
        self._cancel = threading.Event()

    def __call__(self, done: int, total: int) -> bool:
        self.done, self.total = done, total
        return not self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class BackupPage(QWidget):
    #: the session's own workspace was replaced by a restore: the session is closed
    workspace_replaced = Signal(str)
    #: a backup was made (the status bar shows its date)
    backup_made = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.service = BackupService(session)
        self.progress: Progress | None = None
        self.busy = False
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Sauvegardes", "subtitle"))
        intro = WrappingLabel(
            "Une sauvegarde contient tous les dossiers et le journal des accès, chiffrés avec la clé "
            "de l'espace : la clé de secours l'ouvre. Gardez-la hors de ce poste (disque externe, "
            "clé USB rangée en lieu sûr) et vérifiez-la de temps en temps.")
        layout.addWidget(intro)
        self.status_label = WrappingLabel("")
        self.status_label.setAccessibleName("Dernière sauvegarde")
        layout.addWidget(self.status_label)
        self.reminder_label = error_label()
        layout.addWidget(self.reminder_label)

        folder_row = QHBoxLayout()
        self.folder_label = WrappingLabel("")
        self.folder_label.setAccessibleName("Dossier de sauvegarde habituel")
        self.choose_folder_button = QPushButton("&Choisir le dossier habituel…")
        self.choose_folder_button.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.choose_folder_button)
        layout.addLayout(folder_row)

        buttons = QHBoxLayout()
        self.make_button = QPushButton("&Faire une sauvegarde…")
        self.make_button.setObjectName("primary")
        self.make_button.clicked.connect(self.ask_make)
        self.verify_button = QPushButton("&Vérifier une sauvegarde…")
        self.verify_button.clicked.connect(self.ask_verify)
        self.restore_button = QPushButton("&Restaurer une sauvegarde…")
        self.restore_button.clicked.connect(self.ask_restore)
        for button in (self.make_button, self.verify_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        work = QHBoxLayout()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName("Avancement")
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.clicked.connect(self.cancel)
        work.addWidget(self.bar, 1)
        work.addWidget(self.cancel_button)
        layout.addLayout(work)
        self.bar.setVisible(False)
        self.cancel_button.setVisible(False)
        self.message = WrappingLabel("")
        self.message.setAccessibleName("Résultat")
        layout.addWidget(self.message)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.poll = QTimer(self)
        self.poll.setInterval(100)
        self.poll.timeout.connect(self._show_progress)
        self.refresh()

    # -- state -----------------------------------------------------------------------------
    def refresh(self) -> None:
        status = self.service.status()
        if status.last_at is None:
            self.status_label.setText("Aucune sauvegarde n'a encore été faite.")
        else:
            where = f" dans « {status.last_path} »" if status.last_path else ""
            self.status_label.setText(
                f"Dernière sauvegarde : le {date_time(status.last_at, at=True)} (UTC){where}.")
        self.reminder_label.setText(status.reminder or "")
        folder = self.service.folder()
        self.folder_label.setText(
            f"Dossier habituel : « {folder} » (une sauvegarde y est faite automatiquement à la "
            "connexion quand la dernière a plus de 7 jours)." if folder else
            "Aucun dossier habituel : choisissez-en un pour les sauvegardes automatiques.")

    def _set_busy(self, busy: bool, cancellable: bool = True) -> None:
        self.busy = busy
        for button in (self.make_button, self.verify_button, self.restore_button, self.choose_folder_button):
            button.setEnabled(not busy)
        self.bar.setVisible(busy)
        self.cancel_button.setVisible(busy and cancellable)
        self.cancel_button.setEnabled(True)
        if busy:
            self.bar.setValue(0)
            self.poll.start()
        else:
            self.poll.stop()

    def _show_progress(self) -> None:
        if self.progress is not None and self.progress.total:
            self.bar.setValue(int(1000 * self.progress.done / self.progress.total))

    def cancel(self) -> None:
        if self.progress is not None:
            self.progress.cancel()
            self.cancel_button.setEnabled(False)
            self.message.setText("Annulation en cours…")

    def _run(self, job: Callable[[Progress], Any], done: Callable[[Any], None],
             refused: Callable[[BaseException], None] | None = None) -> None:
        progress = Progress()
        self.progress = progress
        self.error.setText("")
        self.message.setText("")
        self._set_busy(True)

        def ok(result: Any) -> None:
            self._set_busy(False)
            self.progress = None
            done(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.progress = None
            if isinstance(exc, BackupCancelled):
                self.message.setText(exc.message)
            else:
                report_error(exc, self.error.setText, self)
            if refused is not None:
                refused(exc)

        run_in_thread(lambda: job(progress), ok, failed)

    # -- usual folder ------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = ask_folder(self, "Dossier de sauvegarde habituel", self.service.folder())
        if folder:
            self.set_folder(folder)

    def set_folder(self, folder: Path | None) -> None:
        try:
            self.service.set_folder(folder)
        except KnownError as exc:
            self.error.setText(exc.message)
            return
        self.error.setText("")
        self.refresh()

    # -- make ---------------------------------------------------------------------------------
    def ask_make(self) -> None:
        suggested = self.service.default_target() or Path.home() / "sillage.sillage"
        target = ask_save_path(self, "Enregistrer la sauvegarde", suggested, FILTER)
        if target:
            # The file dialog asked before replacing an existing file.
            self.make(target, force=True)

    def make(self, target: Path, *, force: bool = False) -> None:
        try:
            job = self.service.prepare_create(target, force=force)
        except KnownError as exc:
            self.error.setText(exc.message)
            return
        self.message.setText("Sauvegarde en cours : vous pouvez continuer à travailler.")

        def done(result: BackupResult) -> None:
            if not self.session.is_open:
                return  # locked meanwhile: the file is whole, the next status will say so
            self.service.record_created(result)
            self.message.setText(result.message)
            self.refresh()
            self.backup_made.emit(self.service.status().short)

        self._run(job, done)

    # -- verify --------------------------------------------------------------------------------
    def ask_verify(self) -> None:
        path = ask_open_path(self, "Vérifier une sauvegarde", self.service.folder() or Path.home(), FILTER)
        if path:
            self.verify(path)

    def verify(self, path: Path) -> None:
        try:
            job = self.service.prepare_verify(path)
        except KnownError as exc:
            self.error.setText(exc.message)
            return

        def done(result: VerifyResult) -> None:
            if self.session.is_open:
                self.service.record_verified(result)
            self.message.setText(result.message)

        def refused(exc: BaseException) -> None:
            if isinstance(exc, KnownError) and not isinstance(exc, BackupCancelled) and self.session.is_open:
                self.service.record_verified(None)

        self._run(job, done, refused)

    # -- restore -------------------------------------------------------------------------------
    def ask_restore(self) -> None:
        path = ask_open_path(self, "Restaurer une sauvegarde", self.service.folder() or Path.home(), FILTER)
        if not path:
            return
        try:
            info = read_info(path)
        except KnownError as exc:
            self.error.setText(exc.message)
            return
        answer = QMessageBox.question(
            self, "Restaurer une sauvegarde",
            f"Remplacer l'espace de travail par la sauvegarde du {date_time(info.created_at, at=True)} (UTC) ?\n\n"
            "L'espace actuel est conservé à côté, sous un autre nom ; rien n'est effacé. Ce qui a été "
            "saisi depuis cette sauvegarde n'apparaîtra plus. Vous devrez vous reconnecter.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(path)

    def restore(self, path: Path) -> None:
        """Restore over this workspace (after the confirmation): built in the background while
        the session stays open, then the session is closed and the folders swapped."""
        try:
            build, finish = self.service.prepare_restore(path, self.session.workspace.root, force=True)
        except KnownError as exc:
            self.error.setText(exc.message)
            return

        def done(prepared: PreparedRestore) -> None:
            if not self.session.is_open:
                prepared.abandon()  # locked meanwhile: nothing replaced
                return
            try:
                result: RestoreResult = finish(prepared)
            except KnownError as exc:
                prepared.abandon()
                self.error.setText(exc.message)
                return
            self.workspace_replaced.emit(result.message)

        self._run(build, done)



def start_automatic_backup(session: Session, show_status: Callable[[str], None],
                           show_message: Callable[[str, int], None]) -> Progress | None:
    """At login, for a profile with the backup right: when the usual folder is set and reachable
    and the last backup is older than 7 days, make one in the background (R-9.1). Returns its
    progress (to cancel it at lock or logout), or None when nothing is due."""
    service = BackupService(session)
    target = service.automatic_target()
    if target is None:
        return None
    try:
        job = service.prepare_create(target)
    except KnownError as exc:
        show_message(f"Sauvegarde automatique impossible : {exc.message}", 15000)
        return None
    progress = Progress()
    show_message("Sauvegarde automatique en cours…", 0)

    def done(result: BackupResult) -> None:
        if not session.is_open:
            return
        service.record_created(result)
        show_status(service.status().short)
        show_message(f"Sauvegarde automatique faite : « {result.info.path.name} ».", 15000)

    def failed(exc: BaseException) -> None:
        if session.is_open and not isinstance(exc, BackupCancelled):
            show_message(f"Sauvegarde automatique impossible : {user_message(exc)}", 30000)

    run_in_thread(lambda: job(progress), done, failed)
    return progress


__all__ = ["BackupPage", "Progress", "start_automatic_backup"]
