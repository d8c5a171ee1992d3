"""Validation and normalisation of values against the catalogue (R-4.2, R-4.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.catalogue import Catalogue, Field, FieldType, load_catalogue, nir_key
from app.catalogue.validation import validate
from app.errors import KnownError, ValidationError


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def refused(cat: Catalogue, category: str, field: str, value: object, *,
            new_entry: bool = True) -> str:
    with pytest.raises(ValidationError) as info:
        cat.validate_value(category, field, value, new_entry=new_entry)
    label = cat.category(category).field(field).label
    assert info.value.field_id == field
    assert info.value.message.startswith(f"{label} : ")
    assert isinstance(info.value, KnownError)
    return info.value.message


def spaced_nir(nir: str) -> str:
    return " ".join((nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]))


def with_nir_key(first13: str) -> str:
    number = int(first13.replace("2A", "19").replace("2B", "18"))
    return f"{first13}{97 - number % 97:02d}"


# -- vocabularies ------------------------------------------------------------------------------

def test_a_value_outside_the_vocabulary_is_refused_with_a_clear_message(cat: Catalogue) -> None:
    message = refused(cat, "identite", "sexe", "X")
    assert message == ("Sexe : la valeur « X » ne fait pas partie de la liste proposée. "
                       "Choisissez une valeur dans la liste.")
    # the label, not the code, is what the list shows; a label typed instead is still refused
    refused(cat, "identite", "sexe", "Fille")
    refused(cat, "identite", "sexe", 2)
    refused(cat, "identite", "sexe", " 2")
    assert cat.validate_value("identite", "sexe", "2") == "2"


def test_a_refused_value_is_shown_short_and_printable(cat: Catalogue) -> None:
    message = refused(cat, "identite", "nationalite", "a\x00b" + "z" * 200)
    assert "\x00" not in message and len(message) < 200


def test_a_retired_item_is_refused_for_new_entries_and_kept_when_editing(cat: Catalogue) -> None:
    assert cat.vocabulary("complementaire").item("cmuc") is not None
    message = refused(cat, "couverture_sociale", "complementaire", "cmuc")
    assert "n'est plus proposé" in message and "CMU complémentaire" in message
    assert cat.validate_value("couverture_sociale", "complementaire", "cmuc",
                              new_entry=False) == "cmuc"
    # in a multiple choice as well
    refused(cat, "evaluation_sociale", "difficultes", ["isolement", "carence_educative"])
    assert cat.validate_value("evaluation_sociale", "difficultes",
                              ["isolement", "carence_educative"], new_entry=False) == [
        "carence_educative", "isolement"]
    # an unknown code stays refused even when editing
    refused(cat, "couverture_sociale", "complementaire", "cmu", new_entry=False)


def test_multi_choice_is_sorted_unique_and_closed(cat: Catalogue) -> None:
    assert cat.validate_value("vie_personnelle", "loisirs", ["sport", "musique", "sport"]) == [
        "musique", "sport"]
    assert cat.validate_value("vie_personnelle", "loisirs", ("lecture",)) == ["lecture"]
    assert cat.validate_value("vie_personnelle", "loisirs", {"cuisine", "dessin"}) == [
        "cuisine", "dessin"]
    assert cat.validate_value("vie_personnelle", "loisirs", []) is None
    refused(cat, "vie_personnelle", "loisirs", "sport")  # a single string is not a list
    refused(cat, "vie_personnelle", "loisirs", ["sport", "poker"])
    refused(cat, "vie_personnelle", "loisirs", ["sport", None])


# -- answers, numbers, dates -------------------------------------------------------------------

def test_yes_no_and_yes_no_unknown(cat: Catalogue) -> None:
    assert cat.validate_value("representants", "droit_visite", True) == "oui"
    assert cat.validate_value("representants", "droit_visite", False) == "non"
    assert cat.validate_value("representants", "droit_visite", " Oui ") == "oui"
    assert "oui ou non" in refused(cat, "representants", "droit_visite", "inconnu")
    assert cat.validate_value("representants", "mere_connue", "Inconnu") == "inconnu"
    assert cat.validate_value("representants", "mere_connue", "non") == "non"
    assert "oui, non ou inconnu" in refused(cat, "representants", "mere_connue", "peut-être")
    refused(cat, "representants", "mere_connue", 1)


def test_numbers_are_integers_within_their_bounds(cat: Catalogue) -> None:
    field = cat.category("vie_personnelle").field("freres_soeurs")
    assert (field.min, field.max) == (0, 20)
    assert cat.validate_value("vie_personnelle", "freres_soeurs", 3) == 3
    assert cat.validate_value("vie_personnelle", "freres_soeurs", " 20 ") == 20
    assert cat.validate_value("vie_personnelle", "freres_soeurs", 0) == 0
    assert "entre 0 et 20" in refused(cat, "vie_personnelle", "freres_soeurs", 21)
    refused(cat, "vie_personnelle", "freres_soeurs", -1)
    for bad in (True, 2.0, 2.5, "deux", "1_0", "٣", "1e1", [1]):
        refused(cat, "vie_personnelle", "freres_soeurs", bad)


def test_dates_accept_date_iso_and_french_forms(cat: Catalogue) -> None:
    def check(value: object) -> object:
        return cat.validate_value("identite", "date_naissance", value)

    assert check(dt.date(2011, 2, 14)) == "2011-02-14"
    assert check(dt.datetime(2011, 2, 14, 23, 59)) == "2011-02-14"
    assert check("2011-02-14") == "2011-02-14"
    assert check("14/02/2011") == "2011-02-14"
    assert check(" 4/2/2011 ") == "2011-02-04"
    assert check("29/02/2012") == "2012-02-29"
    assert check("") is None and check(None) is None
    for bad in ("31/02/2011", "29/02/2011", "2011-2-14", "14-02-2011", "14/02/11", "hier",
                "٠١/٠١/٢٠١١", 20110214):
        assert "jj/mm/aaaa" in refused(cat, "identite", "date_naissance", bad)
    assert "entre 1900 et 2100" in refused(cat, "identite", "date_naissance", "01/01/1850")


def test_months_accept_month_year_forms(cat: Catalogue) -> None:
    field = Field("debut", "Début", FieldType.MONTH)
    assert validate(field, "03/2024", None) == "2024-03"
    assert validate(field, "3/2024", None) == "2024-03"
    assert validate(field, "2024-03", None) == "2024-03"
    assert validate(field, dt.date(2024, 3, 31), None) == "2024-03"
    for bad in ("13/2024", "00/2024", "2024-13", "mars 2024", "03/24", "03/1800", 202403):
        with pytest.raises(ValidationError) as info:
            validate(field, bad, None)
        assert info.value.message.startswith("Début : ")


# -- text, e-mail, phone -----------------------------------------------------------------------

def test_single_line_text(cat: Catalogue) -> None:
    assert cat.validate_value("identite", "nom", "  Lefèvre ") == "Lefèvre"
    # decomposed accents are stored composed, as typed on another keyboard
    assert cat.validate_value("identite", "nom", "Le\u0301a") == "Léa"
    assert cat.validate_value("identite", "nom", "'; DROP TABLE dossiers;--") == (
        "'; DROP TABLE dossiers;--")
    assert cat.validate_value("identite", "nom", "مرحبا") == "مرحبا"
    assert cat.validate_value("identite", "nom", "Zoé 🦊") == "Zoé 🦊"
    assert "une seule ligne" in refused(cat, "identite", "nom", "Le\nfèvre")
    assert "contrôle" in refused(cat, "identite", "nom", "Le\x00fèvre")
    refused(cat, "identite", "nom", "Le\tfèvre")
    refused(cat, "identite", "nom", "\ud800")
    assert "101 caractères pour 100 au plus" in refused(cat, "identite", "nom", "x" * 101)
    assert cat.validate_value("identite", "nom", "😀" * 100) == "😀" * 100
    refused(cat, "identite", "nom", 12)
    assert "obligatoire" in refused(cat, "identite", "nom", "   ")


def test_notes_keep_line_breaks_and_tabs(cat: Catalogue) -> None:
    note = cat.validate_value("suivi", "note", " Ligne 1\r\nLigne\t2\rLigne 3 ")
    assert note == "Ligne 1\nLigne\t2\nLigne 3"
    assert len(str(cat.validate_value("suivi", "note", "é" * 500))) == 500
    assert "501 caractères pour 500 au plus" in refused(cat, "suivi", "note", "é" * 501)
    refused(cat, "suivi", "note", "avant\x00après")
    refused(cat, "suivi", "note", "cloche\x07")


def test_email_and_phone(cat: Catalogue) -> None:
    assert cat.validate_value("identite", "email", " prenom.nom@exemple.fr ") == (
        "prenom.nom@exemple.fr")
    for bad in ("pas une adresse", "a@b", "a@@exemple.fr", "a b@exemple.fr", "@exemple.fr"):
        assert "prenom.nom@exemple.fr" in refused(cat, "identite", "email", bad)
    assert cat.validate_value("identite", "telephone", "06 12  34 56 78") == "06 12 34 56 78"
    assert cat.validate_value("identite", "telephone", "+33 6 12 34 56 78") == (
        "+33 6 12 34 56 78")
    assert cat.validate_value("identite", "telephone", "01.23.45.67.89") == "01.23.45.67.89"
    for bad in ("douze", "12", "06 12 34 56 78 ext", "+33 (0)6 12 34 56 78 x"):
        refused(cat, "identite", "telephone", bad)


# -- identifiers with a check key -----------------------------------------------------------------

def test_nir_key_is_checked(cat: Catalogue) -> None:
    first13 = "1850578006084"
    key = 97 - int(first13) % 97
    valid = f"{first13}{key:02d}"
    assert nir_key(first13) == key
    assert cat.validate_value("couverture_sociale", "nir", spaced_nir(valid)) == valid
    assert cat.validate_value("couverture_sociale", "nir", valid.replace("0578", "05.78")) == valid
    wrong = f"{first13}{(key % 97) + 1:02d}"
    assert "clé" in refused(cat, "couverture_sociale", "nir", wrong)
    typo = "1850578006085" + f"{key:02d}"
    refused(cat, "couverture_sociale", "nir", typo)
    assert "15 en tout" in refused(cat, "couverture_sociale", "nir", valid[:-1])
    refused(cat, "couverture_sociale", "nir", valid + "0")
    refused(cat, "couverture_sociale", "nir", "3" + valid[1:])
    refused(cat, "couverture_sociale", "nir", int(valid))
    # the number itself is never repeated in the message
    assert valid not in refused(cat, "couverture_sociale", "nir", wrong)


def test_nir_of_someone_born_in_corsica(cat: Catalogue) -> None:
    for first13, digits in (("285052A006084", "2850519006084"), ("185052B123456", "1850518123456")):
        valid = with_nir_key(first13)
        assert valid[-2:] == f"{97 - int(digits) % 97:02d}"
        assert cat.validate_value("couverture_sociale", "nir", valid.lower()) == valid
        # the same key with the department read as plain digits does not pass
        naive = f"{first13}{97 - int(first13.replace('A', '0').replace('B', '0')) % 97:02d}"
        if naive != valid:
            refused(cat, "couverture_sociale", "nir", naive)


def test_iban_key_is_checked(cat: Catalogue) -> None:
    assert cat.validate_value("coordonnees_bancaires", "iban",
                              "fr76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    assert cat.validate_value("coordonnees_bancaires", "iban",
                              "DE89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    assert cat.validate_value("coordonnees_bancaires", "iban",
                              "BE68539007547034") == "BE68539007547034"
    assert "clé" in refused(cat, "coordonnees_bancaires", "iban", "FR7630006000011234567890188")
    assert "27 caractères" in refused(cat, "coordonnees_bancaires", "iban",
                                      "FR763000600001123456789018")
    refused(cat, "coordonnees_bancaires", "iban", "7630006000011234567890189")
    refused(cat, "coordonnees_bancaires", "iban", "FR76-3000-6000-0112-3456-7890-189")


# -- references, cleared values, records --------------------------------------------------------

@pytest.mark.parametrize("ftype", [FieldType.REF_CONTACT, FieldType.REF_UNIT])
def test_references_are_positive_ids(ftype: FieldType) -> None:
    field = Field("ref", "Unité", ftype)
    assert validate(field, 7, None) == 7
    assert validate(field, None, None) is None
    for bad in (0, -3, True, "7", 7.0, 2**63):
        with pytest.raises(ValidationError) as info:
            validate(field, bad, None)
        assert info.value.message.startswith("Unité : ")


def test_cleared_values_and_required_fields(cat: Catalogue) -> None:
    assert cat.validate_value("identite", "sexe", None) is None
    assert cat.validate_value("identite", "sexe", "") is None
    assert cat.validate_value("identite", "adresse", "   ") is None
    assert "obligatoire" in refused(cat, "suivi", "date", None)
    assert "obligatoire" in refused(cat, "suivi", "type", "")


def test_validate_record(cat: Catalogue) -> None:
    record = cat.validate_record("suivi", {
        "date": "20/11/2026", "type": "entretien", "participants": ["jeune", "educateur"],
        "note": " Entretien calme. ", "issue": None,
    })
    assert record == {"date": "2026-11-20", "type": "entretien",
                      "participants": ["educateur", "jeune"], "issue": None,
                      "note": "Entretien calme."}
    with pytest.raises(ValidationError) as info:
        cat.validate_record("suivi", {"type": "entretien"})
    assert info.value.field_id == "date" and "Date : ce champ est obligatoire" in info.value.message
    with pytest.raises(ValidationError) as info:
        cat.validate_record("suivi", {"date": "2026-11-20", "type": "entretien", "humeur": "x"})
    assert "Champ inconnu « humeur »" in info.value.message and "Suivi" in info.value.message
    with pytest.raises(ValidationError):
        cat.validate_record("suivi", {"date": "2026-11-20", "type": "fugue"})
    assert cat.validate_record("suivi", {"date": "2026-11-20", "type": "fugue"},
                               new_entry=False)["type"] == "fugue"


def test_unknown_category_field_and_vocabulary(cat: Catalogue) -> None:
    with pytest.raises(ValidationError) as info:
        cat.validate_value("religion", "culte", "x")
    assert info.value.message == "Catégorie inconnue : « religion »."
    with pytest.raises(ValidationError) as info:
        cat.validate_value("identite", "nationalite_precise", "x")
    assert "Champ inconnu « nationalite_precise » dans « Identité »" in info.value.message
    with pytest.raises(ValidationError):
        cat.vocabulary("religions")
    with pytest.raises(ValidationError):
        cat.category(None)  # type: ignore[arg-type]
    assert cat.vocabulary("sexe").label("2") == "Fille"
    assert cat.vocabulary("sexe").label("7") == "7"
    assert cat.vocabulary("sexe").has("9") and not cat.vocabulary("sexe").has("7")
