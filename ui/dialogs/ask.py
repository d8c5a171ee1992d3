"""Non-blocking questions (no exec() in application code): open() + finished signal."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str, on_answer: Callable[[bool], None],
            *, yes_text: str = "Confirmer") -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("confirmBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(QMessageBox.StandardButton.NoButton)

    def finished(_: int) -> None:
        on_answer(box.clickedButton() is yes)
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box
