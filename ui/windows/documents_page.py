"""« Documents » (sidebar, direction): anonymised statistics for financers and the activity
report (R-8.4), and the statistics already sent."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QWidget

from app.communications import CommunicationsService
from app.session import Session
from reports.french import date_time
from ui.errors import ui_action
from ui.widgets.common import button_row, error_label, page_layout


class DocumentsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = page_layout(self, "Documents", "Les notices d'information et les rapports au juge se préparent "
                             "depuis l'onglet « Documents » de chaque dossier. Les statistiques anonymisées se "
                             "préparent ici.", title_style="subtitle")
        self.stats_button = QPushButton("Statistiques anonymisées…")
        self.stats_button.clicked.connect(self.open_statistics)
        layout.addLayout(button_row(self.stats_button))
        layout.addWidget(QLabel("Statistiques déjà communiquées"))
        self.sent = QListWidget()
        self.sent.setAccessibleName("Statistiques déjà communiquées")
        layout.addWidget(self.sent, 1)
        self.message = error_label()
        layout.addWidget(self.message)
        self.dialog: QWidget | None = None
        self.refresh()

    @ui_action("message")
    def refresh(self) -> None:
        rows = CommunicationsService(self.session).statistics()
        self.sent.clear()
        for c in rows:
            self.sent.addItem(f"{date_time(c.sent_at)} — à {c.recipient} — motif : {c.purpose} — par {c.author}")

    def open_statistics(self) -> None:
        from ui.dialogs.documents.statistics_dialog import StatisticsDialog

        dialog = StatisticsDialog(self.session, self)
        dialog.done_ok.connect(self.refresh)
        self.dialog = dialog
        dialog.open()
