"""« À traiter »: dossiers reaching or past their retention limit, and the decisions (R-6.2 to R-6.5).

`chef_service` sees the dossiers of its units and proposes (purge, death); `direction` sees every
dossier and decides: purge, postponement, legal hold, intermediate archive, deletion on death,
and sets the per-measure-type durations. The services enforce these rights; the page only offers
what the profile may do. Every decision asks its reason (UI.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from app.retention.model import MAX_POSTPONE_MONTHS, DecisionKind, DueDossier, RetentionState
from app.retention.purge import PurgeService, typed_confirmation
from app.retention.schedule import add_months, add_years
from app.retention.service import RetentionService
from app.session import Session
from reports.french import short_date
from ui.dialogs.retention import Answer, DecisionDialog, DurationsDialog
from ui.errors import ui_action
from ui.models.retention_model import RetentionTableModel
from ui.widgets.common import note, page_layout, show_message
from ui.widgets.fit_columns import ColumnFit, FitColumns
from ui.widgets.text_table import set_up_table


class RetentionPage(QWidget):
    #: the number of dossiers needing a decision, for the sidebar badge
    count_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.service = RetentionService(session)
        self.deciding = self.service.can_decide()
        self.dialog: QWidget | None = None
        self.badge_count = 0
        layout = page_layout(
            self, "À traiter — conservation des dossiers",
            "Dossiers dont la durée de conservation arrive à son terme dans les 60 jours, ou est "
            "dépassée. Rien n'est supprimé ni gardé sans décision : "
            + ("chaque décision est inscrite au journal avec son motif." if self.deciding else
               "proposez la purge ou signalez un décès ; la direction décide."), intro_style="subtitle", margins=8)
        self.summary = QLabel()
        self.summary.setAccessibleName("Nombre de dossiers à traiter")
        layout.addWidget(self.summary)

        self.model = RetentionTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        set_up_table(self.table, "Dossiers à traiter", several=self.deciding, alternating=True)
        # youth, number, unit, last contact, limit, reason, state, proposal
        self.columns = FitColumns(self.table, [
            ColumnFit(1.3, 12, 1), ColumnFit(0.9, 9, 1), ColumnFit(1.5, 9, 3), ColumnFit(1.0, 10, 4),
            ColumnFit(0.9, 10, 1), ColumnFit(1.4, 16, 2), ColumnFit(1.6, 18, 1), ColumnFit(1.4, 12, 5),
        ])
        layout.addWidget(self.table, 1)

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        actions: list[tuple[str, str, Callable[[], None]]]
        if self.deciding:
            actions = [
                ("purge", "&Purger…", self.ask_purge),
                ("postpone", "&Reporter…", self.ask_postpone),
                ("hold", "Conserver — &contentieux…", self.ask_hold),
                ("lift", "&Lever le contentieux…", self.ask_lift),
                ("archive", "&Archiver…", self.ask_archive),
                ("death", "Suppression pour &décès…", self.ask_death),
            ]
        else:
            actions = [
                ("propose", "&Proposer la purge…", self.ask_propose),
                ("death", "Signaler un &décès…", self.ask_death),
            ]
        # two rows: the decisions on the selected dossiers, then death and the durations —
        # one row of seven buttons made the window wider than a 1366×768 screen (issue 15)
        second = QHBoxLayout()
        for key, text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
            (second if key == "death" and self.deciding else row).addWidget(button)
        row.addStretch(1)
        second.addStretch(1)
        if self.deciding:
            self.durations_button = QPushButton("Durées de conservation…")
            self.durations_button.setToolTip("Durée par type de mesure, avec sa justification écrite")
            self.durations_button.clicked.connect(self.open_durations)
            second.addWidget(self.durations_button)
        layout.addLayout(row)
        layout.addLayout(second)
        self.message = note()
        self.message.setAccessibleName("Message")
        layout.addWidget(self.message)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    # -- the list ----------------------------------------------------------------------------
    @ui_action(lambda page, text: show_message(page.message, text))
    def reload(self) -> None:
        selected = {r.dossier_id for r in self.selected()}
        rows = self.service.due()
        self.model.set_rows(rows)
        for dossier_id in selected:
            index = self.model.row_of(dossier_id)
            if index >= 0:
                self.table.selectRow(index)
        to_decide = [r for r in rows if r.state is not RetentionState.AGE_LIMIT]
        overdue = sum(1 for r in rows if r.state.overdue)
        if not rows:
            self.summary.setText("Aucun dossier à traiter aujourd'hui.")
        else:
            parts = [f"{len(to_decide)} dossier{'s' if len(to_decide) > 1 else ''} à traiter"]
            if overdue:
                parts.append(f"dont {overdue} dépassé{'s' if overdue > 1 else ''}")
            ages = len(rows) - len(to_decide)
            if ages:
                parts.append(f"{ages} signalé{'s' if ages > 1 else ''} pour la limite d'âge de la mission")
            self.summary.setText(" — ".join(parts) + ".")
        self._update_buttons()
        self.badge_count = len(to_decide)
        self.count_changed.emit(len(to_decide))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()  # the day may have changed, another screen may have added a contact

    def selected(self) -> list[DueDossier]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [r for r in (self.model.row_at(n) for n in rows) if r is not None]

    def _update_buttons(self) -> None:
        rows = self.selected()
        one = rows[0] if len(rows) == 1 else None
        decidable = one is not None and one.state is not RetentionState.AGE_LIMIT
        enabled = {
            "purge": bool(rows) and all(r.state.overdue or r.state is RetentionState.HOLD_REVIEW
                                        for r in rows),
            "postpone": decidable and one is not None and one.status != "archive",
            "hold": one is not None and one.status not in ("archive", "legal_hold"),
            "lift": one is not None and one.status == "legal_hold",
            "archive": decidable and one is not None and one.status != "archive",
            "death": len(rows) <= 1,
            "propose": decidable,
        }
        for key, button in self.buttons.items():
            button.setEnabled(enabled.get(key, True))

    def _done(self, text: str) -> None:
        self.reload()
        show_message(self.message, text, "success")

    def _open(self, dialog: DecisionDialog, done: str) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._done(done))
        dialog.open()

    @staticmethod
    def _who(row: DueDossier) -> str:
        return f"{row.number} ({row.last_name} {row.first_names})"

    # -- decisions (direction) --------------------------------------------------------------------
    def ask_purge(self) -> None:
        rows = self.selected()
        if not rows:
            return
        purge = PurgeService(self.session)
        ids = [r.dossier_id for r in rows]
        if len(rows) == 1:
            intro = (f"Le dossier {self._who(rows[0])} sera supprimé définitivement : identité, suivi, "
                     "mesures, intervenants, consentements, documents et historique, dans toutes les "
                     "bases de l'espace. Le journal garde la trace de la purge, sans le nom.")
            confirm = "Je confirme la suppression définitive de ce dossier"

            def submit(a: Answer) -> object:
                if not a.confirmed:
                    raise _confirm_first()
                return purge.purge_one(ids[0], a.reason, confirmed=True)

            dialog = DecisionDialog("Purger le dossier", intro, "Purger définitivement", submit,
                                    confirm=confirm, parent=self)
        else:
            listed = ", ".join(r.number for r in rows[:12]) + (" …" if len(rows) > 12 else "")
            phrase = typed_confirmation(len(rows))
            intro = (f"{len(rows)} dossiers seront supprimés définitivement, avec tout ce qu'ils "
                     f"contiennent, dans toutes les bases de l'espace : {listed}. Le journal garde la "
                     "trace de chaque purge, sans les noms.")
            dialog = DecisionDialog(f"Purger {len(rows)} dossiers", intro, "Purger définitivement",
                                    lambda a: purge.purge(ids, a.reason, typed=a.typed),
                                    typed=phrase, parent=self)
        self._open(dialog, f"{len(rows)} dossier{'s' if len(rows) > 1 else ''} purgé"
                           f"{'s' if len(rows) > 1 else ''}. La purge est inscrite au journal.")

    def _ask_about_one(self, title: str, intro: str, action: str, decide: Callable[[int, Answer], object],
                       done: str, date_label: str | None = None, date: dt.date | None = None) -> None:
        """A decision on the one selected dossier; ``intro`` names it as {who}, ``done`` as {number}."""
        row = self._one()
        if row is None:
            return
        dialog = DecisionDialog(title, intro.format(who=self._who(row)), action,
                                lambda a: decide(row.dossier_id, a), date_label=date_label,
                                date_value=short_date(date) if date else "", parent=self)
        self._open(dialog, done.format(number=row.number))

    def ask_postpone(self) -> None:
        latest = add_months(self.service.today(), MAX_POSTPONE_MONTHS)
        self._ask_about_one(
            "Reporter la décision",
            "Le dossier {who} est conservé jusqu'à la date choisie, six mois au plus "
            f"(jusqu'au {short_date(latest)}). Il reviendra alors dans « À traiter ».",
            "Reporter", lambda dossier, a: self.service.postpone(dossier, a.date, a.reason),
            "Dossier {number} reporté. La décision est inscrite au journal.", "Conserver jusqu'au", latest)

    def ask_hold(self) -> None:
        self._ask_about_one(
            "Conserver pour contentieux",
            "Le dossier {who} est conservé jusqu'à la décision définitive du contentieux "
            "(AU-049 art. 4). Indiquez la date à laquelle la situation sera réexaminée.",
            "Conserver", lambda dossier, a: self.service.legal_hold(dossier, a.date, a.reason),
            "Dossier {number} conservé pour contentieux.", "Date de réexamen", add_years(self.service.today(), 1))

    def ask_lift(self) -> None:
        self._ask_about_one(
            "Lever le contentieux",
            "Le contentieux du dossier {who} est terminé : le dossier suit de nouveau "
            "la durée de conservation ordinaire.",
            "Lever le contentieux", lambda dossier, a: self.service.lift_hold(dossier, a.reason),
            "Contentieux levé pour le dossier {number}.")

    def ask_archive(self) -> None:
        self._ask_about_one(
            "Archivage intermédiaire",
            "Le dossier {who} quitte la base active : seul l'archiviste pourra le "
            "consulter, en motivant chaque consultation. À la fin de l'archivage, il revient dans "
            "« À traiter » pour être purgé.",
            "Archiver", lambda dossier, a: self.service.archive(dossier, a.date, a.reason),
            "Dossier {number} placé en archive intermédiaire.", "Fin de l'archivage",
            add_years(self.service.today(), 5))

    def ask_death(self) -> None:
        rows = self.selected()
        row = rows[0] if len(rows) == 1 else None
        number = row.number if row is not None else ""
        if self.deciding:
            purge = PurgeService(self.session)

            def submit(a: Answer) -> object:
                dossier_id, _ = self.service.find_by_number(a.number)
                if not a.confirmed:
                    raise _confirm_first()
                return purge.confirm_death(dossier_id, a.reason, confirmed=True)

            dialog = DecisionDialog(
                "Suppression pour décès",
                "Au décès du jeune, ses données sont supprimées sans délai (AU-049 art. 4), quelle "
                "que soit leur date limite : le dossier est effacé définitivement de toutes les "
                "bases de l'espace. Le journal garde la trace, sans le nom.",
                "Supprimer le dossier", submit, number=number,
                confirm="Je confirme le décès et la suppression définitive", parent=self)
            self._open(dialog, "Dossier supprimé pour décès. La suppression est inscrite au journal.")
        else:
            def propose(a: Answer) -> object:
                dossier_id, _ = self.service.find_by_number(a.number)
                return self.service.propose(dossier_id, DecisionKind.PROPOSE_DEATH, a.reason)

            dialog = DecisionDialog(
                "Signaler un décès",
                "Le décès est signalé à la direction, qui confirme la suppression du dossier "
                "(AU-049 art. 4). Le dossier apparaît aussitôt dans « À traiter ».",
                "Signaler à la direction", propose, number=number, parent=self)
            self._open(dialog, "Décès signalé à la direction.")

    def ask_propose(self) -> None:
        row = self._one()
        if row is None:
            return
        dialog = DecisionDialog(
            "Proposer la purge",
            f"La purge du dossier {self._who(row)} est proposée à la direction, qui décide.",
            "Proposer la purge",
            lambda a: self.service.propose(row.dossier_id, DecisionKind.PROPOSE_PURGE, a.reason),
            parent=self)
        self._open(dialog, f"Purge du dossier {row.number} proposée à la direction.")

    def open_durations(self) -> None:
        dialog = DurationsDialog(self.service, self)
        self.dialog = dialog
        dialog.finished.connect(lambda _: self.reload())
        dialog.open()

    def _one(self) -> DueDossier | None:
        rows = self.selected()
        return rows[0] if len(rows) == 1 else None


def _confirm_first() -> Exception:
    from app.errors import KnownError

    return KnownError("Cochez la case de confirmation : la suppression est définitive.")
