"""The first-run flow as a plain class (UI.md first run; R-2.3, R-3.2)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.errors import KnownError, ValidationError
from app.first_run import FirstRunFlow
from app.settings import SettingsService
from app.workspace import AppContext, Workspace
from storage.recovery_key import decode
from tests.conftest import TEST_KDF


def test_the_steps_validate_then_create(tmp_path: Path) -> None:
    flow = FirstRunFlow(Workspace(tmp_path / "ws", AppContext(kdf_policy=TEST_KDF)))
    with pytest.raises(ValidationError):
        flow.set_organisation("", "association", "")
    with pytest.raises(ValidationError):
        flow.set_organisation("Foyer", "secte", "")
    flow.set_organisation("Foyer de l'Enfance du Morbihan", "service_public", "dpo@exemple.fr")
    with pytest.raises(KnownError):
        flow.set_director("Nadia Roux", "nroux", "azerty", "azerty")
    with pytest.raises(ValidationError):
        flow.set_director("Nadia Roux", "nroux", "Velo-Rouge-Lune-27!", "Velo-Rouge-Lune-28!")
    with pytest.raises(KnownError):  # the organisation's name is refused in the password
        flow.set_director("Nadia Roux", "nroux", "Morbihan-Velo-2026!", "Morbihan-Velo-2026!")
    flow.set_director("Nadia Roux", "nroux", "Velo-Rouge-Lune-27!", "Velo-Rouge-Lune-27!")
    with pytest.raises(ValidationError):
        flow.set_units("  \n ")
    with pytest.raises(ValidationError):
        flow.set_units("Les Lilas\nles lilas")
    flow.set_units("Les Lilas\nService AEMO; Appartements")
    assert not flow.workspace.exists()  # nothing is written before the last step
    key = flow.create()
    assert len(decode(key)) == 32
    assert not flow.last_group_matches("XXXX")
    assert flow.last_group_matches(key.split("-")[-1].lower())
    sheet = PdfReader(io.BytesIO(flow.recovery_sheet()))
    text = " ".join(" ".join(p.extract_text() for p in sheet.pages).split())
    assert " ".join(key.split("-")[:4]) in text and "Feuille de secours" in text
    workspace = Workspace(tmp_path / "ws", AppContext(kdf_policy=TEST_KDF))
    session = workspace.login("nroux", "Velo-Rouge-Lune-27!")
    assert [name for _, name in __import__("app.dossiers.service", fromlist=["DossierService"])
            .DossierService(session).units()] == ["Appartements", "Les Lilas", "Service AEMO"]
    settings = SettingsService(session).current()
    assert settings.public_service_body and settings.org_name == "Foyer de l'Enfance du Morbihan"
    session.close()
    workspace.release()


def test_r8_1_the_wizard_asks_what_the_notices_print(tmp_path: Path) -> None:
    """Name, status (legal basis), DPO contact, address and controller reach the notices."""
    from app.organisation import OrganisationService

    flow = FirstRunFlow(Workspace(tmp_path / "ws", AppContext(kdf_policy=TEST_KDF)))
    with pytest.raises(ValidationError):
        flow.set_organisation("Foyer", "association", "", "x" * 201)
    flow.set_organisation("Foyer Saint-Jean", "association", "dpo@exemple.fr", " 4 rue  Haute, 35000 Rennes ",
                          "le directeur, Paul Marc")
    flow.set_director("Nadia Roux", "nroux", "Velo-Rouge-Lune-27!", "Velo-Rouge-Lune-27!")
    flow.set_units("Les Lilas")
    flow.create()
    workspace = Workspace(tmp_path / "ws", AppContext(kdf_policy=TEST_KDF))
    session = workspace.login("nroux", "Velo-Rouge-Lune-27!")
    org = OrganisationService(session).current()
    assert (org.name, org.address, org.controller, org.dpo_contact, org.public_service_body) == (
        "Foyer Saint-Jean", "4 rue Haute, 35000 Rennes", "le directeur, Paul Marc", "dpo@exemple.fr", False)
    assert org.missing() == []
    session.close()
    workspace.release()
