"""Closed vocabularies whose members carry their French label beside their stored value."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A ``StrEnum`` declared as ``MEMBER = "stored_value", "Libellé"``: the value is what the
    database and the CLI hold, ``label`` what the screens and documents show."""

    _label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return self._label
