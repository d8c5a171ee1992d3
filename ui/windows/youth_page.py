"""« Jeunes »: the list with search-as-you-type and filters, and the open dossier (UI.md)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.dossiers.listing import YouthListing
from app.session import Session
from ui.dialogs.dossiers.new_dossier import NewDossier
from ui.errors import ui_action
from ui.models.youth_model import YouthTableModel
from ui.shortcuts import shortcut
from ui.widgets.common import choice_field, note, text_field
from ui.widgets.dossier_pane import DossierPane
from ui.widgets.fit_columns import ColumnFit, FitColumns


class YouthPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.listing = YouthListing(session)
        self.service = self.listing.service
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.search = text_field("Rechercher un jeune par nom, prénom ou numéro de dossier",
                                 placeholder="Rechercher un jeune… (nom, prénom, n° de dossier)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.unit_filter = self._filter("Filtrer par unité", [(None, "Toutes les unités"), *self.listing.units()])
        self.status_filter = self._filter("Filtrer par statut", [(None, "Tous les statuts"), *self.listing.statuses()])
        self.deadline_filter = self._filter("Filtrer par échéance", [(None, "Toutes les échéances"),
                                                                     (60, "Échéance dans les 60 jours")])
        self.new_button = QPushButton("Nouveau dossier…")
        self.new_button.setToolTip("Nouveau dossier (Ctrl+Maj+N)")
        self.new_button.clicked.connect(self.new_dossier)
        self.new_button.setVisible(self.service.can_create())
        bar.addWidget(self.search, 2)
        bar.addWidget(self.unit_filter)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.deadline_filter)
        bar.addWidget(self.new_button)
        layout.addLayout(bar)

        self.model = YouthTableModel()
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Liste des jeunes")
        # name, first name, age, unit, measure, deadline, last contact, status, number
        self.columns = FitColumns(self.table, [
            ColumnFit(1.3, 9, 1), ColumnFit(1.1, 8, 1), ColumnFit(0.3, 6, 2), ColumnFit(1.1, 11, 3),
            ColumnFit(1.5, 13, 4), ColumnFit(1.2, 18, 2), ColumnFit(1.1, 12, 5), ColumnFit(1.0, 10, 3),
            ColumnFit(1.1, 11, 6),
        ])
        self.table.activated.connect(self.open_selected)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.open_selected())
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Nombre de jeunes affichés")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.empty = note("", "notice")
        self.empty.setVisible(False)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)
        self.right = QStackedWidget()
        self.placeholder = QLabel("Choisissez un jeune dans la liste pour ouvrir son dossier.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.right.addWidget(self.placeholder)
        self.pane: DossierPane | None = None
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        # the list has the whole width until a dossier is opened (the dossier side collapsed)
        splitter.setSizes([1, 0])
        self.splitter = splitter
        layout.addWidget(splitter, 1)
        shortcut("Ctrl+F", self, self.search.setFocus)
        shortcut("Ctrl+Shift+N", self, self.new_dossier)
        self.dialog: NewDossier | None = None
        self.reload()


    def _filter(self, name: str, items: list[tuple[Any, str]]) -> QComboBox:
        combo = choice_field(name, items)
        combo.currentIndexChanged.connect(self.apply_filter)
        return combo

    def reload(self) -> None:
        self.listing.refresh()
        self.model.set_rows(self.listing.rows)
        self.apply_filter()

    def apply_filter(self) -> None:
        query = self.search.text()
        unit, status = self.unit_filter.currentData(), self.status_filter.currentData()
        deadline = self.deadline_filter.currentData()
        if not query.strip() and unit is None and status is None and deadline is None:
            rows = self.listing.rows
            self.model.show_only(None)
        else:
            rows = self.listing.filter(query, unit_id=unit, status=status, deadline_within_days=deadline)
            self.model.show_only(rows)
        total = len(self.listing.rows)
        self._show_empty_state(query, len(rows), total)
        self.count_label.setText(f"{len(rows)} jeune{'s' if len(rows) > 1 else ''} sur {total}")

    def _unfold(self) -> None:
        """Give the dossier its side of the splitter, if the list still has the whole width."""
        sizes = self.splitter.sizes()
        if len(sizes) == 2 and sizes[1] == 0:
            total = max(sum(sizes), 1160)
            self.splitter.setSizes([total * 36 // 100, total - total * 36 // 100])

    def _show_empty_state(self, query: str, shown: int, total: int) -> None:
        if shown:
            self.empty.setVisible(False)
            return
        if total == 0:
            text = "Aucun dossier pour l'instant." + (
                " Créez le premier avec « Nouveau dossier… »." if self.service.can_create() else "")
        elif query.strip():
            text = (f"Aucun jeune ne correspond à « {query.strip()[:40]} ». La recherche porte sur le "
                    "nom, le prénom et le n° de dossier ; vérifiez l'orthographe ou effacez la recherche.")
        else:
            text = "Aucun jeune ne correspond à ces filtres."
        self.empty.setText(text)
        self.empty.setVisible(True)

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        dossier_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        if dossier_id is None:
            return
        self.open_dossier(int(dossier_id))

    def _dossier_not_shown(self, text: str) -> None:
        self.placeholder.setText(text)
        self.right.setCurrentWidget(self.placeholder)
        self._unfold()
        if self.pane is not None:
            self.pane.dossier_id = -1

    @ui_action(_dossier_not_shown)
    def open_dossier(self, dossier_id: int) -> None:
        if self.pane is not None and self.pane.dossier_id == dossier_id:
            return
        if self.pane is None:
            self.pane = DossierPane(self.service, dossier_id)
            self.pane.changed.connect(self._refresh_rows)
            self.right.addWidget(self.pane)
        else:
            # the same pane, refilled: no widget tree rebuilt at each click (issue 16)
            self.pane.show_dossier(dossier_id)
        self.right.setCurrentWidget(self.pane)
        self._unfold()

    def new_dossier(self) -> None:
        if not self.service.can_create():
            return
        self.dialog = NewDossier(self.listing.units(), self.service.create_dossier, self)
        self.dialog.accepted.connect(self._created)
        self.dialog.open()

    def _created(self) -> None:
        assert self.dialog is not None
        created = self.dialog.created_id
        self.dialog.deleteLater()
        self.dialog = None
        self.reload()
        if created is not None:
            self.search.clear()
            self.open_dossier(created)

    def _refresh_rows(self) -> None:
        self.reload()

    def clear(self) -> None:
        """Drop everything shown (session lock)."""
        self.model.clear()
        self.listing.rows = []
        if self.pane is not None:
            self.right.removeWidget(self.pane)
            self.pane.deleteLater()
            self.pane = None
