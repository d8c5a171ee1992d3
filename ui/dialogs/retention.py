"""The decision dialogs of « À traiter » (R-6.3, R-6.4): each asks the reason; a purge names what
will be destroyed, and several dossiers need the typed confirmation (UI.md).

One dialog shape for every decision: an explanation, optional fields (dossier number, a date),
the reason, optional confirmation (a box to tick, or a phrase to type), and the action button.
The dialog calls the service itself and stays open with the service's French message when it
refuses; nothing is decided by the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.retention.service import RetentionService
from reports.french import short_date, years
from ui.errors import ui_action
from ui.models.text_rows import TextRowsModel
from ui.widgets.common import FormLabel, dialog_buttons, error_label, note, show_message, text_field
from ui.widgets.fit_columns import ColumnFit, FitColumns


@dataclass(frozen=True)
class Answer:
    reason: str
    date: str = ""
    number: str = ""
    typed: str = ""
    confirmed: bool = False


class DecisionDialog(QDialog):
    def __init__(self, title: str, intro: str, action: str, submit: Callable[[Answer], object], *,
                 date_label: str | None = None, date_value: str = "", number: str | None = None,
                 typed: str | None = None, confirm: str | None = None,
                 reason_hint: str = "", reason_name: str = "Motif de la décision",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        self._submit = submit
        self.result_value: object = None
        layout = QVBoxLayout(self)
        self.intro = note(intro)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.number: QLineEdit | None = None
        if number is not None:
            self.number = QLineEdit(number)
            self.number.setPlaceholderText("ex. D24-00012")
            self.number.setAccessibleName("Numéro du dossier")
            number_label = FormLabel("N° du &dossier :")
            number_label.setBuddy(self.number)
            form.addRow(number_label, self.number)
        self.date: QLineEdit | None = None
        if date_label is not None:
            self.date = QLineEdit(date_value)
            self.date.setPlaceholderText("jj/mm/aaaa")
            self.date.setAccessibleName(date_label)
            self.date.setMaximumWidth(160)
            label = FormLabel(f"{date_label} :")
            label.setBuddy(self.date)
            form.addRow(label, self.date)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(reason_name)
        self.reason.setPlaceholderText(reason_hint or "Le motif est inscrit au journal. N'y écrivez pas le "
                                       "nom du jeune : utilisez son numéro de dossier.")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        reason_label = FormLabel("&Motif :")
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        self.typed: QLineEdit | None = None
        self.expected = typed
        if typed is not None:
            self.typed = text_field(f"Confirmation : tapez {typed}", placeholder=typed)
            typed_label = FormLabel(f"Pour confirmer, tapez « {typed} » :")
            typed_label.setBuddy(self.typed)
            form.addRow(typed_label, self.typed)
        self.check: QCheckBox | None = None
        if confirm is not None:
            self.check = QCheckBox(confirm)
            self.check.setAccessibleName(confirm)
            form.addRow("", self.check)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons, self.ok = dialog_buttons(self, action, self.submit)
        layout.addWidget(self.buttons)
        (self.number or self.date or self.reason).setFocus()

    def answer(self) -> Answer:
        return Answer(
            reason=self.reason.toPlainText(),
            date=self.date.text() if self.date is not None else "",
            number=self.number.text() if self.number is not None else "",
            typed=self.typed.text() if self.typed is not None else "",
            confirmed=self.check.isChecked() if self.check is not None else True,
        )

    @ui_action("error")  # the service's French message under the fields; the dialog stays
    def submit(self) -> None:
        self.result_value = self._submit(self.answer())
        self.accept()


class DurationsDialog(QDialog):
    """Per-measure-type durations with their written justification (R-6.1, REF 51): the director
    sets them; every change is journaled by the service."""

    def __init__(self, service: RetentionService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle("Durées de conservation par type de mesure")
        self.setMinimumSize(900, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(note(
            "Par défaut, un dossier est conservé 2 ans après le dernier contact (AU-049 art. 4). "
            "L'organisme peut fixer une autre durée pour un type de mesure, en la justifiant par "
            "écrit (texte applicable, délai de prescription, décision de l'organisme)."))
        self.model = TextRowsModel(("Type de mesure", "Durée", "Justification", "Fixée le"))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Durées de conservation par type de mesure")
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        FitColumns(self.table, [ColumnFit(2.4, 20, 1), ColumnFit(0.5, 7, 1), ColumnFit(2.6, 16, 1),
                                ColumnFit(0.7, 10, 2)])
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.years = QSpinBox()
        self.years.setRange(1, 30)
        self.years.setSuffix(" ans")
        self.years.setAccessibleName("Durée de conservation en années")
        self.years.setMaximumWidth(110)
        self.justification = QPlainTextEdit()
        self.justification.setAccessibleName("Justification écrite de la durée")
        self.justification.setTabChangesFocus(True)
        self.justification.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        years_label = FormLabel("&Durée :")
        years_label.setBuddy(self.years)
        form.addRow(years_label, self.years)
        justification_label = FormLabel("&Justification :")
        justification_label.setBuddy(self.justification)
        form.addRow(justification_label, self.justification)
        layout.addLayout(form)
        self.message = error_label()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Enregistrer cette durée")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("Revenir à la règle des 2 ans")
        self.reset_button.clicked.connect(self.reset)
        close = QPushButton("Fermer")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._fill())
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        set_ = {d.measure_type: d for d in self.service.durations()}
        rows, keys = [], []
        for code, label in self.service.measure_types():
            d = set_.get(code)
            rows.append((label, years(d.years if d else 2),
                         d.justification if d else "Règle générale (AU-049 art. 4)",
                         short_date(d.set_on) if d else ""))
            keys.append(code)
        self.model.set_rows(rows, keys)
        row = keys.index(keep) if keep in keys else 0
        if rows:
            self.table.selectRow(row)
        self._fill()

    def current_type(self) -> str | None:
        index = self.table.currentIndex()
        key = self.model.key(index.row()) if index.isValid() else None
        return str(key) if key is not None else None

    def _fill(self) -> None:
        code = self.current_type()
        current = next((d for d in self.service.durations() if d.measure_type == code), None)
        self.years.setValue(current.years if current else 2)
        self.justification.setPlainText(current.justification if current else "")
        self.reset_button.setEnabled(current is not None)

    @ui_action(lambda dialog, text: show_message(dialog.message, text))
    def save(self) -> None:
        code = self.current_type()
        if code is None:
            return
        self.service.set_duration(code, self.years.value(), self.justification.toPlainText())
        self.reload(code)
        show_message(self.message, "Durée enregistrée et inscrite au journal.", "success")

    @ui_action(lambda dialog, text: show_message(dialog.message, text))
    def reset(self) -> None:
        code = self.current_type()
        if code is None:
            return
        self.service.remove_duration(code)
        self.reload(code)
        show_message(self.message, "Ce type de mesure suit de nouveau la règle des 2 ans.", "success")

