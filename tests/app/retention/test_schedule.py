"""The retention schedule with an injected clock (R-6.1, R-6.2, R-6.3, R-6.5)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.auth.profiles import Profile
from app.errors import KnownError, PermissionRefused, ValidationError
from app.retention.model import DecisionKind, RetentionState
from app.retention.schedule import add_months, add_years
from app.retention.service import RetentionService, check_reason
from tests.app.retention.conftest import World
from tests.store_access import store_of


def states(service: RetentionService, as_of: str | None = None) -> dict[int, RetentionState]:
    day = dt.date.fromisoformat(as_of) if as_of else None
    return {r.dossier_id: r.state for r in service.due(day)}


def journal_details(world: World, action: str) -> list[tuple[int | None, str]]:
    return [(e.dossier_id, e.detail) for e in store_of(world.director).journal.iter_entries()
            if e.action == action]


def test_r6_2_enters_the_panel_60_days_before_its_limit_and_is_overdue_after_it(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2025-01-02")  # limit 2027-01-02
    service = RetentionService(world.director)
    assert d not in states(service, "2026-11-02")  # 61 days before
    assert states(service, "2026-11-03")[d] is RetentionState.DUE_SOON  # 60 days before
    assert states(service, "2027-01-02")[d] is RetentionState.DUE_SOON  # the last day
    assert states(service, "2027-01-03")[d] is RetentionState.OVERDUE  # the day after
    row = service.due(dt.date(2027, 1, 3))[0]
    assert row.limit_date == dt.date(2027, 1, 2) and row.days_left == -1 and row.state.overdue
    # the injected clock drives the default date too
    world.at("2027-02-01")
    assert states(service)[d] is RetentionState.OVERDUE


def test_r6_1_a_new_contact_moves_the_limit(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2024-01-10")
    service = RetentionService(world.director)
    assert states(service)[d] is RetentionState.DUE_SOON  # limit 2026-01-10
    from app.dossiers.service import DossierService

    DossierService(world.director).records.add(d, "suivi", {"date": "2026-01-04", "type": "appel_jeune"})
    assert d not in states(service)


def test_r6_1_documented_duration_per_measure_type(world: World) -> None:
    aemo = world.dossier("Petit", "Louis", contact_on="2023-06-01", measure="aemo")
    other = world.dossier("Garnier", "Emma", contact_on="2023-06-01", measure="placement_judiciaire")
    service = RetentionService(world.director)
    assert {aemo, other} <= set(states(service))
    with pytest.raises(ValidationError):
        service.set_duration("aemo", 5, "trop court")  # a written justification is required
    with pytest.raises(ValidationError):
        service.set_duration("inconnu", 5, "Justification suffisamment longue pour passer")
    service.set_duration("aemo", 5, "REF 51 : durée retenue par le département pour l'AEMO")
    due = states(service)
    assert aemo not in due and other in due
    row = next(r for r in service.due(dt.date(2028, 5, 1)) if r.dossier_id == aemo)
    assert row.limit_date == dt.date(2028, 6, 1) and row.years == 5
    assert [d.measure_type for d in service.durations()] == ["aemo"]
    assert any("durée aemo : 5 ans" in detail for _, detail in journal_details(world, "parametres"))
    with pytest.raises(PermissionRefused):
        RetentionService(world.chef).set_duration("aemo", 3, "Une justification assez longue ici")


def test_r6_3_postponement_removes_the_dossier_until_its_own_date(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2023-12-01")  # overdue since 2025-12-02
    service = RetentionService(world.director)
    assert states(service)[d] is RetentionState.OVERDUE
    with pytest.raises(ValidationError):  # more than six months
        service.postpone(d, "2026-07-06", "Attente d'une réponse de l'ASE")
    with pytest.raises(ValidationError):  # no reason
        service.postpone(d, "2026-03-01", "   ")
    service.postpone(d, "05/07/2026", "Attente d'une réponse de l'ASE")
    assert d not in states(service)
    assert d not in states(service, "2026-07-04")
    assert states(service, "2026-07-05")[d] is RetentionState.OVERDUE
    details = journal_details(world, "conservation")
    assert (d, "Report jusqu'au 05/07/2026 — motif : Attente d'une réponse de l'ASE") in details


def test_r6_3_legal_hold_until_its_review_date_then_lifted(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2023-12-01")
    service = RetentionService(world.director)
    service.legal_hold(d, "2027-03-01", "Recours contre un tiers en cours (tribunal)")
    assert d not in states(service, "2027-02-28")
    assert states(service, "2027-03-01")[d] is RetentionState.HOLD_REVIEW
    status = store_of(world.director).conn.execute("SELECT status FROM dossiers WHERE id = ?", (d,)).fetchone()[0]
    assert status == "legal_hold"
    service.lift_hold(d, "Décision définitive rendue")
    assert states(service)[d] is RetentionState.OVERDUE


def test_r6_3_archive_hides_the_dossier_from_everyone_but_the_archivist(world: World) -> None:
    from app.dossiers.service import DossierService

    d = world.dossier("Roux", "Jade", contact_on="2023-12-01")
    service = RetentionService(world.director)
    service.archive(d, "2031-01-05", "Prescription de l'action en responsabilité")
    assert d not in states(service)
    assert d not in {r.id for r in DossierService(world.director).list_dossiers()}
    with pytest.raises(PermissionRefused):
        DossierService(world.director).open_dossier(d)
    assert states(service, "2031-01-05")[d] is RetentionState.ARCHIVE_ENDED


def test_r6_3_a_dossier_not_yet_due_takes_no_decision(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2025-12-20")
    service = RetentionService(world.director)
    with pytest.raises(KnownError):
        service.postpone(d, "2026-03-01", "Motif quelconque")
    with pytest.raises(KnownError):
        service.archive(d, "2030-03-01", "Motif quelconque")


def test_r3_5_head_of_service_proposes_and_director_decides(world: World) -> None:
    mine = world.dossier("Roux", "Jade", contact_on="2023-12-01", unit_id=1)
    other_unit = world.dossier("Petit", "Louis", contact_on="2023-12-01", unit_id=2)
    chef = RetentionService(world.chef)
    assert set(states(chef)) == {mine}  # only the units of the head of service
    with pytest.raises(PermissionRefused):
        chef.postpone(mine, "2026-03-01", "Attente d'une réponse")
    with pytest.raises(PermissionRefused):
        chef.propose(other_unit, DecisionKind.PROPOSE_PURGE, "Durée atteinte")
    chef.propose(mine, DecisionKind.PROPOSE_PURGE, "Durée atteinte, plus de suivi")
    row = next(r for r in RetentionService(world.director).due() if r.dossier_id == mine)
    assert row.proposal is not None and row.proposal.kind is DecisionKind.PROPOSE_PURGE
    assert row.proposal.by == "Personne " + Profile.CHEF_SERVICE.label
    for profile in (Profile.EDUCATEUR, Profile.SECRETARIAT, Profile.ARCHIVISTE):
        with pytest.raises(PermissionRefused):
            RetentionService(world.others[profile]).due()


def test_r6_3_reason_never_holds_the_young_persons_names(world: World) -> None:
    d = world.dossier("Roux", "Jade-Marie", contact_on="2023-12-01")
    service = RetentionService(world.director)
    for reason in ("Report demandé pour Jade", "roux : attente", "Dossier de JADE-MARIE"):
        with pytest.raises(ValidationError):
            service.postpone(d, "2026-03-01", reason)
    assert check_reason("Dossier D26-00001 : attente") == "Dossier D26-00001 : attente"


def test_r6_5_age_limit_of_the_mission_is_flagged(world: World) -> None:
    old = world.dossier("Lemoine", "Sacha", contact_on="2025-12-01", birth_date="2004-06-01")
    young = world.dossier("Roux", "Jade", contact_on="2025-12-01", birth_date="2010-06-01")
    service = RetentionService(world.director)
    rows = {r.dossier_id: r for r in service.due()}
    assert young not in rows
    assert rows[old].state is RetentionState.AGE_LIMIT and rows[old].age == 21
    assert rows[old].age_flag is not None and "21 ans" in rows[old].age_flag
    assert service.count_due() == 0  # the age flag is information, not a retention decision


def test_r6_2_count_for_the_director(world: World) -> None:
    for i, name in enumerate(("Roux", "Petit", "Garnier")):
        world.dossier(name, "Alex", contact_on=f"2023-12-0{i + 1}")
    world.dossier("Martin", "Noa", contact_on="2025-12-01")
    assert RetentionService(world.director).count_due() == 3


def test_date_helpers() -> None:
    assert add_years(dt.date(2024, 2, 29), 2) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 1, 5), 6) == dt.date(2026, 7, 5)
