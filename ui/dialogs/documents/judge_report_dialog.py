"""« Rapport au juge… » (R-8.3, UI.md): recipient court, sections (sensitive ones unticked),
the author's observations and proposals, optional encryption with a password shown once."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.exports import generate_password
from app.judge_report import JudgeReportService
from app.judge_sections import DEFAULT_PURPOSE, SECTIONS
from app.session import Session
from ui.errors import ui_action
from ui.widgets.common import dialog_buttons, error_label
from ui.widgets.export_target import ExportTarget

SEND_APART = ("Mot de passe du PDF : {password}\n\nNotez-le maintenant : il ne sera plus affiché. "
              "Transmettez-le par un autre canal que le fichier (téléphone, SMS), jamais dans le même courriel.")


class JudgeReportDialog(QDialog):
    done_ok = Signal()

    def __init__(self, session: Session, dossier_id: int, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rapport au juge des enfants")
        self.service = JudgeReportService(session)
        self.dossier_id = dossier_id
        layout = QVBoxLayout(self)
        self.target = ExportTarget(f"rapport-{number}.pdf", "PDF (*.pdf)", recipient="Juge des enfants — ",
                                   purpose=DEFAULT_PURPOSE, recipient_label="&Tribunal destinataire :")
        layout.addWidget(self.target)
        box = QGroupBox("Sections du rapport")
        inner = QVBoxLayout(box)
        self.checks: dict[str, QCheckBox] = {}
        for spec in SECTIONS:
            label = spec.title + (" — sensible : sa lecture est journalisée" if spec.sensitive else "")
            check = QCheckBox(label)
            check.setChecked(not spec.sensitive)  # sensitive items only where explicitly ticked
            inner.addWidget(check)
            self.checks[spec.id] = check
        layout.addWidget(box)
        self.observations = QPlainTextEdit()
        self.observations.setAccessibleName("Observations")
        self.observations.setPlaceholderText("Observations")
        self.observations.setMaximumHeight(70)
        self.proposals = QPlainTextEdit()
        self.proposals.setAccessibleName("Propositions")
        self.proposals.setPlaceholderText("Propositions")
        self.proposals.setMaximumHeight(70)
        layout.addWidget(self.observations)
        layout.addWidget(self.proposals)
        self.encrypt = QCheckBox("&Chiffrer le PDF (un mot de passe est créé et affiché une seule fois)")
        layout.addWidget(self.encrypt)
        layout.addWidget(QLabel("Le rapport porte la mention « Confidentiel » et est inscrit au registre "
                                "des communications."))
        self.message = error_label()
        layout.addWidget(self.message)
        self.buttons, self.save_button = dialog_buttons(self, "&Enregistrer le rapport", self.save)
        layout.addWidget(self.buttons)
        self.password_box: QMessageBox | None = None

    @ui_action("message")
    def save(self) -> None:
        sections = [key for key, check in self.checks.items() if check.isChecked()]
        password = generate_password() if self.encrypt.isChecked() else None
        request = self.target.request()
        self.service.send(self.dossier_id, sections, court=request.recipient, out=self.target.out_path(),
                          request=request, observations=self.observations.toPlainText(),
                          proposals=self.proposals.toPlainText(), password=password)
        self.done_ok.emit()
        if password is None:
            self.accept()
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Mot de passe du rapport chiffré")
        box.setText(SEND_APART.format(password=password))
        box.finished.connect(lambda _: self.accept())
        self.password_box = box
        box.open()
