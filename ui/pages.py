"""The sidebar's pages, one entry each: its key, its title, whether it shows a badge, its factory.

Who sees a page is decided in ``app/`` (the section keys of ``session_overview(session).sections``,
one rule per key from the profile's rights), so that the command line and the GUI agree; this
registry says how each granted section looks and is built. The pages are imported here, and
this module only when the main window opens, so that the login window shows quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from app.session import Session
from ui.windows.accounts_page import AccountsPage
from ui.windows.archive_page import ArchivePage
from ui.windows.backup_page import BackupPage
from ui.windows.documents_page import DocumentsPage
from ui.windows.journal_page import JournalPage
from ui.windows.main_window import OpenPage
from ui.windows.retention_page import RetentionPage
from ui.windows.rights_page import RightsPage
from ui.windows.settings_page import SettingsPage
from ui.windows.youth_page import YouthPage


@dataclass(frozen=True)
class Page:
    #: the section key ``app`` grants to a profile (who sees it)
    key: str
    title: str
    factory: Callable[[Session], QWidget]
    #: the page has ``count_changed(int)`` and ``badge_count``: « À traiter (3) » in the sidebar
    badge: bool = False


PAGES: tuple[Page, ...] = (
    Page("jeunes", "Jeunes", YouthPage),
    Page("a_traiter", "À traiter", RetentionPage, badge=True),
    Page("archives", "Archives", ArchivePage),
    Page("droits", "Droits", RightsPage, badge=True),
    Page("journal", "Journal", JournalPage),
    Page("documents", "Documents", DocumentsPage),
    Page("comptes", "Comptes", AccountsPage),
    Page("sauvegardes", "Sauvegardes", BackupPage),
    Page("parametres", "Paramètres", SettingsPage),
)

BY_KEY = {page.key: page for page in PAGES}


def build_pages(keys: Iterable[str], session: Session) -> list[OpenPage]:
    """The pages of the granted sections, in the order ``app`` lists them."""
    return [OpenPage(key, BY_KEY[key].title, BY_KEY[key].factory(session), BY_KEY[key].badge)
            for key in keys if key in BY_KEY]
