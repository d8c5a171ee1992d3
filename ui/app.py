"""GUI entry point and the controller of one workspace's windows.

Login → (change of a provisional password) → (charter at first login) → main window.
Idle, Ctrl+L, screen lock or suspend → lock: connections closed, key dropped, every view
destroyed, dialogs closed, our clipboard content cleared (R-3.8).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app.auth.idle import IdleTracker
from app.auth.service import AccountService
from app.errors import KnownError
from app.journal.events import Action
from app.session import Session
from app.session_overview import session_overview
from app.settings import lock_delay_seconds
from app.workspace import Workspace, resolve_workspace
from ui.dialogs.auth.change_password import ChangePassword
from ui.dialogs.auth.charter import Charter
from ui.gc_guard import GuiThreadCollector
from ui.i18n import install_french
from ui.idle import IdleWatcher, qt_timer_factory
from ui.os_lock import OsLockWatcher
from ui.style import STYLESHEET
from ui.windows.lock_screen import LockScreen
from ui.windows.login_window import LoginWindow
from ui.windows.main_window import MainWindow

SECTION_LABELS = {
    "jeunes": "Jeunes",
    "a_traiter": "À traiter",
    "archives": "Archives",
    "droits": "Droits",
    "journal": "Journal",
    "documents": "Documents",
    "comptes": "Comptes",
    "sauvegardes": "Sauvegardes",
    "parametres": "Paramètres",
}


class Controller(QObject):
    """Owns the windows of one workspace; knows nothing of the database."""

    def __init__(self, workspace: Workspace,
                 timer_factory: Callable[[QObject], QTimer] = qt_timer_factory) -> None:
        super().__init__()
        self.workspace = workspace
        self.session: Session | None = None
        self.main: MainWindow | None = None
        self.lock_screen: LockScreen | None = None
        self.dialog: QDialog | None = None
        self.locked_user: tuple[str, str] | None = None
        self.login = LoginWindow(workspace)
        self.login.logged_in.connect(self.on_logged_in)
        self.clipboard_guard = ClipboardGuard()
        self.os_lock = OsLockWatcher()
        self.os_lock.locked.connect(self._os_locked)
        self.watcher = IdleWatcher(IdleTracker(workspace.context.clock), timer_factory)
        # Journal expiry runs at every login and then once a day, the seal every hour.
        self.daily = timer_factory(self)
        self.daily.timeout.connect(self.daily_tasks)
        self.watcher.lock.connect(self.lock)
        self.watcher.warn.connect(self._warn)
        self.watcher.active.connect(self._clear_warning)
        self.watcher.remaining.connect(self._countdown)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.watcher)
            if isinstance(app, QGuiApplication):
                app.applicationStateChanged.connect(self._app_state)

    def start(self) -> None:
        self.login.show()

    # -- login sequence --------------------------------------------------------------------
    def on_logged_in(self, session: Session) -> None:
        self.session = session
        self.login.hide()
        if self.lock_screen is not None:
            self.lock_screen.close()
            self.lock_screen.deleteLater()
            self.lock_screen = None
        self.watcher.tracker.idle_seconds = lock_delay_seconds(session)
        self.watcher.start()
        self.daily.start(3600 * 1000)
        self._next_step()

    def _next_step(self) -> None:
        session = self.session
        if session is None:
            return
        accounts = AccountService(session)
        if session.user.must_change_password:
            dialog = ChangePassword(accounts.change_own_password, login=session.user.login,
                                    name=session.user.display_name)
            self._open_dialog(dialog, self._next_step, self.logout)
            return
        if not session.user.charter_accepted:
            charter = Charter()

            def accepted() -> None:
                accounts.accept_charter()
                self._next_step()

            self._open_dialog(charter, accepted, self.logout)
            return
        self._show_main(session)

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None],
                     on_reject: Callable[[], None]) -> None:
        self.dialog = dialog

        def finished(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()
            if self.session is None:
                return  # locked meanwhile
            (on_accept if result == QDialog.DialogCode.Accepted else on_reject)()

        dialog.finished.connect(finished)
        dialog.open()

    def build_pages(self, session: Session) -> list[tuple[str, str, QWidget]]:
        from ui.pages import page_for

        pages: list[tuple[str, str, QWidget]] = []
        for key in session_overview(session).sections:
            widget = page_for(key, session)
            if widget is not None:
                pages.append((key, SECTION_LABELS[key], widget))
        return pages

    def _show_main(self, session: Session) -> None:
        self.main = MainWindow(session_overview(session), self.build_pages(session))
        self.main.lock_requested.connect(self.lock)
        self.main.logout_requested.connect(self.logout)
        self.main.change_password_requested.connect(self.change_password)
        if sys.platform == "win32":  # pragma: no cover - session-lock messages need a window
            self.os_lock.register_window(int(self.main.winId()))
        self.main.stay_requested.connect(self.watcher.stay)
        self._connect_backups(session)
        self.main.show()
        self._check_database(session)
        self._ask_clock_date(session)

    def _ask_clock_date(self, session: Session) -> None:
        """R-5.7: when the clock is outside its trusted bounds, a director confirms the date."""
        from app.auth.permissions import Right, has_right

        rotation = session.workspace.last_rotation
        if (self.main is None or rotation is None or not rotation.needs_confirmation
                or not has_right(session.user.profile, Right.ROTATE_JOURNAL)):
            return
        from ui.dialogs.ask import confirm

        def answer(yes: bool) -> None:
            if not yes or self.session is not session:
                return
            from app.journal.service import JournalService
            from ui.errors import run_action

            def rotate() -> None:
                session.workspace.last_rotation = JournalService(session).rotate(
                    confirm_date=session.clock.now().date())

            run_action(rotate, parent=self.main)

        confirm(self.main, "Date de l'ordinateur", rotation.message, answer, yes_text="Confirmer la date")

    # -- backups (R-9.1) --------------------------------------------------------------------------
    def _connect_backups(self, session: Session) -> None:
        from ui.windows.backup_page import BackupPage, start_automatic_backup

        main = self.main
        if main is None:
            return
        for index in range(main.pages.count()):
            page = main.pages.widget(index)
            if isinstance(page, BackupPage):
                page.workspace_replaced.connect(self._after_restore)
                page.backup_made.connect(main.set_backup_status)
        self.automatic_backup = start_automatic_backup(session, main.set_backup_status,
                                                       main.statusBar().showMessage)

    def _after_restore(self, message: str) -> None:
        """The workspace was replaced by a restore (the session is closed): log in again."""
        self.logout()
        self.login._show_error(message + " Reconnectez-vous.")

    def change_password(self) -> None:
        """Change one's own password from the user menu (not only after a reset)."""
        session = self.session
        if session is None or self.main is None:
            return
        dialog = ChangePassword(AccountService(session).change_own_password, login=session.user.login,
                                name=session.user.display_name, voluntary=True, parent=self.main)

        def done() -> None:
            if self.main is not None:
                self.main.statusBar().showMessage("Votre mot de passe a été changé.", 8000)

        self._open_dialog(dialog, done, lambda: None)

    def _check_database(self, session: Session) -> None:
        """Full integrity check of the main database, off the GUI thread (R-2.4)."""
        from ui.worker import run_in_thread

        def done(ok: bool) -> None:
            if self.main is not None and self.session is session:
                self.main.set_database_status(ok)

        def failed(_: BaseException) -> None:
            done(False)

        run_in_thread(session.check_database, done, failed)

    # -- lock ------------------------------------------------------------------------------
    def daily_tasks(self) -> None:
        if self.session is not None:
            from app.journal.service import periodic_tasks

            periodic_tasks(self.session)  # hourly seal, daily expiry

    def _warn(self, seconds: int) -> None:
        if self.main is not None:
            self.main.show_lock_warning(seconds)

    def _countdown(self, seconds: int) -> None:
        if self.main is not None:
            self.main.set_lock_countdown(seconds)

    def _clear_warning(self) -> None:
        if self.main is not None:
            self.main.hide_lock_warning()

    def _os_locked(self) -> None:
        if self.session is not None:
            self.lock()

    def _app_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended and self.session is not None:
            self.lock()

    def lock(self) -> None:
        session = self.session
        if session is None:
            return
        self.watcher.stop()
        self.daily.stop()
        self.locked_user = (session.user.login, session.user.display_name)
        self._teardown(Action.VERROUILLAGE)
        self.lock_screen = LockScreen(
            self.locked_user[0], self.locked_user[1], self.workspace.login,
            is_demo=self.workspace.is_demo())
        self.lock_screen.unlocked.connect(self.on_logged_in)
        self.lock_screen.switch_user.connect(self.switch_user)
        self.lock_screen.show()

    def _teardown(self, reason: Action) -> None:
        """Close connections, drop the key, destroy every view and dialog, clear our clipboard."""
        automatic = getattr(self, "automatic_backup", None)
        if automatic is not None:
            automatic.cancel()  # stops cleanly: no half-written file
            self.automatic_backup = None
        session, self.session = self.session, None
        if session is not None:
            session.close(reason=reason)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            for widget in app.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()
            self.clipboard_guard.clear_if_ours()
        self.dialog = None
        if self.main is not None:
            self.main.hide()
            self.main.close()
            self.main.deleteLater()
            self.main = None

    def switch_user(self) -> None:
        if self.lock_screen is not None:
            self.lock_screen.close()
            self.lock_screen.deleteLater()
            self.lock_screen = None
        self.locked_user = None
        self.login.reset(clear_login=True)
        self.login.show()

    def logout(self) -> None:
        self.watcher.stop()
        self._teardown(Action.DECONNEXION)
        self.login.reset()
        self.login.show()

    def shutdown(self) -> None:
        from ui.worker import wait_all

        wait_all(10000)  # no job may outlive the session it uses
        self.watcher.stop()
        if self.session is not None:
            self._teardown(Action.DECONNEXION)
        self.workspace.release()


