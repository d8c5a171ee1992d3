"""Qt's own texts are French: context menus, file dialogs, the calendar (issue 15, UI.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QCalendarWidget, QFileDialog, QLabel, QLineEdit, QPushButton

from ui.i18n import install_french


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    previous = QLocale()
    translators = install_french(qapp)
    assert translators, "qtbase_fr.qm was not found in PySide6's translations folder"
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(previous)


def test_text_field_context_menu_is_french(qtbot, french) -> None:  # type: ignore[no-untyped-def]
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    texts = [action.text().split("\t")[0].replace("&", "") for action in menu.actions()]
    assert {"Copier", "Coller", "Couper", "Tout sélectionner"} <= set(texts), texts
    assert "Copy" not in texts and "Paste" not in texts


def test_file_dialog_is_french(qtbot, french) -> None:  # type: ignore[no-untyped-def]
    dialog = QFileDialog(None, "Enregistrer")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    buttons = {button.text().replace("&", "") for button in dialog.findChildren(QPushButton)}
    labels = {label.text().replace("&", "") for label in dialog.findChildren(QLabel)}
    assert "Annuler" in buttons and "Cancel" not in buttons, buttons
    assert "Nom de fichier\xa0:" in labels, labels
    # the labels Qt 6 renamed, missing from the French catalogue, are French too
    assert {"Regarder dans\xa0:", "Type de fichier\xa0:"} <= labels, labels
    assert not any("Look in" in text or "Files of" in text for text in labels), labels


def test_calendar_speaks_french(qtbot, french) -> None:  # type: ignore[no-untyped-def]
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    assert calendar.locale().dayName(1) == "lundi"
    assert calendar.locale().toString(calendar.selectedDate(), "MMMM") in {
        QLocale(QLocale.Language.French).monthName(m) for m in range(1, 13)}
