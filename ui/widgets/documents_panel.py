"""The dossier's « Documents » tab (UI.md): notices delivered, the register of communications,
the "no notice delivered" flag (R-8.2), and the document dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.auth.permissions import Right, has_right
from app.communications import CommunicationsService
from app.notices.audiences import RULES
from app.notices.service import NoticeService
from app.session import Session
from reports.french import date_time, short_date
from ui.errors import ui_action
from ui.widgets.common import error_label, show_message
from ui.widgets.subject_export_action import SubjectExportAction, ask_export_folder, export_progress

NO_NOTICE = "Aucune notice d'information n'a encore été remise pour ce dossier."


class DocumentsPanel(QWidget):
    changed = Signal()

    def __init__(self, session: Session, dossier_id: int, *, person: str, number: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dossier_id = dossier_id
        self.person, self.number = person, number
        profile = session.user.profile
        layout = QVBoxLayout(self)
        self.flag = error_label()
        layout.addWidget(self.flag)
        layout.addWidget(QLabel("Notices remises"))
        self.deliveries = QListWidget()
        self.deliveries.setAccessibleName("Notices remises")
        layout.addWidget(self.deliveries)
        layout.addWidget(QLabel("Registre des communications"))
        self.register = QListWidget()
        self.register.setAccessibleName("Registre des communications")
        layout.addWidget(self.register)
        row = QHBoxLayout()
        self.notice_button = QPushButton("Remettre une notice…")
        self.notice_button.clicked.connect(self.open_notice)
        self.report_button = QPushButton("Rapport au juge…")
        self.report_button.clicked.connect(self.open_report)
        self.export_button = QPushButton("Exporter (droit d'accès)…")
        self.export_button.setToolTip("PDF lisible et fichier JSON de tout ce que le dossier contient, "
                                      "inscrits au registre des droits")
        self.export_button.clicked.connect(self.open_export)
        self.notice_button.setVisible(has_right(profile, Right.DELIVER_NOTICE))
        self.report_button.setVisible(has_right(profile, Right.JUDGE_REPORT))
        self.export_button.setVisible(has_right(profile, Right.EXPORT) and has_right(profile, Right.RIGHTS_REGISTER))
        row.addWidget(self.notice_button)
        row.addWidget(self.report_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = export_progress()
        layout.addWidget(self.progress)
        self.message = error_label()
        layout.addWidget(self.message)
        #: replaced in tests: the folder chosen for the export, or None
        self.choose_folder: Callable[[], Path | None] = lambda: ask_export_folder(self)
        self.dialog: QWidget | None = None
        self.refresh()

    @ui_action("message")
    def refresh(self) -> None:
        deliveries = NoticeService(self.session).deliveries(self.dossier_id)
        sent = CommunicationsService(self.session).for_dossier(self.dossier_id)
        self.flag.setText("" if deliveries else NO_NOTICE)
        self.flag.setVisible(not deliveries)
        self.deliveries.clear()
        for d in deliveries:
            self.deliveries.addItem(
                f"{short_date(d.delivered_on)} — {RULES[d.audience].label} ({d.lang}, version {d.text_version}) — "
                f"remise à {d.recipient} par {d.delivered_by or 'un compte supprimé'}")
        self.register.clear()
        for c in sent:
            sections = f" — sections : {', '.join(c.sections)}" if c.sections else ""
            locked = " — chiffré" if c.encrypted else ""
            self.register.addItem(
                f"{date_time(c.sent_at)} — {c.kind_label} — à {c.recipient} — motif : {c.purpose}{sections}"
                f"{locked} — par {c.author}")

    def _after(self) -> None:
        self.refresh()
        self.changed.emit()

    def open_notice(self) -> None:
        from ui.dialogs.documents.notice_dialog import NoticeDialog

        dialog = NoticeDialog(self.session, self.dossier_id, self.person, self)
        dialog.done_ok.connect(self._after)
        self.dialog = dialog
        dialog.open()

    def open_report(self) -> None:
        from ui.dialogs.documents.judge_report_dialog import JudgeReportDialog

        dialog = JudgeReportDialog(self.session, self.dossier_id, self.number, self)
        dialog.done_ok.connect(self._after)
        self.dialog = dialog
        dialog.open()

    def open_export(self) -> None:
        """R-7.2 from the dossier: answers its open access / portability requests, or is recorded
        in the rights register as a new, answered entry."""
        from app.rights.subject_export import SubjectExportService

        action = SubjectExportAction(self, SubjectExportService(self.session), self.progress,
                                     lambda text, kind: show_message(self.message, text, kind),
                                     lambda: self.choose_folder(), lambda _result: self._after())
        action.start(self.dossier_id)
