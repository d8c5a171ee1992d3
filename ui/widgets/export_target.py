"""The part of every export dialog that asks to whom and why, and where to save (UI.md "exports
asking to whom, why before writing anything"; R-8.5)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.exports import ExportRequest
from ui.dialogs.file_paths import save_file_dialog


class ExportTarget(QWidget):
    def __init__(self, default_name: str, file_filter: str, *, recipient: str = "", purpose: str = "",
                 recipient_label: str = "&Destinataire :", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.recipient = QLineEdit(recipient)
        self.recipient.setAccessibleName("Destinataire du document")
        self.recipient.setPlaceholderText("À qui ce document est-il destiné ?")
        self.purpose = QLineEdit(purpose)
        self.purpose.setAccessibleName("Motif de la communication")
        self.purpose.setPlaceholderText("Pourquoi est-il communiqué ?")
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        self.path = QLineEdit(str(Path(folder) / default_name))
        self.path.setAccessibleName("Fichier à enregistrer")
        self.browse = QPushButton("Choisir…")
        self.browse.clicked.connect(self.choose)
        self._filter = file_filter
        self.file_dialog: QFileDialog | None = None
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form.addRow(recipient_label, self.recipient)
        form.addRow("&Motif :", self.purpose)
        label = QLabel("&Enregistrer sous :")  # a buddy, so that the mnemonic works beside a layout
        label.setBuddy(self.path)
        form.addRow(label, row)

    def choose(self) -> None:
        dialog = save_file_dialog(self, "Enregistrer sous", self.path.text(), self._filter)
        dialog.fileSelected.connect(self.path.setText)
        self.file_dialog = dialog
        dialog.open()

    def request(self) -> ExportRequest:
        """Validated: an empty recipient or purpose is refused with a French message."""
        return ExportRequest(self.recipient.text(), self.purpose.text()).validated()

    def out_path(self) -> Path:
        return Path(self.path.text().strip()).expanduser()
