"""The intermediate archive: only `archiviste` opens it, each consultation with a written reason,
journaled; without a consultation the dossier service refuses and journals (R-3.5, R-6.3)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.auth.permissions import Right, has_right
from app.auth.profiles import Profile
from app.dossiers.service import DossierService
from app.errors import KnownError, PermissionRefused, ValidationError
from app.journal.events import Action
from app.retention.archive import ArchiveService
from app.retention.model import DecisionKind
from app.retention.purge import PurgeService
from app.retention.service import RetentionService
from app.session import Session
from tests.app.retention.conftest import World
from tests.store_access import store_of


def entries(world: World, action: Action) -> list[tuple[int | None, int | None, str]]:
    store_of(world.director).journal.flush()
    return [(e.dossier_id, e.user_id, e.detail) for e in store_of(world.director).journal.iter_entries()
            if e.action == action.value]


def test_r3_5_archived_dossier_opens_only_for_the_archivist_with_a_journaled_reason(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2023-12-01")
    active = world.dossier("Petit", "Louis", contact_on="2025-12-01")
    RetentionService(world.director).archive(d, "2031-01-05", "Prescription de l'action en responsabilité")
    archivist = world.others[Profile.ARCHIVISTE]
    service = ArchiveService(archivist)
    (row,) = service.archived()
    assert (row.dossier_id, row.until_on, row.reason) == (d, "2031-01-05",
                                                          "Prescription de l'action en responsabilité")
    # without a consultation, the dossier service refuses, and says why; the refusal is journaled
    dossiers = DossierService(archivist)
    with pytest.raises(PermissionRefused, match="motif écrit"):
        dossiers.open_dossier(d)
    assert any(detail == "archive sans motif de consultation" and who == archivist.user.id
               for _, who, detail in entries(world, Action.REFUS))
    # a reason is required, without the young person's names
    with pytest.raises(ValidationError, match="motif de la consultation"):
        service.consult(d, "  ")
    with pytest.raises(ValidationError, match="nom"):
        service.consult(d, "Demande de Jade Roux")
    assert entries(world, Action.ARCHIVE) == []
    service.consult(d, "Réquisition du parquet du 02/01/2026")
    assert entries(world, Action.ARCHIVE) == [(d, archivist.user.id, "motif : Réquisition du parquet du 02/01/2026")]
    view = dossiers.open_dossier(d)
    assert view.header.last_name == "Roux"
    assert all(not state.writable for state in view.categories.values())  # read-only
    # the consultation ends: closed again
    service.end(d)
    with pytest.raises(PermissionRefused):
        dossiers.values.read(d, "identite")
    # an active dossier is not in the archive; nobody else consults it
    with pytest.raises(KnownError):
        service.consult(active, "Vérification d'un dossier")
    for profile in (Profile.CHEF_SERVICE, Profile.EDUCATEUR, Profile.SECRETARIAT):
        with pytest.raises(PermissionRefused):
            ArchiveService(world.others[profile]).consult(d, "Vérification d'un dossier")
    with pytest.raises(PermissionRefused):
        ArchiveService(world.director).archived()
    with pytest.raises(PermissionRefused, match="n'existe pas"):
        DossierService(world.director).open_dossier(d)  # the director no longer sees it



def operations(world: World, session: Session, name: str) -> dict[Right, list[Callable[[], object]]]:
    """Every public operation of the retention, purge and archive services, by the right it needs."""
    d = world.dossier(f"Dossier{name}", "Camille", contact_on="2023-06-01")
    archived = world.dossier(f"Archive{name}", "Camille", contact_on="2023-06-01")
    RetentionService(world.director).archive(archived, "2030-01-05", "Prescription de l'action")
    retention, purge, archive = RetentionService(session), PurgeService(session), ArchiveService(session)
    return {
        Right.RETENTION_PROPOSE: [
            lambda: retention.due(), lambda: retention.assess(d), lambda: retention.history(d),
            lambda: retention.find_by_number("D99-00001"),
            lambda: retention.propose(d, DecisionKind.PROPOSE_PURGE, "Durée atteinte"),
        ],
        Right.RETENTION_DECIDE: [
            lambda: retention.set_duration("aemo", 5, "Justification écrite assez longue ici"),
            lambda: retention.remove_duration("aemo"),
            lambda: retention.postpone(d, "2026-03-01", "Attente d'une réponse"),
            lambda: retention.legal_hold(d, "2026-03-01", "Contentieux en cours"),
            lambda: retention.lift_hold(d, "Contentieux terminé"),
            lambda: retention.archive(d, "2030-03-01", "Prescription de l'action"),
            lambda: purge.purges(),
            lambda: purge.purge_one(d, "Durée atteinte", confirmed=True),
            lambda: purge.confirm_death(d, "Décès confirmé", confirmed=True),
        ],
        Right.ARCHIVE_ACCESS: [
            lambda: archive.archived(), lambda: archive.consult(archived, "Réquisition du parquet"),
        ],
    }


def test_r3_5_retention_and_archive_operations_follow_the_profiles(world: World) -> None:
    """`chef_service` proposes, `direction` decides, `archiviste` consults the archive, the
    others reach nothing; the refusals of direct calls are journaled."""
    sessions = {Profile.DIRECTION: world.director, **world.others}
    for profile, session in sessions.items():
        for right, calls in operations(world, session, profile.value).items():
            for n, call in enumerate(calls):
                try:
                    call()
                    refused = False
                except PermissionRefused:
                    refused = True
                except (KnownError, ValidationError):
                    refused = False  # allowed, then refused for another reason (not due, unknown…)
                assert refused != has_right(profile, right), (profile, right, n)
        assert RetentionService(session).can_decide() == has_right(profile, Right.RETENTION_DECIDE)
    for session in sessions.values():
        store_of(session).journal.flush()
    educator = world.others[Profile.EDUCATEUR].user.id
    assert [e for e in entries(world, Action.REFUS) if e[1] == educator]
