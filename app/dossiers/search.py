"""The youth list and its search (R-4.7, R-4.9).

Search and filters work on name, first name, dossier number, unit, status and dates only.
These tuples are the only criteria any list, filter or sort accepts; a test enumerates them
and checks that none is a sensitive field of the catalogue.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass

from app.dossiers.model import DossierHeader, DossierStatus

SEARCH_FIELDS = ("last_name", "first_names", "number")
FILTER_FIELDS = ("unit_id", "status", "deadline_within_days")
SORT_FIELDS = (
    "last_name", "first_names", "age", "unit", "measure", "next_deadline", "last_contact_on",
    "status", "number",
)
DEADLINE_SOON = 60  # days (UI.md: highlighted 60 days before)


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase without accents, so « Éloïse » is found by « elo ». Names repeat: cached."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


#: the dossiers whose measure deadlines still call for action (issue 15)
LIVE_STATUSES = frozenset({DossierStatus.ACTIVE.value, DossierStatus.RESTRICTED.value})


def deadline_state(deadline: str | None, today: dt.date) -> str:
    """"overdue", "soon" (within 60 days) or "" for a deadline (ISO date)."""
    if not deadline:
        return ""
    days = (dt.date.fromisoformat(deadline) - today).days
    return "overdue" if days < 0 else "soon" if days <= DEADLINE_SOON else ""


@dataclass(frozen=True)
class YouthListRow:
    id: int
    number: str
    last_name: str
    first_names: str
    age: int | None
    unit_id: int
    unit: str
    measure: str
    next_deadline: str | None
    last_contact_on: str | None
    status: str
    status_label: str
    deadline_state: str  # "", "soon", "overdue"
    key: str  # folded "last first first last" for the search by name
    number_key: str  # folded dossier number, searched only by words holding a digit


def to_list_rows(rows: list[DossierHeader], today: dt.date, measure_label: dict[str, str]) -> list[YouthListRow]:
    out: list[YouthListRow] = []
    for r in rows:
        # a closed, archived or frozen dossier has no deadline to act on: never « dépassée »
        state = deadline_state(r.next_deadline, today) if r.status.value in LIVE_STATUSES else ""
        out.append(YouthListRow(
            id=r.id, number=r.number, last_name=r.last_name, first_names=r.first_names, age=r.age(today),
            unit_id=r.unit_id, unit=r.unit_name,
            measure=measure_label.get(r.measure_type or "", r.measure_type or ""),
            next_deadline=r.next_deadline, last_contact_on=r.last_contact_on, status=r.status.value,
            status_label=r.status.label, deadline_state=state,
            key=_name_key(r.last_name, r.first_names),
            number_key=fold(r.number),
        ))
    return out


def _name_key(last: str, first: str) -> str:
    a, b = fold(last), fold(first)
    return f"{a} {b} {b} {a}"


class YouthIndex:
    """In-memory filter over the visible rows: a keystroke costs one pass over folded keys."""

    def __init__(self, rows: list[YouthListRow]) -> None:
        self.rows = rows

    def filter(
        self,
        query: str = "",
        *,
        unit_id: int | None = None,
        status: str | None = None,
        deadline_within_days: int | None = None,
        today: dt.date | None = None,
    ) -> list[YouthListRow]:
        words = fold(query).split()
        result = self.rows
        # a word with a digit looks for a dossier number, any other for a name: typing « d »
        # does not match every row through the « D » of the numbers (issue 16)
        for word in words:
            if any(c.isdigit() for c in word):
                result = [r for r in result if word in r.number_key]
            else:
                result = [r for r in result if word in r.key]
        if unit_id is not None:
            result = [r for r in result if r.unit_id == unit_id]
        if status:
            result = [r for r in result if r.status == status]
        if deadline_within_days is not None:
            limit = ((today or dt.date.today()) + dt.timedelta(days=deadline_within_days)).isoformat()
            result = [r for r in result if r.next_deadline and r.next_deadline <= limit]
        return result
