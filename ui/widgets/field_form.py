"""The editing form of a catalogue category, for a dossier's tab and for a new entry of a
repeating category: one editor a field, labelled (« * » when required) in reading order, errors
shown next to the field (R-4.3, R-4.8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.catalogue import Catalogue, Category, MaskedValue
from app.errors import ValidationError
from ui.widgets.common import FormLabel, note
from ui.widgets.fields import FieldEditor

MASKED_PLACEHOLDER = "Masqué : inchangé si laissé vide"
MASKED_TIP = ("Valeur masquée : laissée vide, elle est conservée telle quelle ; saisissez une "
              "nouvelle valeur pour la remplacer, ou « Afficher » d'abord pour la voir.")


def reminder(category: Category) -> QLabel | None:
    """The catalogue's reminder for the category (« À noter : … »), if it has one."""
    return note("À noter : " + category.reminder, "notice") if category.reminder else None


def form_label(text: str) -> QLabel:
    """Form labels wrap instead of squeezing the values (long French labels)."""
    return FormLabel(text)


class FieldForm(QWidget):
    """``editors`` maps each field id to its editor; a masked value is left empty with a hint
    (the service keeps it when it stays empty)."""

    def __init__(self, catalogue: Catalogue, category: Category, units: dict[int, str],
                 values: Mapping[str, Any], parent: QWidget | None = None, *,
                 contacts: Mapping[int, str] | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        # a field goes under its label when both do not fit side by side (narrow pane, large text)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.editors: dict[str, FieldEditor] = {}
        previous: QWidget | None = None
        for field in category.fields:
            value = values.get(field.id)
            masked = isinstance(value, MaskedValue)
            editor = FieldEditor(catalogue, field, None if masked else value, units, contacts=contacts)
            if masked and isinstance(editor.editor, QLineEdit):
                editor.editor.setPlaceholderText(MASKED_PLACEHOLDER)
                editor.editor.setToolTip(MASKED_TIP)
            label = form_label(f"{field.label}{' *' if field.required else ''} :")
            label.setBuddy(editor.editor)
            form.addRow(label, editor)
            self.editors[field.id] = editor
            if previous is not None:
                QWidget.setTabOrder(previous, editor.editor)
            previous = editor.editor

    def values(self) -> dict[str, Any]:
        return {fid: editor.value() for fid, editor in self.editors.items()}

    def clear_errors(self) -> None:
        for editor in self.editors.values():
            editor.set_error(None)

    def show_error(self, exc: ValidationError) -> None:
        """The refusal next to its field, when it is one of the form's."""
        if exc.field_id in self.editors:
            self.editors[exc.field_id].set_error(exc.message)

    def focus_first(self) -> None:
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.editor.setFocus()
