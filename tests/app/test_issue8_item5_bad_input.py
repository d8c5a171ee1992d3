"""Issue 8 item 5 — bad input refused or made harmless in the services (R-4.11, R-3.3, §10)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from app.auth.accounts import validate_name
from app.auth.service import AccountService
from app.dossiers.service import DossierService
from app.errors import ValidationError
from app.journal.review import JournalFilter, JournalReview
from app.session import Session
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of

CONTACT_TYPE = "entretien_jeune"


def _dossier(session: Session) -> tuple[DossierService, int]:
    AccountService(session).accept_charter()
    service = DossierService(session)
    return service, service.create_dossier(last_name="Morel", first_names="Noé", birth_date="2012-05-05",
                                           unit_id=1)


def _contact_type(service: DossierService) -> str:
    field = service.catalogue.category("suivi").field("type")
    assert field.vocabulary
    return next(i.code for i in service.catalogue.vocabulary(field.vocabulary).items
                if getattr(i, "counts_as_contact", False))


def test_item5_follow_up_in_2099_refused_and_last_contact_unchanged(director: Session) -> None:
    """R-4.11: a follow-up dated after today cannot push « last contact » past retention."""
    service, dossier = _dossier(director)
    kind = _contact_type(service)
    service.records.add(dossier, "suivi", {"date": "2026-11-20", "type": kind})
    with pytest.raises(ValidationError, match="postérieure à aujourd'hui"):
        service.records.add(dossier, "suivi", {"date": "01/01/2099", "type": kind})
    with pytest.raises(ValidationError, match="postérieure"):
        service.records.add(dossier, "suivi", {"date": "2026-11-24", "type": kind})  # tomorrow
    service.records.add(dossier, "suivi", {"date": "2026-11-23", "type": kind})  # today is fine
    assert service.open_dossier(dossier).header.last_contact_on == "2026-11-23"


def test_item5_birth_dates_checked_for_plausibility(director: Session) -> None:
    """R-4.11: no birth date in the future, nor over 26 years ago for a new dossier."""
    AccountService(director).accept_charter()
    service = DossierService(director)
    with pytest.raises(ValidationError, match="postérieure"):
        service.create_dossier(last_name="A", first_names="B", birth_date="2027-01-01", unit_id=1)
    with pytest.raises(ValidationError, match="26 ans"):
        service.create_dossier(last_name="A", first_names="B", birth_date="1990-01-01", unit_id=1)
    dossier = service.create_dossier(last_name="A", first_names="B", birth_date="2001-01-01", unit_id=1)
    with pytest.raises(ValidationError, match="postérieure"):
        service.values.save(dossier, "identite", {"date_naissance": "2030-05-05"})


def test_item5_consent_dated_in_the_future_refused(director: Session) -> None:
    service, dossier = _dossier(director)
    with pytest.raises(ValidationError, match="postérieure"):
        service.consents.record(dossier, consent_type="convictions", given_by="Paul Morel",
                               given_by_role="representant_legal", form="ecrit", state="given",
                               recorded_on="2099-01-01")


def test_item5_zero_width_and_bidi_characters_removed_from_names(director: Session) -> None:
    """An invisible character would make two identical-looking names differ (search, homonyms)."""
    AccountService(director).accept_charter()
    service = DossierService(director)
    dossier = service.create_dossier(last_name="\u202eDu\u200bpont\u202c", first_names="Lé\u200da\ufeff",
                                     birth_date="2012-05-05", unit_id=1)
    header = service.open_dossier(dossier).header
    assert (header.last_name, header.first_names) == ("Dupont", "Léa")
    service.values.save(dossier, "identite", {"nom": "Dupont\u2066\u2069\u00ad"})
    assert service.open_dossier(dossier).header.last_name == "Dupont"
    assert validate_name("Eric\u200b Blanc\u200f") == "Eric Blanc"


def test_item5_review_csv_export_neutralises_formulas(ws: WorkspaceHandle, tmp_path: Path) -> None:
    """§10: the journal review export of the GUI is a CSV too; a name can be a formula."""
    director = ws.login()
    AccountService(director).accept_charter()
    AccountService(director).create_user(login="eve", display_name="=HYPERLINK(\"http://x\")",
                                         profile="secretariat", password="Bateau-Vert-Nuage-58!")
    director.close()
    ws.reopen()
    ws.login("eve", "Bateau-Vert-Nuage-58!").close()
    ws.reopen()
    director = ws.login()
    try:
        review = JournalReview(director)
        day = director.clock.now().date()
        rows = review.search(JournalFilter(date_from=day - dt.timedelta(days=1), date_to=day))
        out = tmp_path / "journal.csv"
        review.export_csv(rows, out)
    finally:
        director.close()
    text = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells


def test_item5_auth_state_deleted_is_journaled(ws: WorkspaceHandle) -> None:
    """R-3.3: deleting auth_state.json (to erase failed attempts) is detected at the next login."""
    ws.login().close()
    ws.reopen()
    with pytest.raises(Exception, match="incorrect"):
        ws.login(password="Pas-Le-Bon-1!")
    (ws.root / "auth_state.json").unlink()  # erases the failure, before it reaches the journal
    ws.reopen()
    session = ws.login()
    try:
        details = [e.detail for e in store_of(session).journal.iter_entries("", ())]
    finally:
        session.close()
    assert any("auth_state.json" in d and "supprimé" in d for d in details), details
    ws.reopen()
    session = ws.login()  # the file is back in step: no second alert
    try:
        alerts = [e for e in store_of(session).journal.iter_entries("", ()) if "auth_state.json" in e.detail]
    finally:
        session.close()
    assert len(alerts) == 1
