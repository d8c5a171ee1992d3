"""Domain values of the rights register (R-7.1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

#: R-7.1: one month to answer, extendable once to three months (GDPR art. 12.3)
ANSWER_MONTHS = 1
EXTENDED_MONTHS = 3


class RequestKind(StrEnum):
    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    PORTABILITY = "portability"
    OBJECTION = "objection"
    CONSENT_WITHDRAWAL = "consent_withdrawal"

    @property
    def label(self) -> str:
        return {
            "access": "Accès", "rectification": "Rectification", "erasure": "Effacement",
            "restriction": "Limitation", "portability": "Portabilité", "objection": "Opposition",
            "consent_withdrawal": "Retrait du consentement",
        }[self.value]


class RequesterRole(StrEnum):
    JEUNE = "jeune"
    REPRESENTANT_LEGAL = "representant_legal"
    MANDATAIRE = "mandataire"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return {
            "jeune": "La personne elle-même", "representant_legal": "Représentant légal",
            "mandataire": "Mandataire (avocat, tuteur…)", "autre": "Autre",
        }[self.value]


class RequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {"open": "En cours", "answered": "Répondue", "refused": "Refusée (motivée)"}[self.value]


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
