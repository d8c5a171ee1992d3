"""The dossier pane: identity header and one tab per catalogue category (UI.md)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.auth.permissions import Right
from app.catalogue import CONTACTS_CATEGORY, Category, contact_choices
from app.dossiers.model import DossierStatus, DossierView
from app.dossiers.service import DossierService
from reports.french import short_date, years
from ui.dialogs.dossiers.close_dossier import CloseDossier
from ui.icons import lock_icon
from ui.widgets.category_panel import CategoryPanel
from ui.widgets.common import note
from ui.widgets.consent_panel import ConsentPanel
from ui.widgets.field_form import Section
from ui.widgets.records_panel import RecordsPanel
from ui.widgets.section_tabs import SectionTabs

GROUPS = ("Le jeune", "Prise en charge", "Protégées")


def _group_rank(category: Category) -> int:
    """Grouped by what the catalogue says of each category: protected, repeating, or about the person."""
    return 2 if category.sensitive else 1 if category.repeating else 0


PREBUILD_AHEAD = 1  # tabs built ahead, to the right of the one shown


class DossierPane(QWidget):
    changed = Signal()

    def __init__(self, service: DossierService, dossier_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.dossier_id = dossier_id
        self.catalogue = service.catalogue
        self.units = dict(service.units())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.header = note("", "dossierHeader")
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
        self.banner = note("", "restrictedBanner")
        layout.addWidget(self.banner)
        self.tabs = SectionTabs()
        self.tabs.currentChanged.connect(self._fill_current)
        layout.addWidget(self.tabs, 1)
        #: tab key -> the tab's page, which holds the panel once the tab has been shown
        self.pages: dict[str, QWidget] = {}
        self.panels = LazyPanels(self)
        self._built: dict[str, QWidget] = {}
        self._tab_keys: list[str] = []
        self._generation = 0
        self.prebuilding = False
        #: replaced in tests: asks the person to confirm, returns True to go on
        self.confirm: Callable[[str, str], bool] = self._ask
        self.load()

    def show_dossier(self, dossier_id: int) -> None:
        """Show another dossier in the same pane: header redrawn, tabs refilled when shown."""
        self.dossier_id = dossier_id
        self.load()

    def load(self) -> None:
        view = self.service.open_dossier(self.dossier_id)
        self.view = view
        self._render_header(view)
        ranked: list[tuple[int, str, str, bool]] = []
        for category in self.catalogue.categories:
            state = view.categories.get(category.id)
            if state is not None and state.readable:
                ranked.append((_group_rank(category), category.id, category.label, category.sensitive))
        if view.consents_readable and self.service.consents.types():
            ranked.append((1, "consentements", "Consentements", False))
        ranked.append((1, "documents", "Documents", False))  # last of the care group
        keys = [(key, label, sensitive) for _, key, label, sensitive in
                sorted(ranked, key=lambda r: r[0])]  # stable: the catalogue's order within a group
        for panel in self._built.values():
            panel.hide()
            panel.deleteLater()
        self._built = {}
        if [k for k, _, _ in keys] != self._tab_keys:
            self._rebuild_tabs(keys)
        self._generation += 1
        self._fill_current()

    def _prebuild(self, generation: int) -> None:
        """Between events, build the tab to the right of the one shown, so that moving through
        the tabs is instant without building all of them at each click (memory churn). A tab
        with protected data is not built ahead: reading it is journaled, and only what the
        person opens may be (R-5.1)."""
        self.prebuilding = False
        if generation != self._generation:
            return  # another dossier since
        index = self.tabs.currentIndex()
        for key in self._tab_keys[index + 1:index + 1 + PREBUILD_AHEAD]:
            if key in self._built:
                continue
            if key not in ("consentements", "documents") and self.catalogue.category(key).sensitive:
                continue
            self.panel(key)

    def _rebuild_tabs(self, keys: list[tuple[str, str, bool]]) -> None:
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.clear()
        for page in self.pages.values():
            page.deleteLater()
        self.pages = {}
        for key, label, sensitive in keys:
            page = QWidget()
            page.setAccessibleName(label)
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            index = self.tabs.addTab(page, label, self._group_of(key))
            if sensitive:
                self.tabs.setTabIcon(index, lock_icon())
            self.tabs.setTabToolTip(index, "Section protégée : l'affichage est journalisé" if sensitive else label)
            self.pages[key] = page
        self._tab_keys = [k for k, _, _ in keys]
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)

    def _fill_current(self) -> None:
        index = self.tabs.currentIndex()
        if 0 <= index < len(self._tab_keys):
            self.panel(self._tab_keys[index])
            self._schedule_prebuild()

    def _schedule_prebuild(self) -> None:
        self.prebuilding = True
        QTimer.singleShot(0, self, functools.partial(self._prebuild, self._generation))

    def _group_of(self, key: str) -> str:
        if key in ("consentements", "documents"):
            return GROUPS[1]
        return GROUPS[_group_rank(self.catalogue.category(key))]

    def current_panel(self) -> QWidget | None:
        """The panel of the tab shown (built if needed)."""
        index = self.tabs.currentIndex()
        return self.panel(self._tab_keys[index]) if 0 <= index < len(self._tab_keys) else None

    def show_tab(self, key: str) -> QWidget:
        """Bring a tab forward (filled) and return its panel."""
        panel = self.panel(key)
        self.tabs.setCurrentWidget(self.pages[key])
        return panel

    def panel(self, key: str) -> QWidget:
        """The panel of a tab, built now if it was not shown yet for this dossier."""
        built = self._built.get(key)
        if built is not None:
            return built
        if key not in self.pages:
            raise KeyError(key)
        # made inside its page: a parentless widget that shows a child would flash up as a
        # window of its own and take the activation from the main window
        panel = self._make_panel(key, self.pages[key])
        self._built[key] = panel
        layout = self.pages[key].layout()
        assert layout is not None
        layout.addWidget(panel)
        return panel

    def _make_panel(self, key: str, page: QWidget) -> QWidget:
        view = self.view
        restricted = view.header.status is DossierStatus.RESTRICTED
        if key == "consentements":
            consents = ConsentPanel(
                self.service.consents.types(), list(view.consents), writable=view.consents_writable,
                record=lambda v: self.service.consents.record(self.dossier_id, **v),
                withdraw=lambda c: self.service.consents.withdraw(self.dossier_id, c, confirmed=True),
                default_holder=lambda c: self.service.consents.default_holder(self.dossier_id, c),
                correct=lambda cid, v: self.service.rectification.correct_consent(self.dossier_id, cid, **v),
                today=self.service.session.today,
                parent=page,
            )
            consents.changed.connect(self._reload_keep_tab)
            return consents
        if key == "documents":
            from ui.widgets.documents_panel import DocumentsPanel

            header = view.header
            return DocumentsPanel(self.service.session, self.dossier_id, person=f"{header.first_names} "
                                  f"{header.last_name}", number=header.number, parent=page)
        category = self.catalogue.category(key)
        state = view.categories[key]
        if category.repeating:
            rectification = self.service.rectification
            records = RecordsPanel(
                Section(self.catalogue, category, state, self.units, restricted, self.contacts),
                load=lambda: self.service.records.entries(self.dossier_id, key),
                add=lambda values: self.service.records.add(self.dossier_id, key, values),
                correct=lambda record_id, v: rectification.correct_record(self.dossier_id, record_id, v),
                delete=lambda record_id, reason: rectification.delete_record(
                    self.dossier_id, record_id, reason, confirmed=True),
                can_delete=state.readable and rectification.can_delete(self.dossier_id, key),
                who=self.who(),
                today=self.service.session.today,
                parent=page,
            )
            records.changed.connect(self._after_change)
            return records
        cat_panel = CategoryPanel(
            Section(self.catalogue, category, state, self.units, restricted, self.contacts),
            reveal=lambda: self.service.values.read(self.dossier_id, key),
            save=lambda values: self.service.values.save(self.dossier_id, key, values),
            reveal_field=lambda field: self.service.values.reveal_field(self.dossier_id, key, field),
            parent=page,
        )
        cat_panel.changed.connect(self._after_change)
        cat_panel.consent_requested.connect(self.show_consents)
        return cat_panel

    def contacts(self) -> dict[int, str]:
        """The dossier's contacts, for the fields that point to one; none for a profile that
        may not read them (asking would be a journaled refusal)."""
        state = self.view.categories.get(CONTACTS_CATEGORY)
        if state is None or not state.readable:
            return {}
        return contact_choices(self.catalogue, self.service.records.entries(self.dossier_id, CONTACTS_CATEGORY))

    def _render_header(self, view: DossierView) -> None:
        h = view.header
        age = h.age(self.service.session.today())
        parts = [
            f"<b style='font-size:14pt'>{_esc(h.last_name.upper())} {_esc(h.first_names)}</b>",
            years(age),
            _esc(h.unit_name), f"Dossier {_esc(h.number)}", h.status.label,
        ]
        line2 = []
        if h.next_deadline:
            line2.append(f"Prochaine échéance : {short_date(h.next_deadline)}")
        if h.last_contact_on:
            line2.append(f"Dernier contact : {short_date(h.last_contact_on)}")
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
        today = short_date(self.service.session.clock.now())

        def close(day: str, reason: str) -> None:
            self.service.close_dossier(self.dossier_id, closed_on=day, reason=reason)

        self.dialog = CloseDossier(self.service.exit_reasons(), close, today, self, who=self.who())
        self.dialog.accepted.connect(self._reload_keep_tab)
        self.dialog.open()

    def assign_referent(self) -> None:
        self.service.set_referent(self.dossier_id, self.referent_combo.currentData())
        self._reload_keep_tab()

    def who(self) -> str:
        """« Prénom NOM » of the dossier shown, for confirmations."""
        h = self.view.header
        return f"{h.first_names} {h.last_name.upper()}"

    def toggle_restriction(self) -> None:
        restricted = self.view.header.status is DossierStatus.RESTRICTED
        if restricted:
            question = (f"Lever la limitation du dossier de {self.who()} ? Le dossier redevient "
                        "modifiable par les personnes habilitées.")
        else:
            question = (f"Limiter le dossier de {self.who()} ? Il passe en lecture seule pour tous "
                        "(droit à la limitation) jusqu'à la levée de la limitation. L'action est "
                        "enregistrée dans le journal.")
        if not self.confirm("Limitation du dossier", question):
            return
        self.service.set_restriction(self.dossier_id, restricted=not restricted)
        self._reload_keep_tab()

    def _ask(self, title: str, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=self)
        yes = box.addButton("Confirmer", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def _after_change(self) -> None:
        self.view = self.service.open_dossier(self.dossier_id)
        self._render_header(self.view)
        self.changed.emit()

    def _reload_keep_tab(self) -> None:
        self.load()
        self.changed.emit()

    def show_consents(self, consent_type: str) -> None:
        if "consentements" in self.pages:
            panel = self.show_tab("consentements")
            if isinstance(panel, ConsentPanel):
                panel.select_type(consent_type)


class LazyPanels(Mapping[str, QWidget]):
    """``pane.panels[key]``: the tab's panel, built on first access."""

    def __init__(self, pane: DossierPane) -> None:
        self._pane = pane

    def __getitem__(self, key: str) -> QWidget:
        return self._pane.panel(key)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._pane.pages))

    def __len__(self) -> int:
        return len(self._pane.pages)

    def __contains__(self, key: object) -> bool:
        return key in self._pane.pages


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
