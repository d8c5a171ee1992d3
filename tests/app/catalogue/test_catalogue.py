"""The form catalogue as data, its vocabularies and its validation (R-4.1, R-4.2, R-4.4)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalogue import CatalogueError, FieldType, load_catalogue, load_catalogue_from
from app.errors import ValidationError
from app.resources import resources_dir

CATEGORIES = {
    "identite", "representants", "vie_personnelle", "scolarite", "conditions_materielles",
    "couverture_sociale", "coordonnees_bancaires", "mesures", "evaluation_sociale", "sante_sejour",
    "sante", "convictions", "vie_sexuelle", "danger", "infractions", "suivi", "intervenants",
}


def test_every_category_of_r44_is_there() -> None:
    cat = load_catalogue()
    assert {c.id for c in cat.categories} == CATEGORIES
    assert {c.id for c in cat.categories if c.repeating} == {"mesures", "suivi", "intervenants"}
    assert {c.consent for c in cat.categories if c.consent} == {"convictions", "vie_sexuelle"}
    assert cat.category("infractions").requires_setting == "public_service_body"
    sensitive = {c.id for c in cat.categories if c.sensitive}
    assert {"sante", "sante_sejour", "evaluation_sociale", "convictions", "vie_sexuelle",
            "danger", "infractions"} <= sensitive
    assert cat.category("couverture_sociale").field("nir").sensitive


def test_official_codes() -> None:
    cat = load_catalogue()
    assert [(i.code, i.label) for i in cat.vocabulary("sexe").items] == [
        ("1", "Garçon"), ("2", "Fille"), ("9", "Non connu à ce jour")]
    nivsco = {i.code: i.label for i in cat.vocabulary("nivsco").items}
    assert nivsco["200"] == "École maternelle" and nivsco["310"] == "CP" and nivsco["440"].startswith("3e")
    assert len(cat.vocabulary("nationalite").items) == 3


def test_every_list_field_has_its_vocabulary_and_some_items_are_retired() -> None:
    cat = load_catalogue()
    for c in cat.categories:
        for f in c.fields:
            if f.type in (FieldType.CHOICE, FieldType.MULTI):
                assert cat.vocabulary(f.vocabulary or "").active_items
    assert sum(1 for v in cat.vocabularies for i in v.items if i.retired) >= 2


def test_out_of_vocabulary_and_retired_items() -> None:
    cat = load_catalogue()
    with pytest.raises(ValidationError) as info:
        cat.validate_value("identite", "sexe", "7")
    assert "ne fait pas partie de la liste" in info.value.message and info.value.field_id == "sexe"
    retired = next(i.code for i in cat.vocabulary("type_suivi").items if i.retired)
    with pytest.raises(ValidationError) as info:
        cat.validate_value("suivi", "type", retired)
    assert "n'est plus proposé" in info.value.message
    assert cat.validate_value("suivi", "type", retired, new_entry=False) == retired


def test_normalisation_of_each_type() -> None:
    cat = load_catalogue()
    assert cat.validate_value("identite", "date_naissance", "14/02/2011") == "2011-02-14"
    assert cat.validate_value("identite", "date_naissance", dt.date(2011, 2, 14)) == "2011-02-14"
    assert cat.validate_value("identite", "date_naissance", "") is None
    assert cat.validate_value("vie_personnelle", "loisirs", ["sport", "musique", "sport"]) == ["musique", "sport"]
    assert cat.validate_value("representants", "droit_visite", True) == "oui"
    assert cat.validate_value("representants", "mere_connue", "Inconnu") == "inconnu"
    assert cat.validate_value("vie_personnelle", "freres_soeurs", "3") == 3
    with pytest.raises(ValidationError):
        cat.validate_value("vie_personnelle", "freres_soeurs", 21)
    with pytest.raises(ValidationError):
        cat.validate_value("identite", "date_naissance", "31/02/2011")
    with pytest.raises(ValidationError):
        cat.validate_value("identite", "email", "pas une adresse")
    with pytest.raises(ValidationError):
        cat.validate_record("suivi", {"type": "entretien"})  # the date is required
    with pytest.raises(ValidationError):
        cat.validate_record("identite", {"inconnu": 1})


def nir(first13: str) -> str:
    return first13 + f"{97 - int(first13.replace('2A', '19').replace('2B', '18')) % 97:02d}"


def test_nir_and_iban_keys() -> None:
    cat = load_catalogue()
    valid = nir("1850578006084")
    assert cat.validate_value("couverture_sociale", "nir", " ".join([valid[:1], valid[1:3], valid[3:5], valid[5:7], valid[7:10], valid[10:13], valid[13:]])) == valid
    corsica = nir("285052A006084")
    assert cat.validate_value("couverture_sociale", "nir", corsica) == corsica
    wrong = valid[:-2] + f"{(int(valid[-2:]) + 1) % 98:02d}"
    with pytest.raises(ValidationError) as info:
        cat.validate_value("couverture_sociale", "nir", wrong)
    assert "clé" in info.value.message
    assert cat.validate_value("coordonnees_bancaires", "iban", "fr76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    with pytest.raises(ValidationError):
        cat.validate_value("coordonnees_bancaires", "iban", "FR7630006000011234567890188")


ODD_TEXT = st.one_of(
    st.text(max_size=700),
    st.sampled_from(["\x00", "a\x00b", "مرحبا بالعالم", "שלום", "😀" * 120, "'; DROP TABLE dossiers;--",
                     "ligne 1\nligne 2", "x" * 10_000, "\u202eRTL override", "\ud800"]),
)


@settings(max_examples=150, deadline=None)
@given(value=ODD_TEXT)
def test_text_fields_accept_or_refuse_cleanly(value: str) -> None:
    cat = load_catalogue()
    for category in cat.categories:
        for field in category.fields:
            if field.type not in (FieldType.TEXT, FieldType.NOTE):
                continue
            try:
                out = cat.validate_value(category.id, field.id, value)
            except ValidationError as exc:
                assert exc.message.startswith(field.label)
                continue
            if out is not None:
                assert isinstance(out, str) and "\x00" not in out
                assert len(out) <= (field.max_length or 100)


@settings(max_examples=100, deadline=None)
@given(value=st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=50), st.binary(max_size=20),
                       st.lists(st.text(max_size=5), max_size=3), st.booleans()))
def test_closed_fields_never_crash(value: object) -> None:
    cat = load_catalogue()
    for category in cat.categories:
        for field in category.fields:
            if field.type in (FieldType.TEXT, FieldType.NOTE):
                continue
            try:
                cat.validate_value(category.id, field.id, value)
            except ValidationError:
                pass


def test_broken_catalogue_files_give_a_french_error(tmp_path: Path) -> None:
    root = tmp_path / "res"
    shutil.copytree(resources_dir() / "forms", root / "forms")
    shutil.copytree(resources_dir() / "vocabularies", root / "vocabularies")
    assert load_catalogue_from(root).category("identite")
    path = root / "forms" / "identite.toml"
    original = path.read_text(encoding="utf-8")
    for broken in (original.replace('type = "choice"', 'type = "magic"', 1),
                   original.replace('vocabulary = "sexe"', 'vocabulary = "absente"'),
                   original + '\n[[fields]]\nid = "nom"\nlabel = "x"\ntype = "text"\n',
                   original.replace("[category]", "[category")):
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(CatalogueError) as info:
            load_catalogue_from(root)
        assert "Catalogue des formulaires invalide" in info.value.message
