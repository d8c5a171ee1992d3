"""Domain values of retention (R-6.1 to R-6.5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

#: R-6.1: two years from the last contact, unless the organisation documents another duration
DEFAULT_YEARS = 2
#: R-6.2: reminders from this many days before the limit
REMINDER_DAYS = 60
#: R-6.3: a postponement lasts six months at most
MAX_POSTPONE_MONTHS = 6
#: a legal hold is reviewed at least this often; an archive has an end date within this bound
MAX_HOLD_YEARS = 5
MAX_ARCHIVE_YEARS = 20
#: the mission's age limits (REF 1: under 21, up to 25 for particular protection)
AGE_LIMIT = 21
AGE_LIMIT_PROTECTED = 25


class RetentionState(StrEnum):
    """Why a dossier is on the "À traiter" panel. Values are the CLI's ``state`` column."""

    DUE_SOON = "a_echeance"
    OVERDUE = "depassee"
    HOLD_REVIEW = "contentieux_a_revoir"
    ARCHIVE_ENDED = "archive_echue"
    AGE_LIMIT = "limite_age"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def overdue(self) -> bool:
        """Shown in red with the word "Dépassée" and an icon until decided (R-6.5)."""
        return self in (RetentionState.OVERDUE, RetentionState.ARCHIVE_ENDED)


STATE_LABELS = {
    RetentionState.DUE_SOON: "Échéance proche",
    RetentionState.OVERDUE: "Dépassée",
    RetentionState.HOLD_REVIEW: "Contentieux à réexaminer",
    RetentionState.ARCHIVE_ENDED: "Fin d'archivage dépassée",
    RetentionState.AGE_LIMIT: "Limite d'âge de la mission",
}


class DecisionKind(StrEnum):
    POSTPONE = "postpone"
    LEGAL_HOLD = "legal_hold"
    ARCHIVE = "archive"
    PROPOSE_PURGE = "propose_purge"
    PROPOSE_DEATH = "propose_death"
    LIFT_HOLD = "lift_hold"

    @property
    def label(self) -> str:
        return {
            "postpone": "Report", "legal_hold": "Conservation (contentieux)",
            "archive": "Archive intermédiaire", "propose_purge": "Purge proposée",
            "propose_death": "Décès signalé", "lift_hold": "Fin du contentieux",
        }[self.value]


#: decisions that take a dossier off the panel until their own date
SUSPENDING = frozenset({DecisionKind.POSTPONE, DecisionKind.LEGAL_HOLD, DecisionKind.ARCHIVE})
PROPOSALS = frozenset({DecisionKind.PROPOSE_PURGE, DecisionKind.PROPOSE_DEATH})


class PurgeCause(StrEnum):
    RETENTION = "retention"
    DEATH = "death"
    ERASURE = "erasure"
    ARCHIVE_END = "archive_end"

    @property
    def label(self) -> str:
        return {
            "retention": "Durée de conservation atteinte", "death": "Décès (AU-049 art. 4)",
            "erasure": "Demande d'effacement", "archive_end": "Fin de l'archivage intermédiaire",
        }[self.value]


@dataclass(frozen=True)
class Proposal:
    kind: DecisionKind
    by: str
    on: str
    reason: str


@dataclass(frozen=True)
class DueDossier:
    """One row of the "À traiter" panel. No sensitive value (R-4.7)."""

    dossier_id: int
    number: str
    last_name: str
    first_names: str
    unit_name: str
    status: str
    last_contact_on: str | None
    limit_date: dt.date
    state: RetentionState
    years: int
    age: int | None
    age_flag: str | None
    #: days until the limit, negative once passed, counted from the day of the assessment
    days_left: int
    proposal: Proposal | None = None


@dataclass(frozen=True)
class Duration:
    measure_type: str
    label: str
    years: int
    justification: str
    set_on: str
