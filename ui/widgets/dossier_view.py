"""The dossier pane: identity header and one tab per catalogue category (UI.md)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.auth.permissions import Right
from app.dossiers.model import DossierStatus, DossierView
from app.dossiers.search import french_date
from app.dossiers.service import DossierService
from ui.dialogs.dossiers.close_dossier import CloseDossier
from ui.icons import lock_icon
from ui.widgets.category_panel import CategoryPanel
from ui.widgets.consent_panel import ConsentPanel
from ui.widgets.records_panel import RecordsPanel


class DossierPane(QWidget):
    changed = Signal()

    def __init__(self, service: DossierService, dossier_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.dossier_id = dossier_id
        self.catalogue = service.catalogue
        self.units = dict(service.units())
        self.panels: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.header = QLabel()
        self.header.setObjectName("dossierHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        head = QHBoxLayout()
        head.addWidget(self.header, 1)
        self.close_button = QPushButton("Clôturer…")
        self.close_button.setToolTip("Enregistrer la fin de prise en charge")
        self.close_button.clicked.connect(self.ask_close)
        self.restrict_button = QPushButton("Limiter")
        self.restrict_button.clicked.connect(self.toggle_restriction)
        head.addWidget(self.close_button)
        head.addWidget(self.restrict_button)
        layout.addLayout(head)
        referent_row = QHBoxLayout()
        self.referent_label = QLabel("")
        self.referent_label.setAccessibleName("Référent du dossier")
        referent_row.addWidget(self.referent_label)
        self.referent_combo = QComboBox()
        self.referent_combo.setAccessibleName("Choisir le référent")
        self.referent_button = QPushButton("Attribuer")
        self.referent_button.clicked.connect(self.assign_referent)
        referent_row.addWidget(self.referent_combo)
        referent_row.addWidget(self.referent_button)
        referent_row.addStretch(1)
        layout.addLayout(referent_row)
        self.dialog: CloseDossier | None = None
        self.banner = QLabel()
        self.banner.setObjectName("restrictedBanner")
        self.banner.setWordWrap(True)
        layout.addWidget(self.banner)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Sections du dossier")
        layout.addWidget(self.tabs, 1)
        self.load()

    def load(self) -> None:
        view = self.service.open_dossier(self.dossier_id)
        self.view = view
        self._render_header(view)
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.panels = {}
        restricted = view.header.status is DossierStatus.RESTRICTED
        for category in self.catalogue.categories:
            state = view.categories.get(category.id)
            if state is None or not state.readable:
                continue
            panel: QWidget
            if category.repeating:
                panel = RecordsPanel(
                    self.catalogue, category, state, self.units,
                    load=lambda c=category.id: self.service.list_records(self.dossier_id, c),
                    add=lambda v, c=category.id: self.service.add_record(self.dossier_id, c, v),
                    restricted=restricted,
                    today=lambda: self.service.session.clock.now().date(),
                )
                panel.changed.connect(self._after_change)
            else:
                cat_panel = CategoryPanel(
                    self.catalogue, category, state, self.units,
                    reveal=lambda c=category.id: self.service.read_category(self.dossier_id, c),
                    save=lambda v, c=category.id: self.service.save_category(self.dossier_id, c, v),
                    restricted=restricted,
                )
                cat_panel.changed.connect(self._after_change)
                cat_panel.consent_requested.connect(self.show_consents)
                panel = cat_panel
            self.panels[category.id] = panel
            index = self.tabs.addTab(panel, category.label)
            if category.sensitive:
                self.tabs.setTabIcon(index, lock_icon())
            self.tabs.setTabToolTip(index, "Section protégée : l'affichage est journalisé"
                                    if category.sensitive else category.label)
        if view.consents_readable and self.service.consent_types():
            panel = ConsentPanel(
                self.service.consent_types(), list(view.consents), writable=view.consents_writable,
                record=lambda v: self.service.record_consent(self.dossier_id, **v),
                withdraw=lambda c: self.service.withdraw_consent(self.dossier_id, c, confirmed=True),
            )
            panel.changed.connect(self._reload_keep_tab)
            self.panels["consentements"] = panel
            self.tabs.addTab(panel, "Consentements")
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)

    def _render_header(self, view: DossierView) -> None:
        h = view.header
        age = h.age(self.service.session.clock.now().date())
        parts = [
            f"<b style='font-size:14pt'>{_esc(h.last_name.upper())} {_esc(h.first_names)}</b>",
            f"{age} ans" if age is not None else "",
            _esc(h.unit_name), f"Dossier {_esc(h.number)}", h.status.label,
        ]
        line2 = []
        if h.next_deadline:
            line2.append(f"Prochaine échéance : {french_date(h.next_deadline)}")
        if h.last_contact_on:
            line2.append(f"Dernier contact : {french_date(h.last_contact_on)}")
        self.header.setText(" · ".join(p for p in parts if p) + "<br>" + " · ".join(line2))
        referent = self.service.referent_name(self.dossier_id)
        self.referent_label.setText(f"Référent : {referent or 'aucun'}")
        can_assign = self.service.can(Right.ASSIGN_REFERENT) and h.status is DossierStatus.ACTIVE
        self.referent_combo.setVisible(can_assign)
        self.referent_button.setVisible(can_assign)
        if can_assign:
            self.referent_combo.clear()
            self.referent_combo.addItem("Aucun référent", None)
            for uid, name in self.service.referent_candidates(self.dossier_id):
                self.referent_combo.addItem(name, uid)
            self.referent_combo.setCurrentIndex(max(0, self.referent_combo.findData(h.referent_id)))
        restricted = h.status is DossierStatus.RESTRICTED
        self.close_button.setVisible(self.service.can(Right.CLOSE_DOSSIER) and h.status is DossierStatus.ACTIVE)
        self.restrict_button.setVisible(self.service.can(Right.RESTRICT_DOSSIER)
                                        and h.status in (DossierStatus.ACTIVE, DossierStatus.RESTRICTED))
        self.restrict_button.setText("Lever la limitation" if restricted else "Limiter")
        self.banner.setText(
            "Dossier limité (droit à la limitation) : lecture seule jusqu'à la levée de la limitation."
            if restricted else "")
        self.banner.setVisible(restricted)

    def ask_close(self) -> None:
        today = self.service.session.clock.now().strftime("%d/%m/%Y")

        def close(day: str, reason: str) -> None:
            self.service.close_dossier(self.dossier_id, closed_on=day, reason=reason)

        self.dialog = CloseDossier(self.service.exit_reasons(), close, today, self)
        self.dialog.accepted.connect(self._reload_keep_tab)
        self.dialog.open()

    def assign_referent(self) -> None:
        self.service.set_referent(self.dossier_id, self.referent_combo.currentData())
        self._reload_keep_tab()

    def toggle_restriction(self) -> None:
        restricted = self.view.header.status is DossierStatus.RESTRICTED
        self.service.set_restriction(self.dossier_id, restricted=not restricted)
        self._reload_keep_tab()

    def _after_change(self) -> None:
        self.view = self.service.open_dossier(self.dossier_id)
        self._render_header(self.view)
        self.changed.emit()

    def _reload_keep_tab(self) -> None:
        self.load()
        self.changed.emit()

    def show_consents(self, consent_type: str) -> None:
        panel = self.panels.get("consentements")
        if isinstance(panel, ConsentPanel):
            self.tabs.setCurrentWidget(panel)
            panel.select_type(consent_type)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
