"""« Archives »: the intermediate archive for `archiviste` (R-3.5, R-6.3, REF 47–48).

Each consultation asks its written reason in a dialog; the service journals it and opens the
dossier, read-only, in a consultation window; closing the window ends the consultation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dossiers.service import DossierService
from app.retention.archive import ArchivedDossier, ArchiveService
from app.session import Session
from reports.french import short_date
from ui.dialogs.retention import Answer, DecisionDialog
from ui.errors import ui_action
from ui.widgets.common import note, page_layout, show_message
from ui.widgets.fit_columns import ColumnFit, FitColumns
from ui.widgets.text_table import TextTable


class ArchiveConsultation(QDialog):
    """The archived dossier, read-only, for the time of one motivated consultation."""

    def __init__(self, session: Session, dossier_id: int, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.widgets.dossier_pane import DossierPane

        self.archive = ArchiveService(session)
        self.dossier_id = dossier_id
        self.setWindowTitle("Consultation d'archive")
        layout = QVBoxLayout(self)
        self.banner = note(f"Consultation d'archive, en lecture seule — motif : {reason}. "
                           "Elle est inscrite au journal des accès ; fermez cette fenêtre pour la terminer.",
                           "restrictedBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.banner)
        self.pane = DossierPane(DossierService(session), dossier_id)
        layout.addWidget(self.pane, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton("&Fermer la consultation")
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.finished.connect(lambda _: self.archive.end(dossier_id))
        self.resize(1100, 680)


class ArchivePage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.service = ArchiveService(session)
        self.dialog: QDialog | None = None
        self.consultation: ArchiveConsultation | None = None
        layout = page_layout(
            self, "Archives intermédiaires",
            "Dossiers sortis de la base active jusqu'à la fin de leur archivage. Seul l'archiviste les "
            "consulte, en lecture seule ; chaque consultation demande un motif écrit, inscrit au "
            "journal des accès avec votre nom.", intro_style="subtitle", margins=8)
        self.table = TextTable(("Jeune", "N° dossier", "Unité", "Archivé le", "Fin de l'archivage",
                                "Motif de l'archivage"), "Dossiers en archive intermédiaire", alternating=True)
        self.model = self.table.rows
        FitColumns(self.table, [ColumnFit(1.4, 12, 1), ColumnFit(0.9, 9, 1), ColumnFit(1.2, 9, 3),
                                ColumnFit(0.8, 10, 2), ColumnFit(1.0, 10, 1), ColumnFit(2.6, 14, 2)])
        self.table.activated.connect(lambda _: self.ask_consult())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.consult_button = QPushButton("&Consulter…")
        self.consult_button.setObjectName("primary")
        self.consult_button.setToolTip("Ouvrir le dossier choisi en indiquant le motif de la consultation")
        self.consult_button.clicked.connect(self.ask_consult)
        row.addWidget(self.consult_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = note()
        layout.addWidget(self.message)
        self.rows: list[ArchivedDossier] = []
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.reload()

    @ui_action(lambda page, text: show_message(page.message, text))
    def reload(self) -> None:
        self.rows = self.service.archived()
        self.model.set_rows(
            [(f"{r.last_name} {r.first_names}", r.number, r.unit_name, short_date(r.archived_on),
              short_date(r.until_on) or "non fixée", r.reason or "—") for r in self.rows],
            keys=[r.dossier_id for r in self.rows])
        if not self.rows:
            show_message(self.message, "Aucun dossier n'est en archive intermédiaire.", "notice")
        self._update()

    def selected(self) -> ArchivedDossier | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if len(rows) == 1 and rows[0].row() < len(self.rows) else None

    def _update(self) -> None:
        self.consult_button.setEnabled(self.selected() is not None)

    def ask_consult(self) -> None:
        row = self.selected()
        if row is None:
            return

        def consult(answer: Answer) -> object:
            self.service.consult(row.dossier_id, answer.reason)
            return answer.reason.strip()

        dialog = DecisionDialog(
            "Consulter un dossier archivé",
            f"Le dossier {row.number} ({row.last_name} {row.first_names}) est en archive intermédiaire. "
            "Indiquez pourquoi vous le consultez (demande d'un juge, réclamation, contentieux…) : "
            "le motif est inscrit au journal des accès avec votre nom et l'heure.",
            "Consulter", consult, reason_name="Motif de la consultation",
            reason_hint="ex. Réquisition du parquet du 02/12/2026. N'y écrivez pas le nom du jeune.",
            parent=self)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.open_consultation(row.dossier_id, str(dialog.result_value)))
        dialog.open()

    @ui_action(lambda page, text: show_message(page.message, text))
    def open_consultation(self, dossier_id: int, reason: str) -> None:
        opened = False
        try:
            window = ArchiveConsultation(self.session, dossier_id, reason, self)
            opened = True
        finally:
            if not opened:  # the consultation ends with the window that could not open
                self.service.end(dossier_id)
        self.consultation = window
        window.finished.connect(lambda _: show_message(
            self.message, "Consultation terminée. Elle reste inscrite au journal des accès.", "notice"))
        window.open()
