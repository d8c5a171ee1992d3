"""The pages of the main window, one per sidebar entry, built for a session."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.session import Session


def page_for(key: str, session: Session) -> QWidget | None:
    if key == "jeunes":
        from ui.windows.youth_page import YouthPage

        return YouthPage(session)
    if key == "a_traiter":
        from ui.windows.retention_page import RetentionPage

        return RetentionPage(session)
    if key == "archives":
        from ui.windows.archive_page import ArchivePage

        return ArchivePage(session)
    if key == "journal":
        from ui.windows.journal_page import JournalPage

        return JournalPage(session)
    if key == "parametres":
        from ui.windows.settings_page import SettingsPage

        return SettingsPage(session)
    if key == "sauvegardes":
        from ui.windows.backup_page import BackupPage

        return BackupPage(session)
    if key == "documents":
        from ui.windows.documents_page import DocumentsPage

        return DocumentsPage(session)
    if key == "droits":
        from ui.windows.rights_page import RightsPage

        return RightsPage(session)
    if key == "comptes":
        from ui.windows.accounts_page import AccountsPage

        return AccountsPage(session)
    return None


def placeholder(text: str) -> QWidget:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
