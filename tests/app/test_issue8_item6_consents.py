"""Issue 8 item 6 — consents as R-4.6 and REF 23 say, through the services."""

from __future__ import annotations

import pytest

from app.auth.service import AccountService
from app.dossiers.service import DossierService
from app.errors import KnownError, ValidationError
from app.session import Session
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of

PASSWORD = "Bateau-Vert-Nuage-58!"


def _staff(ws: WorkspaceHandle) -> tuple[Session, Session, Session, int]:
    director = ws.login()
    AccountService(director).accept_charter()
    accounts = AccountService(director)
    for login, profile in (("educ", "educateur"), ("infi", "soignant")):
        accounts.create_user(login=login, display_name=f"Personne {login}", profile=profile,
                             units=["Les Lilas"], password=PASSWORD)
    dossier = DossierService(director).create_dossier(
        last_name="Roux", first_names="Jade", birth_date="2012-06-01", unit_id=1)  # 14 years old
    sessions = [ws.workspace.login(login, PASSWORD) for login in ("educ", "infi")]
    for s in sessions:
        AccountService(s).accept_charter()
    return director, sessions[0], sessions[1], dossier


def test_item6_health_items_educators_see_need_the_consent_of_ref23_example1(ws: WorkspaceHandle) -> None:
    """REF 23 example 1: the health information useful during the stay (treatments, allergies,
    precautions) reaches non-medical staff only with the consent of the young adult or of the
    legal representative of a minor; withdrawing it deletes the data (R-4.6)."""
    director, educ, nurse, dossier = _staff(ws)
    try:
        assert "sante_sejour" in dict(DossierService(director).consents.types())
        with pytest.raises(KnownError, match="consentement"):
            DossierService(nurse).values.save(dossier, "sante_sejour", {"allergie": "oui"})
        # values recorded by an earlier version, before this consent was required
        store_of(director).conn.execute(
            "INSERT INTO field_values (dossier_id, category_id, field_id, value, updated_at) "
            "VALUES (?, 'sante_sejour', 'traitement', '\"oui\"', '2026-01-01')", (dossier,))
        before = store_of(director).journal.head()[0]
        assert DossierService(educ).values.reveal(dossier, "sante_sejour") == {}
        assert DossierService(educ).values.read(dossier, "sante_sejour") == {}
        assert not [e for e in store_of(director).journal.iter_entries() if e.seq > before
                    and e.action == "consultation"], "nothing shown, nothing journaled as read"
        view = DossierService(educ).open_dossier(dossier)
        assert view.categories["sante_sejour"].needs_consent == "sante_sejour"
        assert not view.categories["sante_sejour"].consent_given
        with pytest.raises(ValidationError, match="représentant légal"):
            DossierService(director).consents.record(
                dossier, consent_type="sante_sejour", given_by="Jade Roux", given_by_role="jeune",
                form="ecrit", state="given")
        DossierService(director).consents.record(
            dossier, consent_type="sante_sejour", given_by="Marc Roux", given_by_role="representant_legal",
            form="ecrit", state="given")
        DossierService(nurse).values.save(dossier, "sante_sejour", {"allergie": "oui", "traitement": "oui"})
        assert DossierService(educ).values.reveal(dossier, "sante_sejour") == {"allergie": "oui", "traitement": "oui"}
        assert DossierService(director).consents.withdraw(dossier, "sante_sejour", confirmed=True) == 2
        assert DossierService(educ).values.reveal(dossier, "sante_sejour") == {}
        assert store_of(director).conn.execute(
            "SELECT count(*) FROM field_values WHERE category_id = 'sante_sejour'").fetchone()[0] == 0
    finally:
        for s in (educ, nurse, director):
            s.close()


def test_item6_default_holder_follows_the_age(director: Session) -> None:
    """R-4.6: legal representative offered for a minor, the young person for an adult, and the
    young person always for sexual life (collected from the person, AU-049 art. 3)."""
    AccountService(director).accept_charter()
    service = DossierService(director)
    minor = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2012-06-01", unit_id=1)
    adult = service.create_dossier(last_name="Bon", first_names="Ali", birth_date="2006-01-15", unit_id=1)
    eighteen_tomorrow = service.create_dossier(last_name="Lenoir", first_names="Zoé",
                                               birth_date="2008-11-24", unit_id=1)
    assert service.consents.default_holder(minor, "convictions") == ("representant_legal", "")
    assert service.consents.default_holder(minor, "sante_sejour") == ("representant_legal", "")
    assert service.consents.default_holder(eighteen_tomorrow, "sante_sejour") == ("representant_legal", "")
    assert service.consents.default_holder(minor, "vie_sexuelle") == ("jeune", "Jade Roux")
    assert service.consents.default_holder(adult, "convictions") == ("jeune", "Ali Bon")
    with pytest.raises(ValidationError, match="jeune lui-même"):
        service.consents.record(adult, consent_type="convictions", given_by="Mme Bon",
                               given_by_role="representant_legal", form="ecrit", state="given")
    with pytest.raises(ValidationError, match="jeune lui-même"):
        service.consents.record(minor, consent_type="vie_sexuelle", given_by="M. Roux",
                               given_by_role="representant_legal", form="oral", state="given")
    service.consents.record(minor, consent_type="vie_sexuelle", given_by="Jade Roux",
                           given_by_role="jeune", form="oral", state="given")


def test_item6_consent_takes_its_real_date(director: Session) -> None:
    AccountService(director).accept_charter()
    service = DossierService(director)
    dossier = service.create_dossier(last_name="Bon", first_names="Ali", birth_date="2006-01-15", unit_id=1)
    service.consents.record(dossier, consent_type="convictions", given_by="Ali Bon", given_by_role="jeune",
                           form="ecrit", state="given", recorded_on="15/09/2026")
    assert [c.recorded_on for c in service.consents.of_dossier(dossier)] == ["2026-09-15"]


def test_item6_second_live_consent_of_the_same_type_refused(director: Session) -> None:
    """R-4.6: one live consent per type; the answer to a request completes that request."""
    AccountService(director).accept_charter()
    service = DossierService(director)
    dossier = service.create_dossier(last_name="Bon", first_names="Ali", birth_date="2006-01-15", unit_id=1)

    def record(state: str) -> int:
        return service.consents.record(dossier, consent_type="convictions", given_by="Ali Bon",
                                      given_by_role="jeune", form="ecrit", state=state)

    asked = record("requested")
    with pytest.raises(KnownError, match="déjà demandé"):
        record("requested")
    assert record("given") == asked
    with pytest.raises(KnownError, match="déjà donné"):
        record("given")
    with pytest.raises(KnownError, match="déjà donné"):
        record("refused")
    assert [(c.id, c.state.value) for c in service.consents.of_dossier(dossier)] == [(asked, "given")]
    service.consents.withdraw(dossier, "convictions", confirmed=True)
    record("given")  # after a withdrawal, a new consent may be given
    assert [c.state.value for c in service.consents.of_dossier(dossier)] == ["withdrawn", "given"]
