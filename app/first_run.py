"""The first-run flow (UI.md): organisation, director account, units, then creation and the
recovery key, whose last group the person must retype. A plain class, tested without Qt.

The workspace is created only once everything is known, so that an interrupted wizard never
leaves a half-configured workspace behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.auth.accounts import validate_login, validate_name
from app.auth.password_policy import check_password
from app.errors import ValidationError
from app.workspace import Workspace
from storage import settings
from storage.connection import transaction
from storage.keyslots import KeySlotFile
from storage.recovery_key import decode
from storage.store import Store

ORG_TYPES = (("association", "Association (droit privé)"), ("service_public", "Service public (département)"))


@dataclass
class FirstRunFlow:
    workspace: Workspace
    org_name: str = ""
    org_type: str = "association"
    dpo_contact: str = ""
    address: str = ""
    controller: str = ""
    director_name: str = ""
    director_login: str = ""
    units: list[str] = field(default_factory=list)
    recovery_key: str | None = None
    _password: str = field(default="", repr=False)

    def set_organisation(self, name: str, org_type: str, dpo_contact: str, address: str = "",
                         controller: str = "") -> None:
        """What every notice prints (R-8.1): address and controller may be completed later in
        Paramètres, where the notices say what is missing."""
        name, dpo_contact = name.strip(), dpo_contact.strip()
        address, controller = " ".join(address.split()), " ".join(controller.split())
        if len(address) > 200:
            raise ValidationError("L'adresse fait 200 caractères au plus.", "address")
        if len(controller) > 150:
            raise ValidationError("Le responsable du traitement fait 150 caractères au plus.", "controller")
        self.address, self.controller = address, controller
        if not name or len(name) > 120 or any(ord(c) < 32 for c in name):
            raise ValidationError("Le nom de l'organisme est obligatoire (120 caractères au plus).", "org_name")
        if org_type not in dict(ORG_TYPES):
            raise ValidationError("Choisissez le statut de l'organisme.", "org_type")
        if len(dpo_contact) > 200 or any(ord(c) < 32 for c in dpo_contact):
            raise ValidationError("Le contact du délégué à la protection des données fait 200 caractères "
                                  "au plus.", "dpo_contact")
        self.org_name, self.org_type, self.dpo_contact = name, org_type, dpo_contact

    def set_director(self, name: str, login: str, password: str, repeat: str) -> None:
        name, login = validate_name(name), validate_login(login)
        if password != repeat:
            raise ValidationError("Les deux saisies du mot de passe sont différentes.", "repeat")
        check_password(password, login=login, person_name=name, org_name=self.org_name)
        self.director_name, self.director_login, self._password = name, login, password

    def set_units(self, text: str) -> None:
        units = [u.strip() for u in re.split(r"[\n;]", text) if u.strip()]
        if not units:
            raise ValidationError("Indiquez au moins une unité (groupe de vie ou service).", "units")
        if any(len(u) > 80 or any(ord(c) < 32 for c in u) for u in units):
            raise ValidationError("Un nom d'unité fait 80 caractères au plus.", "units")
        if len({u.casefold() for u in units}) != len(units):
            raise ValidationError("Deux unités portent le même nom.", "units")
        self.units = units

    def create(self) -> str:
        """Create the workspace and return the recovery key (shown once)."""
        if not (self.org_name and self.director_login and self._password and self.units):
            raise ValidationError("Des étapes de l'assistant ne sont pas remplies.")
        key = self.workspace.create(
            org_name=self.org_name, admin_login=self.director_login, admin_name=self.director_name,
            password=self._password, units=self.units,
        )
        self._password = ""
        # Settings that only exist once the database does; written with the DMK of the key.
        store = Store.open(self.workspace.paths, decode(key), KeySlotFile.load(self.workspace.paths.keyslots))
        try:
            with transaction(store.conn):
                settings.write_all(store.conn, {
                    settings.ORG_TYPE: self.org_type,
                    settings.DPO_CONTACT: self.dpo_contact,
                    settings.ORG_ADDRESS: self.address,
                    settings.ORG_CONTROLLER: self.controller,
                })
                settings.write_flag(store.conn, settings.PUBLIC_SERVICE_BODY, self.org_type == "service_public")
        finally:
            store.close()
        self.workspace.release()
        self.recovery_key = key
        return key

    def recovery_sheet(self) -> bytes:
        """The printable sheet (PDF) for the key just created."""
        if self.recovery_key is None:
            raise ValidationError("La clé de secours n'existe pas encore.")
        from app.resources import prepare_reports
        from reports.recovery_sheet import render_recovery_sheet

        prepare_reports()
        return render_recovery_sheet(self.recovery_key, org_name=self.org_name,
                                     created=self.workspace.context.clock.now().date())

    def last_group_matches(self, typed: str) -> bool:
        """The person proves the key was written down by retyping its last group."""
        if self.recovery_key is None:
            return False
        expected = self.recovery_key.split("-")[-1]
        return typed.strip().upper().replace("O", "0") == expected.upper()
