"""« Supprimer l'entrée… »: a follow-up entry deleted with a written reason, after a
confirmation that names it (R-4.11, UI.md « every destructive action names what it destroys »)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.errors import KnownError
from ui.widgets.common import error_label, note, text_field

REASON_MIN = 5


class DeleteEntry(QDialog):
    def __init__(self, entry: str, who: str, delete: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Supprimer une entrée de suivi")
        self._delete = delete
        layout = QVBoxLayout(self)
        text = note(
            f"Supprimer définitivement l'entrée « {entry} » du suivi"
            + (f" de {who}" if who else "") + " ? Elle ne pourra pas être récupérée. La suppression "
            "et son motif sont inscrits au journal des accès.")
        layout.addWidget(text)
        layout.addWidget(QLabel("&Motif de la suppression (obligatoire, sans nom ni prénom) :"))
        self.reason = text_field("Motif de la suppression", max_length=300,
                                 placeholder="Par exemple : saisie dans le mauvais dossier")
        item = layout.itemAt(layout.count() - 1)
        label = item.widget() if item is not None else None
        if isinstance(label, QLabel):
            label.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.error = error_label()
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("Supprimer l'entrée", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.ok.setEnabled(False)
        self.ok.clicked.connect(self.submit)
        self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(
            lambda text: self.ok.setEnabled(len(text.strip()) >= REASON_MIN))
        self.resize(520, self.sizeHint().height())

    def submit(self) -> None:
        try:
            self._delete(self.reason.text())
        except KnownError as exc:
            self.error.setText(exc.message)
            self.error.setVisible(True)
            return
        self.accept()
