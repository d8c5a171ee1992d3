"""Domain values of dossiers (R-4.4, R-4.10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.labelled_enum import LabelledEnum
from reports.french import age_on


class DossierStatus(LabelledEnum):
    ACTIVE = "active", "En cours"
    CLOSED = "closed", "Clôturé"
    ARCHIVE = "archive", "Archive intermédiaire"
    LEGAL_HOLD = "legal_hold", "Conservé (contentieux)"
    RESTRICTED = "restricted", "Limité (lecture seule)"


#: identity fields kept as columns of ``dossiers`` (search and lists need them)
IDENTITY_COLUMNS = {"last_name": "nom", "first_names": "prenoms", "birth_date": "date_naissance"}

#: catalogue field ids the services rely on
SUIVI_DATE = "date"
SUIVI_TYPE = "type"
MESURE_TYPE = "type_mesure"
MESURE_START = "date_debut"
MESURE_DEADLINE = "prochaine_echeance"
MESURE_END = "date_fin"


class ConsentState(LabelledEnum):
    REQUESTED = "requested", "Demandé"
    GIVEN = "given", "Donné"
    REFUSED = "refused", "Refusé"
    WITHDRAWN = "withdrawn", "Retiré"


@dataclass(frozen=True)
class Consent:
    id: int
    consent_type: str
    given_by: str
    given_by_role: str
    form: str
    scope: str
    state: ConsentState
    recorded_on: str
    withdrawn_on: str | None


@dataclass(frozen=True)
class Record:
    """One entry of a repeating category: a follow-up entry, a measure, a person involved (R-4.5)."""

    id: int
    category_id: str
    values: dict[str, Any]
    record_date: str | None  # the date that orders the timeline (a follow-up's date, a measure's start)
    deadline: str | None  # the next deadline of a measure
    created_at: str
    author_id: int | None


@dataclass(frozen=True)
class DossierHeader:
    id: int
    number: str
    last_name: str
    first_names: str
    birth_date: str | None
    unit_id: int
    unit_name: str
    referent_id: int | None
    status: DossierStatus
    opened_on: str
    closed_on: str | None
    last_contact_on: str | None
    next_deadline: str | None
    measure_type: str | None

    def age(self, today: dt.date) -> int | None:
        return age_on(self.birth_date, today)


@dataclass(frozen=True)
class CategoryState:
    """What the dossier view may show of one category for the current user."""

    category_id: str
    readable: bool
    writable: bool
    sensitive: bool
    needs_consent: str | None
    consent_given: bool
    values: dict[str, Any] | None  # None while masked or unreadable


@dataclass(frozen=True)
class DossierView:
    header: DossierHeader
    categories: dict[str, CategoryState] = field(default_factory=dict)
    consents: tuple[Consent, ...] = ()
    consents_readable: bool = False
    consents_writable: bool = False
