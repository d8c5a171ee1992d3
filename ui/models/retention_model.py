"""Table model of the « À traiter » panel (R-6.2, R-6.5): no sensitive value (R-4.7).

Overdue rows are said three ways: a warning icon, the word « Dépassée » and red text, so that
colour is never the only sign (UI.md). Rows due soon are amber with « dans N jours ».
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.retention.model import AGE_LIMIT_PROTECTED, DecisionKind, DueDossier, RetentionState
from reports.french import deadline, short_date
from ui.icons import warning_icon
from ui.models.base import HeadedTableModel
from ui.style import DANGER, WARNING

COLUMNS = ("Jeune", "N° dossier", "Unité", "Dernier contact", "Date limite", "Motif", "État", "Proposition")
STATE_COLUMN = 6

Index = QModelIndex | QPersistentModelIndex


def reason_text(row: DueDossier) -> str:
    """Why the dossier is on the panel, in a few words."""
    if row.proposal is not None and row.proposal.kind is DecisionKind.PROPOSE_DEATH:
        return "Décès signalé"
    if row.state is RetentionState.AGE_LIMIT:
        limit = AGE_LIMIT_PROTECTED if (row.age or 0) >= AGE_LIMIT_PROTECTED else 21
        return f"Âge : {limit} ans atteints" if limit == AGE_LIMIT_PROTECTED else \
            "Âge : 21 ans atteints (25 si protection particulière)"
    if row.state is RetentionState.HOLD_REVIEW:
        return "Contentieux : date de réexamen"
    if row.state is RetentionState.ARCHIVE_ENDED:
        return "Fin de l'archivage intermédiaire"
    return f"Durée de {row.years} ans atteinte"


def reason_detail(row: DueDossier) -> str:
    """The tooltip of the reason: where the duration is counted from, the age flag."""
    start = ("le dernier contact" if row.last_contact_on else
             "l'ouverture du dossier (aucun contact enregistré)")
    text = f"{reason_text(row)} — {row.years} ans comptés depuis {start}"
    return f"{text} ; {row.age_flag}" if row.age_flag else text


def state_text(row: DueDossier) -> str:
    """The state in words: an overdue row says « Dépassée », never by colour alone (R-6.5)."""
    days = row.days_left
    if row.state.overdue:
        return deadline(days) if days < 0 else "Dépassée"
    if row.state is RetentionState.DUE_SOON:
        return deadline(days)
    return row.state.label


def proposal_text(row: DueDossier) -> str:
    if row.proposal is None:
        return ""
    return f"{row.proposal.kind.label} par {row.proposal.by} le {short_date(row.proposal.on)}"


class RetentionTableModel(HeadedTableModel):
    headers = COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DueDossier] = []

    def set_rows(self, rows: list[DueDossier]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> DueDossier | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, dossier_id: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.dossier_id == dossier_id), -1)

    def rows(self) -> list[DueDossier]:
        return list(self._rows)

    def text(self, row: DueDossier, column: int) -> str:
        if column == 0:
            return f"{row.last_name} {row.first_names}"
        if column == 1:
            return row.number
        if column == 2:
            return row.unit_name
        if column == 3:
            return short_date(row.last_contact_on) or "aucun"
        if column == 4:
            return short_date(row.limit_date)
        if column == 5:
            return reason_text(row)
        if column == 6:
            return state_text(row)
        return proposal_text(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        column = index.column()
        if not 0 <= column < len(COLUMNS):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 5:
                return reason_detail(row)
            if column == 7 and row.proposal is not None:
                return f"{proposal_text(row)} — motif : {row.proposal.reason}"
            return self.text(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == STATE_COLUMN and row.state.overdue:
            return warning_icon(DANGER)
        if role == Qt.ItemDataRole.ForegroundRole and column in (4, STATE_COLUMN):
            if row.state.overdue:
                return QBrush(QColor(DANGER))
            if row.state is RetentionState.DUE_SOON:
                return QBrush(QColor(WARNING))
        if role == Qt.ItemDataRole.UserRole:
            return row.dossier_id
        return None
