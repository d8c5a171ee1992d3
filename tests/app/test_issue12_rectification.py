"""Issue 12 — rectification (R-4.11): follow-up entries, measures, people involved and consents
corrected by who may write them; a follow-up entry deleted by chef_service/direction with a
reason; plausible dates; each change journaled in its transaction, never with values."""

from __future__ import annotations

import pytest

from app.auth.service import AccountService
from app.dossiers.rectification import RectificationService
from app.dossiers.service import DossierService
from app.errors import KnownError, PermissionRefused, ValidationError
from app.session import Session
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of

PASSWORD = "Bateau-Vert-Nuage-58!"


def _codes(service: DossierService, category: str, field: str) -> list[str]:
    vocabulary = service.catalogue.category(category).field(field).vocabulary
    assert vocabulary
    return [i.code for i in service.catalogue.vocabulary(vocabulary).active_items]


def _contact_and_other(service: DossierService) -> tuple[str, str]:
    vocabulary = service.catalogue.category("suivi").field("type").vocabulary
    assert vocabulary
    items = service.catalogue.vocabulary(vocabulary).active_items
    contact = next(i.code for i in items if getattr(i, "counts_as_contact", False))
    other = next(i.code for i in items if not getattr(i, "counts_as_contact", False))
    return contact, other


@pytest.fixture
def team(ws: WorkspaceHandle) -> dict[str, Session]:
    director = ws.login()
    for login, profile, units in (("educ", "educateur", ["Les Lilas"]), ("chef", "chef_service", ["Les Lilas"]),
                                  ("secr", "secretariat", []), ("educ2", "educateur", ["Les Érables"])):
        AccountService(director).create_user(login=login, display_name=f"Personne {login}", profile=profile,
                                             units=units, password=PASSWORD)
    sessions = {"direction": director}
    sessions.update({login: ws.login(login, PASSWORD) for login in ("educ", "chef", "secr", "educ2")})
    yield sessions
    for s in sessions.values():
        s.close()


def _entries(session: Session, after: int) -> list[tuple[str, str, str]]:
    return [(e.action, e.target, e.detail) for e in store_of(session).journal.iter_entries() if e.seq > after]


def test_rectification_follow_up_entry_corrected_and_last_contact_follows(team: dict[str, Session]) -> None:
    director, educ = team["direction"], team["educ"]
    service = DossierService(educ)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2010-06-01", unit_id=1)
    contact, other = _contact_and_other(service)
    first = service.records.add(dossier, "suivi", {"date": "2026-10-02", "type": contact})
    typo = service.records.add(dossier, "suivi", {"date": "2026-11-20", "type": contact, "note": "Rendez-vous"})
    assert service.header(dossier).last_contact_on == "2026-11-20"
    before = store_of(director).journal.head()[0]
    fix = RectificationService(educ)
    changed = fix.correct_record(dossier, typo, {"date": "2025-11-20", "type": contact, "note": "Rendez-vous"})
    assert changed == ["date"]
    assert service.header(dossier).last_contact_on == "2026-10-02"  # recomputed from the entries
    records = {r.id: r for r in service.records.entries(dossier, "suivi")}
    assert records[typo].values["date"] == "2025-11-20" and records[typo].record_date == "2025-11-20"
    assert records[typo].author_id == educ.user.id  # same entry, same author
    # a type that is not a contact no longer counts
    fix.correct_record(dossier, first, {"date": "2026-10-02", "type": other})
    assert service.header(dossier).last_contact_on == "2025-11-20"
    journal = _entries(director, before)
    assert journal[0] == ("modification", "suivi", f"correction de l'entrée {typo} : champs date")
    assert all("Rendez-vous" not in d and "2025" not in d for _, _, d in journal)  # never values
    # nothing changed: nothing written, nothing journaled
    head = store_of(director).journal.head()[0]
    assert fix.correct_record(dossier, first, {"date": "2026-10-02", "type": other}) == []
    assert store_of(director).journal.head()[0] == head


def test_rectification_dates_checked_for_plausibility(team: dict[str, Session]) -> None:
    educ = team["educ"]
    service = DossierService(educ)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2010-06-01", unit_id=1)
    contact, _ = _contact_and_other(service)
    entry = service.records.add(dossier, "suivi", {"date": "2026-11-02", "type": contact})
    fix = RectificationService(educ)
    with pytest.raises(ValidationError, match="postérieure à aujourd'hui"):
        fix.correct_record(dossier, entry, {"date": "2099-01-01", "type": contact})
    assert service.header(dossier).last_contact_on == "2026-11-02"
    measure_type = _codes(service, "mesures", "type_mesure")[0]
    measure = service.records.add(dossier, "mesures", {"type_mesure": measure_type, "date_debut": "2026-01-10"})
    with pytest.raises(ValidationError, match="avant d'avoir commencé"):
        fix.correct_record(dossier, measure, {"type_mesure": measure_type, "date_debut": "2026-01-10",
                                              "date_fin": "2025-12-31"})
    with pytest.raises(ValidationError):
        fix.correct_record(dossier, measure, {"type_mesure": "n'existe-pas", "date_debut": "2026-01-10"})
    assert fix.correct_record(dossier, measure, {"type_mesure": measure_type, "date_debut": "2026-01-12",
                                                 "prochaine_echeance": "2027-01-12"}) == [
        "date_debut", "prochaine_echeance"]
    assert service.records.entries(dossier, "mesures")[0].deadline == "2027-01-12"