class ClipboardGuard(QObject):
    """Remembers (as hashes) texts put on the clipboard while Sillage has the focus, so that a
    lock clears the clipboard only if it still holds text copied from Sillage (R-3.8)."""

    def __init__(self) -> None:
        super().__init__()
        self._ours: set[bytes] = set()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.clipboard().dataChanged.connect(self._changed)

    @staticmethod
    def _digest(text: str) -> bytes:
        import hashlib

        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def _changed(self) -> None:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        clipboard = app.clipboard()
        if clipboard.ownsClipboard() or app.focusWidget() is not None or app.activeWindow() is not None:
            text = clipboard.text()
            if text:
                self._ours.add(self._digest(text))

    def clear_if_ours(self) -> None:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        clipboard = app.clipboard()
        text = clipboard.text()
        if text and (clipboard.ownsClipboard() or self._digest(text) in self._ours):
            clipboard.clear()
        self._ours.clear()


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
        controller = Controller(demo)
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
    controller = Controller(workspace)
    controller.start()
    app.aboutToQuit.connect(controller.shutdown)
    if os.environ.get("SILLAGE_SCREENSHOT"):
        _screenshot_and_quit(app, controller, Path(os.environ["SILLAGE_SCREENSHOT"]))
    return int(app.exec())


def _screenshot_and_quit(app: QApplication, controller: Controller, path: Path) -> None:
    """Used by the packaging smoke test and by developers looking at the window."""

    def shoot() -> None:
        controller.login.grab().save(str(path))
        app.quit()

    QTimer.singleShot(500, shoot)
