"""Starting the GUI: the QApplication, the French translation, the style, the error hook, then
either the welcome window (no workspace yet) or the session controller of the workspace."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.errors import KnownError
from app.workspace import Workspace, resolve_workspace
from ui.gc_guard import GuiThreadCollector
from ui.i18n import install_french
from ui.session_controller import SessionController
from ui.style import STYLESHEET


def run_gui(workspace_arg: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Sillage")
    app.setStyleSheet(STYLESHEET)
    install_french(app)
    collector = GuiThreadCollector(app)  # noqa: F841 - lives as long as the application
    from ui.errors import install_excepthook

    install_excepthook()  # a bug anywhere in the GUI: its report and the dialog
    root = resolve_workspace(workspace_arg)
    workspace = Workspace(root)
    if not workspace.exists():
        return _welcome(app, root, workspace_arg)
    return _open(app, workspace)


def _welcome(app: QApplication, root: Path, workspace_arg: str | None) -> int:
    """No workspace yet: offer the demonstration (in the given folder, else its own folder)."""
    from app.workspace import default_demo_workspace
    from ui.windows.welcome import WelcomeWindow

    welcome = WelcomeWindow(root, Path(workspace_arg).resolve() if workspace_arg else default_demo_workspace())
    state: dict[str, QObject] = {}

    def open_demo(path: Path) -> None:
        welcome.hide()
        demo = Workspace(path)
        from ui.errors import run_action

        if not run_action(demo.acquire):
            app.quit()
            return
        controller = SessionController(demo)
        state["controller"] = controller
        app.aboutToQuit.connect(controller.shutdown)
        controller.start()

    def first_run() -> None:
        from ui.windows.first_run import FirstRunWizard

        welcome.hide()
        wizard = FirstRunWizard(Workspace(root))
        state["wizard"] = wizard

        def created(path: Path) -> None:
            wizard.hide()
            open_demo(path)

        wizard.created.connect(created)
        wizard.show()

    welcome.open_workspace.connect(open_demo)
    welcome.create_workspace.connect(first_run)
    welcome.show()
    if os.environ.get("SILLAGE_SCREENSHOT"):
        def shoot() -> None:
            welcome.grab().save(os.environ["SILLAGE_SCREENSHOT"])
            app.quit()

        QTimer.singleShot(500, shoot)
    return int(app.exec())


def _open(app: QApplication, workspace: Workspace) -> int:
    try:
        workspace.acquire()
    except KnownError as exc:  # a bug goes on to the command line's boundary
        from ui.errors import user_message

        print(user_message(exc), file=sys.stderr)
        if not os.environ.get("SILLAGE_SCREENSHOT"):
            QMessageBox.critical(None, "Sillage", user_message(exc))
        return 1
    controller = SessionController(workspace)
    controller.start()
    app.aboutToQuit.connect(controller.shutdown)
    if os.environ.get("SILLAGE_SCREENSHOT"):
        _screenshot_and_quit(app, controller, Path(os.environ["SILLAGE_SCREENSHOT"]))
    return int(app.exec())


def _screenshot_and_quit(app: QApplication, controller: SessionController, path: Path) -> None:
    """Used by the packaging smoke test and by developers looking at the window."""

    def shoot() -> None:
        controller.login.grab().save(str(path))
        app.quit()

    QTimer.singleShot(500, shoot)
