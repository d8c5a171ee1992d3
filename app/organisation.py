"""The organisation's identity as every document prints it (R-8.1): name, address, controller,
DPO contact, legal basis (public/private), recipients, retention. Kept in ``meta`` rows of the
encrypted database; only ``direction`` changes them, and every change is journaled with the
setting's name (these settings hold no personal data about the young people)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from app.auth.access import gated_service, require_right
from app.auth.permissions import Right
from app.errors import ValidationError
from app.journal.events import Action
from app.session import Session
from storage import settings
from storage.connection import Connection

DEFAULT_RECIPIENTS = ("le service d'aide sociale à l'enfance du département",)
DEFAULT_RETENTION_YEARS = 2  # two years from the last contact


@dataclass(frozen=True)
class OrganisationProfile:
    name: str
    address: str = ""
    controller: str = ""  # the person or body responsible, e.g. "la directrice, Claire Martin"
    dpo_contact: str = ""
    public_service_body: bool = False  # legal basis: public-interest task (public) or legitimate interest
    recipients: tuple[str, ...] = field(default=DEFAULT_RECIPIENTS)
    retention_years: int = DEFAULT_RETENTION_YEARS

    def missing(self) -> list[str]:
        """What the notices need and is not filled in yet (French labels)."""
        labels = [("name", "nom"), ("address", "adresse"), ("controller", "responsable du traitement"),
                  ("dpo_contact", "contact du délégué à la protection des données")]
        return [label for attr, label in labels if not getattr(self, attr).strip()]


_KEYS = {
    "name": settings.ORG_NAME, "address": settings.ORG_ADDRESS, "controller": settings.ORG_CONTROLLER,
    "dpo_contact": settings.DPO_CONTACT, "public_service_body": settings.PUBLIC_SERVICE_BODY,
    "recipients": settings.ORG_RECIPIENTS, "retention_years": settings.RETENTION_YEARS,
}


def read_profile(conn: Connection) -> OrganisationProfile:
    recipients_text = settings.read(conn, _KEYS["recipients"])
    try:
        recipients = tuple(json.loads(recipients_text)) if recipients_text else DEFAULT_RECIPIENTS
    except ValueError:
        recipients = DEFAULT_RECIPIENTS
    try:
        years = int(settings.read(conn, _KEYS["retention_years"], str(DEFAULT_RETENTION_YEARS)) or 0)
    except ValueError:
        years = DEFAULT_RETENTION_YEARS
    return OrganisationProfile(
        name=settings.org_name(conn),
        address=settings.read(conn, _KEYS["address"], "") or "",
        controller=settings.read(conn, _KEYS["controller"], "") or "",
        dpo_contact=settings.read(conn, _KEYS["dpo_contact"], "") or "",
        public_service_body=settings.flag(conn, _KEYS["public_service_body"]),
        recipients=recipients,
        retention_years=years if 1 <= years <= 30 else DEFAULT_RETENTION_YEARS,
    )


def _clean(value: str, label: str, attr: str, limit: int) -> str:
    value = " ".join(value.split())
    if len(value) > limit or any(ord(c) < 32 for c in value):
        raise ValidationError(f"« {label} » fait {limit} caractères au plus, sur une ligne.", attr)
    return value


def validate(profile: OrganisationProfile) -> OrganisationProfile:
    name = _clean(profile.name, "Nom de l'organisme", "name", 120)
    if not name:
        raise ValidationError("Le nom de l'organisme est obligatoire.", "name")
    recipients = tuple(_clean(r, "Destinataire", "recipients", 150) for r in profile.recipients if r.strip())
    if len(recipients) > 10:
        raise ValidationError("Dix destinataires au plus.", "recipients")
    if isinstance(profile.retention_years, bool) or not 1 <= profile.retention_years <= 30:
        raise ValidationError("La durée de conservation va de 1 à 30 ans.", "retention_years")
    return OrganisationProfile(
        name=name,
        address=_clean(profile.address, "Adresse", "address", 200),
        controller=_clean(profile.controller, "Responsable du traitement", "controller", 150),
        dpo_contact=_clean(profile.dpo_contact, "Contact du délégué", "dpo_contact", 200),
        public_service_body=bool(profile.public_service_body),
        recipients=recipients,
        retention_years=profile.retention_years,
    )


@gated_service
class OrganisationService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def current(self) -> OrganisationProfile:
        with self.session.reading() as conn:
            return read_profile(conn)

    def update(self, profile: OrganisationProfile) -> list[str]:
        """Direction only (R-3.5); returns the names of the settings changed, each journaled."""
        require_right(self.session, Right.ORGANISATION_SETTINGS)
        new = validate(profile)
        old = self.current()
        changed: list[str] = []
        with self.session.transaction() as conn:
            for attr, key in _KEYS.items():
                before, after = getattr(old, attr), getattr(new, attr)
                if before == after:
                    continue
                if attr == "recipients":
                    text = json.dumps(list(after), ensure_ascii=False)
                elif attr == "public_service_body":
                    text = "1" if after else "0"
                else:
                    text = str(after)
                settings.write(conn, key, text)
                changed.append(attr)
                self.session.record(Action.PARAMETRES, "organisation", detail=f"{attr} modifié")
        return changed
