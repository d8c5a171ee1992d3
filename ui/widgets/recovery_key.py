"""The recovery key shown once — at the first run and when the workspace key is renewed
(R-2.8): large, not selectable (so not copied), with the button that saves its printable sheet
and the field where the person retypes its last group."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from ui.dialogs.file_paths import ask_save_path
from ui.widgets.common import button, text_field

SHEET_SAVED = "Feuille de secours enregistrée : {path}. Imprimez-la, puis supprimez le fichier."


def ask_sheet_path(parent: QWidget) -> Path | None:
    return ask_save_path(parent, "Feuille de secours", "feuille-de-secours.pdf")


class RecoveryKeyBox(QWidget):
    """``key_label`` shows the key, ``print_button`` saves the sheet, ``last_group`` is retyped."""

    def __init__(self, *, name: str, retype_name: str, point_size: int, print_text: str,
                 on_print: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.key_label = QLabel("")
        self.key_label.setStyleSheet(f"font-size: {point_size}pt; font-family: monospace; font-weight: 600;")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)  # no copy
        self.key_label.setAccessibleName(name)
        layout.addWidget(self.key_label)
        self.print_button = button(print_text, on_print)
        layout.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeft)
        form = QFormLayout()
        self.last_group = text_field(retype_name, max_length=4)
        form.addRow("Recopiez le &dernier groupe :", self.last_group)
        layout.addLayout(form)
