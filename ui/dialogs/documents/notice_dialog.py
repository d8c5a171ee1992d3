"""« Remettre une notice… »: the audience and language, to whom it is given, where to save it
(R-8.1, R-8.2). The delivery is recorded with the version of the text."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from app.notices.audiences import RULES, NoticeAudience
from app.notices.service import PURPOSE, NoticeService
from app.notices.texts import available_languages
from app.session import Session
from ui.errors import ui_action
from ui.widgets.common import choice_field, dialog_buttons, error_label, note
from ui.widgets.export_target import ExportTarget

LANGUAGE_LABELS = {"fr": "Français", "en": "Anglais"}


class NoticeDialog(QDialog):
    done_ok = Signal()

    def __init__(self, session: Session, dossier_id: int, person: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Remettre une notice d'information")
        self.service = NoticeService(session)
        self.dossier_id = dossier_id
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.audience = choice_field("Public de la notice",
                                     [(audience.value, RULES[audience].label) for audience in NoticeAudience])
        languages = sorted(available_languages(), key=lambda code: (code != "fr", code))  # French first
        self.lang = choice_field("Langue de la notice", [(lang, LANGUAGE_LABELS.get(lang, lang)) for lang in languages])
        form.addRow("&Public :", self.audience)
        form.addRow("&Langue :", self.lang)
        layout.addLayout(form)
        self.preview = note()
        self.preview.setAccessibleName("Aperçu de la notice")
        layout.addWidget(self.preview)
        self.target = ExportTarget("notice-information.pdf", "PDF (*.pdf)", recipient=person, purpose=PURPOSE,
                                   recipient_label="&Remise à :")
        layout.addWidget(self.target)
        self.delivered = QCheckBox("La notice est remise aujourd'hui à cette personne (enregistré au dossier)")
        self.delivered.setChecked(True)
        layout.addWidget(self.delivered)
        self.message = error_label()
        layout.addWidget(self.message)
        self.buttons, self.save_button = dialog_buttons(self, "&Enregistrer le PDF", self.save)
        layout.addWidget(self.buttons)
        self.audience.currentIndexChanged.connect(self.refresh_preview)
        self.lang.currentIndexChanged.connect(self.refresh_preview)
        self.refresh_preview()

    @ui_action("preview")
    def refresh_preview(self) -> None:
        """What will be printed: pages and version, from the real PDF (nothing is recorded)."""
        notice = self.service.render(str(self.audience.currentData()), str(self.lang.currentData()))
        rules = RULES[notice.audience]
        self.preview.setText(
            f"Aperçu : {notice.pages} page(s) sur {rules.maximum_pages} au plus, texte version {notice.version}, "
            f"phrases courtes ({rules.average_words:g} mots en moyenne au plus), en « {rules.address} ».")

    @ui_action("message")
    def save(self) -> None:
        audience, lang = str(self.audience.currentData()), str(self.lang.currentData())
        request = self.target.request()
        self.service.save(self.dossier_id, audience, lang, self.target.out_path(), request)
        if self.delivered.isChecked():
            self.service.record_delivery(self.dossier_id, audience, lang, recipient=request.recipient)
        self.done_ok.emit()
        self.accept()
