"""The editing form of a catalogue category, for a dossier's tab and for a new entry of a
repeating category: one editor a field, labelled (« * » when required) in reading order, errors
shown next to the field (R-4.3, R-4.8)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.catalogue import Catalogue, Category, MaskedValue
from app.dossiers.model import CategoryState
from app.errors import ValidationError
from ui.widgets.common import FormLabel, note
from ui.widgets.fields import ContactSource, FieldEditor, contacts_if_needed

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


@dataclass(frozen=True)
class Section:
    """A catalogue category of one dossier as the person may see it: what it holds, what their
    profile may do with it, the names of the units, and whether the dossier is restricted."""

    catalogue: Catalogue
    category: Category
    state: CategoryState
    units: dict[int, str]
    restricted: bool = False
    #: the dossier's contacts, asked for when a field points to one
    contacts: ContactSource | None = None


class SectionPanel(QWidget):
    """The base of a dossier tab showing a category; ``editors`` holds the open form's editors
    (empty while none is open)."""

    def __init__(self, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue, self.category, self.state = section.catalogue, section.category, section.state
        self.units, self.restricted = section.units, section.restricted
        self._contacts = section.contacts
        self.form: FieldForm | None = None
        self.editors: dict[str, FieldEditor] = {}

    def known_contacts(self) -> Mapping[int, str]:
        """The dossier's contacts when the category has a field that points to one."""
        return contacts_if_needed(self.category, self._contacts)

    def open_form(self, values: Mapping[str, Any]) -> FieldForm:
        self.form = FieldForm(self.catalogue, self.category, self.units, values, contacts=self.known_contacts())
        self.editors = self.form.editors
        return self.form

    def forget_form(self) -> None:
        self.form = None
        self.editors = {}
