"""First-run wizard (UI.md): organisation, director, units, then the recovery key to keep.

Each step is validated by ``app.first_run.FirstRunFlow``; the workspace is created at the
last step only, off the GUI thread (Argon2).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.auth.password_policy import POLICY_TEXT, password_strength
from app.first_run import ORG_TYPES, FirstRunFlow
from app.output_files import save_document
from app.workspace import Workspace
from ui.errors import report_error, ui_action
from ui.widgets.common import busy_bar, button, button_row, choice_field, error_label, heading, note, text_field
from ui.widgets.password_prompt import Field, PasswordPrompt
from ui.widgets.recovery_key import SHEET_SAVED, RecoveryKeyBox, ask_sheet_path
from ui.worker import run_in_thread

STEP_TITLES = ("1. L'organisme", "2. Le compte de direction", "3. Les unités", "4. La clé de secours")


def _page(title: str, intro: str) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(heading(title))
    layout.addWidget(note(intro))
    return page, layout


class FirstRunWizard(QWidget):
    """Emits ``created(Path)`` once the key has been confirmed."""

    created = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sillage — création de l'espace de travail")
        self.flow = FirstRunFlow(workspace)
        #: replaced in tests: where to save the recovery sheet
        self.choose_path: Callable[[], Path | None] = lambda: ask_sheet_path(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 20, 28, 20)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)

        page, lay = _page(STEP_TITLES[0], "Ces informations figurent dans les notices remises aux jeunes "
                                          "et aux familles.")
        form = QFormLayout()
        self.org_name = text_field("Nom de l'organisme", max_length=120)
        self.org_type = choice_field("Statut de l'organisme", ORG_TYPES)
        self.dpo = text_field("Contact du délégué à la protection des données", max_length=200)
        form.addRow("&Nom de l'organisme :", self.org_name)
        form.addRow("&Statut :", self.org_type)
        form.addRow("&Délégué à la protection des données (contact) :", self.dpo)
        self.address = text_field("Adresse de l'organisme", max_length=200)
        self.controller = text_field("Responsable du traitement", max_length=150,
                                     placeholder="ex. : la directrice, Claire Martin")
        form.addRow("&Adresse :", self.address)
        form.addRow("&Responsable du traitement :", self.controller)
        lay.addLayout(form)
        lay.addStretch(1)
        self.pages.addWidget(page)

        page, lay = _page(STEP_TITLES[1], "Le premier compte est celui de la direction. " + POLICY_TEXT)
        self.director_name = text_field("Nom et prénom")
        self.director_login = text_field("Identifiant")
        self.prompt = PasswordPrompt(
            before=[("Nom et &prénom :", self.director_name), ("&Identifiant :", self.director_login)],
            current=None, new=(Field("&Mot de passe :", "Mot de passe"),
                               Field("&Confirmation :", "Confirmation du mot de passe")),
            strength=self._strength)
        self.password, self.repeat, self.strength = self.prompt.new, self.prompt.repeat, self.prompt.strength
        lay.addWidget(self.prompt)
        lay.addStretch(1)
        self.pages.addWidget(page)

        page, lay = _page(STEP_TITLES[2], "Une unité par ligne : groupes de vie, services, appartements. "
                                          "Les éducateurs ne voient que les dossiers de leurs unités.")
        self.units = QPlainTextEdit()
        self.units.setAccessibleName("Unités, une par ligne")
        self.units.setTabChangesFocus(True)
        lay.addWidget(self.units, 1)
        self.pages.addWidget(page)

        page, lay = _page(STEP_TITLES[3], "Cette clé ouvre toutes les données, même si tous les mots de "
                                          "passe sont perdus. Elle n'est affichée qu'une fois : imprimez la "
                                          "feuille de secours et rangez-la en lieu sûr.")
        self.recovery_key = RecoveryKeyBox(name="Clé de secours", retype_name="Dernier groupe de la clé, recopié",
                                           point_size=16, print_text="Imprimer la feuille de secours…",
                                           on_print=self.save_sheet)
        self.key_label, self.print_button = self.recovery_key.key_label, self.recovery_key.print_button
        self.last_group = self.recovery_key.last_group
        self.last_group.textChanged.connect(self._check_last_group)
        lay.addWidget(self.recovery_key)
        lay.addStretch(1)
        self.pages.addWidget(page)

        self.busy = busy_bar("Création de l'espace de travail en cours")
        outer.addWidget(self.busy)
        self.error = error_label()
        outer.addWidget(self.error)
        self.back = button("Précédent", self.previous)
        self.next_button = button("Suivant", self.advance, primary=True, default=True)
        outer.addLayout(button_row(self.back, None, self.next_button))
        self._update_buttons()
        self.resize(640, 480)

    # -- navigation ------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        step = self.pages.currentIndex()
        self.back.setEnabled(0 < step < 3)
        if step == 2:
            self.next_button.setText("Créer l'espace de travail")
        elif step == 3:
            self.next_button.setText("Terminer")
            self.next_button.setEnabled(self.flow.last_group_matches(self.last_group.text()))
        else:
            self.next_button.setText("Suivant")

    def previous(self) -> None:
        self.error.setText("")
        self.pages.setCurrentIndex(max(0, self.pages.currentIndex() - 1))
        self._update_buttons()

    @ui_action("error")
    def advance(self) -> None:
        step = self.pages.currentIndex()
        self.error.setText("")
        if step == 0:
            self.flow.set_organisation(self.org_name.text(), self.org_type.currentData(), self.dpo.text(),
                                       self.address.text(), self.controller.text())
        elif step == 1:
            self.flow.set_director(self.director_name.text(), self.director_login.text(),
                                   self.password.text(), self.repeat.text())
        elif step == 2:
            self.flow.set_units(self.units.toPlainText())
            self._create()
            return
        else:
            self.created.emit(self.flow.workspace.root)
            return
        self.pages.setCurrentIndex(step + 1)
        self._update_buttons()

    def _create(self) -> None:
        self.next_button.setEnabled(False)
        self.back.setEnabled(False)
        self.busy.setVisible(True)
        run_in_thread(self.flow.create, self._created, self._failed)

    def _created(self, key: str) -> None:
        self.busy.setVisible(False)
        self.prompt.clear()
        groups = key.split("-")
        self.key_label.setText("\n".join(" ".join(groups[i:i + 5]) for i in range(0, len(groups), 5)))
        self.pages.setCurrentIndex(3)
        self.next_button.setEnabled(False)
        self._update_buttons()
        self.last_group.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.busy.setVisible(False)
        self.next_button.setEnabled(True)
        self.back.setEnabled(True)
        report_error(exc, self.error.setText, self)

    def _strength(self, password: str) -> str:
        return password_strength(password, login=self.director_login.text(),
                                 person_name=self.director_name.text(), org_name=self.org_name.text()).message

    def _check_last_group(self) -> None:
        self.next_button.setEnabled(self.flow.last_group_matches(self.last_group.text()))

    # -- recovery sheet --------------------------------------------------------------------
    @ui_action("error")
    def save_sheet(self) -> None:
        path = self.choose_path()
        if path is None:
            return
        save_document(path, self.flow.recovery_sheet(), workspace_root=self.flow.workspace.root)
        self.error.setObjectName("notice")
        self.error.setText(SHEET_SAVED.format(path=path))
