"""« Comptes »: accounts, profiles, units, last login and locked state (R-3.5, R-3.6)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.auth.service import AccountService
from app.dossiers.search import french_date
from app.session import Session

HEADERS = ("Nom", "Identifiant", "Profil", "Unités", "Dernière connexion", "État")


class AccountsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = AccountService(session)
        layout = QVBoxLayout(self)
        intro = QLabel("Un compte personnel par personne. Les mots de passe ne sont jamais choisis "
                       "par un administrateur.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Comptes")
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        accounts = self.service.list_accounts()
        self.table.setRowCount(len(accounts))
        for i, a in enumerate(accounts):
            state = "Bloqué" if a.locked else ("Actif" if a.active else "Désactivé")
            cells = (a.display_name, a.login, a.profile.label, ", ".join(a.units),
                     french_date(a.last_login_at), state)
            for col, text in enumerate(cells):
                self.table.setItem(i, col, QTableWidgetItem(text))

    def clear(self) -> None:
        self.table.setRowCount(0)
