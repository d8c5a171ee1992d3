"""A table view over a TextRowsModel, set up the way every table of Sillage is (UI.md)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.models.text_rows import TextRowsModel


def set_up_table(view: QTableView, accessible_name: str, *, several: bool = False,
                 alternating: bool = False) -> None:
    """Read-only rows selected whole, Tab leaving the table, rows of one fixed height sized
    from the font (never measured row by row), no row numbers."""
    view.setAccessibleName(accessible_name)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if several
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    view.setAlternatingRowColors(alternating)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)


class TextTable(QTableView):
    def __init__(self, headers: Sequence[str], accessible_name: str, parent: QWidget | None = None,
                 *, alternating: bool = False) -> None:
        super().__init__(parent)
        self.rows = TextRowsModel(headers)
        self.setModel(self.rows)
        set_up_table(self, accessible_name, alternating=alternating)

    def rowCount(self) -> int:
        return self.rows.rowCount()

    def text(self, row: int, column: int) -> str:
        return self.rows.text(row, column)

    def current_row(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1
