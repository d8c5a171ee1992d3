"""Dates, times, ages, counts and deadlines as a French reader expects them: « 24/11/2026 »,
« 24/11/2026 à 14:05 », « 12 ans », « 1 jour », « Échéance dans 3 jours », « Dépassée (2 jours) ».

Written once for the screens, the services' messages and the PDF documents. It lives in
``reports/`` because that is the one package all three may import (ui → app → reports; reports
imports neither app nor ui), and it needs nothing but the standard library.

Values come as ``date``/``datetime`` objects or as the ISO text the database keeps
(``2026-11-24``, ``2026-11-24T14:05:00+00:00``); a text that is not an ISO date is shown as it
is, so that nothing a person typed disappears from a screen or a document.
"""

from __future__ import annotations

import datetime as dt

DateLike = dt.date | str | None


def _day(value: dt.date | str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _moment(value: dt.datetime | str) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def short_date(value: DateLike, empty: str = "") -> str:
    """« 24/11/2026 »; ``empty`` when there is no date."""
    if value is None or value == "":
        return empty
    day = _day(value)
    return str(value) if day is None else f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def month_year(value: str) -> str:
    """« 11/2026 » for the ISO month « 2026-11 »; another text as it is."""
    return f"{value[5:7]}/{value[:4]}" if len(value) == 7 and value[4] == "-" else value


def read_date(text: str) -> dt.date | None:
    """A date typed « 24/11/2026 » (or ISO « 2026-11-24 »); None when it is not a real day."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def date_time(value: dt.datetime | str | None, *, at: bool = False, seconds: bool = False,
              empty: str = "") -> str:
    """« 24/11/2026 14:05 », or « 24/11/2026 à 14:05 » with ``at``; the time as it is given
    (convert to the zone to show before calling)."""
    if value is None or value == "":
        return empty
    moment = _moment(value)
    if moment is None:
        return str(value)
    clock = f"{moment:%H:%M:%S}" if seconds else f"{moment:%H:%M}"
    return f"{short_date(moment)}{' à ' if at else ' '}{clock}"


def age_on(birth: DateLike, today: dt.date) -> int | None:
    """Whole years on ``today``: the birthday itself counts (born 29 February: 1 March in
    common years). None without a (valid) birth date."""
    if not birth:
        return None
    born = _day(birth)
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def count(number: int, singular: str, plural: str | None = None) -> str:
    """« 0 jour », « 1 jour », « 2 jours »: in French 0 and 1 take the singular."""
    word = singular if abs(number) < 2 else (plural or singular + "s")
    return f"{number} {word}"


def years(number: int | None, empty: str = "") -> str:
    """An age or a duration: « 1 an », « 12 ans »."""
    return empty if number is None else count(number, "an")


def days(number: int) -> str:
    return count(number, "jour")


def deadline(days_left: int) -> str:
    """A deadline from the days left: « Échéance dans 3 jours », « Échéance aujourd'hui »,
    « Dépassée (2 jours) » (the day after), « Dépassée » never without its word (R-6.5)."""
    if days_left < 0:
        return f"Dépassée ({days(-days_left)})"
    if days_left == 0:
        return "Échéance aujourd'hui"
    return f"Échéance dans {days(days_left)}"
