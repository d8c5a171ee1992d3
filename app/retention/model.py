"""Domain values of retention (R-6.1 to R-6.5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.labelled_enum import LabelledEnum

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


class RetentionState(LabelledEnum):
    """Why a dossier is on the "À traiter" panel. Values are the CLI's ``state`` column."""

    DUE_SOON = "a_echeance", "Échéance proche"
    OVERDUE = "depassee", "Dépassée"
    HOLD_REVIEW = "contentieux_a_revoir", "Contentieux à réexaminer"
    ARCHIVE_ENDED = "archive_echue", "Fin d'archivage dépassée"
    AGE_LIMIT = "limite_age", "Limite d'âge de la mission"

    @property
    def overdue(self) -> bool:
        """Shown in red with the word "Dépassée" and an icon until decided (R-6.5)."""
        return self in (RetentionState.OVERDUE, RetentionState.ARCHIVE_ENDED)


class DecisionKind(LabelledEnum):
    POSTPONE = "postpone", "Report"
    LEGAL_HOLD = "legal_hold", "Conservation (contentieux)"
    ARCHIVE = "archive", "Archive intermédiaire"
    PROPOSE_PURGE = "propose_purge", "Purge proposée"
    PROPOSE_DEATH = "propose_death", "Décès signalé"
    LIFT_HOLD = "lift_hold", "Fin du contentieux"


#: decisions that take a dossier off the panel until their own date
SUSPENDING = frozenset({DecisionKind.POSTPONE, DecisionKind.LEGAL_HOLD, DecisionKind.ARCHIVE})
PROPOSALS = frozenset({DecisionKind.PROPOSE_PURGE, DecisionKind.PROPOSE_DEATH})


class PurgeCause(LabelledEnum):
    RETENTION = "retention", "Durée de conservation atteinte"
    DEATH = "death", "Décès (AU-049 art. 4)"
    ERASURE = "erasure", "Demande d'effacement"
    ARCHIVE_END = "archive_end", "Fin de l'archivage intermédiaire"


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
