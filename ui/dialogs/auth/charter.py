"""First login: the IT charter and the journaling notice (R-3.7)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QPlainTextEdit, QVBoxLayout, QWidget

from app.resources import resource_path
from ui.widgets.common import dialog_buttons, note


def charter_text() -> str:
    return resource_path("charter", "charte_fr.txt").read_text(encoding="utf-8")


class Charter(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Charte d'utilisation — première connexion")
        layout = QVBoxLayout(self)
        layout.addWidget(note("Avant votre première utilisation, lisez et acceptez la charte. "
                              "Les accès aux données sensibles sont enregistrés."))
        text = QPlainTextEdit(charter_text())
        text.setReadOnly(True)
        text.setAccessibleName("Texte de la charte")
        layout.addWidget(text, 1)
        self.buttons, self.accept_button = dialog_buttons(self, "J'ai lu et j'accepte", self.accept, "Quitter")
        layout.addWidget(self.buttons)
        self.resize(620, 480)
