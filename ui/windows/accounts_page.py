"""« Comptes »: accounts, profiles, units, last login, locked state, reset, annual review
(R-3.1 to R-3.6). Passwords are never chosen by an administrator: one-time passwords only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.auth.access import OWN_PROFILE
from app.auth.habilitation import HabilitationReview
from app.auth.permissions import Right, has_right
from app.auth.profiles import Profile
from app.auth.service import Account, AccountService
from app.session import Session
from reports.french import short_date
from ui.dialogs.ask import confirm
from ui.dialogs.file_paths import ask_save_path
from ui.errors import ui_action
from ui.widgets.common import error_label, note
from ui.widgets.text_table import TextTable

HEADERS = ("Nom", "Identifiant", "Profil", "Unités", "Dernière connexion", "État")


class AccountForm(QDialog):
    """Create an account, or change the profile and units of one."""

    def __init__(self, units: list[str], submit: Callable[[dict[str, object]], None],
                 account: Account | None = None, parent: QWidget | None = None,
                 profiles: tuple[Profile, ...] = tuple(Profile)) -> None:
        super().__init__(parent)
        self.setWindowTitle("Modifier le compte" if account else "Nouveau compte")
        self._submit = submit
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(account.display_name if account else "")
        self.name.setMaxLength(120)
        self.name.setAccessibleName("Nom et prénom")
        self.login = QLineEdit(account.login if account else "")
        self.login.setMaxLength(40)
        self.login.setAccessibleName("Identifiant")
        self.login.setEnabled(account is None)
        self.profile = QComboBox()
        self.profile.setAccessibleName("Profil")
        for p in profiles:  # only what the caller may grant
            self.profile.addItem(p.label, p.value)
        if account:
            self.profile.setCurrentIndex(self.profile.findData(account.profile.value))
        self.units = QListWidget()
        self.units.setAccessibleName("Unités")
        for unit in units:
            item = QListWidgetItem(unit)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if account and unit in account.units
                               else Qt.CheckState.Unchecked)
            self.units.addItem(item)
        self.units.setMaximumHeight(120)
        form.addRow("&Nom et prénom :", self.name)
        form.addRow("&Identifiant :", self.login)
        form.addRow("&Profil :", self.profile)
        form.addRow("&Unités :", self.units)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.send)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, object]:
        units = [self.units.item(i).text() for i in range(self.units.count())
                 if self.units.item(i).checkState() == Qt.CheckState.Checked]
        return {"display_name": self.name.text(), "login": self.login.text(),
                "profile": self.profile.currentData(), "units": units}

    @ui_action("error")
    def send(self) -> None:
        self._submit(self.values())
        self.accept()


class AccountsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.service = AccountService(session)
        self.review = HabilitationReview(session)
        self.accounts: list[Account] = []
        self.dialog: QDialog | None = None
        self.can_review = has_right(session.user.profile, Right.REVIEW_HABILITATIONS)
        #: replaced in tests
        self.choose_path: Callable[[], Path | None] = self._ask_path
        layout = QVBoxLayout(self)
        layout.addWidget(note("Un compte personnel par personne. Un administrateur ne choisit jamais le mot "
                              "de passe d'une personne : Sillage donne un mot de passe provisoire, valable "
                              "72 heures, à changer à la première connexion."))
        self.reminder = error_label()
        layout.addWidget(self.reminder)
        self.table = TextTable(HEADERS, "Comptes")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton("Nouveau compte…")
        self.edit_button = QPushButton("Profil et unités…")
        self.reset_button = QPushButton("Réinitialiser le mot de passe…")
        self.unlock_button = QPushButton("Débloquer")
        self.deactivate_button = QPushButton("Désactiver…")
        for button, slot in ((self.new_button, self.new_account), (self.edit_button, self.edit_account),
                             (self.reset_button, self.reset), (self.unlock_button, self.unlock),
                             (self.deactivate_button, self.deactivate)):
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        review_row = QHBoxLayout()
        self.sign_button = QPushButton("Signer la revue annuelle des habilitations")
        self.sign_button.clicked.connect(self.sign)
        self.pdf_button = QPushButton("Revue des habilitations (PDF)…")
        self.pdf_button.clicked.connect(self.export_pdf)
        for b in (self.sign_button, self.pdf_button):
            b.setVisible(self.can_review)
            review_row.addWidget(b)
        review_row.addStretch(1)
        layout.addLayout(review_row)
        self.message = note("")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.refresh()

    # -- display ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self.accounts = self.service.list_accounts()
        unused = {line.user_id for line in self.review.lines() if line.unused} if self.can_review else set()
        rows = []
        for a in self.accounts:
            if a.locked:
                state = "Bloqué"
            elif not a.active:
                state = "Désactivé"
            elif a.id in unused:
                state = "Inutilisé depuis 6 mois"
            else:
                state = "Actif"
            rows.append((a.display_name, a.login, a.profile.label, ", ".join(a.units),
                         short_date(a.last_login_at), state))
        self.table.rows.set_rows(rows, keys=[a.id for a in self.accounts])
        if self.can_review:
            status = self.review.status()
            if status.due:
                when = short_date(status.last_review_at, empty="jamais")
                self.reminder.setText(
                    f"La revue annuelle des habilitations est à faire (dernière : {when}). "
                    "Vérifiez chaque compte, retirez les permissions inutiles, puis signez la revue.")
            else:
                self.reminder.setText("")
            self.reminder.setVisible(status.due)

    def selected(self) -> Account | None:
        row = self.table.current_row()
        return self.accounts[row] if 0 <= row < len(self.accounts) else None

    def _say(self, text: str) -> None:
        self.message.setText(text)

    # -- actions ---------------------------------------------------------------------------
    def new_account(self) -> None:
        def submit(values: dict[str, object]) -> None:
            otp = self.service.invite_user(
                login=str(values["login"]), display_name=str(values["display_name"]),
                profile=str(values["profile"]), units=list(values["units"]))  # type: ignore[call-overload]
            self._say(f"Compte créé. Mot de passe provisoire, à remettre en main propre à la "
                      f"personne (il ne sera plus affiché) : {otp}")

        self.dialog = AccountForm(self.service.units(), submit, parent=self,
                                  profiles=self.service.grantable_profiles())
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()

    def edit_account(self) -> None:
        account = self._selected_or_say()
        if account is None:
            return
        profiles = self.service.grantable_profiles()
        if account.id == self.session.user.id:
            self._say(OWN_PROFILE)
            return
        if account.profile not in profiles:
            self._say("Seule la direction peut modifier le profil et les unités de ce compte.")
            return

        def submit(values: dict[str, object]) -> None:
            self.service.set_profile(account.id, str(values["profile"]), list(values["units"]))  # type: ignore[call-overload]

        self.dialog = AccountForm(self.service.units(), submit, account, parent=self,
                                  profiles=profiles)
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()

    def _selected_or_say(self) -> Account | None:
        account = self.selected()
        if account is None:
            self._say("Choisissez d'abord un compte dans la liste.")
        return account

    @ui_action(lambda page, text: page._say(text))
    def _run(self, action: Callable[[], str]) -> None:
        """Run a service call; show its French result or its error, then refresh the table."""
        self._say(action())
        self.refresh()

    def reset(self) -> None:
        account = self._selected_or_say()
        if account is None:
            return

        def do() -> str:
            otp = self.service.reset_password(account.id)
            return (f"Mot de passe provisoire de {account.display_name}, valable 72 heures, à "
                    f"remettre en main propre (il ne sera plus affiché) : {otp}")

        confirm(self, "Réinitialiser le mot de passe",
                f"Le mot de passe actuel de {account.display_name} ne fonctionnera plus. "
                "Un mot de passe provisoire sera affiché une seule fois. Continuer ?",
                lambda yes: self._run(do) if yes else None, yes_text="Réinitialiser")

    def unlock(self) -> None:
        account = self._selected_or_say()
        if account is None:
            return

        def do() -> str:
            self.service.unlock(account.id)
            return f"Compte de {account.display_name} débloqué."

        self._run(do)

    def deactivate(self) -> None:
        account = self._selected_or_say()
        if account is None:
            return

        def do() -> str:
            self.service.deactivate(account.id)
            return f"Compte de {account.display_name} désactivé."

        confirm(self, "Désactiver le compte",
                f"{account.display_name} ne pourra plus se connecter : sa clé et ses accès sont "
                "retirés aussitôt. Si cette personne a pu garder une copie de la clé de secours, "
                "renouvelez ensuite la clé de l'espace (Paramètres). Continuer ?",
                lambda yes: self._run(do) if yes else None, yes_text="Désactiver")

    def sign(self) -> None:
        def answer(yes: bool) -> None:
            if yes:
                self.review.sign_off()
                self._say("Revue annuelle des habilitations signée.")
                self.refresh()

        confirm(self, "Revue annuelle des habilitations",
                "Vous confirmez avoir vérifié chaque compte, son profil et ses unités, et retiré "
                "les permissions devenues inutiles.", answer, yes_text="Signer la revue")

    def _ask_path(self) -> Path | None:
        return ask_save_path(self, "Revue des habilitations", "revue-habilitations.pdf")

    @ui_action(lambda page, text: page._say(text))
    def export_pdf(self) -> None:
        path = self.choose_path()
        if path is None:
            return
        from app.output_files import save_document

        save_document(path, self.review.pdf(), workspace_root=self.session.workspace.root)
        self._say(f"PDF enregistré : {path}")

    def clear(self) -> None:
        self.table.rows.set_rows([])
        self.message.clear()
