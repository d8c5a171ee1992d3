"""Plausible dates of a dossier and of its entries (R-4.11), and the dates that order an entry.

A past event cannot be dated after today (« last contact » would escape retention, R-6.1), a
measure cannot end before it starts, and a new dossier is not opened for a person older than
an accompanied young adult can be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.dossiers.model import IDENTITY_COLUMNS, MESURE_DEADLINE, MESURE_END, MESURE_START, SUIVI_DATE
from app.errors import ValidationError
from reports.french import short_date

#: a new dossier is opened for a person of at most this age (R-4.11: young adults up to 21,
#: with room for a late entry)
MAX_AGE_NEW_DOSSIER = 26


def check_not_future(day: object, today: dt.date, field_id: str, what: str) -> None:
    """A past event cannot be dated after today: "last contact" would escape retention."""
    if isinstance(day, str) and day > today.isoformat():
        raise ValidationError(
            f"{what} ne peut pas être postérieure à aujourd'hui ({short_date(today)}). "
            "Vérifiez le jour, le mois et l'année.", field_id)


def check_birth_date(day: object, today: dt.date, *, new_dossier: bool) -> None:
    field_id = IDENTITY_COLUMNS["birth_date"]
    check_not_future(day, today, field_id, "La date de naissance")
    if new_dossier and isinstance(day, str):
        oldest = today.replace(year=today.year - MAX_AGE_NEW_DOSSIER, day=28 if (
            today.month == 2 and today.day == 29) else today.day)
        if day < oldest.isoformat():
            raise ValidationError(
                f"Une date de naissance antérieure au {short_date(oldest)} (plus de "
                f"{MAX_AGE_NEW_DOSSIER} ans) ne correspond pas à un jeune accompagné. "
                "Vérifiez l'année.", field_id)


def record_dates(category_id: str, values: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The date that orders a record in its timeline, and the deadline it carries, if any."""
    if category_id == "suivi":
        return (values.get(SUIVI_DATE) if isinstance(values.get(SUIVI_DATE), str) else None), None
    if category_id == "mesures":
        start = values.get(MESURE_START)
        deadline = values.get(MESURE_DEADLINE)
        return (start if isinstance(start, str) else None), (deadline if isinstance(deadline, str) else None)
    return None, None


def check_record_dates(category_id: str, values: Mapping[str, Any], today: dt.date) -> None:
    """Plausible dates of an entry, new or corrected (R-4.11): no follow-up after today (so
    « last contact » cannot escape retention), no measure ending before it starts."""
    record_date, _ = record_dates(category_id, values)
    if category_id == "suivi":
        check_not_future(record_date, today, SUIVI_DATE, "La date de l'entrée de suivi")
    if category_id == "mesures":
        start, end = values.get(MESURE_START), values.get(MESURE_END)
        if isinstance(start, str) and isinstance(end, str) and end < start:
            raise ValidationError("La mesure ne peut pas se terminer avant d'avoir commencé : "
                                  "vérifiez la date de fin.", MESURE_END)
