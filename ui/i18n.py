"""French for Qt's own texts: context menus, file dialogs, the calendar, standard buttons."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

#: Qt's catalogues that cover the widgets Sillage uses (qtbase: menus, dialogs, buttons).
CATALOGUES = ("qtbase",)

#: Qt texts that the French catalogue shipped with PySide6 lacks (they changed in Qt 6): the
#: file dialog's « Look in » and « Files of type » labels, the type of a folder.
MISSING = {
    ("QFileDialog", "&Look in:"): "&Regarder dans\u00a0:",
    ("QFileDialog", "Files of &type:"): "&Type de fichier\u00a0:",
    ("QAbstractFileIconProvider", "Folder"): "Dossier",
    ("QAbstractFileIconProvider", "File"): "Fichier",
    ("QAbstractFileIconProvider", "%1 File"): "Fichier %1",
}


class MissingFrench(QTranslator):
    """Answers only the texts of ``MISSING``; every other text goes on to Qt's catalogue (a
    None answer is Qt's « no translation here »)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return MISSING.get((context, source))

    def isEmpty(self) -> bool:
        return False


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
    missing = MissingFrench(app)
    app.installTranslator(missing)
    translators.append(missing)
    return translators
