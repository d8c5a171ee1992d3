"""The dialogs of the « Droits » screen (R-7.1): record a request as received, and the short
texts the register keeps (reason of an extension, answer, motivated refusal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.rights.model import RequesterRole, RequestKind
from ui.errors import ui_action
from ui.widgets.common import error_label, note, page_layout, text_field

TEXT_MAX = 500


def _buttons(dialog: QDialog, ok_text: str, on_ok: Callable[[], None]) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


class RegisterRequestDialog(QDialog):
    """A request received: kind, who asks and in which capacity, date received, dossier."""

    def __init__(self, today: dt.date, submit: Callable[[dict[str, Any]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Enregistrer une demande")
        self.setMinimumWidth(560)
        self._submit = submit
        layout = page_layout(self, intro="La réponse est due un mois après la réception ; le délai peut être "
                             "prolongé une fois, jusqu'à trois mois, avec un motif communiqué à la personne. Le "
                             "nom du demandeur figure au registre, jamais dans le journal des accès.")
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Type de demande")
        for kind in RequestKind:
            self.kind.addItem(kind.label, kind.value)
        self.requester = text_field("Demandeur", max_length=120, placeholder="Nom de la personne qui fait la demande")
        self.role = QComboBox()
        self.role.setAccessibleName("Qualité du demandeur")
        for role in RequesterRole:
            self.role.addItem(role.label, role.value)
        self.received = QDateEdit(QDate(today.year, today.month, today.day))
        self.received.setDisplayFormat("dd/MM/yyyy")
        self.received.setCalendarPopup(True)
        self.received.setMaximumDate(QDate(today.year, today.month, today.day))
        self.received.setAccessibleName("Date de réception")
        self.dossier = text_field("Numéro de dossier", max_length=20, placeholder="Facultatif, par exemple D26-00012")
        form.addRow("&Type de demande :", self.kind)
        form.addRow("&Demandeur :", self.requester)
        form.addRow("&Qualité :", self.role)
        form.addRow("&Reçue le :", self.received)
        form.addRow("N° de d&ossier :", self.dossier)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Enregistrer", self.send))

    def values(self) -> dict[str, Any]:
        q = self.received.date()
        return {"kind": self.kind.currentData(), "requester": self.requester.text(),
                "requester_role": self.role.currentData(), "received_on": dt.date(q.year(), q.month(), q.day()),
                "dossier_number": self.dossier.text().strip() or None}

    @ui_action("error")  # said in French next to the fields
    def send(self) -> None:
        self._submit(self.values())
        self.accept()


class RequestTextDialog(QDialog):
    """One short text kept in the register: the reason of an extension, an answer, a refusal."""

    def __init__(self, title: str, intro: str, label: str, ok_text: str, submit: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self._submit = submit
        layout = QVBoxLayout(self)
        text = note(intro)
        layout.addWidget(text)
        caption = note(label)
        layout.addWidget(caption)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(label.rstrip(" :"))
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(90)
        caption.setBuddy(self.text)
        layout.addWidget(self.text)
        self.count = QLabel(f"0 / {TEXT_MAX} caractères")
        self.count.setObjectName("notice")
        self.text.textChanged.connect(
            lambda: self.count.setText(f"{len(self.text.toPlainText())} / {TEXT_MAX} caractères"))
        layout.addWidget(self.count)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, ok_text, self.send))

    @ui_action("error")  # said in French under the text
    def send(self) -> None:
        self._submit(self.text.toPlainText())
        self.accept()
