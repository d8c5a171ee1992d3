"""Table model of the youth list: non-sensitive columns only (R-4.7), filtered as you type (R-4.9)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.dossiers.search import YouthListRow, french_date
from ui.style import DANGER, WARNING

COLUMNS = (
    ("last_name", "Nom"),
    ("first_names", "Prénom"),
    ("age", "Âge"),
    ("unit", "Unité"),
    ("measure", "Mesure"),
    ("next_deadline", "Échéance"),
    ("last_contact_on", "Dernier contact"),
    ("status_label", "Statut"),
    ("number", "N° dossier"),
)

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class YouthTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[YouthListRow] = []

    def set_rows(self, rows: list[YouthListRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> YouthListRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not (0 <= index.column() < len(COLUMNS)):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            value = getattr(row, key)
            if key in ("next_deadline", "last_contact_on"):
                return french_date(value)
            if key == "age":
                return "" if value is None else f"{value} ans"
            return value
        if role == Qt.ItemDataRole.ForegroundRole and key == "next_deadline":
            if row.deadline_state == "overdue":
                return QBrush(QColor(DANGER))
            if row.deadline_state == "soon":
                return QBrush(QColor(WARNING))
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == SORT_ROLE:
            value = getattr(row, key)
            if value is None:
                return -1 if key == "age" else ""
            return value if key == "age" else str(value).casefold()
        return None
