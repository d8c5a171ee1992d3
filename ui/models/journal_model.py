"""Table model of the journal review (R-5.5): pages fetched as the person scrolls, never refilled cell by cell."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.journal.review import FLAG_LABELS, ReviewPage, ReviewRow
from ui.models.base import HeadedTableModel

HEADERS = ("N°", "Date", "Utilisateur", "Profil", "Dossier", "Donnée", "Action", "Alertes")
Index = QModelIndex | QPersistentModelIndex
FLAGGED_BACKGROUND = "#fde7e4"


def cells(r: ReviewRow) -> tuple[str, ...]:
    return (str(r.seq), r.when_text, r.user, r.profile_label, r.dossier, r.target_label, r.action,
            " ; ".join(FLAG_LABELS[f] for f in r.flags))


class JournalTableModel(HeadedTableModel):
    """Rows of one search; ``fetchMore`` asks the loader for the next (older) page."""

    headers = HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ReviewRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._loader: Callable[[int], ReviewPage] | None = None
        self._cursor: int | None = None
        self._flagged = QBrush(QColor(FLAGGED_BACKGROUND))

    # -- filling ---------------------------------------------------------------------------
    def start(self, page: ReviewPage, loader: Callable[[int], ReviewPage]) -> None:
        """Show a first page; ``loader(before_seq)`` returns the older page after a cursor."""
        self.beginResetModel()
        self._rows = list(page.rows)
        self._cells = [cells(r) for r in page.rows]
        self._loader = loader
        self._cursor = page.next_before
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows, self._cells, self._cursor = [], [], None
        self.endResetModel()

    @property
    def rows(self) -> list[ReviewRow]:
        return self._rows

    def row_at(self, row: int) -> ReviewRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._cursor is not None and self._loader is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        assert self._loader is not None and self._cursor is not None
        page = self._loader(self._cursor)
        self._cursor = page.next_before
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self._cells.extend(cells(r) for r in page.rows)
            self.endInsertRows()

    def load_upto(self, limit: int) -> None:
        while self.canFetchMore() and len(self._rows) < limit:
            self.fetchMore()

    # -- reading ---------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not (0 <= index.column() < len(HEADERS)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and self._rows[index.row()].flags:
            return self._flagged
        return None


class FlaggedOnly(QSortFilterProxyModel):
    """Shows only the rows with an alert when ``enabled``."""

    def __init__(self) -> None:
        super().__init__()
        self._enabled = False

    def set_enabled(self, enabled: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self._enabled = enabled
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt 6.8
            self._enabled = enabled
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._enabled:
            return True
        model = self.sourceModel()
        assert isinstance(model, JournalTableModel)
        row = model.row_at(source_row)
        return row is not None and bool(row.flags)
