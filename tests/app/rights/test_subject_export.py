"""The access / portability export of one dossier (R-7.2): a JSON file valid against the shipped
schema that round-trips every category the dossier holds, a PDF whose extracted text shows each
category's data, the journal and the register, and the refusals."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from app.auth.profiles import Profile
from app.catalogue import load_catalogue
from app.catalogue.display import display_value
from app.catalogue.model import Category, FieldType
from app.catalogue.validation import nir_key
from app.dossiers.service import DossierService
from app.errors import KnownError, PermissionRefused
from app.notices.service import NoticeService
from app.resources import resource_path
from app.rights.model import RequestKind, RequestStatus
from app.rights.service import RightsService
from app.rights.subject_export import DIRECT_REQUESTER, SubjectExportService
from tests.app.retention.conftest import World
from tests.reports.pdf_inspect import Pdf
from tests.store_access import store_of

SCHEMA = json.loads(resource_path("schemas", "export-personne.schema.json").read_text(encoding="utf-8"))
#: categories given values below; infractions needs the public-service setting (left empty on purpose)
CONSENTS = {"sante_sejour": "representant_legal", "convictions": "representant_legal", "vie_sexuelle": "jeune"}
NIR = "2100375056123" + f"{nir_key('2100375056123'):02d}"
IBAN = "FR7630006000011234567890189"
#: sensitive fields of ordinary categories: masked on screen, journaled when read (R-4.8)
MASKED = {("couverture_sociale", "nir"): NIR, ("coordonnees_bancaires", "iban"): IBAN}


def sample(category: Category) -> dict[str, Any]:
    """A valid value for every field a test can fill without a special format."""
    catalogue = load_catalogue()
    values: dict[str, Any] = {}
    for f in category.fields:
        t = f.type
        if t.has_vocabulary and f.vocabulary:
            codes = [i.code for i in catalogue.vocabulary(f.vocabulary).active_items]
            values[f.id] = codes[:2] if t is FieldType.MULTI else codes[-1]
        elif t is FieldType.YESNO:
            values[f.id] = "oui"
        elif t is FieldType.YESNOUNKNOWN:
            values[f.id] = "inconnu"
        elif t is FieldType.DATE:
            values[f.id] = "2025-11-20"
        elif t is FieldType.MONTH:
            values[f.id] = "2025-10"
        elif t is FieldType.NUMBER:
            values[f.id] = f.min if f.min is not None else 2
        elif t is FieldType.PHONE:
            values[f.id] = "06 12 34 56 78"
        elif t is FieldType.EMAIL:
            values[f.id] = "jade.roux@example.org"
        elif t in (FieldType.TEXT, FieldType.NOTE):
            values[f.id] = f"Texte-{category.id}-{f.id}"[: f.length_limit or 100]
    if category.id == "identite":
        for column in ("nom", "prenoms", "date_naissance"):
            values.pop(column, None)
    values.update({f: v for (c, f), v in MASKED.items() if c == category.id})
    return values


def rich_dossier(world: World) -> int:
    """A dossier holding every category but the penal one, with consents, documents and requests."""
    service = DossierService(world.director)
    d = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2010-03-04", unit_id=1)
    for consent, role in CONSENTS.items():
        service.consents.record(d, consent_type=consent, given_by="Mme Roux" if role != "jeune" else "Jade Roux",
                               given_by_role=role, form="ecrit", state="given", recorded_on="2025-12-01")
    for category in load_catalogue().categories:
        if category.id == "infractions":
            continue
        values = sample(category)
        if category.repeating:
            service.records.add(d, category.id, values)
            if category.id == "suivi":
                service.records.add(d, category.id, {**values, "date": "2025-12-10", "note": "Deuxième entretien"})
        else:
            service.values.save(d, category.id, values)
    NoticeService(world.director).record_delivery(d, "ado-13-15", "fr", recipient="Jade Roux")
    return d


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "sortie"
    folder.mkdir()
    return folder


def export(world: World, d: int, out: Path, **kwargs: Any) -> Any:
    return SubjectExportService(world.director).export(d, out, **kwargs)


def test_r7_2_json_valid_and_round_trips_every_category_the_dossier_holds(world: World, out: Path) -> None:
    d = rich_dossier(world)
    done = export(world, d, out)
    document = json.loads(done.json.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)

    catalogue = load_catalogue()
    service = DossierService(world.director)
    expected_held = {c.id for c in catalogue.categories if c.id != "infractions"}
    assert {c["id"] for c in document["categories"]} == expected_held
    assert [c["code"] for c in document["categories_not_held"]] == ["infractions"]
    units = dict(service.units())
    for block in document["categories"]:
        category = catalogue.category(block["id"])
        if category.repeating:
            read = {r.id: r.values for r in service.records.entries(d, category.id)}
            exported = {r["id"]: {v["field"]: v["value"] for v in r["values"]} for r in block["records"]}
            assert exported == read, category.id
            items = [v for r in block["records"] for v in r["values"]]
        else:
            exported_values = {v["field"]: v["value"] for v in block["values"]}
            for (c, f), value in MASKED.items():  # masked by the services until a journaled reveal
                if c == category.id:
                    assert exported_values.pop(f) == value
            read_values = service.values.read(d, category.id)
            assert exported_values == {k: v for k, v in read_values.items() if (category.id, k) not in MASKED}
            items = block["values"]
        for item in items:  # codes AND labels, and the French text the screens show
            f = category.field(item["field"])
            assert item["text"] == display_value(catalogue, f, item["value"], units)
            if f.vocabulary:
                vocabulary = catalogue.vocabulary(f.vocabulary)
                codes = item["value"] if isinstance(item["value"], list) else [item["value"]]
                assert item["codes"] == [{"code": c, "label": vocabulary.label(c)} for c in codes]
                assert {i["code"] for i in document["vocabularies"][f.vocabulary]["items"]} >= set(codes)
    assert len(document["consents"]) == 3
    assert {c["type"]["code"] for c in document["consents"]} == set(CONSENTS)
    assert document["documents"]["notices"][0]["audience"]["code"] == "ado-13-15"
    assert document["dossier"]["number"] == service.header(d).number
    # the accesses to the dossier from the journal, by function only
    actions = {e["action"]["code"] for e in document["journal"]["entries"]}
    assert {"creation", "modification"} <= actions
    assert all(e["profile"]["label"] == "Direction" for e in document["journal"]["entries"])
    assert "Claire" not in done.json.read_text(encoding="utf-8")  # no staff name (the director's)


def test_r7_2_pdf_text_shows_each_category_the_journal_and_the_register(world: World, out: Path) -> None:
    d = rich_dossier(world)
    RightsService(world.director).register(kind="portability", requester="Jade Roux", requester_role="jeune",
                                           received_on="2026-01-02", dossier_number=DossierService(
                                               world.director).header(d).number)
    done = export(world, d, out)
    document = json.loads(done.json.read_text(encoding="utf-8"))
    pdf = Pdf.parse(done.pdf.read_bytes())
    text = " ".join(pdf.text().split())
    assert "Vos données personnelles" in text and "Jade Roux" in text
    for block in document["categories"]:
        assert block["label"] in text, block["id"]
        values = block["values"] if not block["repeating"] else [v for r in block["records"] for v in r["values"]]
        for item in values:
            assert item["text"] in text, (block["id"], item["field"])
    assert "Deuxième entretien" in text
    assert "Accès à votre dossier" in text and "Création" in text
    assert "Portabilité" in text and "Jade Roux (La personne elle-même)" in text
    (request,) = document["rights_requests"]  # this document answers it, and says so
    assert request["status"]["code"] == "answered" and "Export des données remis le" in request["answer"]
    assert "Répondue" in text and "Export des données remis le" in text
    assert "Procédures pénales" in text  # listed among the categories without data
    assert all(embedded for embedded in pdf.fonts().values())
    assert pdf.lang == "fr-FR"


def test_r7_2_journaled_without_names_and_answers_the_open_requests(world: World, out: Path) -> None:
    d = rich_dossier(world)
    number = DossierService(world.director).header(d).number
    rights = RightsService(world.director)
    access = rights.register(kind=RequestKind.ACCESS, requester="Mme Roux", requester_role="representant_legal",
                             received_on="2026-01-02", dossier_number=number)
    other = rights.register(kind=RequestKind.RECTIFICATION, requester="Mme Roux",
                            requester_role="representant_legal", received_on="2026-01-02", dossier_number=number)
    before = store_of(world.director).journal.head()[0]
    done = export(world, d, out)
    assert done.request_ids == (access,)
    by_id = {r.id: r for r in rights.requests()}
    assert by_id[access].status is RequestStatus.ANSWERED and by_id[other].status is RequestStatus.OPEN
    entries = [e for e in store_of(world.director).journal.iter_entries() if e.seq > before]
    export_entries = [e for e in entries if e.action == "export" and e.target == "export_personne"]
    assert len(export_entries) == 1 and export_entries[0].dossier_id == d
    reads = {(e.target, e.detail.split(",")[0] if e.detail.startswith("champ") else "")
             for e in entries if e.action == "consultation" and "export" in e.detail}
    catalogue = load_catalogue()
    masked_fields = {(c, f"champ {f}") for c, f in MASKED if catalogue.field(c, f).sensitive}
    assert ("couverture_sociale", "champ nir") in masked_fields
    assert reads == {(c.id, "") for c in catalogue.categories if c.sensitive and c.id != "infractions"} | masked_fields
    for e in entries:
        for name in ("Roux", "Jade", "Texte-"):
            assert name not in e.detail
    assert oct(os.stat(done.pdf).st_mode & 0o777) == "0o600"
    # with no open request, the export is recorded as a new, answered register entry
    again = export(world, d, out, force=True)
    (new,) = again.request_ids
    assert by_id.get(new) is None
    entry = {r.id: r for r in rights.requests()}[new]
    assert entry.requester == DIRECT_REQUESTER and entry.status is RequestStatus.ANSWERED


def test_r7_2_a_chosen_request_must_be_an_open_access_or_portability_request(world: World, out: Path) -> None:
    d = rich_dossier(world)
    number = DossierService(world.director).header(d).number
    rights = RightsService(world.director)
    wrong = rights.register(kind=RequestKind.ERASURE, requester="Jade", requester_role="jeune",
                            received_on="2026-01-02", dossier_number=number)
    with pytest.raises(KnownError, match="accès ou de portabilité"):
        export(world, d, out, request_id=wrong)
    with pytest.raises(KnownError, match="n'existe pas"):
        export(world, d, out, request_id=9999)
    assert list(out.iterdir()) == []


def test_r7_2_only_the_direction_exports(world: World, out: Path) -> None:
    d = rich_dossier(world)
    for profile in (Profile.CHEF_SERVICE, Profile.EDUCATEUR, Profile.SECRETARIAT, Profile.ARCHIVISTE):
        with pytest.raises(PermissionRefused, match="Votre profil ne permet pas"):
            SubjectExportService(world.others[profile]).export(d, out)
    refusals = [e for e in store_of(world.director).journal.iter_entries() if e.action == "refus"]
    assert len(refusals) >= 4
    with pytest.raises(PermissionRefused, match="n'existe pas ou ne vous est pas accessible"):
        export(world, 424242, out)
    assert list(out.iterdir()) == []


def test_r2_9_output_problems_are_refused_in_french_before_anything_is_written(world: World, out: Path) -> None:
    d = rich_dossier(world)
    with pytest.raises(KnownError, match="n'existe pas : créez-le"):
        export(world, d, out / "absent")
    a_file = out / "fichier.txt"
    a_file.write_text("x")
    with pytest.raises(KnownError, match="est un fichier"):
        export(world, d, a_file)
    with pytest.raises(KnownError, match="espace de travail"):
        export(world, d, world.ws.workspace.root)
    first = export(world, d, out)
    before = first.pdf.read_bytes()
    with pytest.raises(KnownError, match="existe déjà"):
        export(world, d, out)
    assert first.pdf.read_bytes() == before
    assert export(world, d, out, force=True).pdf == first.pdf
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        ["fichier.txt", first.pdf.name, first.json.name])
