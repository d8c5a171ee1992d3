"""The intermediate archive: only `archiviste` opens it, each consultation with a written reason,
journaled; without a consultation the dossier service refuses and journals (R-3.5, R-6.3)."""

from __future__ import annotations

import pytest

from app.auth.profiles import Profile
from app.dossiers.service import DossierService
from app.errors import KnownError, PermissionRefused, ValidationError
from app.journal.events import Action
from app.retention.archive import ArchiveService
from app.retention.service import RetentionService
from tests.app.retention.conftest import World


def entries(world: World, action: Action) -> list[tuple[int | None, int | None, str]]:
    world.director.store.journal.flush()
    return [(e.dossier_id, e.user_id, e.detail) for e in world.director.store.journal.iter_entries()
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
        dossiers.read_category(d, "identite")
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
