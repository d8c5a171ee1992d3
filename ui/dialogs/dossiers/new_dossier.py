"""« Nouveau dossier »: the few identity fields needed to open a dossier."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from ui.errors import ui_action
from ui.widgets.common import choice_field, error_label, text_field


class NewDossier(QDialog):
    """Calls ``create(last_name, first_names, birth_date, unit_id) -> id``; emits accepted."""

    def __init__(self, units: list[tuple[int, str]], create: Callable[..., int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nouveau dossier")
        self._create = create
        self.created_id: int | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.last_name = text_field("Nom", max_length=100)
        self.first_names = text_field("Prénoms", max_length=100)
        self.birth_date = text_field("Date de naissance", placeholder="jj/mm/aaaa")
        self.unit = choice_field("Unité", units)
        form.addRow("&Nom * :", self.last_name)
        form.addRow("&Prénoms * :", self.first_names)
        form.addRow("Date de &naissance :", self.birth_date)
        form.addRow("&Unité * :", self.unit)
        layout.addLayout(form)
        self.error = error_label()
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Créer le dossier")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.last_name.setFocus()

    @ui_action("error")
    def submit(self) -> None:
        self.created_id = self._create(
            last_name=self.last_name.text(), first_names=self.first_names.text(),
            birth_date=self.birth_date.text() or None, unit_id=self.unit.currentData(),
        )
        self.accept()
