"""Repeating categories (Suivi, Mesures, Intervenants): a timeline, newest first, and a new-entry
form whose free-text guard warns inline before saving (R-4.3, R-4.5); « Corriger » opens the same
form pre-filled for the selected entry, « Supprimer… » deletes a follow-up entry with a reason
(R-4.11)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dossiers.search import deadline_state
from app.errors import ValidationError
from app.textguard import check_free_text
from reports.french import short_date
from ui.dialogs.dossiers.delete_entry import DeleteEntry
from ui.errors import ui_action
from ui.icons import warning_icon
from ui.shortcuts import shortcut
from ui.style import DANGER, WARNING
from ui.widgets.common import button_row, clear_layout, error_label, heading, note, scrolled
from ui.widgets.field_form import Section, SectionPanel, reminder
from ui.widgets.fields import display_value

CURRENT_BACKGROUND = "#e6f0f7"  # the current measure, set apart


class RecordsPanel(SectionPanel):
    changed = Signal()

    def __init__(
        self,
        section: Section,
        *,
        load: Callable[[], list[Any]],
        add: Callable[[dict[str, Any]], Any],
        correct: Callable[[int, dict[str, Any]], Any] | None = None,
        delete: Callable[[int, str], Any] | None = None,
        can_delete: bool = False,
        who: str = "",
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(section, parent)
        self._correct = correct
        self._delete = delete
        self.who = who
        #: the entry being corrected in the form (None: a new entry)
        self.correcting: int | None = None
        self.records: dict[int, Any] = {}
        self.dialog: DeleteEntry | None = None
        self.today = today
        self._load = load
        self._add = add
        self._guard_acknowledged = False
        #: the dossier's contacts, for the entries' fields that point to one
        self.contact_names: Mapping[int, str] = {}
        layout = scrolled(self)  # the form and the list keep their height in a short window
        top = QHBoxLayout()
        top.addWidget(heading(self.category.label, "subtitle"))
        top.addStretch(1)
        self.new_button = QPushButton("&Nouvelle entrée")
        self.new_button.setToolTip("Nouvelle entrée (Ctrl+N)")
        self.new_button.clicked.connect(self.start_new)
        self.new_button.setVisible(self.state.writable and not self.restricted)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        self.form_holder = QWidget()
        self.form_layout = QVBoxLayout(self.form_holder)
        self.form_layout.setContentsMargins(0, 0, 0, 0)
        self.form_holder.setVisible(False)
        layout.addWidget(self.form_holder)
        self.timeline = QListWidget()
        self.timeline.setAccessibleName(f"{self.category.label} : entrées, la plus récente en premier")
        self.timeline.setWordWrap(True)
        self.timeline.setSpacing(3)  # entries apart from each other
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setMinimumHeight(180)
        layout.addWidget(self.timeline, 1)
        actions = QHBoxLayout()
        self.selected_label = note("Sélectionnez une entrée pour la corriger.")
        actions.addWidget(self.selected_label, 1)
        self.correct_button = QPushButton("&Corriger")
        self.correct_button.setToolTip("Corriger l'entrée sélectionnée (double-clic) : la correction est "
                                       "inscrite au journal")
        self.correct_button.clicked.connect(self.start_correction)
        self.delete_button = QPushButton("&Supprimer…")
        self.delete_button.setToolTip("Supprimer l'entrée sélectionnée, avec un motif")
        self.delete_button.clicked.connect(self.ask_delete)
        actions.addWidget(self.correct_button)
        actions.addWidget(self.delete_button)
        self.can_correct = self.state.writable and not self.restricted and correct is not None
        self.can_delete = can_delete and not self.restricted and delete is not None
        self.correct_button.setVisible(self.can_correct)
        self.delete_button.setVisible(self.can_delete)
        self.selected_label.setVisible(self.can_correct or self.can_delete)
        layout.addLayout(actions)
        self.timeline.currentItemChanged.connect(self._selection_changed)
        self.timeline.itemDoubleClicked.connect(lambda _item: self.start_correction())
        self._selection_changed()
        shortcut("Ctrl+N", self, self.start_new, inside=True)
        if self.state.readable:
            self.refresh()
        else:
            self.timeline.addItem("Votre profil ne donne pas accès à cette section.")

    def selected_id(self) -> int | None:
        item = self.timeline.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, int) and value in self.records else None

    def entry_title(self, record_id: int) -> str:
        return self._entry_texts(self.records[record_id])[0]

    def _selection_changed(self, *_: object) -> None:
        chosen = self.selected_id()
        for button in (self.correct_button, self.delete_button):
            button.setEnabled(chosen is not None and not self.editors)
        self.selected_label.setText(f"Entrée sélectionnée : {self.entry_title(chosen)}" if chosen is not None
                                    else "Sélectionnez une entrée pour la corriger.")

    @ui_action(lambda panel, text: panel.timeline.addItem(text))
    def refresh(self) -> None:
        self.timeline.clear()
        self.records = {}
        records = self._load()
        self.contact_names = self.known_contacts()
        if not records:
            self.timeline.addItem("Aucune entrée pour l'instant.")
        current_found = False
        for record in records:
            title, details = self._entry_texts(record)
            state = deadline_state(record.deadline, self.today())
            current = False
            if self.category.id == "mesures" and not current_found:
                ended = record.values.get("date_fin")
                current = not ended or str(ended) >= self.today().isoformat()
                current_found = current
            lines = [f"Mesure en cours — {title}" if current else title, *details]
            item = QListWidgetItem()
            if state == "overdue":
                lines.insert(1, f"Échéance dépassée : {short_date(record.deadline)}")
                item.setForeground(QBrush(QColor(DANGER)))
                item.setIcon(warning_icon(DANGER))
            elif state == "soon":
                lines.insert(1, f"Échéance dans moins de 60 jours : {short_date(record.deadline)}")
                item.setForeground(QBrush(QColor(WARNING)))
            item.setText("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            self.records[record.id] = record
            if current:
                font = QFont(self.timeline.font())
                font.setBold(True)
                item.setFont(font)
                item.setBackground(QBrush(QColor(CURRENT_BACKGROUND)))
            self.timeline.addItem(item)

    def _entry_texts(self, record: Any) -> tuple[str, list[str]]:
        """« date — type » as the entry's title, then one line per other filled field."""
        shown: list[tuple[str, str]] = []
        for field in self.category.fields:
            value = record.values.get(field.id)
            if value in (None, "", []):
                continue
            shown.append((field.label, display_value(self.catalogue, field, value, self.units,
                                                     self.contact_names)))
        date = short_date(record.record_date)
        head = [v for label, v in shown[:2] if v != date]
        title = " — ".join([date, *head] if date else head) or "Entrée"
        details = [f"{label} : {v}" for label, v in shown[2:] if v not in head]
        return title, details

    def start_correction(self) -> None:
        """The entry form, pre-filled with the selected entry (R-4.11)."""
        chosen = self.selected_id()
        if chosen is None or not self.can_correct:
            return
        self._open_form(self.records[chosen])

    def ask_delete(self) -> None:
        chosen = self.selected_id()
        if chosen is None or not self.can_delete or self._delete is None:
            return
        delete = self._delete

        def done(reason: str) -> None:
            delete(chosen, reason)

        self.dialog = DeleteEntry(self.entry_title(chosen), self.who, done, self)
        self.dialog.accepted.connect(self._after_delete)
        self.dialog.open()

    def _after_delete(self) -> None:
        self.refresh()
        self.changed.emit()

    def start_new(self) -> None:
        self._open_form(None)

    def _open_form(self, record: Any) -> None:
        """The entry form: empty for a new entry, pre-filled with ``record`` to correct it."""
        if not self.state.writable or self.restricted or self.editors:
            return
        self._guard_acknowledged = False
        self.correcting = record.id if record is not None else None
        if record is not None:
            self.form_layout.addWidget(note(f"Correction de l'entrée « {self._entry_texts(record)[0]} »", "subtitle"))
        hint = reminder(self.category)
        if hint is not None:
            self.form_layout.addWidget(hint)
        form = self.open_form(record.values if record is not None else {})
        for editor in self.editors.values():
            if isinstance(editor.editor, QPlainTextEdit):
                editor.editor.textChanged.connect(self._guard_inline)
        self.form_layout.addWidget(form)
        self.guard_label = error_label()
        self.guard_label.setVisible(False)
        self.form_layout.addWidget(self.guard_label)
        cancel = QPushButton("Annuler")
        cancel.clicked.connect(self.close_form)
        self.save_button = QPushButton("&Enregistrer la correction" if record is not None else "&Enregistrer")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.form_layout.addLayout(button_row(None, cancel, self.save_button))
        shortcut("Ctrl+S", form, self.save, inside=True)
        self.form_holder.setVisible(True)
        self._selection_changed()
        form.focus_first()

    def _guard_texts(self) -> list[str]:
        messages = []
        for editor in self.editors.values():
            value = editor.value()
            if editor.field.type.value == "note" and isinstance(value, str):
                for warning in check_free_text(value):
                    messages.append(f"« {warning.excerpt} » : {warning.message}")
        return messages

    def _guard_inline(self) -> None:
        self._guard_acknowledged = False
        messages = self._guard_texts()
        self.guard_label.setText("\n".join(dict.fromkeys(messages)))
        self.guard_label.setVisible(bool(messages))

    def close_form(self) -> None:
        clear_layout(self.form_layout)
        self.forget_form()
        self.correcting = None
        self.form_holder.setVisible(False)
        self._selection_changed()

    @ui_action("guard_label")
    def save(self) -> None:
        if not self.editors:
            return
        messages = self._guard_texts()
        if messages and not self._guard_acknowledged:
            # First press: the warning stays visible and a second press confirms.
            self._guard_acknowledged = True
            self.guard_label.setText(
                "\n".join(dict.fromkeys(messages))
                + "\nCorrigez le texte, ou cliquez à nouveau sur « Enregistrer » pour confirmer."
            )
            self.guard_label.setVisible(True)
            return
        assert self.form is not None
        self.form.clear_errors()
        values = self.form.values()
        try:
            if self.correcting is not None and self._correct is not None:
                self._correct(self.correcting, values)
            else:
                self._add(values)
        except ValidationError as exc:
            self.form.show_error(exc)
            self.guard_label.setText(exc.message)
            self.guard_label.setVisible(True)
            return
        self.close_form()
        self.refresh()
        self.changed.emit()

