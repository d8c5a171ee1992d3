"""« Journal »: review of the access journal with filters and detection aids (R-5.5)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.journal.review import COUNT_CAP, MAX_ROWS, JournalFilter, JournalReview, ReviewRow, SealState
from app.session import Session
from ui.dialogs.file_paths import ask_save_path
from ui.errors import report_error, ui_action
from ui.models.journal_model import FlaggedOnly, JournalTableModel
from ui.widgets.common import busy_bar, note, text_field
from ui.widgets.fit_columns import ColumnFit, FitColumns


class JournalPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.review = JournalReview(session)
        self.last_filter = JournalFilter()
        self.total = 0
        #: replaced in tests: returns the path chosen by the person, or None
        self.choose_path: Callable[[str, str], Path | None] = self._ask_path
        layout = QVBoxLayout(self)
        layout.addWidget(note(
            "Le journal garde six mois glissants d'accès aux données sensibles. "
            "Sa consultation et ses exports sont eux-mêmes enregistrés."))
        #: how far the journal is sealed (R-5.6), the same words as « journal verify »
        self.seal_label = note("", "sealState")
        self.seal_label.setAccessibleName("État du scellement du journal")
        layout.addWidget(self.seal_label)
        self.refresh_seal_state()

        form = QFormLayout()
        today = QDate.currentDate()
        self.use_from = QCheckBox("Du")
        self.date_from = QDateEdit(today.addMonths(-1))
        self.date_from.setDisplayFormat("dd/MM/yyyy")
        self.date_from.setCalendarPopup(True)
        self.date_from.setAccessibleName("Date de début")
        self.use_to = QCheckBox("au")
        self.date_to = QDateEdit(today)
        self.date_to.setDisplayFormat("dd/MM/yyyy")
        self.date_to.setCalendarPopup(True)
        self.date_to.setAccessibleName("Date de fin")
        period = QHBoxLayout()
        for w in (self.use_from, self.date_from, self.use_to, self.date_to):
            period.addWidget(w)
        period.addStretch(1)
        form.addRow("Période :", period)
        self.user = QComboBox()
        self.user.setAccessibleName("Utilisateur")
        self.user.addItem("Tous", None)
        for uid, name in self.review.users():
            self.user.addItem(name, uid)
        self.dossier = text_field("Numéro de dossier", max_length=20, placeholder="n° de dossier, ex. D26-00012")
        self.action = QComboBox()
        self.action.setAccessibleName("Action")
        self.action.addItem("Toutes", None)
        for code, label in self.review.actions():
            self.action.addItem(label, code)
        self.target = text_field("Donnée (catégorie ou champ)", max_length=60, placeholder="ex. sante")
        row2 = QHBoxLayout()
        filters: tuple[tuple[str, QWidget], ...] = (("Utilisateur", self.user), ("Dossier", self.dossier),
                                                     ("Action", self.action), ("Donnée", self.target))
        for label, field in filters:
            lab = QLabel(label + " :")
            lab.setBuddy(field)
            row2.addWidget(lab)
            row2.addWidget(field)
        form.addRow(row2)
        layout.addLayout(form)

        buttons = QHBoxLayout()
        self.search_button = QPushButton("&Rechercher")
        self.search_button.setObjectName("primary")
        self.search_button.clicked.connect(self.run_search)
        self.csv_button = QPushButton("Exporter en CSV…")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.pdf_button = QPushButton("Exporter en PDF…")
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.flag_only = QCheckBox("Alertes seulement")
        self.flag_only.toggled.connect(self.show_rows)
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.flag_only)
        buttons.addStretch(1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.pdf_button)
        self.verify_button = QPushButton("Vérifier l'intégrité")
        self.verify_button.setToolTip("Recalcule la chaîne d'empreintes de tout le journal")
        self.verify_button.clicked.connect(self.verify)
        buttons.addWidget(self.verify_button)
        layout.addLayout(buttons)
        self.busy = busy_bar("Vérification en cours")
        layout.addWidget(self.busy)

        self.model = JournalTableModel()
        self.proxy = FlaggedOnly()
        self.proxy.setSourceModel(self.model)
        self.model.rowsInserted.connect(self._update_status)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        # sized once from the font, never re-measured row by row (§11)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # n°, date, user, profile, dossier, data, action, alerts: the width filled, nothing
        # elided that matters (the date and the dossier number read whole), tooltips for the rest
        self.columns = FitColumns(self.table, [
            ColumnFit(0.4, 6, 2), ColumnFit(0.6, 17, 1), ColumnFit(1.2, 12, 1), ColumnFit(0.8, 11, 3),
            ColumnFit(0.5, 10, 2), ColumnFit(1.2, 12, 1), ColumnFit(1.0, 11, 1), ColumnFit(1.6, 12, 2),
        ])
        self.table.setAccessibleName("Entrées du journal")
        layout.addWidget(self.table, 1)
        self.status = note("Choisissez des filtres puis « Rechercher ».")
        layout.addWidget(self.status)
        self.setTabOrder(self.use_from, self.date_from)

    def refresh_seal_state(self) -> None:
        self.seal_label.setText(self.review.seal_state().text())

    @ui_action("status")
    def verify(self) -> None:
        """Runs off the GUI thread; the result (or the first bad entry) is shown below."""
        from app.journal.service import JournalService, VerifyReport
        from ui.worker import run_in_thread

        service = JournalService(self.session)
        job = service.background_verification()
        self.verify_button.setEnabled(False)
        self.busy.setVisible(True)

        def done(report: VerifyReport) -> None:
            self.verify_button.setEnabled(True)
            self.busy.setVisible(False)
            service.record_verification(report)
            self.status.setText(report.message)
            if report.ok:
                self.seal_label.setText(SealState(report.sealed_seq, report.sealed_at, report.unsealed,
                                                  verified=True).text())
            else:
                self.seal_label.setText("Journal altéré : voir le détail ci-dessous.")

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            self.busy.setVisible(False)
            report_error(exc, self.status.setText, self)

        run_in_thread(job, done, failed)

    def current_filter(self) -> JournalFilter:
        def day(edit: QDateEdit) -> dt.date:
            q = edit.date()
            return dt.date(q.year(), q.month(), q.day())

        return JournalFilter(
            date_from=day(self.date_from) if self.use_from.isChecked() else None,
            date_to=day(self.date_to) if self.use_to.isChecked() else None,
            user_id=self.user.currentData(),
            dossier_number=self.dossier.text().strip() or None,
            action=self.action.currentData(),
            target=self.target.text().strip() or None,
        )

    @property
    def rows(self) -> list[ReviewRow]:
        """The entries loaded so far, newest first."""
        return self.model.rows

    @ui_action("status")
    def run_search(self) -> None:
        flt = self.current_filter()
        self.refresh_seal_state()
        page = self.review.first_page(flt)
        total = self.review.count(flt)
        self.last_filter = flt
        self.model.start(page, functools.partial(self.review.next_page, flt))  # no cycle via self
        self.total = total
        self._update_status()

    def show_rows(self) -> None:
        self.proxy.set_enabled(self.flag_only.isChecked())
        self._update_status()

    def visible_rows(self) -> list[ReviewRow]:
        """What an export takes: the rows shown, loading older pages up to MAX_ROWS first."""
        self.model.load_upto(MAX_ROWS)
        rows = self.model.rows[:MAX_ROWS]
        return [r for r in rows if r.flags] if self.flag_only.isChecked() else rows

    def _update_status(self) -> None:
        if not self.model.rows and not getattr(self, "total", 0):
            self.status.setText("Aucune entrée ne correspond à ces filtres.")
            return
        total = self.total
        amount = f"plus de {COUNT_CAP:_} entrées".replace("_", "\u202f") if total >= COUNT_CAP \
            else f"{total} entrée(s)"
        loaded = len(self.model.rows)
        flagged = sum(1 for r in self.model.rows if r.flags)
        shown = "" if loaded >= total else f" ; {loaded} chargées (faites défiler pour la suite)"
        self.status.setText(f"{amount}{shown}, dont {flagged} avec une alerte parmi celles chargées.")

    def _ask_path(self, suffix: str, title: str) -> Path | None:
        return ask_save_path(self, title, f"journal.{suffix}", f"*.{suffix}")

    @ui_action("status")
    def export(self, kind: str) -> None:
        path = self.choose_path(kind, "Exporter le journal")
        if path is None:
            return
        if kind == "csv":
            self.review.export_csv(self.visible_rows(), path)
        else:
            self.review.export_pdf(self.visible_rows(), path, self.last_filter)
        self.status.setText(f"Export enregistré : {path}")

    def clear(self) -> None:
        self.model.clear()
        self.total = 0


