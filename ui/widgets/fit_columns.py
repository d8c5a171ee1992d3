"""Columns that fill a table's width without a horizontal scrollbar (issue 15, UI.md).

Each column has a weight (its share of the width) and a priority: when the table is too
narrow for every column at its minimum, the least important ones are hidden first; texts that
do not fit are elided and the model gives the whole text as a tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

PADDING = 14  # cell margins and the sort arrow


@dataclass(frozen=True)
class ColumnFit:
    weight: float  # share of the width
    min_chars: int  # narrower than this many average characters, the column is hidden
    priority: int  # 1 = always shown; higher numbers are hidden first


class FitColumns(QObject):
    def __init__(self, table: QTableView, columns: Sequence[ColumnFit]) -> None:
        super().__init__(table)
        self.table = table
        self.columns = list(columns)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        table.viewport().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        width = self.table.viewport().width()
        char = self.table.fontMetrics().horizontalAdvance("0")
        minimum = [c.min_chars * char + PADDING for c in self.columns]
        shown = list(range(len(self.columns)))
        # hide the least important columns until their minimum widths fit
        for column in sorted(shown, key=lambda c: -self.columns[c].priority):
            if sum(minimum[c] for c in shown) <= width or self.columns[column].priority == 1:
                break
            shown.remove(column)
        spare = max(0, width - sum(minimum[c] for c in shown))
        total = sum(self.columns[c].weight for c in shown) or 1.0
        used = 0
        for column in range(len(self.columns)):
            visible = column in shown
            self.table.setColumnHidden(column, not visible)
            if not visible:
                continue
            share = minimum[column] + int(spare * self.columns[column].weight / total)
            if column == shown[-1]:
                share = max(minimum[column], width - used)  # the last one takes the rounding
            self.table.setColumnWidth(column, share)
            used += share
