"""A year of journal entries for the demo (R-2.7, R-5.1): each one a read or a change that its
author's profile may make, on a dossier of their units, mostly by day, in time order."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator

from app.auth.permissions import UNIT_SCOPED, Access, matrix
from app.catalogue import Catalogue
from app.demo.fictive import DEMO_ACCOUNTS
from app.journal.events import Action
from storage import demo as demo_repo
from storage import users as users_repo
from storage.connection import Connection
from storage.journal import to_micros

#: (user id, profile, categories they may read, dossiers they may see)
Plan = tuple[int, str, list[str], list[int]]
#: (time, user id, profile, dossier id, target, action, detail), as the journal's bulk load takes it
Row = tuple[int, int | None, str, int | None, str, str, str]


def journal_plan(conn: Connection, catalogue: Catalogue, users: dict[str, int]) -> list[Plan]:
    """Who reads what in the generated history: only what each profile may read."""
    plan = []
    sensitive = {c.id for c in catalogue.categories if c.sensitive}
    for login, _, profile, _ in DEMO_ACCOUNTS:
        uid = users[login]
        categories = [c for c, access in matrix()[profile].items()
                      if Access.READ in access and c in sensitive | {"identite", "suivi", "mesures"}]
        user = users_repo.get_user(conn, uid) if profile in UNIT_SCOPED else None
        units = None if user is None else user.unit_ids
        plan.append((uid, profile.value, categories, demo_repo.dossier_ids(conn, units)))
    return plan


def _moments(rng: random.Random, start: dt.datetime, now: dt.datetime, count: int) -> list[int]:
    """``count`` moments from ``start`` to an hour before ``now``, few of them at night."""
    span = (now - start).total_seconds() - 3600
    step = span / count
    moments = []
    for i in range(count):
        when = start + dt.timedelta(seconds=i * step + rng.random() * step * 0.5)
        if (when.hour >= 21 or when.hour < 5) and rng.random() < 0.93:
            when = when.replace(hour=rng.randint(6, 19))  # few night reads, as in real life
            if when >= now - dt.timedelta(minutes=5):
                when -= dt.timedelta(days=1)  # never in the future (the journal checks the clock)
        moments.append(to_micros(when))
    # A real journal is written in time order: entries follow each other (seq = time order).
    moments.sort()
    return moments


def journal_rows(
    rng: random.Random, plan: Callable[[], list[Plan]], *, since: Callable[[], dt.datetime],
    until: Callable[[], dt.datetime], count: int, dossier_count: int, tick: Callable[[int], None],
) -> Iterator[Row]:
    """``count`` entries from an hour after ``since()`` up to ``until()``; ``tick(i)`` every
    50,000 entries. Everything is read when the first entry is asked for."""
    if count == 0:
        return
    start = since() + dt.timedelta(hours=1)
    now = until()
    readers = plan()
    for i, ts in enumerate(_moments(rng, start, now, count)):
        uid, profile, categories, dossiers = rng.choice(readers)
        roll = rng.random()
        if roll < 0.08 or not categories or not dossiers:
            yield (ts, uid, profile, None, "session",
                   Action.CONNEXION.value if roll < 0.07 or not categories else
                   Action.VERROUILLAGE.value, "")
        else:
            # mostly within the user's units, sometimes outside (the review flags it)
            dossier = rng.choice(dossiers) if rng.random() > 0.03 else rng.randint(1, dossier_count)
            action = Action.CONSULTATION if rng.random() < 0.7 else Action.MODIFICATION
            yield (ts, uid, profile, dossier, rng.choice(categories), action.value, "")
        if i % 50_000 == 0:
            tick(i)
