"""Closed-field widgets built from the catalogue (R-4.1, R-4.2): the form is data, not code.
Each type's editor comes from the registry of ``ui/widgets/field_editors.py``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.catalogue import Catalogue, Category, Field, FieldType

# written once, in app/; re-exported for the panels
from app.catalogue.display import EMPTY as EMPTY
from app.catalogue.display import YESNO as YESNO
from app.catalogue.display import YESNOUNKNOWN as YESNOUNKNOWN
from app.catalogue.display import display_value as display_value
from ui.widgets.common import error_label
from ui.widgets.field_editors import EditorContext, make_editor


class FieldEditor(QWidget):
    """One editor for one catalogue field; ``value()`` returns raw input for the validator."""

    def __init__(self, catalogue: Catalogue, field: Field, value: Any, units: Mapping[int, str],
                 parent: QWidget | None = None, *, contacts: Mapping[int, str] | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.catalogue = catalogue
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self._editor = make_editor(EditorContext(catalogue, field, value, units, contacts or {}))
        #: the Qt widget a person types in or chooses from
        self.editor: QWidget = self._editor.widget
        self.editor.setAccessibleName(field.label)
        if field.help:
            self.editor.setToolTip(field.help)
            self.editor.setAccessibleDescription(field.help)
        layout.addWidget(self.editor)
        self.error = error_label()
        self.error.setVisible(False)
        layout.addWidget(self.error)

    def value(self) -> Any:
        return self._editor.value()

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


#: gives the dossier's contacts, id -> name, for the fields that point to one
ContactSource = Callable[[], Mapping[int, str]]


def contacts_if_needed(category: Category, contacts: ContactSource | None) -> Mapping[int, str]:
    """The dossier's contacts, asked for only when the category has a field that points to one."""
    if contacts is None or not any(f.type is FieldType.REF_CONTACT for f in category.fields):
        return {}
    return contacts()
