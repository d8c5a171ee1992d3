"""The demo's dossiers, with their values, entries and consents, and its journal history, written
in bulk (R-2.7). Every value is drawn from the catalogue and validated by it."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from app.catalogue import Catalogue, Category, load_catalogue
from app.clock import Clock
from app.demo import history
from app.demo.fictive import FIRST_NAMES_BY_SEX, LAST_NAMES, STATUS_WEIGHTS, DemoCancelled, DemoOptions
from app.demo.values import Person, ValueDrawer
from app.dossiers.consents import FROM_THE_PERSON, MAJORITY
from app.dossiers.dates import record_dates
from app.dossiers.model import SUIVI_DATE, SUIVI_TYPE
from app.dossiers.records import contact_types
from app.session import Session
from app.workspace import Workspace
from storage import demo as demo_repo

Consents = list[dict[str, object]]
Records = list[tuple[str, dict[str, object]]]


def fill(session: Session, rng: random.Random, options: DemoOptions, workspace: Workspace, real: Clock) -> None:
    """Write the demo's dossiers and journal history through the director's ``session``."""
    _Filler(session, rng, options, workspace, real).run()


class _Filler:
    def __init__(self, session: Session, rng: random.Random, options: DemoOptions,
                 workspace: Workspace, real: Clock) -> None:
        self.session = session
        self.rng = rng
        self.options = options
        self.catalogue: Catalogue = load_catalogue()
        self.real = real
        self.today = real.now().date()
        self.progress = workspace.context.progress
        with session.reading() as conn:
            self.users = demo_repo.user_ids(conn)
            self.units = demo_repo.unit_ids(conn)
        self.values = ValueDrawer(rng, self.catalogue, self.today, self.units)

    def tick(self, done: int, total: int) -> None:
        if self.progress is not None and self.progress(done, total) is False:
            raise DemoCancelled()

    def run(self) -> None:
        total = self.options.youths + self.options.journal_rows
        dossiers = list(self.generate_dossiers())
        now = self.session.stamp()
        with self.session.transaction() as conn:
            demo_repo.bulk_insert(conn, dossiers, now, record_dates, lambda d: self.tick(d, total))
        self.session.journal.bulk_load(history.journal_rows(
            self.rng, self._journal_plan,
            since=self.session.clock.now, until=self.real.now, count=self.options.journal_rows,
            dossier_count=len(dossiers), tick=lambda i: self.tick(self.options.youths + i, total)))
        self.tick(total, total)

    def _journal_plan(self) -> list[history.Plan]:
        with self.session.reading() as conn:
            return history.journal_plan(conn, self.catalogue, self.users)

    def generate_dossiers(self) -> Iterator[dict[str, object]]:
        statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
        contacts = contact_types(self.catalogue)
        for n in range(self.options.youths):
            yield self._dossier(n, statuses, contacts)

    def _dossier(self, n: int, statuses: list[str], contact_kinds: frozenset[str]) -> dict[str, object]:
        rng = self.rng
        ctx, last, first, adult = self._person()
        # every status at least once, then in realistic proportions
        status = STATUS_WEIGHTS[n][0] if n < len(STATUS_WEIGHTS) else rng.choice(statuses)
        opened = self.today - dt.timedelta(days=rng.randint(30, 1400))
        consents, categories = self._forms(ctx, adult, opened)
        records = self._records(ctx)
        contacts = [str(v[SUIVI_DATE]) for c, v in records
                    if c == "suivi" and v.get(SUIVI_TYPE) in contact_kinds and v.get(SUIVI_DATE)]
        closed_on = None
        if status in ("closed", "archive"):
            closed_on = (self.today - dt.timedelta(days=rng.randint(30, 900))).isoformat()
        return {
            "number": f"D{self.today.year % 100:02d}-{n + 1:05d}",
            "last_name": last, "first_names": first, "birth_date": ctx["birth"],
            "unit_id": self.units[n % len(self.units)],
            "referent_id": self.users.get("educ") if n % 3 == 0 else None,
            "status": status, "opened_on": opened.isoformat(), "closed_on": closed_on,
            "status_reason": "Fin de prise en charge" if closed_on else None,
            "last_contact_on": max(contacts) if contacts else None,
            "categories": categories, "records": records, "consents": consents,
        }

    def _person(self) -> tuple[Person, str, str, bool]:
        """(the person, last name, first name, whether of age): 3 to 21 years old."""
        rng = self.rng
        age_days = rng.randint(3 * 365, 21 * 365)
        born = self.today - dt.timedelta(days=age_days)
        adult = (self.today.year - born.year
                 - ((self.today.month, self.today.day) < (born.month, born.day))) >= MAJORITY
        sex = rng.choice(("1", "2"))
        last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES_BY_SEX[sex])
        ctx = {"birth": born.isoformat(), "name": f"{first} {last}", "sex": sex, "age": str(age_days // 365)}
        return ctx, last, first, adult

    def _forms(self, ctx: Person, adult: bool, opened: dt.date) -> tuple[Consents, dict[str, dict[str, object]]]:
        """The consents, and the values of the single-form categories (those that need a consent
        only when it was given)."""
        consents: Consents = []
        categories: dict[str, dict[str, object]] = {}
        for category in self.catalogue.categories:
            if category.repeating or category.requires_setting:
                continue
            if category.consent:
                consent = self._consent(category, ctx, adult, opened)
                consents.append(consent)
                if consent["state"] != "given":
                    continue
            values = self.values.record(category.id, ctx, 0.5 if category.sensitive else 0.85)
            if values:
                categories[category.id] = values
        return consents, categories

    def _consent(self, category: Category, ctx: Person, adult: bool, opened: dt.date) -> dict[str, object]:
        rng = self.rng
        state = rng.choice(("given", "given", "refused", "requested", "withdrawn"))
        # sexual life from the person; otherwise the young adult or the legal
        # representative of a minor
        from_young = adult or category.consent in FROM_THE_PERSON
        return {
            "consent_type": category.consent, "state": state,
            "given_by": ctx["name"] if from_young else "Représentant légal",
            "given_by_role": "jeune" if from_young else "representant_legal",
            "form": rng.choice(("ecrit", "oral")),
            "recorded_on": (opened + dt.timedelta(days=rng.randint(1, 20))).isoformat(),
        }

    def _records(self, ctx: Person) -> Records:
        rng = self.rng
        records: Records = []
        for category in (c for c in self.catalogue.categories if c.repeating):
            count = {"suivi": rng.randint(3, 9), "mesures": rng.randint(1, 3)}.get(category.id, rng.randint(1, 3))
            for _ in range(count):
                records.append((category.id, self.values.record(category.id, ctx, 0.9)))
        return records
