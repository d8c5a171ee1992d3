"""A read-only table model of text rows, for the small tables of the app (accounts, consents,
demo accounts…): filled in one reset, never cell by cell (issue 16)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ui.models.base import HeadedTableModel

Index = QModelIndex | QPersistentModelIndex


class TextRowsModel(HeadedTableModel):
    def __init__(self, headers: Sequence[str]) -> None:
        super().__init__()
        self.headers = tuple(headers)
        self._rows: list[tuple[str, ...]] = []
        self._keys: list[object] = []
        self._backgrounds: list[str | None] = []

    def set_rows(self, rows: Sequence[Sequence[str]], keys: Sequence[object] | None = None,
                 backgrounds: Sequence[str | None] | None = None) -> None:
        """``keys`` come back with ``Qt.UserRole``; ``backgrounds`` are colours or None per row."""
        width = len(self.headers)
        self.beginResetModel()
        self._rows = [tuple((list(map(str, r)) + [""] * width)[:width]) for r in rows]
        self._keys = list(keys) if keys is not None else [None] * len(self._rows)
        self._backgrounds = list(backgrounds) if backgrounds is not None else [None] * len(self._rows)
        self.endResetModel()

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def key(self, row: int) -> object:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not (0 <= index.column() < len(self.headers)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return self._keys[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole and self._backgrounds[index.row()]:
            return QBrush(QColor(self._backgrounds[index.row()]))
        return None
