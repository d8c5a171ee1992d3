"""The editor of each field type (issue 9, R-4.2), keyed by the types of the registry in
``app/catalogue/field_types``: a type without an editor fails ``tests/ui/test_field_editors.py``.

An editor is a plain object holding its Qt widget; ``value()`` returns the raw input that the
type's validator then checks (the widget only offers, ``app/`` decides).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QSpinBox, QWidget

from app.catalogue import Catalogue, Field, FieldType
from app.catalogue.display import EMPTY, YESNO, YESNOUNKNOWN, display_value

RETIRED_MARK = " (ne plus utiliser)"
GONE_CONTACT = "Intervenant n° {id} (plus dans la liste)"


@dataclass(frozen=True)
class EditorContext:
    """What an editor is built from: the field, its current value and what references point to."""

    catalogue: Catalogue
    field: Field
    value: Any
    units: Mapping[int, str]
    contacts: Mapping[int, str]


class Editor(Protocol):
    @property
    def widget(self) -> QWidget: ...

    def value(self) -> Any: ...


def _combo() -> QComboBox:
    """A choice list as wide as the form allows, not as wide as its longest item: long
    vocabulary labels would otherwise squeeze the form's labels (their full text shows when
    the list opens)."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(16)
    return combo


class ComboEditor:
    """One choice in a list, or nothing (« — »)."""

    def __init__(self, choices: Iterable[tuple[str, Any]], value: Any) -> None:
        self.widget = _combo()
        self.widget.addItem(EMPTY, None)
        for label, data in choices:
            self.widget.addItem(label, data)
        self.widget.setCurrentIndex(max(self.widget.findData(value), 0))

    def value(self) -> Any:
        return self.widget.currentData()


class ChecklistEditor:
    """Several choices, ticked in a list."""

    def __init__(self, choices: Iterable[tuple[str, str]], chosen: set[str]) -> None:
        self.widget = QListWidget()
        for label, code in choices:
            entry = QListWidgetItem(label)
            entry.setData(Qt.ItemDataRole.UserRole, code)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked)
            self.widget.addItem(entry)
        self.widget.setMaximumHeight(min(160, 22 * max(3, self.widget.count()) + 6))
        # never squeezed to one line
        self.widget.setMinimumHeight(min(self.widget.maximumHeight(), 4 * 22 + 6))

    def value(self) -> list[Any]:
        items = [self.widget.item(i) for i in range(self.widget.count())]
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]


class NumberEditor:
    """A whole number within the field's bounds; one below the minimum means « — »."""

    def __init__(self, field: Field, value: Any) -> None:
        low = int(field.min if field.min is not None else 0)
        high = int(field.max if field.max is not None else 999)
        self.widget = QSpinBox()
        self.widget.setRange(low - 1, high)
        self.widget.setSpecialValueText(EMPTY)
        self.widget.setValue(int(value) if isinstance(value, int) else low - 1)

    def value(self) -> int | None:
        return None if self.widget.value() < self.widget.minimum() + 1 else self.widget.value()


class NoteEditor:
    """Bounded free text on several lines (R-4.3)."""

    def __init__(self, value: Any) -> None:
        self.widget = QPlainTextEdit()
        self.widget.setPlainText("" if value is None else str(value))
        self.widget.setTabChangesFocus(True)
        self.widget.setMaximumHeight(110)
        self.widget.setMinimumHeight(70)

    def value(self) -> str | None:
        return self.widget.toPlainText() or None


class LineEditor:
    """One line of typed text; dates and months shown the French way, with their pattern."""

    def __init__(self, text: str, *, placeholder: str = "", max_length: int | None = None) -> None:
        self.widget = QLineEdit()
        if max_length:
            self.widget.setMaxLength(max_length)
        self.widget.setPlaceholderText(placeholder)
        self.widget.setText(text)

    def value(self) -> str | None:
        return self.widget.text() or None


def _vocabulary_choices(ctx: EditorContext, keep: set[str]) -> list[tuple[str, str]]:
    """Active items, and the retired ones the value already holds (R-4.2)."""
    assert ctx.field.vocabulary
    items = ctx.catalogue.vocabulary(ctx.field.vocabulary).items
    return [(i.label + (RETIRED_MARK if i.retired else ""), i.code)
            for i in items if not i.retired or i.code in keep]


def _choice(ctx: EditorContext) -> Editor:
    return ComboEditor(_vocabulary_choices(ctx, {ctx.value}), ctx.value)


def _multi(ctx: EditorContext) -> Editor:
    chosen = set(ctx.value or [])
    return ChecklistEditor(_vocabulary_choices(ctx, chosen), chosen)


def _answers(answers: tuple[tuple[str, str], ...]) -> Callable[[EditorContext], Editor]:
    return lambda ctx: ComboEditor(((label, code) for code, label in answers), ctx.value)


def _by_name(names: Mapping[int, str]) -> list[tuple[str, int]]:
    return [(name, ident) for ident, name in sorted(names.items(), key=lambda kv: kv[1])]


def _unit(ctx: EditorContext) -> Editor:
    return ComboEditor(_by_name(ctx.units), ctx.value)


def _contact(ctx: EditorContext) -> Editor:
    """The dossier's contacts by name; a contact no longer listed stays chosen, not cleared."""
    choices = _by_name(ctx.contacts)
    if isinstance(ctx.value, int) and ctx.value not in ctx.contacts:
        choices.append((GONE_CONTACT.format(id=ctx.value), ctx.value))
    return ComboEditor(choices, ctx.value)


def _line(placeholder: str = "", *, formatted: bool = False) -> Callable[[EditorContext], Editor]:
    def make(ctx: EditorContext) -> Editor:
        if formatted and ctx.value:
            text = display_value(ctx.catalogue, ctx.field, ctx.value, ctx.units)
        else:
            text = "" if ctx.value is None else str(ctx.value)
        return LineEditor(text, placeholder=placeholder, max_length=ctx.field.max_length)
    return make


EDITORS: dict[FieldType, Callable[[EditorContext], Editor]] = {
    FieldType.TEXT: _line(),
    FieldType.NOTE: lambda ctx: NoteEditor(ctx.value),
    FieldType.CHOICE: _choice,
    FieldType.MULTI: _multi,
    FieldType.YESNO: _answers(YESNO),
    FieldType.YESNOUNKNOWN: _answers(YESNOUNKNOWN),
    FieldType.DATE: _line("jj/mm/aaaa", formatted=True),
    FieldType.MONTH: _line("mm/aaaa", formatted=True),
    FieldType.NUMBER: lambda ctx: NumberEditor(ctx.field, ctx.value),
    FieldType.NIR: _line(),
    FieldType.IBAN: _line(),
    FieldType.EMAIL: _line(),
    FieldType.PHONE: _line(),
    FieldType.REF_CONTACT: _contact,
    FieldType.REF_UNIT: _unit,
}


def make_editor(ctx: EditorContext) -> Editor:
    return EDITORS[ctx.field.type](ctx)
