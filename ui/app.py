"""GUI entry point: workspace → login window → main window; lock returns to the login."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.session import Session
from app.shell import shell_info
from app.workspace import Workspace, resolve_workspace
from ui.style import STYLESHEET
from ui.windows.login_window import LoginWindow
from ui.windows.main_window import MainWindow

SECTION_LABELS = {
    "jeunes": "Jeunes",
    "a_traiter": "À traiter",
    "archives": "Archives",
    "journal": "Journal",
    "comptes": "Comptes",
    "parametres": "Paramètres",
}


class Controller(QObject):
    """Owns the windows of one workspace; knows nothing of the database."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.session: Session | None = None
        self.main: MainWindow | None = None
        self.login = LoginWindow(workspace)
        self.login.logged_in.connect(self.on_logged_in)

    def start(self) -> None:
        self.login.show()

    def build_pages(self, session: Session) -> list[tuple[str, str, QWidget]]:
        from ui.pages import page_for

        info = shell_info(session)
        pages: list[tuple[str, str, QWidget]] = []
        for key in info.sections:
            widget = page_for(key, session)
            if widget is not None:
                pages.append((key, SECTION_LABELS[key], widget))
        return pages

    def on_logged_in(self, session: Session) -> None:
        self.session = session
        self.main = MainWindow(shell_info(session), self.build_pages(session))
        self.main.lock_requested.connect(self.lock)
        self.login.hide()
        self.main.show()

    def lock(self) -> None:
        if self.session is not None:
            from app.journal.events import Action

            self.session.close(reason=Action.VERROUILLAGE)
            self.session = None
        if self.main is not None:
            self.main.close()
            self.main.deleteLater()
            self.main = None
        self.login.reset()
        self.login.show()

    def shutdown(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None
        self.workspace.release()


def run_gui(workspace_arg: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Sillage")
    app.setStyleSheet(STYLESHEET)
    root = resolve_workspace(workspace_arg)
    workspace = Workspace(root)
    if not workspace.exists():
        box = QMessageBox()
        box.setWindowTitle("Sillage")
        box.setText(
            f"Aucun espace de travail dans « {root} ».\n\n"
            "Pour essayer Sillage, créez l'espace de démonstration :\n"
            "    sillage demo\npuis ouvrez-le avec : sillage --workspace <dossier affiché>"
        )
        box.exec()
        return 1
    try:
        workspace.acquire()
    except Exception as exc:  # noqa: BLE001
        from ui.errors import user_message

        QMessageBox.critical(None, "Sillage", user_message(exc))
        return 1
    controller = Controller(workspace)
    controller.start()
    app.aboutToQuit.connect(controller.shutdown)
    if os.environ.get("SILLAGE_SCREENSHOT"):
        _screenshot_and_quit(app, controller, Path(os.environ["SILLAGE_SCREENSHOT"]))
    return int(app.exec())


def _screenshot_and_quit(app: QApplication, controller: Controller, path: Path) -> None:
    """Used by the smoke test of the frozen app and by developers looking at the window."""
    from PySide6.QtCore import QTimer

    def shoot() -> None:
        controller.login.grab().save(str(path))
        app.quit()

    QTimer.singleShot(500, shoot)


