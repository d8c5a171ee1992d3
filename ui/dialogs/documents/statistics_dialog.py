"""« Statistiques anonymisées… » (R-8.4): the year, to whom and why, CSV or PDF by the name."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from app.session import Session
from app.statistics import StatisticsService
from ui.errors import ui_action
from ui.widgets.common import dialog_buttons, error_label
from ui.widgets.export_target import ExportTarget


class StatisticsDialog(QDialog):
    done_ok = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Statistiques anonymisées")
        self.service = StatisticsService(session)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.year = QSpinBox()
        this_year = session.clock.now().year
        self.year.setRange(2000, this_year)
        self.year.setValue(this_year - 1 if session.clock.now().month < 3 else this_year)
        self.year.setAccessibleName("Année")
        form.addRow("&Année :", self.year)
        layout.addLayout(form)
        self.target = ExportTarget(f"statistiques-{self.year.value()}.pdf", "PDF (*.pdf);;CSV (*.csv)",
                                   purpose="Rapport d'activité annuel")
        layout.addWidget(self.target)
        layout.addWidget(QLabel("Aucun effectif de 1 à 4 n'est publié (« <5 »), ni ce qui permettrait de le "
                                "retrouver (« masqué »). Fichier .pdf ou .csv."))
        self.message = error_label()
        layout.addWidget(self.message)
        self.buttons, self.save_button = dialog_buttons(self, "&Enregistrer", self.save)
        layout.addWidget(self.buttons)

    @ui_action("message")
    def save(self) -> None:
        self.service.export(self.year.value(), self.target.out_path(), self.target.request())
        self.done_ok.emit()
        self.accept()
