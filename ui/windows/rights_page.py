"""« Droits »: the register of the persons' rights requests with their deadlines (R-7.1), the
director's overdue list, and the actions — record a request, extend once with a reason, answer
or refuse, apply a restriction (R-7.3), export the person's data (R-7.2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from app.auth.permissions import Right, has_right
from app.rights.model import RequestKind, RequestStatus, RightsRequest
from app.rights.service import RightsService
from app.rights.subject_export import EXPORT_KINDS, SubjectExport, SubjectExportService
from app.session import Session
from reports.french import short_date
from ui.dialogs.ask import confirm
from ui.dialogs.rights.request_dialogs import RegisterRequestDialog, RequestTextDialog
from ui.errors import run_action, ui_action
from ui.icons import warning_icon
from ui.models.rights_model import RED, RightsModel, state_text
from ui.widgets.common import choice_field, error_label, note, page_layout, show_message
from ui.widgets.subject_export_action import SubjectExportAction, ask_export_folder, export_progress

FILTERS = (("all", "Toutes les demandes"), ("open", "Demandes en cours"), ("overdue", "En retard uniquement"))


class RightsPage(QWidget):
    #: the number of requests still to answer, for the sidebar badge « Droits (n) »
    count_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.service = RightsService(session)
        self.exports = SubjectExportService(session)
        profile = session.user.profile
        self.can_export = has_right(profile, Right.EXPORT)
        self.can_restrict = has_right(profile, Right.RESTRICT_DOSSIER)
        self.dialog: QDialog | None = None
        self.badge_count = 0
        #: replaced in tests: the folder chosen for the export, or None
        self.choose_folder: Callable[[], Path | None] = lambda: ask_export_folder(self)
        layout = page_layout(self, intro="Registre des demandes d'exercice des droits : accès, rectification, "
                             "effacement, limitation, portabilité, opposition, retrait du consentement. La "
                             "réponse est due un mois après la réception, délai prolongeable une fois jusqu'à "
                             "trois mois.")
        alert_row = QHBoxLayout()
        self.alert_icon = QLabel()
        self.alert_icon.setPixmap(warning_icon(RED).pixmap(20, 20))
        self.alert = error_label()
        self.alert.setAccessibleName("Demandes en retard")
        alert_row.addWidget(self.alert_icon)
        alert_row.addWidget(self.alert, 1)
        layout.addLayout(alert_row)
        filter_row = QHBoxLayout()
        caption = QLabel("&Afficher :")
        self.filter = choice_field("Afficher", FILTERS)
        caption.setBuddy(self.filter)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        filter_row.addWidget(caption)
        filter_row.addWidget(self.filter)
        filter_row.addStretch(1)
        layout.addLayout(filter_row)
        self.model = RightsModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Registre des droits")
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        layout.addWidget(self.table, 1)
        self.detail = note("")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        row = QHBoxLayout()
        self.new_button = QPushButton("Enregistrer une demande…")
        self.extend_button = QPushButton("Prolonger le délai…")
        self.answer_button = QPushButton("Répondre…")
        self.refuse_button = QPushButton("Refuser…")
        self.restrict_button = QPushButton("Appliquer la limitation")
        self.export_button = QPushButton("Exporter les données…")
        for button, slot in ((self.new_button, self.new_request), (self.extend_button, self.extend),
                             (self.answer_button, self.answer), (self.refuse_button, self.refuse),
                             (self.restrict_button, self.restrict), (self.export_button, self.export)):
            button.clicked.connect(slot)
            row.addWidget(button)
        self.restrict_button.setVisible(self.can_restrict)
        self.export_button.setVisible(self.can_export)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = export_progress()
        layout.addWidget(self.progress)
        self.message = note("")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.export_action = SubjectExportAction(self, self.exports, self.progress, self._say,
                                                 lambda: self.choose_folder(), self._exported)
        self.refresh()

    # -- display ---------------------------------------------------------------------------
    @ui_action(lambda page, text: page._say(text, "error"))
    def refresh(self, keep: int | None = None) -> None:
        wanted = self.filter.currentData()
        requests = self.service.requests(open_only=wanted != "all")
        overdue = [r for r in requests if r.overdue]
        shown = overdue if wanted == "overdue" else requests
        self.model.set_rows(shown)
        if overdue:
            ids = ", ".join(f"n° {r.id}" for r in overdue[:8]) + ("…" if len(overdue) > 8 else "")
            self.alert.setText(f"{len(overdue)} demande{'s' if len(overdue) > 1 else ''} en retard, "
                               f"échéance dépassée : {ids}. Répondez sans attendre ou motivez le refus.")
        self.alert.setVisible(bool(overdue))
        self.alert_icon.setVisible(bool(overdue))
        if keep is not None:
            for row in range(self.model.rowCount()):
                request = self.model.request(row)
                if request is not None and request.id == keep:
                    self.table.selectRow(row)
                    break
        self._show_selected()
        if wanted == "all":
            self.badge_count = sum(1 for r in requests if r.status is RequestStatus.OPEN)
        else:
            self.badge_count = len(requests)
        self.count_changed.emit(self.badge_count)

    def selected(self) -> RightsRequest | None:
        index = self.table.currentIndex()
        return self.model.request(index.row()) if index.isValid() else None

    def _show_selected(self) -> None:
        r = self.selected()
        open_ = r is not None and r.status is RequestStatus.OPEN
        for button in (self.extend_button, self.answer_button, self.refuse_button):
            button.setEnabled(open_)
        self.extend_button.setEnabled(open_ and r is not None and not r.extended and not r.overdue)
        self.restrict_button.setEnabled(open_ and r is not None and r.kind is RequestKind.RESTRICTION
                                        and r.dossier_id is not None)
        self.export_button.setEnabled(open_ and r is not None and r.kind.value in EXPORT_KINDS
                                      and r.dossier_id is not None)
        if r is None:
            self.detail.setText("Choisissez une demande dans la liste pour agir.")
            return
        parts = [f"Demande n° {r.id} — {r.kind.label} — {state_text(r)}."]
        if r.extended and r.extension_reason:
            parts.append(f"Prolongée jusqu'au {short_date(r.due_on)} : {r.extension_reason}")
        if r.answer:
            parts.append(f"Réponse : {r.answer}")
        self.detail.setText(" ".join(parts))

    def _say(self, text: str, kind: str = "notice") -> None:
        show_message(self.message, text, kind)

    def _selected_or_say(self) -> RightsRequest | None:
        r = self.selected()
        if r is None:
            self._say("Choisissez d'abord une demande dans la liste.", "error")
        return r

    def _open(self, dialog: QDialog, keep: int | None = None) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.refresh(keep))
        dialog.open()

    # -- actions ---------------------------------------------------------------------------
    def new_request(self) -> None:
        def submit(values: dict[str, object]) -> None:
            rid = self.service.register(**values)  # type: ignore[arg-type]
            due = next((r.due_on for r in self.service.requests() if r.id == rid), None)
            self._say(f"Demande n° {rid} enregistrée ; réponse due le {short_date(due)}.",
                      "success")

        self._open(RegisterRequestDialog(self.service.today(), submit, self))

    def extend(self) -> None:
        r = self._selected_or_say()
        if r is None:
            return

        def submit(reason: str) -> None:
            due = self.service.extend(r.id, reason)
            self._say(f"Délai de la demande n° {r.id} prolongé jusqu'au {short_date(due)}. "
                      "Informez la personne du motif.", "success")

        self._open(RequestTextDialog(
            "Prolonger le délai", "Le délai ne peut être prolongé qu'une fois, jusqu'à trois mois après la "
            "réception, et la personne doit être informée du motif dans le premier mois.",
            "Motif communiqué à la personne :", "Prolonger", submit, self), r.id)

    def answer(self) -> None:
        self._close(refused=False)

    def refuse(self) -> None:
        self._close(refused=True)

    def _close(self, *, refused: bool) -> None:
        r = self._selected_or_say()
        if r is None:
            return

        def submit(text: str) -> None:
            self.service.answer(r.id, text, refused=refused)
            self._say(f"Demande n° {r.id} {'refusée' if refused else 'répondue'}.", "success")

        if refused:
            dialog = RequestTextDialog(
                "Refuser la demande", "Un refus est motivé et indique à la personne qu'elle peut saisir la "
                "CNIL ou un juge.", "Motif du refus communiqué à la personne :", "Refuser la demande",
                submit, self)
        else:
            dialog = RequestTextDialog(
                "Répondre à la demande", "Résumez la réponse envoyée à la personne (ce qui a été fait, "
                "comment et quand elle a été informée).", "Réponse envoyée :", "Enregistrer la réponse",
                submit, self)
        self._open(dialog, r.id)

    def restrict(self) -> None:
        r = self._selected_or_say()
        if r is None:
            return

        def answer(yes: bool) -> None:
            if not yes:
                return
            if not run_action(lambda: self.service.apply_restriction(r.id),
                              lambda text: self._say(text, "error"), self):
                return
            self._say(f"Dossier n° {r.dossier_number} limité : lecture seule avec un bandeau jusqu'à la "
                      "levée. La demande est répondue.", "success")
            self.refresh(r.id)

        confirm(self, "Appliquer la limitation",
                f"Le dossier n° {r.dossier_number} passera en lecture seule, avec un bandeau, jusqu'à la levée "
                "de la limitation. Continuer ?", answer, yes_text="Limiter le dossier")

    def export(self) -> None:
        r = self._selected_or_say()
        if r is None or r.dossier_id is None:
            return
        self.export_action.start(r.dossier_id, r.id)

    def _exported(self, result: SubjectExport) -> None:
        self.refresh(result.request_ids[0] if result.request_ids else None)
