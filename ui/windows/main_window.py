"""The main window: header, sidebar of what the profile may use, pages, status bar (UI.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.session_overview import SessionOverview
from ui.icons import lock_icon
from ui.shortcuts import shortcut
from ui.widgets.common import heading

#: the page's name without its badge, kept on the sidebar item
BASE_LABEL = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class OpenPage:
    """A sidebar page built for the session (``ui/pages.py`` builds them)."""

    key: str
    title: str
    widget: QWidget
    #: the widget is a ``BadgedPage``: its count follows its title in the sidebar
    badge: bool = False


class BadgedPage(Protocol):
    count_changed: SignalInstance
    badge_count: int


class MainWindow(QMainWindow):
    lock_requested = Signal()
    logout_requested = Signal()
    stay_requested = Signal()
    change_password_requested = Signal()

    def __init__(self, info: SessionOverview, pages: list[OpenPage] | None = None) -> None:
        super().__init__()
        self.info = info
        self.setWindowTitle(f"Sillage · {info.org_name}")
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.demo_band = QLabel("DONNÉES FICTIVES — démonstration")
        self.demo_band.setObjectName("demoBand")
        self.demo_band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_band.setAccessibleName("Espace de démonstration : données fictives")
        self.demo_band.setVisible(info.is_demo)
        outer.addWidget(self.demo_band)

        # Non-modal warning 30 s before an idle lock (UI.md), with « Rester connecté ».
        self.lock_warning = QWidget()
        self.lock_warning.setObjectName("lockWarning")
        warn_layout = QHBoxLayout(self.lock_warning)
        warn_layout.setContentsMargins(12, 4, 12, 4)
        self.lock_warning_label = QLabel("")
        self.lock_warning_label.setAccessibleName("Avertissement de verrouillage")
        self.stay_button = QPushButton("Rester connecté")
        self.stay_button.clicked.connect(self.stay_requested.emit)
        warn_layout.addWidget(self.lock_warning_label, 1)
        warn_layout.addWidget(self.stay_button)
        self.lock_warning.setVisible(False)
        outer.addWidget(self.lock_warning)

        # at login, the director sees how many dossiers wait for a retention decision
        self.retention_notice = QWidget()
        self.retention_notice.setObjectName("retentionNotice")
        notice_layout = QHBoxLayout(self.retention_notice)
        notice_layout.setContentsMargins(12, 4, 12, 4)
        self.retention_notice_label = QLabel("")
        self.retention_notice_label.setAccessibleName("Dossiers à traiter")
        self.retention_notice_label.setWordWrap(True)
        self.retention_open = QPushButton("Voir « À traiter »")
        self.retention_open.clicked.connect(self._open_retention)
        self.retention_dismiss = QPushButton("Plus tard")
        self.retention_dismiss.setAccessibleName("Masquer ce rappel")
        self.retention_dismiss.clicked.connect(lambda: self.retention_notice.setVisible(False))
        notice_layout.addWidget(self.retention_notice_label, 1)
        notice_layout.addWidget(self.retention_open)
        notice_layout.addWidget(self.retention_dismiss)
        self.retention_notice.setVisible(False)
        outer.addWidget(self.retention_notice)

        header = QHBoxLayout()
        header.setContentsMargins(12, 8, 12, 8)
        header.addWidget(heading(f"Sillage · {info.org_name}"))
        header.addStretch(1)
        self.header_right = QHBoxLayout()
        header.addLayout(self.header_right)
        # The user menu (UI.md): who is connected, and what they can do with their session.
        self.user_button = QToolButton()
        self.user_button.setText(f"{info.user_name} — {info.profile_label} ▾")
        self.user_button.setAccessibleName(f"Menu de l'utilisateur connecté : {info.user_name}")
        self.user_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.user_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.user_menu = QMenu(self.user_button)
        self.user_menu.addAction("Changer mon mot de passe…", self.change_password_requested.emit)
        self.user_menu.addAction("Verrouiller\tCtrl+L", self.lock_requested.emit)
        self.user_menu.addSeparator()
        self.user_menu.addAction("Se déconnecter", self.logout_requested.emit)
        self.user_button.setMenu(self.user_menu)
        header.addWidget(self.user_button)
        self.lock_button = QPushButton("Verrouiller")
        self.lock_button.setIcon(lock_icon())
        self.lock_button.setToolTip("Verrouiller la session (Ctrl+L)")
        self.lock_button.setAccessibleName("Verrouiller la session")
        self.lock_button.clicked.connect(self.lock_requested.emit)
        header.addWidget(self.lock_button)
        outer.addLayout(header)

        body = QHBoxLayout()
        body.setSpacing(0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Navigation")
        self.sidebar.setFixedWidth(190)
        self.pages = QStackedWidget()
        body.addWidget(self.sidebar)
        body.addWidget(self.pages, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        for page in pages or []:
            self.add_page(page)
        if not pages:
            empty = QLabel("Aucune rubrique n'est ouverte à votre profil.")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.pages.addWidget(empty)
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.setCurrentRow(0)

        self.status = self.statusBar()
        self.status_workspace = QLabel(info.workspace_label)
        self.status_workspace.setToolTip(info.workspace_path)
        self.status_workspace.setAccessibleDescription(info.workspace_path)
        self.status.addWidget(self.status_workspace)
        self.status_backup = QLabel("")
        self.status_backup.setAccessibleName("Dernière sauvegarde")
        self.status.addWidget(self.status_backup)
        self.set_backup_status(info.backup_status, info.backup_reminder)
        self.status_database = QLabel("Base : vérification…")
        self.status.addPermanentWidget(self.status_database)
        self.status_journal = QLabel(info.journal_status)
        self.status.addPermanentWidget(self.status_journal)
        self.status_lock = QLabel("")
        self.status_lock.setAccessibleName("Temps avant le verrouillage automatique")
        self.status_lock.ensurePolished()  # the style sheet's font, for the width below
        widest = self.status_lock.fontMetrics().horizontalAdvance("Verrouillage dans 15:00")
        self.status_lock.setMinimumWidth(widest + 8)
        self.status.addPermanentWidget(self.status_lock)

        self.show_retention_count(info.retention_due)
        shortcut("Ctrl+L", self, self.lock_requested.emit)
        self.resize(1200, 760)

    def show_retention_count(self, count: int) -> None:
        """« 12 dossiers sont à traiter… » under the demo band, until seen or put off (R-6.2)."""
        if count <= 0 or "a_traiter" not in self.page_keys():
            self.retention_notice.setVisible(False)
            return
        self.retention_notice_label.setText(
            f"{count} dossier{'s sont' if count > 1 else ' est'} à traiter : leur durée de conservation "
            "arrive à son terme ou est dépassée. Rien n'est supprimé ni gardé sans votre décision.")
        self.retention_notice.setVisible(True)

    def _open_retention(self) -> None:
        self.show_page("a_traiter")
        self.retention_notice.setVisible(False)

    def set_backup_status(self, text: str, reminder: str | None = None) -> None:
        """« Sauvegarde : 23/11/2026 »; past 7 days, the reminder in the error style (R-9.1)."""
        self.status_backup.setText(f"{text} — à refaire" if reminder else text)
        self.status_backup.setToolTip(reminder or "")
        self.status_backup.setObjectName("error" if reminder else "")
        self.status_backup.style().unpolish(self.status_backup)
        self.status_backup.style().polish(self.status_backup)

    def set_lock_countdown(self, seconds: int) -> None:
        self.status_lock.setText(f"Verrouillage dans {seconds // 60}:{seconds % 60:02d}")

    def set_database_status(self, ok: bool) -> None:
        if ok:
            self.status_database.setText("Base : intègre")
        else:
            self.status_database.setText("Base : ANOMALIE — faites vérifier une sauvegarde")
            self.status_database.setObjectName("error")
            self.status_database.style().unpolish(self.status_database)
            self.status_database.style().polish(self.status_database)

    def show_lock_warning(self, seconds: int) -> None:
        self.lock_warning_label.setText(
            f"Sans activité, la session sera verrouillée dans {seconds} s. "
            "Les saisies non enregistrées seront perdues.")
        self.lock_warning.setVisible(True)

    def hide_lock_warning(self) -> None:
        self.lock_warning.setVisible(False)

    def add_page(self, page: OpenPage) -> None:
        item = QListWidgetItem(page.title)
        item.setData(Qt.ItemDataRole.UserRole, page.key)
        item.setData(BASE_LABEL, page.title)
        self.sidebar.addItem(item)
        self.pages.addWidget(page.widget)
        if page.badge:  # « À traiter (3) » (UI.md)
            widget = cast(BadgedPage, page.widget)
            widget.count_changed.connect(lambda count, key=page.key: self.set_badge(key, count))
            self.set_badge(page.key, widget.badge_count)

    def set_badge(self, key: str, count: int) -> None:
        """The count after the page's name in the sidebar; nothing when there is nothing to do."""
        keys = self.page_keys()
        if key not in keys:
            return
        item = self.sidebar.item(keys.index(key))
        base = item.data(BASE_LABEL)
        item.setText(f"{base} ({count})" if count else base)
        item.setData(Qt.ItemDataRole.AccessibleTextRole,
                     f"{base}, {count} à traiter" if count else base)

    def page_keys(self) -> list[str]:
        return [self.sidebar.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.sidebar.count())]

    def show_page(self, key: str) -> None:
        keys = self.page_keys()
        if key in keys:
            self.sidebar.setCurrentRow(keys.index(key))
