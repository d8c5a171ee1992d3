"""The password prompt of the login window, the lock screen, the change of password and the
first run: written once, so that every password field is masked, bounded, labelled and named
for screen readers alike, and every new password gets its confirmation and its live strength
message (R-3.4)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from app.auth.password_policy import MAX_LENGTH
from ui.widgets.common import note, text_field


@dataclass(frozen=True)
class Field:
    #: the form label, with its keyboard shortcut (« &Mot de passe »)
    label: str
    #: what a screen reader says
    name: str


PASSWORD = Field("&Mot de passe", "Mot de passe")


class PasswordPrompt(QWidget):
    """A form: the ``before`` rows (identifiant…), then the password to check (``current``)
    and/or a new password with its confirmation and strength (``new`` and ``strength``, which
    rates a candidate password in words). The rows share one label column."""

    def __init__(self, *, before: Sequence[tuple[str, QWidget]] = (), current: Field | None = PASSWORD,
                 new: tuple[Field, Field] | None = None, strength: Callable[[str], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        for label, widget in before:
            self.form.addRow(label, widget)
        self._current = self._add(current) if current else None
        self._new = self._add(new[0]) if new else None
        self._repeat = self._add(new[1]) if new else None
        self.strength = note("")
        self.strength.setAccessibleName("Solidité du mot de passe")
        if strength is not None and self._new is not None:
            self.form.addRow(self.strength)
            new_edit = self._new
            new_edit.textChanged.connect(lambda: self.strength.setText(strength(new_edit.text())))
        else:
            self.strength.hide()

    def _add(self, field: Field) -> QLineEdit:
        edit = text_field(field.name, max_length=MAX_LENGTH)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(field.label, edit)
        return edit

    @property
    def current(self) -> QLineEdit:
        assert self._current is not None, "no current password asked"
        return self._current

    @property
    def new(self) -> QLineEdit:
        assert self._new is not None, "no new password asked"
        return self._new

    @property
    def repeat(self) -> QLineEdit:
        assert self._repeat is not None, "no new password asked"
        return self._repeat

    def repeated_alike(self) -> bool:
        return self.new.text() == self.repeat.text()

    def clear(self) -> None:
        """Forget what was typed (after a success, a failure or a lock)."""
        for edit in (self._current, self._new, self._repeat):
            if edit is not None:
                edit.clear()
