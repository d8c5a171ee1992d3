"""Consents of one dossier (R-4.6): record, correct as recorded (R-4.11), and withdraw with the
deletion it implies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QWidget,
)

from app.dossiers.model import Consent, ConsentState
from reports.french import short_date
from ui.dialogs.ask import confirm
from ui.errors import ui_action
from ui.widgets.common import choice_field, note, scrolled, text_field
from ui.widgets.fields import EMPTY
from ui.widgets.text_table import TextTable

ROLES = (("jeune", "Le jeune lui-même"), ("representant_legal", "Représentant légal"))
FORMS = (("ecrit", "Écrit"), ("oral", "Oral"))
STATES = (("given", "Donné"), ("requested", "Demandé"), ("refused", "Refusé"))


class ConsentPanel(QWidget):
    changed = Signal()

    def __init__(
        self,
        consent_types: list[tuple[str, str]],
        consents: list[Consent],
        *,
        writable: bool,
        record: Callable[[dict[str, Any]], Any],
        withdraw: Callable[[str], int],
        default_holder: Callable[[str], tuple[str, str]] | None = None,
        correct: Callable[[int, dict[str, Any]], Any] | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._correct = correct
        self.consents: list[Consent] = []
        #: the consent being corrected in the form (None: a new consent)
        self.correcting: Consent | None = None
        self.types = dict(consent_types)
        self._record = record
        self._withdraw = withdraw
        self._default_holder = default_holder
        self._today = today
        layout = scrolled(self)  # the form and the list keep their height in a short window
        layout.addWidget(note(
            "Certaines informations ne peuvent être enregistrées qu'avec un consentement explicite "
            "(santé utile au séjour, convictions, vie sexuelle). Le retrait du consentement "
            "supprime les données liées."))
        self.table = TextTable(("Catégorie", "État", "Donné par", "Qualité", "Forme", "Date"),
                               "Consentements enregistrés")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        layout.addWidget(self.table, 1)
        fix_row = QHBoxLayout()
        fix_row.addStretch(1)
        self.correct_button = QPushButton("&Corriger le consentement sélectionné")
        self.correct_button.setToolTip("Reprendre ce consentement tel qu'il a été enregistré (qui, forme, "
                                       "date, portée) ; la correction est inscrite au journal")
        self.correct_button.clicked.connect(self.start_correction)
        self.correct_button.setVisible(writable and correct is not None)
        fix_row.addWidget(self.correct_button)
        layout.addLayout(fix_row)

        self.group = QGroupBox("Enregistrer un consentement")
        form = QFormLayout(self.group)
        self.type_combo = choice_field("Catégorie concernée", consent_types)
        self.given_by = text_field("Donné par (nom)", max_length=120)
        self.role = choice_field("Qualité", ROLES)
        self.form = choice_field("Forme", FORMS)
        self.state = choice_field("État", STATES)
        self.scope = text_field("Portée", max_length=300)
        # the real date of the consent, which may have been signed before it is entered
        self.date = text_field("Date du consentement", max_length=10, placeholder="jj/mm/aaaa")
        self.date.setToolTip("Date à laquelle le consentement a été donné (ou demandé, refusé).")
        form.addRow("Catégorie :", self.type_combo)
        form.addRow("Donné par :", self.given_by)
        form.addRow("Qualité :", self.role)
        form.addRow("Forme :", self.form)
        form.addRow("État :", self.state)
        form.addRow("Date :", self.date)
        form.addRow("Portée :", self.scope)
        buttons = QHBoxLayout()
        self.withdraw_button = QPushButton("Retirer le consentement…")
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        self.save_button = QPushButton("Enregistrer le consentement")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.cancel_correction_button = QPushButton("Annuler la correction")
        self.cancel_correction_button.clicked.connect(self.stop_correction)
        self.cancel_correction_button.setVisible(False)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_correction_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self.group.setVisible(writable)
        # Defaults need the service: applied when the form is first shown or the type changes,
        # not while the tab is built in the background.
        self._defaults_applied = False
        self.date.setText(short_date(self._today()))
        self.type_combo.currentIndexChanged.connect(self._apply_defaults)
        layout.addWidget(self.group)
        self.message = note("")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.set_consents(consents)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_correct_button())
        self._update_correct_button()

    def _update_correct_button(self) -> None:
        self.correct_button.setEnabled(0 <= self.table.current_row() < len(self.consents))

    def start_correction(self) -> None:
        """The consent form, filled with the selected consent as recorded (R-4.11)."""
        row = self.table.current_row()
        if not 0 <= row < len(self.consents) or self._correct is None:
            return
        consent = self.consents[row]
        self.correcting = consent
        self.type_combo.blockSignals(True)
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(consent.consent_type), 0))
        self.type_combo.blockSignals(False)
        self.type_combo.setEnabled(False)
        self.given_by.setText(consent.given_by)
        self.role.setCurrentIndex(max(self.role.findData(consent.given_by_role), 0))
        self.form.setCurrentIndex(max(self.form.findData(consent.form), 0))
        state = self.state.findData(consent.state.value)
        self.state.setCurrentIndex(max(state, 0))
        self.state.setEnabled(state >= 0)  # a withdrawn consent stays withdrawn
        self.scope.setText(consent.scope)
        self.date.setText(short_date(consent.recorded_on))
        label = self.types.get(consent.consent_type, consent.consent_type)
        self.group.setTitle(f"Corriger le consentement « {label} »")
        self.save_button.setText("Enregistrer la correction")
        self.cancel_correction_button.setVisible(True)
        self.withdraw_button.setVisible(False)
        self.given_by.setFocus()

    def stop_correction(self) -> None:
        self.correcting = None
        self.type_combo.setEnabled(True)
        self.state.setEnabled(True)
        self.group.setTitle("Enregistrer un consentement")
        self.save_button.setText("Enregistrer le consentement")
        self.cancel_correction_button.setVisible(False)
        self.withdraw_button.setVisible(True)
        self.scope.clear()
        self._apply_defaults()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._defaults_applied:
            self._apply_defaults()

    def _apply_defaults(self) -> None:
        """The holder offered follows the age (legal representative for a minor), the date is today."""
        self._defaults_applied = True
        self.date.setText(short_date(self._today()))
        if self._default_holder is None or self.type_combo.currentData() is None:
            return
        role, name = self._default_holder(self.type_combo.currentData())
        self.role.setCurrentIndex(max(self.role.findData(role), 0))
        self.given_by.setText(name)

    def select_type(self, consent_type: str) -> None:
        index = self.type_combo.findData(consent_type)
        if index >= 0:
            self.type_combo.setCurrentIndex(index)
            self._apply_defaults()
        self.given_by.setFocus()

    def set_consents(self, consents: list[Consent]) -> None:
        self.consents = list(consents)
        rows = []
        for c in consents:
            rows.append([
                self.types.get(c.consent_type, c.consent_type), ConsentState(c.state).label, c.given_by,
                dict(ROLES).get(c.given_by_role, c.given_by_role), dict(FORMS).get(c.form, c.form),
                short_date(c.withdrawn_on or c.recorded_on, empty=EMPTY),
            ])
        self.table.rows.set_rows(rows)

    def _show(self, text: str, error: bool = False) -> None:
        self.message.setObjectName("error" if error else "notice")
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.message.setVisible(True)

    @ui_action(lambda panel, text: panel._show(text, error=True))
    def save(self) -> None:
        values = {
            "consent_type": self.type_combo.currentData(),
            "given_by": self.given_by.text(),
            "given_by_role": self.role.currentData(),
            "form": self.form.currentData(),
            "state": self.state.currentData(),
            "scope": self.scope.text(),
            "recorded_on": self.date.text().strip() or None,
        }
        correcting = self.correcting
        if correcting is not None and self._correct is not None:
            values.pop("consent_type")
            if correcting.state is ConsentState.WITHDRAWN:
                values["state"] = ConsentState.WITHDRAWN.value
            self._correct(correcting.id, values)
            self.stop_correction()
            self._show("Consentement corrigé.")
        else:
            self._record(values)
            self.scope.clear()
            self._apply_defaults()
            self._show("Consentement enregistré.")
        self.changed.emit()

    def ask_withdraw(self) -> None:
        cid = self.type_combo.currentData()
        label = self.types.get(cid, cid)
        confirm(
            self, "Retrait du consentement",
            f"Le retrait du consentement pour « {label} » supprimera définitivement toutes les "
            "informations de cette section pour ce jeune. Cette suppression sera inscrite au "
            "journal. Continuer ?",
            lambda yes: self._withdraw_confirmed(cid) if yes else None,
            yes_text="Retirer et supprimer",
        )

    @ui_action(lambda panel, text: panel._show(text, error=True))
    def _withdraw_confirmed(self, consent_type: str) -> None:
        deleted = self._withdraw(consent_type)
        self._show(f"Consentement retiré ; {deleted} information(s) supprimée(s).")
        self.changed.emit()

