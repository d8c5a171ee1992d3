"""A table view over a TextRowsModel, set up the way every table of Sillage is (UI.md)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.models.text_rows import TextRowsModel


class TextTable(QTableView):
    def __init__(self, headers: Sequence[str], accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = TextRowsModel(headers)
        self.setModel(self.rows)
        self.setAccessibleName(accessible_name)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def rowCount(self) -> int:
        return self.rows.rowCount()

    def text(self, row: int, column: int) -> str:
        return self.rows.text(row, column)

    def current_row(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1
