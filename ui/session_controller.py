"""The controller of one workspace's windows, from login to lock and logout.

Login → (change of a provisional password) → (charter at first login) → main window.
Idle, Ctrl+L, screen lock or suspend → lock: connections closed, key dropped, every view
destroyed, dialogs closed, our clipboard content cleared (R-3.8).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from app.auth.idle import IdleTracker
from app.auth.service import AccountService
from app.journal.events import Action
from app.session import Session
from app.session_overview import session_overview
from app.settings import lock_delay_seconds
from app.workspace import Workspace
from ui.clipboard_guard import ClipboardGuard
from ui.dialogs.auth.change_password import ChangePassword
from ui.dialogs.auth.charter import Charter
from ui.idle import IdleWatcher, qt_timer_factory
from ui.os_lock import OsLockWatcher
from ui.windows.lock_screen import LockScreen
from ui.windows.login_window import LoginWindow
from ui.windows.main_window import MainWindow


class SessionController(QObject):
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
        self._close_lock_screen()
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

    def _show_main(self, session: Session) -> None:
        from ui.pages import build_pages  # the pages only once someone is in: a quick login window

        info = session_overview(session)
        self.main = MainWindow(info, build_pages(info.sections, session))
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
                    confirm_date=session.today())

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
        self._close_lock_screen()
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
        self._close_lock_screen()  # nothing of the workspace stays on screen
        self.workspace.release()

    def _close_lock_screen(self) -> None:
        if self.lock_screen is not None:
            self.lock_screen.close()
            self.lock_screen.deleteLater()
            self.lock_screen = None
