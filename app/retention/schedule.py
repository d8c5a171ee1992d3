"""The retention schedule as pure functions of dates: no store, no clock (R-6.1, R-6.2, R-6.5).

A dossier's limit is its last contact (or its opening, when no contact was ever recorded) plus
the longest duration among its measure types (2 years unless the organisation documented
another one). It enters the panel 60 days before the limit and is overdue the day after. A
postponement, legal hold or intermediate archive takes it off the panel until its own date;
then it comes back, overdue (or, for a legal hold, to be reviewed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from app.retention.model import (
    AGE_LIMIT,
    AGE_LIMIT_PROTECTED,
    DEFAULT_YEARS,
    REMINDER_DAYS,
    DecisionKind,
    DueDossier,
    Proposal,
    RetentionState,
)
from reports.french import age_on
from storage.retention import DecisionRow, ScheduleRow


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_flag(age: int | None) -> str | None:
    if age is None or age < AGE_LIMIT:
        return None
    if age >= AGE_LIMIT_PROTECTED:
        return f"{age} ans : au-delà de la limite de {AGE_LIMIT_PROTECTED} ans"
    return (f"{age} ans : au-delà de {AGE_LIMIT} ans (jusqu'à {AGE_LIMIT_PROTECTED} ans seulement "
            "pour un jeune nécessitant une protection particulière)")


def duration_years(measure_types: Sequence[str], durations: Mapping[str, int]) -> int:
    """The longest duration among the dossier's measure types; the default for the others."""
    if not measure_types:
        return DEFAULT_YEARS
    return max(durations.get(m, DEFAULT_YEARS) for m in measure_types)


def base_limit(row: ScheduleRow, durations: Mapping[str, int]) -> tuple[dt.date, int]:
    start = row.last_contact_on or row.opened_on
    years = duration_years(row.measure_types, durations)
    return add_years(dt.date.fromisoformat(start[:10]), years), years


def assess(
    row: ScheduleRow,
    durations: Mapping[str, int],
    open_decisions: Sequence[DecisionRow],
    today: dt.date,
) -> DueDossier | None:
    """The panel row of one dossier, or None when nothing is to be done yet."""
    limit, years = base_limit(row, durations)
    suspending = [d for d in open_decisions
                  if d.kind in (DecisionKind.POSTPONE, DecisionKind.LEGAL_HOLD, DecisionKind.ARCHIVE)]
    proposals = [d for d in open_decisions
                 if d.kind in (DecisionKind.PROPOSE_PURGE, DecisionKind.PROPOSE_DEATH)]
    proposal = None
    if proposals:
        p = proposals[-1]
        proposal = Proposal(DecisionKind(p.kind), p.decided_by_name, p.decided_at[:10], p.reason)
    age = age_on(row.birth_date, today)
    flag = age_flag(age) if row.status in ("active", "restricted") else None
    state: RetentionState | None = None
    if suspending:
        current = suspending[-1]
        until = dt.date.fromisoformat(current.until_on) if current.until_on else None
        if until is not None and today < until:
            return None  # off the panel until its own date
        limit = until or limit
        state = {
            DecisionKind.LEGAL_HOLD: RetentionState.HOLD_REVIEW,
            DecisionKind.ARCHIVE: RetentionState.ARCHIVE_ENDED,
        }.get(DecisionKind(current.kind), RetentionState.OVERDUE)
    elif today > limit:
        state = RetentionState.OVERDUE
    elif today >= limit - dt.timedelta(days=REMINDER_DAYS):
        state = RetentionState.DUE_SOON
    elif flag is not None:
        state = RetentionState.AGE_LIMIT
    elif proposal is not None and proposal.kind is DecisionKind.PROPOSE_DEATH:
        state = RetentionState.OVERDUE  # a death is handled without delay
    if state is None:
        return None
    return DueDossier(
        dossier_id=row.id, number=row.number, last_name=row.last_name, first_names=row.first_names,
        unit_name=row.unit_name, status=row.status, last_contact_on=row.last_contact_on,
        limit_date=limit, state=state, years=years, age=age, age_flag=flag,
        days_left=(limit - today).days, proposal=proposal,
    )


def order_key(row: DueDossier) -> tuple[int, int, str]:
    """Overdue first, then by limit date."""
    return (0 if row.state.overdue else 1, row.days_left, row.number)
