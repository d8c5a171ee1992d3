"""Table model of the youth list: non-sensitive columns only (R-4.7), filtered as you type (R-4.9).

The model holds every row once, sorted in Python, and shows the subset a search selects: a
keystroke costs one pass over the folded keys and a model reset, never a sort through Qt calling
back into Python for each comparison (issue 16).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.dossiers.search import YouthListRow
from reports.french import short_date, years
from ui.icons import warning_icon
from ui.models.base import HeadedTableModel
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
DEADLINE_WORDS = {"overdue": "dépassée", "soon": "dans moins de 60 jours"}

Index = QModelIndex | QPersistentModelIndex


def _sort_key(key: str) -> Callable[[YouthListRow], Any]:
    if key == "age":
        return lambda r: -1 if r.age is None else r.age

    def text(r: YouthListRow) -> Any:
        value = getattr(r, key)
        return "" if value is None else str(value).casefold()

    return text


class YouthTableModel(HeadedTableModel):
    headers = tuple(label for _, label in COLUMNS)

    def __init__(self) -> None:
        super().__init__()
        self._all: list[YouthListRow] = []
        self._rows: list[YouthListRow] = []
        self._shown: set[int] | None = None  # ids a search selected; None: all
        self._sort = (0, Qt.SortOrder.AscendingOrder)

    # -- filling ---------------------------------------------------------------------------
    def set_rows(self, rows: list[YouthListRow]) -> None:
        """Every row of the list (after a refresh); the current search stays applied."""
        self.beginResetModel()
        self._all = self._sorted(rows)
        self._rows = self._visible()
        self.endResetModel()

    def show_only(self, rows: Iterable[YouthListRow] | None) -> None:
        """Show the rows a search selected (``None``: all), in the current order."""
        shown = None if rows is None else {r.id for r in rows}
        if shown is None and self._shown is None:
            return
        self.beginResetModel()
        self._shown = shown
        self._rows = self._visible()
        self.endResetModel()

    def clear(self) -> None:
        self._shown = None
        self.set_rows([])

    def _visible(self) -> list[YouthListRow]:
        if self._shown is None:
            return self._all
        shown = self._shown
        return [r for r in self._all if r.id in shown]

    def _sorted(self, rows: list[YouthListRow]) -> list[YouthListRow]:
        column, order = self._sort
        return sorted(rows, key=_sort_key(COLUMNS[column][0]),
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[i.row()].id if 0 <= i.row() < len(self._rows) else None for i in old]
        self._sort = (column, order)
        self._all = self._sorted(self._all)
        self._rows = self._visible()
        position = {r.id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(old, [
            self.index(position[i], index.column()) if i in position else QModelIndex()
            for i, index in zip(ids, old, strict=True)])
        self.layoutChanged.emit()

    # -- reading ---------------------------------------------------------------------------
    def row_at(self, row: int) -> YouthListRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, dossier_id: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.id == dossier_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not (0 <= index.column() < len(COLUMNS)):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            value = getattr(row, key)
            if key == "next_deadline":
                text = short_date(value)
                if row.deadline_state == "overdue" and text:
                    return f"{text} dépassée"
                if role != Qt.ItemDataRole.DisplayRole and row.deadline_state == "soon" and text:
                    return f"{text}, {DEADLINE_WORDS['soon']}"
                return text
            if key == "last_contact_on":
                return short_date(value)
            if key == "age":
                return years(value)
            return value
        if role == Qt.ItemDataRole.DecorationRole and key == "next_deadline" \
                and row.deadline_state == "overdue":
            return warning_icon(DANGER)
        if role == Qt.ItemDataRole.ForegroundRole and key == "next_deadline":
            if row.deadline_state == "overdue":
                return QBrush(QColor(DANGER))
            if row.deadline_state == "soon":
                return QBrush(QColor(WARNING))
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
