"""French for Qt's own texts: context menus, file dialogs, the calendar, standard buttons."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

#: Qt's catalogues that cover the widgets Sillage uses (qtbase: menus, dialogs, buttons).
CATALOGUES = ("qtbase",)


def install_french(app: QApplication) -> list[QTranslator]:
    """Set the French locale (dates, numbers, the calendar) and load Qt's French translations
    shipped with PySide6. Returns the translators, which must stay alive with the application."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translators = []
    for name in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.French), name, "_", folder):
            app.installTranslator(translator)
            translators.append(translator)
    return translators
