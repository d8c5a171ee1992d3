"""Paramètres › Organisation: what every document prints (R-8.1): name, address, controller,
DPO contact, recipients, retention. The legal basis follows « mission de service public »."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.auth.permissions import Right, has_right
from app.organisation import OrganisationService
from app.session import Session
from ui.errors import ui_action
from ui.widgets.common import button_row, error_label


class OrganisationForm(QGroupBox):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Organisation (imprimée sur les notices et les rapports)", parent)
        self.service = OrganisationService(session)
        current = self.service.current()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(current.name)
        self.address = QLineEdit(current.address)
        self.controller = QLineEdit(current.controller)
        self.controller.setPlaceholderText("ex. : la directrice, Claire Martin")
        self.dpo = QLineEdit(current.dpo_contact)
        self.dpo.setPlaceholderText("courriel ou téléphone du délégué à la protection des données")
        self.recipients = QPlainTextEdit("\n".join(current.recipients))
        self.recipients.setMaximumHeight(70)
        self.retention = QSpinBox()
        self.retention.setRange(1, 30)
        self.retention.setSuffix(" ans")
        self.retention.setValue(current.retention_years)
        self.retention.setMaximumWidth(110)
        for widget, label in ((self.name, "Nom de l'organisme"), (self.address, "Adresse"),
                              (self.controller, "Responsable du traitement"), (self.dpo, "Contact du délégué"),
                              (self.recipients, "Destinataires, un par ligne"),
                              (self.retention, "Durée de conservation après le dernier contact")):
            widget.setAccessibleName(label)
            form.addRow(f"{label} :", widget)
        layout.addLayout(form)
        self.save_button = QPushButton("Enregistrer l'organisation")
        self.save_button.clicked.connect(self.save)
        layout.addLayout(button_row(self.save_button))
        self.message = error_label()
        layout.addWidget(self.message)
        editable = has_right(session.user.profile, Right.ORGANISATION_SETTINGS)
        for w in (self.name, self.address, self.controller, self.dpo, self.recipients, self.retention,
                  self.save_button):
            w.setEnabled(editable)
        missing = current.missing()
        if missing:
            self.message.setText("À compléter pour les notices : " + ", ".join(missing) + ".")

    @ui_action("message")
    def save(self) -> None:
        current = self.service.current()
        profile = replace(
            current, name=self.name.text(), address=self.address.text(), controller=self.controller.text(),
            dpo_contact=self.dpo.text(), retention_years=self.retention.value(),
            recipients=tuple(line for line in self.recipients.toPlainText().splitlines() if line.strip()))
        changed = self.service.update(profile)
        self.message.setText("Organisation enregistrée." if changed else "Aucun changement.")
