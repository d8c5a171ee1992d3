"""« Paramètres »: the organisation's settings that the director owns (R-3.8, AU49 art. 3)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.auth.permissions import Right, has_right
from app.session import Session
from app.settings import SettingsService
from ui.errors import ui_action
from ui.widgets.common import FittingScrollArea, button_row, error_label, heading, note, show_message


class SettingsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = SettingsService(session)
        current = self.service.current()
        editable = has_right(session.user.profile, Right.ORGANISATION_SETTINGS)
        # the page scrolls: its blocks never make the window taller than a 1366×768 screen
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = FittingScrollArea()
        self.scroll_area.setAccessibleName("Paramètres")
        content = QWidget()
        self.scroll_area.setWidget(content)
        outer.addWidget(self.scroll_area)
        layout = QVBoxLayout(content)
        layout.addWidget(heading(f"Paramètres — {current.org_name}", "subtitle"))
        form = QFormLayout()
        self.lock_delay = QSpinBox()
        self.lock_delay.setRange(2, 15)
        self.lock_delay.setSuffix(" min")
        self.lock_delay.setValue(current.lock_delay_minutes)
        self.lock_delay.setAccessibleName("Délai de verrouillage automatique en minutes")
        self.lock_delay.setMaximumWidth(110)
        self.public_service = QCheckBox("Organisme chargé d'une mission de service public")
        self.public_service.setChecked(current.public_service_body)
        self.public_service.setToolTip(
            "Ouvre la catégorie « Procédures pénales » (AU-049 art. 3), réservée à ces organismes.")
        form.addRow("&Verrouillage automatique après :", self.lock_delay)
        form.addRow("", self.public_service)
        layout.addLayout(form)
        layout.addWidget(note("Le délai s'applique à la prochaine connexion. Chaque changement est inscrit au "
                              "journal des accès."))
        self.save_button = QPushButton("&Enregistrer les paramètres")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        layout.addLayout(button_row(self.save_button))
        self.message = error_label()
        layout.addWidget(self.message)
        from ui.widgets.organisation_form import OrganisationForm

        self.organisation = OrganisationForm(session, self)
        layout.addWidget(self.organisation)
        self.rekey_panel = None
        if has_right(session.user.profile, Right.RENEW_WORKSPACE_KEY):
            from ui.windows.rekey_panel import RekeyPanel

            self.rekey_panel = RekeyPanel(session)
            layout.addWidget(self.rekey_panel)
        layout.addStretch(1)
        for widget in (self.lock_delay, self.public_service, self.save_button):
            widget.setEnabled(editable)
        if not editable:
            show_message(self.message, "Seule la direction modifie ces paramètres.", "notice")

    @ui_action(lambda page, text: show_message(page.message, text, "error"))
    def save(self) -> None:
        changes = self.service.update(lock_delay_minutes=self.lock_delay.value(),
                                      public_service_body=self.public_service.isChecked())
        show_message(self.message, "Paramètres enregistrés." if changes else "Aucun changement.",
                     "success" if changes else "notice")
