"""Dates and months: typed the French way (jj/mm/aaaa, mm/aaaa), stored the ISO way."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from app.catalogue.field_types.base import FieldKind, References, plain, refuse, shown
from app.catalogue.model import Field, FieldType, Vocabulary
from reports.french import month_year, short_date

_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_FR_MONTH = re.compile(r"(\d{1,2})/(\d{4})", re.ASCII)
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_YEARS = range(1900, 2101)


def _day_of(field: Field, text: str) -> dt.date:
    fr, iso = _FR_DATE.fullmatch(text), _ISO_DATE.fullmatch(text)
    try:
        if fr:
            return dt.date(int(fr.group(3)), int(fr.group(2)), int(fr.group(1)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        raise ValueError(text)
    except ValueError:
        raise refuse(field, f"« {shown(text, 20)} » n'est pas une date valide. "
                            "Saisissez-la sous la forme jj/mm/aaaa.") from None


def parse_date(field: Field, value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        day = _day_of(field, value.strip())
    else:
        raise refuse(field, "une date est attendue. Saisissez-la sous la forme jj/mm/aaaa.")
    if day.year not in _YEARS:
        raise refuse(field, "la date doit être comprise entre 1900 et 2100. Vérifiez l'année.")
    return day.isoformat()


def _month_of(field: Field, text: str) -> tuple[int, int]:
    fr, iso = _FR_MONTH.fullmatch(text), _ISO_MONTH.fullmatch(text)
    if fr:
        month, year = int(fr.group(1)), int(fr.group(2))
    elif iso:
        year, month = int(iso.group(1)), int(iso.group(2))
    else:
        raise refuse(field, f"« {shown(text, 20)} » n'est pas un mois valide. "
                            "Saisissez-le sous la forme mm/aaaa.")
    if not 1 <= month <= 12:
        raise refuse(field, "le mois doit être compris entre 01 et 12.")
    return year, month


def parse_month(field: Field, value: object) -> str:
    if isinstance(value, dt.date):
        year, month = value.year, value.month
    elif isinstance(value, str):
        year, month = _month_of(field, value.strip())
    else:
        raise refuse(field, "un mois est attendu. Saisissez-le sous la forme mm/aaaa.")
    if year not in _YEARS:
        raise refuse(field, "l'année doit être comprise entre 1900 et 2100. Vérifiez-la.")
    return f"{year:04d}-{month:02d}"


def show_date(_field: Field, value: Any, _vocabulary: Vocabulary | None, _refs: References) -> str:
    return short_date(str(value))


def show_month(_field: Field, value: Any, _vocabulary: Vocabulary | None, _refs: References) -> str:
    return month_year(str(value))


KINDS = {
    FieldType.DATE: FieldKind(plain(parse_date), show_date),
    FieldType.MONTH: FieldKind(plain(parse_month), show_month),
}
