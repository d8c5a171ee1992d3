"""The rights register as a table model (R-7.1): overdue requests are marked by an icon and
words as well as colour (UI.md), requests due within a week in amber."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.rights.model import RequestStatus, RightsRequest
from reports.french import short_date
from ui.icons import warning_icon
from ui.models.base import HeadedTableModel

Index = QModelIndex | QPersistentModelIndex

HEADERS = ("N°", "Demande", "Demandeur", "Dossier", "Reçue le", "Échéance", "État")
STATE_COLUMN = HEADERS.index("État")
DUE_SOON_DAYS = 7
RED, RED_BACKGROUND = "#a61b1b", "#fbe9e9"
AMBER, AMBER_BACKGROUND = "#8a5a00", "#fdf3dc"


def state_text(r: RightsRequest) -> str:
    if r.status is RequestStatus.ANSWERED:
        return f"Répondue le {short_date(r.answered_on)}"
    if r.status is RequestStatus.REFUSED:
        return f"Refusée le {short_date(r.answered_on)}"
    days = r.days_left or 0
    if r.overdue:
        return f"En retard de {-days} j"
    if days == 0:
        return "À répondre aujourd'hui"
    return f"En cours — {days} j restant{'s' if days > 1 else ''}"


def level(r: RightsRequest) -> str | None:
    """"overdue", "soon" or None."""
    if r.overdue:
        return "overdue"
    if r.days_left is not None and r.days_left <= DUE_SOON_DAYS:
        return "soon"
    return None


class RightsModel(HeadedTableModel):
    headers = HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._requests: list[RightsRequest] = []
        self._rows: list[tuple[str, ...]] = []

    def set_rows(self, requests: Sequence[RightsRequest]) -> None:
        self.beginResetModel()
        self._requests = list(requests)
        self._rows = [(
            str(r.id), r.kind.label, f"{r.requester} ({r.requester_role.label})", r.dossier_number or "—",
            short_date(r.received_on),
            short_date(r.due_on) + (" (prolongée)" if r.extended else ""),
            state_text(r),
        ) for r in self._requests]
        self.endResetModel()

    def request(self, row: int) -> RightsRequest | None:
        return self._requests[row] if 0 <= row < len(self._requests) else None

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (
                0 <= index.column() < len(HEADERS)):
            return None
        row, column = index.row(), index.column()
        r = self._requests[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[row][column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._rows[row][column]
            return f"{text} — en retard" if column == 0 and r.overdue else text
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        state = level(r)
        if role == Qt.ItemDataRole.DecorationRole and column == STATE_COLUMN and state:
            return warning_icon(RED if state == "overdue" else AMBER)
        if role == Qt.ItemDataRole.ForegroundRole and state:
            return QBrush(QColor(RED if state == "overdue" else AMBER))
        if role == Qt.ItemDataRole.BackgroundRole and state:
            return QBrush(QColor(RED_BACKGROUND if state == "overdue" else AMBER_BACKGROUND))
        return None
