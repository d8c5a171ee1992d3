"""Lock Sillage when the operating system locks the screen or suspends (R-3.8), where it tells us.

Linux: the session bus ScreenSaver ``ActiveChanged(true)`` and logind ``PrepareForSleep(true)``.
Windows: ``WM_WTSSESSION_CHANGE`` / ``WTS_SESSION_LOCK`` and ``WM_POWERBROADCAST`` /
``PBT_APMSUSPEND`` through a native event filter. Elsewhere, or without a bus, nothing is
reported and the idle lock still applies.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QObject, Signal, Slot

WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4


class OsLockWatcher(QObject):
    locked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self._filter: Any = None
        if sys.platform.startswith("linux"):
            self._connect_dbus()
        elif sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
            self._install_windows_filter()

    @Slot(bool)
    def on_screensaver_active(self, active: bool) -> None:
        if active:
            self.locked.emit()

    @Slot(bool)
    def on_prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.locked.emit()

    def _connect_dbus(self) -> None:
        with contextlib.suppress(ImportError):
            from PySide6.QtCore import SLOT
            from PySide6.QtDBus import QDBusConnection

            session = QDBusConnection.sessionBus()
            if session.isConnected():
                for service, path, interface in (
                    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
                    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
                ):
                    # stub gap: PySide6's stubs lack connect(..., QObject, slot signature)
                    if session.connect(service, path, interface, "ActiveChanged", self,  # type: ignore[call-overload]
                                       SLOT("on_screensaver_active(bool)")):
                        self.sources.append(interface)
            system = QDBusConnection.systemBus()
            if system.isConnected() and system.connect(  # type: ignore[call-overload]  # stub gap, as above
                "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                "PrepareForSleep", self, SLOT("on_prepare_for_sleep(bool)"),
            ):
                self.sources.append("login1")

    def _install_windows_filter(self) -> None:  # pragma: no cover - Windows only
        from PySide6.QtCore import QCoreApplication

        watcher = self

        class _Filter(QAbstractNativeEventFilter):
            def nativeEventFilter(self, event_type: Any, message: Any) -> Any:
                import ctypes
                from ctypes import wintypes

                if bytes(event_type) in (b"windows_generic_MSG", b"windows_dispatcher_MSG"):
                    msg = wintypes.MSG.from_address(int(message))
                    if (msg.message == WM_WTSSESSION_CHANGE and msg.wParam == WTS_SESSION_LOCK) or (
                            msg.message == WM_POWERBROADCAST and msg.wParam == PBT_APMSUSPEND):
                        watcher.locked.emit()
                _ = ctypes
                return False, 0

        self._filter = _Filter()
        app = QCoreApplication.instance()
        if app is not None:
            app.installNativeEventFilter(self._filter)
            self.sources.append("windows")

    def register_window(self, win_id: int) -> None:  # pragma: no cover - Windows only
        """Windows sends session-lock messages only to windows that asked for them."""
        if sys.platform == "win32":
            with contextlib.suppress(OSError, AttributeError):
                import ctypes

                ctypes.windll.wtsapi32.WTSRegisterSessionNotification(win_id, 0)