def test_rectification_only_by_who_may_write_the_record(team: dict[str, Session]) -> None:
    director = team["direction"]
    service = DossierService(director)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2010-06-01", unit_id=1)
    contact, _ = _contact_and_other(service)
    entry = service.records.add(dossier, "suivi", {"date": "2026-11-02", "type": contact})
    kind = _codes(service, "intervenants", "type_intervenant")[0]
    role = _codes(service, "intervenants", "role")[0]
    person = service.records.add(dossier, "intervenants", {"type_intervenant": kind, "role": role, "nom": "Martin"})
    # the secretariat reads the people involved but does not write them; it never sees follow-up
    with pytest.raises(PermissionRefused):
        RectificationService(team["secr"]).correct_record(dossier, person, {"nom": "Martine"})
    with pytest.raises(PermissionRefused):
        RectificationService(team["secr"]).correct_record(dossier, entry, {"date": "2026-11-01", "type": contact})
    # an educator of another unit does not reach the dossier
    with pytest.raises(PermissionRefused):
        RectificationService(team["educ2"]).correct_record(dossier, entry, {"date": "2026-11-01", "type": contact})
    # an entry of another dossier is not found through this one
    other = service.create_dossier(last_name="Bon", first_names="Ali", birth_date="2009-01-15", unit_id=1)
    with pytest.raises(KnownError, match="n'appartient pas"):
        RectificationService(director).correct_record(other, entry, {"date": "2026-11-01", "type": contact})
    assert RectificationService(team["educ"]).correct_record(
        dossier, person, {"type_intervenant": kind, "role": role, "nom": "Martine"}) == ["nom"]
    # a restricted dossier is read-only for everyone
    service.set_restriction(dossier, restricted=True)
    with pytest.raises(KnownError, match="limitation"):
        RectificationService(director).correct_record(dossier, person, {"type_intervenant": kind, "role": role,
                                                                         "nom": "M"})


def test_rectification_follow_up_deleted_by_chef_or_direction_with_a_reason(team: dict[str, Session]) -> None:
    director, educ, chef = team["direction"], team["educ"], team["chef"]
    service = DossierService(educ)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2010-06-01", unit_id=1)
    contact, _ = _contact_and_other(service)
    keep = service.records.add(dossier, "suivi", {"date": "2026-09-01", "type": contact})
    wrong = service.records.add(dossier, "suivi", {"date": "2026-11-02", "type": contact,
                                                  "note": "Saisie dans le mauvais dossier"})
    assert not RectificationService(educ).can_delete(dossier, "suivi")
    assert RectificationService(chef).can_delete(dossier, "suivi")
    with pytest.raises(PermissionRefused):
        RectificationService(educ).delete_record(dossier, wrong, "saisie dans le mauvais dossier", confirmed=True)
    fix = RectificationService(chef)
    with pytest.raises(ValidationError, match="motif"):
        fix.delete_record(dossier, wrong, "", confirmed=True)
    with pytest.raises(ValidationError, match="nom"):
        fix.delete_record(dossier, wrong, "entrée de Jade saisie ici par erreur", confirmed=True)
    with pytest.raises(KnownError, match="confirmée"):
        fix.delete_record(dossier, wrong, "saisie dans le mauvais dossier", confirmed=False)
    measure = service.records.add(dossier, "mesures", {"type_mesure": _codes(service, "mesures", "type_mesure")[0],
                                                      "date_debut": "2026-01-10"})
    with pytest.raises(KnownError, match="se corrige"):
        fix.delete_record(dossier, measure, "mesure saisie par erreur", confirmed=True)
    before = store_of(director).journal.head()[0]
    fix.delete_record(dossier, wrong, "saisie dans le mauvais dossier", confirmed=True)
    assert [r.id for r in service.records.entries(dossier, "suivi")] == [keep]
    assert service.header(dossier).last_contact_on == "2026-09-01"
    assert store_of(director).conn.execute("SELECT count(*) FROM record_values WHERE record_id = ?", (wrong,)).fetchone()[0] == 0
    assert _entries(director, before) == [
        ("suppression", "suivi", f"suppression de l'entrée {wrong} ; motif : saisie dans le mauvais dossier")]


def test_rectification_consent_corrected_not_withdrawn(team: dict[str, Session]) -> None:
    director, educ = team["direction"], team["educ"]
    service = DossierService(educ)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2006-06-01", unit_id=1)
    consent = service.consents.record(dossier, consent_type="convictions", given_by="Jade Rou",
                                     given_by_role="jeune", form="oral", state="given")
    fix = RectificationService(educ)
    before = store_of(director).journal.head()[0]
    changed = fix.correct_consent(dossier, consent, given_by="Jade Roux", given_by_role="jeune", form="ecrit",
                                  state="given", recorded_on="15/09/2026")
    assert changed == ["form", "given_by", "recorded_on"]
    got = service.consents.of_dossier(dossier)[0]
    assert (got.given_by, got.form, got.recorded_on) == ("Jade Roux", "ecrit", "2026-09-15")
    assert _entries(director, before) == [
        ("modification", "consentements",
         f"correction du consentement {consent} (convictions) : champs form, given_by, recorded_on")]
    with pytest.raises(ValidationError, match="Retirer le consentement"):
        fix.correct_consent(dossier, consent, given_by="Jade Roux", given_by_role="jeune", form="ecrit",
                            state="refused")
    with pytest.raises(ValidationError, match="postérieure"):
        fix.correct_consent(dossier, consent, given_by="Jade Roux", given_by_role="jeune", form="ecrit",
                            state="given", recorded_on="01/01/2099")
    with pytest.raises(PermissionRefused):
        RectificationService(team["educ2"]).correct_consent(
            dossier, consent, given_by="X", given_by_role="jeune", form="ecrit", state="given")
    with pytest.raises(PermissionRefused):
        RectificationService(team["secr"]).correct_consent(
            dossier, consent, given_by="X", given_by_role="jeune", form="ecrit", state="given")
