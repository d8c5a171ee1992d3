"""A small world for retention tests: a director, a head of service, dossiers whose last
contact is set by recording a real follow-up entry at a chosen date (injected clock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from app.auth.profiles import Profile
from app.auth.service import AccountService
from app.clock import FixedClock
from app.dossiers.service import DossierService
from app.session import Session
from tests.conftest import WorkspaceHandle

PASSWORD = "Arbre-Soleil-Pluie-84!"


@dataclass
class World:
    ws: WorkspaceHandle
    clock: FixedClock
    director: Session
    chef: Session
    others: dict[Profile, Session]

    def dossier(self, last_name: str, first_names: str, *, contact_on: str | None,
                measure: str | None = None, unit_id: int = 1, birth_date: str = "2010-03-04") -> int:
        """A dossier whose last contact is ``contact_on`` (a real follow-up entry)."""
        service = DossierService(self.director)
        dossier_id = service.create_dossier(last_name=last_name, first_names=first_names,
                                            birth_date=birth_date, unit_id=unit_id)
        if measure:
            service.records.add(dossier_id, "mesures", {
                "type_mesure": measure, "date_debut": "2020-01-06"})
        if contact_on:
            service.records.add(dossier_id, "suivi", {"date": contact_on, "type": "entretien"})
        return dossier_id

    def at(self, day: str) -> None:
        self.clock.set(dt.datetime.fromisoformat(day + "T10:00:00+00:00"))


@pytest.fixture
def clock() -> FixedClock:
    """Overrides the shared clock: these worlds start on 5 January 2026."""
    return FixedClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def world(ws: WorkspaceHandle) -> Iterator[World]:
    director = ws.login()
    accounts = AccountService(director)
    logins = {Profile.CHEF_SERVICE: "chef", Profile.EDUCATEUR: "educ", Profile.ARCHIVISTE: "archives",
              Profile.SECRETARIAT: "secretariat"}
    for profile, login in logins.items():
        accounts.create_user(login=login, display_name=f"Personne {profile.label}", profile=profile,
                             units=["Les Lilas"], password=PASSWORD)
    others = {p: ws.workspace.login(login, PASSWORD) for p, login in logins.items()}
    w = World(ws, ws.clock, director, others[Profile.CHEF_SERVICE], others)
    yield w
    for s in (director, *others.values()):
        s.close()
