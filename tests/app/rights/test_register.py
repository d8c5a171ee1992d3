"""The rights register with its deadlines, on an injected clock (R-7.1, R-7.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.auth.profiles import Profile
from app.dossiers.service import DossierService
from app.errors import KnownError, PermissionRefused, ValidationError
from app.retention.model import PurgeCause
from app.retention.purge import PurgeService
from app.rights.model import RequestKind, RequestStatus
from app.rights.service import RightsService
from tests.app.retention.conftest import World
from tests.store_access import store_of


def number(world: World, dossier_id: int) -> str:
    return DossierService(world.director).open_dossier(dossier_id).header.number


def test_r7_1_due_one_month_after_receipt_overdue_after_it(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2025-12-01")
    rights = RightsService(world.director)
    rid = rights.register(kind="access", requester="Mme Roux", requester_role="representant_legal",
                          received_on="02/01/2026", dossier_number=number(world, d))
    (req,) = rights.requests()
    assert req.due_on == dt.date(2026, 2, 2) and req.status is RequestStatus.OPEN
    assert req.dossier_id == d and not req.overdue
    assert rights.overdue(dt.date(2026, 2, 2)) == []
    assert [r.id for r in rights.overdue(dt.date(2026, 2, 3))] == [rid]
    assert rights.count_open() == 1
    world.at("2026-02-10")
    assert [r.days_left for r in rights.overdue()] == [-8]
    rights.answer(rid, "Copie du dossier remise en main propre")
    assert rights.overdue() == [] and rights.count_open() == 0
    with pytest.raises(KnownError):
        rights.answer(rid, "Une seconde réponse")
    details = [e.detail for e in store_of(world.director).journal.iter_entries() if e.action == "droits"]
    assert any(f"demande {rid} (Accès) reçue le 02/01/2026" in x for x in details)
    assert all("Roux" not in x for x in details)  # never the requester's name in the journal


def test_r7_1_extended_once_to_three_months_before_the_first_deadline(world: World) -> None:
    rights = RightsService(world.director)
    rid = rights.register(kind="rectification", requester="Jade", requester_role="jeune",
                          received_on="2026-01-05", dossier_number=None)
    with pytest.raises(ValidationError):
        rights.extend(rid, "")
    assert rights.extend(rid, "Dossier volumineux, recherche dans les archives papier") == dt.date(2026, 4, 5)
    with pytest.raises(KnownError):
        rights.extend(rid, "Encore une fois")
    late = rights.register(kind="objection", requester="Jade", requester_role="jeune",
                           received_on="2026-01-05", dossier_number=None)
    world.at("2026-02-06")
    with pytest.raises(KnownError):
        rights.extend(late, "Trop tard pour prolonger")
    assert [r.id for r in rights.overdue()] == [late]


def test_r7_1_dates_and_dossiers_are_checked(world: World) -> None:
    rights = RightsService(world.director)
    with pytest.raises(ValidationError):
        rights.register(kind="access", requester="X", requester_role="jeune",
                        received_on="2026-01-06", dossier_number=None)  # tomorrow
    with pytest.raises(ValidationError):
        rights.register(kind="access", requester="X", requester_role="jeune",
                        received_on="2026-01-05", dossier_number="D99-99999")
    with pytest.raises(ValidationError):
        rights.register(kind="vengeance", requester="X", requester_role="jeune",
                        received_on="2026-01-05", dossier_number=None)


def test_r3_5_who_keeps_the_register(world: World) -> None:
    rid = RightsService(world.others[Profile.ARCHIVISTE]).register(
        kind="access", requester="X", requester_role="jeune", received_on="2026-01-05", dossier_number=None)
    assert [r.id for r in RightsService(world.director).requests()] == [rid]
    for profile in (Profile.CHEF_SERVICE, Profile.EDUCATEUR, Profile.SECRETARIAT):
        with pytest.raises(PermissionRefused):
            RightsService(world.others[profile]).requests()
        assert RightsService(world.others[profile]).count_open() == 0


def test_r7_3_restriction_request_makes_the_dossier_read_only(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2025-12-01")
    rights = RightsService(world.director)
    rid = rights.register(kind=RequestKind.RESTRICTION, requester="Jade Roux", requester_role="jeune",
                          received_on="2026-01-05", dossier_number=number(world, d))
    rights.apply_restriction(rid)
    assert DossierService(world.director).open_dossier(d).header.status.value == "restricted"
    with pytest.raises(KnownError):
        DossierService(world.director).records.add(d, "suivi", {"date": "2026-01-05", "type": "entretien"})
    assert rights.requests()[0].status is RequestStatus.ANSWERED


def test_r7_3_erasure_request_answered_by_the_purge_and_kept_without_the_name(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2025-12-01")  # far from its limit
    purge = PurgeService(world.director)
    with pytest.raises(KnownError):  # no request in the register: nothing is erased
        purge.purge([d], "Demande d'effacement", confirmed=True, cause=PurgeCause.ERASURE)
    rights = RightsService(world.director)
    rid = rights.register(kind="erasure", requester="Jade Roux", requester_role="jeune",
                          received_on="2026-01-05", dossier_number=number(world, d))
    purge.purge([d], f"Demande d'effacement n° {rid}", confirmed=True, cause=PurgeCause.ERASURE)
    (req,) = rights.requests()
    assert req.status is RequestStatus.ANSWERED and req.dossier_id is None
    assert req.requester == "(personne effacée)" and req.answered_on == dt.date(2026, 1, 5)
