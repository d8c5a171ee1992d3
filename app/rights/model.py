"""Domain values of the rights register (R-7.1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.labelled_enum import LabelledEnum

#: R-7.1: one month to answer, extendable once to three months (GDPR art. 12.3)
ANSWER_MONTHS = 1
EXTENDED_MONTHS = 3


class RequestKind(LabelledEnum):
    ACCESS = "access", "Accès"
    RECTIFICATION = "rectification", "Rectification"
    ERASURE = "erasure", "Effacement"
    RESTRICTION = "restriction", "Limitation"
    PORTABILITY = "portability", "Portabilité"
    OBJECTION = "objection", "Opposition"
    CONSENT_WITHDRAWAL = "consent_withdrawal", "Retrait du consentement"


class RequesterRole(LabelledEnum):
    JEUNE = "jeune", "La personne elle-même"
    REPRESENTANT_LEGAL = "representant_legal", "Représentant légal"
    MANDATAIRE = "mandataire", "Mandataire (avocat, tuteur…)"
    AUTRE = "autre", "Autre"


class RequestStatus(LabelledEnum):
    OPEN = "open", "En cours"
    ANSWERED = "answered", "Répondue"
    REFUSED = "refused", "Refusée (motivée)"


@dataclass(frozen=True)
class RightsRequest:
    id: int
    dossier_id: int | None
    dossier_number: str | None
    kind: RequestKind
    requester: str
    requester_role: RequesterRole
    received_on: dt.date
    due_on: dt.date
    extended: bool
    extension_reason: str | None
    status: RequestStatus
    answered_on: dt.date | None
    answer: str | None
    #: days until the due date (negative once passed); None once answered
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0
