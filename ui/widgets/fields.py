"""Closed-field widgets built from the catalogue (R-4.1, R-4.2): the form is data, not code."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.catalogue import Catalogue, Field

# written once, in app/; re-exported for the panels
from app.catalogue.display import EMPTY as EMPTY
from app.catalogue.display import YESNO as YESNO
from app.catalogue.display import YESNOUNKNOWN as YESNOUNKNOWN
from app.catalogue.display import display_value as display_value
from ui.widgets.common import error_label


class FieldEditor(QWidget):
    """One editor for one catalogue field; ``value()`` returns raw input for the validator."""

    def __init__(self, catalogue: Catalogue, field: Field, value: Any, units: dict[int, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.catalogue = catalogue
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        t = field.type.value
        self.editor: QWidget
        if t == "choice" and field.vocabulary:
            combo = _combo()
            combo.addItem(EMPTY, None)
            vocab = catalogue.vocabulary(field.vocabulary)
            for item in vocab.items:
                if item.retired and item.code != value:
                    continue
                combo.addItem(item.label + (" (ne plus utiliser)" if item.retired else ""), item.code)
            index = combo.findData(value)
            combo.setCurrentIndex(max(index, 0))
            self.editor = combo
        elif t == "multi" and field.vocabulary:
            lst = QListWidget()
            chosen = set(value or [])
            for item in catalogue.vocabulary(field.vocabulary).items:
                if item.retired and item.code not in chosen:
                    continue
                entry = QListWidgetItem(item.label)
                entry.setData(Qt.ItemDataRole.UserRole, item.code)
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                entry.setCheckState(Qt.CheckState.Checked if item.code in chosen else Qt.CheckState.Unchecked)
                lst.addItem(entry)
            lst.setMaximumHeight(min(160, 22 * max(3, lst.count()) + 6))
            lst.setMinimumHeight(min(lst.maximumHeight(), 4 * 22 + 6))  # never squeezed to one line
            self.editor = lst
        elif t in ("yesno", "yesnounknown"):
            combo = _combo()
            combo.addItem(EMPTY, None)
            for code, label in YESNO if t == "yesno" else YESNOUNKNOWN:
                combo.addItem(label, code)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            self.editor = combo
        elif t == "ref_unit":
            combo = _combo()
            combo.addItem(EMPTY, None)
            for unit_id, name in sorted(units.items(), key=lambda kv: kv[1]):
                combo.addItem(name, unit_id)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            self.editor = combo
        elif t == "number":
            spin = QSpinBox()
            low = int(field.min if field.min is not None else 0)
            high = int(field.max if field.max is not None else 999)
            spin.setRange(low - 1, high)
            spin.setSpecialValueText(EMPTY)
            spin.setValue(int(value) if isinstance(value, int) else low - 1)
            self.editor = spin
        elif t == "note":
            text = QPlainTextEdit()
            text.setPlainText("" if value is None else str(value))
            text.setTabChangesFocus(True)
            text.setMaximumHeight(110)
            text.setMinimumHeight(70)
            self.editor = text
        else:
            line = QLineEdit()
            if field.max_length:
                line.setMaxLength(int(field.max_length))
            if t == "date":
                line.setPlaceholderText("jj/mm/aaaa")
                line.setText(display_value(catalogue, field, value, units) if value else "")
            elif t == "month":
                line.setPlaceholderText("mm/aaaa")
                line.setText(display_value(catalogue, field, value, units) if value else "")
            else:
                line.setText("" if value is None else str(value))
            self.editor = line
        self.editor.setAccessibleName(field.label)
        if field.help:
            self.editor.setToolTip(field.help)
            self.editor.setAccessibleDescription(field.help)
        layout.addWidget(self.editor)
        self.error = error_label()
        self.error.setVisible(False)
        layout.addWidget(self.error)

    def value(self) -> Any:
        e = self.editor
        if isinstance(e, QComboBox):
            return e.currentData()
        if isinstance(e, QListWidget):
            return [
                e.item(i).data(Qt.ItemDataRole.UserRole) for i in range(e.count())
                if e.item(i).checkState() == Qt.CheckState.Checked
            ]
        if isinstance(e, QSpinBox):
            return None if e.value() < e.minimum() + 1 else e.value()
        if isinstance(e, QPlainTextEdit):
            return e.toPlainText() or None
        if isinstance(e, QLineEdit):
            return e.text() or None
        return None

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


def _combo() -> QComboBox:
    """A choice list as wide as the form allows, not as wide as its longest item: long
    vocabulary labels would otherwise squeeze the form's labels (their full text shows when
    the list opens)."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(16)
    return combo
