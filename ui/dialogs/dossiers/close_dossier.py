"""« Clôturer le dossier »: end of care with its date and reason (R-4.10)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from ui.errors import ui_action
from ui.widgets.common import dialog_buttons, error_label, note


class CloseDossier(QDialog):
    def __init__(self, reasons: list[tuple[str, str]], close: Callable[[str, str], None],
                 today: str, parent: QWidget | None = None, *, who: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Clôturer le dossier de {who}" if who else "Clôturer le dossier")
        self._close = close
        layout = QVBoxLayout(self)
        layout.addWidget(note((f"Fin de la prise en charge de {who}. " if who else "")
                              + "La fin de prise en charge est enregistrée avec sa date et son motif. Le dossier "
                              "reste consultable ; sa durée de conservation court depuis le dernier contact."))
        form = QFormLayout()
        self.date = QLineEdit(today)
        self.date.setPlaceholderText("jj/mm/aaaa")
        self.date.setAccessibleName("Date de fin de prise en charge")
        self.reason = QComboBox()
        self.reason.setAccessibleName("Motif")
        self.reason.addItem("—", None)
        for code, label in reasons:
            self.reason.addItem(label, code)
        form.addRow("&Date de fin :", self.date)
        form.addRow("&Motif :", self.reason)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons, self.ok = dialog_buttons(self, "Clôturer le dossier", self.submit)
        layout.addWidget(self.buttons)

    @ui_action("error")
    def submit(self) -> None:
        self._close(self.date.text(), self.reason.currentData() or "")
        self.accept()
