"""One tab of the dossier: masked, consent-gated, read-only or editing (R-4.3, R-4.6, R-4.8)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.catalogue import MaskedValue
from app.errors import KnownError, ValidationError
from ui.errors import ui_action
from ui.icons import lock_icon
from ui.shortcuts import shortcut
from ui.widgets.common import FittingScrollArea, WrappingLabel, clear_layout, error_label, note
from ui.widgets.field_form import Section, SectionPanel, form_label, reminder
from ui.widgets.fields import display_value

PROTECTED = "Section protégée — l'affichage sera enregistré dans le journal des accès."
FIELD_REVEAL_TIP = "Afficher en clair : l'affichage sera enregistré dans le journal des accès."


class CategoryPanel(SectionPanel):
    """Emits ``changed`` after a successful save."""

    changed = Signal()
    consent_requested = Signal(str)

    def __init__(self, section: Section, *, reveal: Callable[[], dict[str, Any]],
                 save: Callable[[dict[str, Any]], Any], reveal_field: Callable[[str], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(section, parent)
        self._reveal_field = reveal_field
        #: field id -> its « Afficher » button, for the masked fields shown (R-4.8)
        self.field_reveal_buttons: dict[str, QPushButton] = {}
        self._reveal = reveal
        self._save = save
        self.values: dict[str, Any] | None = section.state.values
        self.setAccessibleName(section.category.label)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        scroll = FittingScrollArea()
        scroll.setWidget(self.body)
        outer.addWidget(scroll, 1)
        self.message = error_label()
        self.message.setVisible(False)
        outer.addWidget(self.message)
        self.buttons = QHBoxLayout()
        outer.addLayout(self.buttons)
        self.edit_button = QPushButton("&Modifier")
        self.edit_button.setToolTip("Modifier cette section (Ctrl+E)")
        self.edit_button.clicked.connect(self.start_edit)
        self.save_button = QPushButton("&Enregistrer")
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip("Enregistrer (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.clicked.connect(self.show_read)
        self.buttons.addStretch(1)
        for b in (self.edit_button, self.cancel_button, self.save_button):
            self.buttons.addWidget(b)
        shortcut("Ctrl+E", self, self.start_edit, inside=True)
        shortcut("Ctrl+S", self, self.save, inside=True)
        self.show_state()

    # -- states ----------------------------------------------------------------------------
    def _clear(self) -> None:
        clear_layout(self.body_layout)
        self.forget_form()
        self.message.setVisible(False)

    def _set_buttons(self, *, edit: bool, editing: bool) -> None:
        self.edit_button.setVisible(edit)
        self.save_button.setVisible(editing)
        self.cancel_button.setVisible(editing)

    @property
    def masked(self) -> bool:
        return self.values is None

    def show_state(self) -> None:
        st = self.state
        if not st.readable:
            self._clear()
            self.body_layout.addWidget(note("Votre profil ne donne pas accès à cette section."))
            self._set_buttons(edit=False, editing=False)
            return
        if st.needs_consent and not st.consent_given:
            self._clear()
            self.body_layout.addWidget(note(
                "Cette section ne peut être remplie qu'avec un consentement explicite, donné par "
                "le jeune majeur ou par son représentant légal. Aucun consentement n'est "
                "enregistré : elle reste vide."))
            record = QPushButton("Enregistrer le consentement…")
            record.clicked.connect(lambda: self.consent_requested.emit(st.needs_consent or ""))
            self.body_layout.addWidget(record, 0, Qt.AlignmentFlag.AlignLeft)
            self.body_layout.addStretch(1)
            self._set_buttons(edit=False, editing=False)
            return
        if self.values is None:
            self._clear()
            box = QFrame()
            box.setFrameShape(QFrame.Shape.StyledPanel)
            lay = QVBoxLayout(box)
            row = QHBoxLayout()
            icon = QLabel()
            icon.setPixmap(lock_icon().pixmap(20, 20))
            row.addWidget(icon)
            row.addWidget(note(PROTECTED), 1)
            lay.addLayout(row)
            self.reveal_button = QPushButton("&Afficher")
            self.reveal_button.setAccessibleName(f"Afficher la section {self.category.label}")
            self.reveal_button.clicked.connect(self.reveal)
            lay.addWidget(self.reveal_button, 0, Qt.AlignmentFlag.AlignLeft)
            self.body_layout.addWidget(box)
            self.body_layout.addStretch(1)
            self._set_buttons(edit=False, editing=False)
            return
        self.show_read()

    def reveal(self) -> None:
        try:
            self.values = self._reveal()
        except KnownError as exc:
            self._show_message(exc.message)
            return
        self.show_read()

    def reveal_field(self, field_id: str) -> None:
        """One masked field in clear, through the journaled reveal of the service (R-4.8)."""
        if self._reveal_field is None:
            return
        try:
            value = self._reveal_field(field_id)
        except KnownError as exc:
            self._show_message(exc.message)
            return
        self.values = {**(self.values or {}), field_id: value}
        self.show_read()

    def show_read(self) -> None:
        self._clear()
        values = self.values or {}
        form = QFormLayout()
        # a field goes under its label when both do not fit side by side (narrow pane, large text)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        holder = QWidget()
        holder.setLayout(form)
        self.field_reveal_buttons = {}
        contacts = self.known_contacts()
        for field in self.category.fields:
            value = values.get(field.id)
            shown = WrappingLabel(display_value(self.catalogue, field, value, self.units, contacts))
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(field.label)
            if isinstance(value, MaskedValue) and self._reveal_field is not None:
                shown.setAccessibleName(f"{field.label} (masqué)")
                cell = QWidget()
                row = QHBoxLayout(cell)
                row.setContentsMargins(0, 0, 0, 0)
                icon = QLabel()
                icon.setPixmap(lock_icon().pixmap(16, 16))
                row.addWidget(icon)
                row.addWidget(shown, 1)
                button = QPushButton("Afficher")
                button.setAccessibleName(f"Afficher {field.label}")
                button.setToolTip(FIELD_REVEAL_TIP)
                button.clicked.connect(functools.partial(self.reveal_field, field.id))
                row.addWidget(button)
                self.field_reveal_buttons[field.id] = button
                form.addRow(form_label(f"{field.label} :"), cell)
                continue
            form.addRow(form_label(f"{field.label} :"), shown)
        self.body_layout.addWidget(holder)
        self.body_layout.addStretch(1)
        self._set_buttons(edit=self.state.writable and not self.restricted, editing=False)

    def start_edit(self) -> None:
        if not self.state.writable or self.restricted or self.values is None or self.editors:
            return
        self._clear()
        hint = reminder(self.category)
        if hint is not None:
            self.body_layout.addWidget(hint)
        form = self.open_form(self.values)
        self.body_layout.addWidget(form)
        self.body_layout.addStretch(1)
        self._set_buttons(edit=False, editing=True)
        form.focus_first()

    def raw_values(self) -> dict[str, Any]:
        """What was typed; a masked field left empty goes back masked: the service keeps it."""
        shown = self.values or {}
        values = {}
        for fid, ed in self.editors.items():
            value = ed.value()
            if value is None and isinstance(shown.get(fid), MaskedValue):
                value = shown[fid]
            values[fid] = value
        return values

    @ui_action(lambda panel, text: panel._show_message(text))
    def save(self) -> None:
        if not self.editors:
            return
        assert self.form is not None
        self.form.clear_errors()
        values = self.raw_values()
        try:
            self._save(values)
        except ValidationError as exc:
            self.form.show_error(exc)
            self._show_message(exc.message)
            return
        self.values = self._reveal()
        self.show_read()
        self.changed.emit()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)

