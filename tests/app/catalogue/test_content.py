"""What the shipped catalogue contains: the categories of R-4.4 and their official vocabularies.

The expected values are written out here from the texts (D2016 annexe 2.8, AU-028 §2.4 and §2.5,
AU-049 art. 3), so that an edit of a resource file that drifts from them fails a test.
"""

from __future__ import annotations

import unicodedata

import pytest

from app.catalogue import Catalogue, FieldType, load_catalogue
from app.catalogue.loader import NIR_CATEGORY

CATEGORIES = (
    "identite", "representants", "vie_personnelle", "scolarite", "conditions_materielles",
    "couverture_sociale", "coordonnees_bancaires", "mesures", "evaluation_sociale",
    "sante_sejour", "sante", "convictions", "vie_sexuelle", "danger", "infractions", "suivi",
    "intervenants",
)
SENSITIVE = {"evaluation_sociale", "sante_sejour", "sante", "convictions", "vie_sexuelle",
             "danger", "infractions"}

#: Décret 2016-1966, annexe 2.8
D2016_SEXE = {"1": "Garçon", "2": "Fille", "9": "Non connu à ce jour"}
D2016_NIVSCO = {
    "200": "Ecole maternelle", "310": "CP", "320": "CE1", "330": "CE2", "340": "CM1",
    "350": "CM2", "399": "Ecole élémentaire sans distinction supplémentaire",
    "410": "6e (dont SEGPA)", "420": "5e (dont SEGPA)", "430": "4e (dont SEGPA)",
    "440": "3e (dont 3e découverte professionnelle et SEGPA)",
    "499": "Collège, sans distinction supplémentaire",
    "510": "Seconde générale et technologique", "520": "Première générale",
    "530": "Première technologique", "550": "Terminale générale",
    "560": "Terminale technologique",
}
#: AU-049 art. 3, "situation face au logement et à l'hébergement"
AU49_HOUSING = {"domicile personnel", "domicile familial", "sans abri", "hebergement de fortune",
                "hebergement mobile", "hebergement d'urgence", "hebergement d'insertion"}
#: AU-028 §2.4, "problématiques familiales observées"
AU28_DIFFICULTIES = {"addiction_adulte", "deficience_adulte", "conflit_couple",
                     "climat_violence", "violences_physiques", "isolement"}

#: every free-text field, deliberately: adding one must be a visible decision (R-4.3)
FREE_TEXT = {
    ("identite", "nom"), ("identite", "prenoms"), ("identite", "lieu_naissance"),
    ("identite", "adresse"), ("identite", "numero_allocataire"),
    ("scolarite", "etablissement"), ("coordonnees_bancaires", "titulaire"),
    ("mesures", "juridiction"), ("suivi", "note"),
    ("intervenants", "nom"), ("intervenants", "prenom"), ("intervenants", "organisme"),
}


def plain(text: str) -> str:
    """Compare labels without accents or case: the decree prints "Ecole" in capitals."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'")


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def test_every_category_of_r44_is_a_tab_in_order(cat: Catalogue) -> None:
    assert [c.id for c in cat.categories] == list(CATEGORIES)
    orders = [c.order for c in cat.categories]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert all(c.label and c.fields for c in cat.categories)
    assert cat.category("identite").label == "Identité"


def test_rules_carried_by_the_categories(cat: Catalogue) -> None:
    assert {c.id for c in cat.categories if c.repeating} == {"mesures", "suivi", "intervenants"}
    assert {c.id for c in cat.categories if c.sensitive} == SENSITIVE
    assert {c.id: c.consent for c in cat.categories if c.consent} == {
        "convictions": "convictions", "vie_sexuelle": "vie_sexuelle",
        "sante_sejour": "sante_sejour"}  # REF 23 example 1
    assert {c.id: c.requires_setting for c in cat.categories if c.requires_setting} == {
        "infractions": "public_service_body"}
    for c in cat.categories:
        assert c.consent is None or c.consent.strip(), c.id
        assert c.requires_setting is None or c.requires_setting.strip(), c.id


def test_the_nir_lives_only_in_social_cover_and_is_sensitive(cat: Catalogue) -> None:
    nir_fields = [(c.id, f) for c in cat.categories for f in c.fields if f.type is FieldType.NIR]
    assert [(cid, f.id) for cid, f in nir_fields] == [(NIR_CATEGORY, "nir")]
    category = cat.category(NIR_CATEGORY)
    assert not category.sensitive
    nir = category.field("nir")
    assert nir.sensitive and nir.is_sensitive_in(category)
    assert category.sensitive_fields == (nir,)
    assert not category.field("regime").is_sensitive_in(category)
    assert cat.category("sante").field("vaccinations").is_sensitive_in(cat.category("sante"))


def test_identity_fields(cat: Catalogue) -> None:
    identite = cat.category("identite")
    types = {f.id: f.type for f in identite.fields}
    assert types == {
        "nom": FieldType.TEXT, "prenoms": FieldType.TEXT, "sexe": FieldType.CHOICE,
        "date_naissance": FieldType.DATE, "lieu_naissance": FieldType.TEXT,
        "adresse": FieldType.TEXT, "telephone": FieldType.PHONE, "email": FieldType.EMAIL,
        "numero_allocataire": FieldType.TEXT, "nationalite": FieldType.CHOICE,
        "titre_sejour": FieldType.YESNO, "titre_sejour_fin": FieldType.DATE,
        "photo_reason": FieldType.CHOICE,
    }
    assert identite.field("nom").required and identite.field("prenoms").required
    assert identite.field("sexe").vocabulary == "sexe"
    assert not identite.sensitive_fields


def test_nationality_is_only_francais_ue_hors_ue(cat: Catalogue) -> None:
    nationalite = cat.vocabulary("nationalite")
    assert [i.code for i in nationalite.items] == ["fr", "ue", "hors_ue"]
    assert [plain(i.label) for i in nationalite.items] == [
        "francais", "union europeenne", "hors union europeenne"]
    fields = [(c.id, f.id) for c in cat.categories for f in c.fields if "nationalit" in f.id]
    assert fields == [("identite", "nationalite")]


def test_sexe_codes_are_those_of_d2016(cat: Catalogue) -> None:
    assert {i.code: i.label for i in cat.vocabulary("sexe").items} == D2016_SEXE


def test_nivsco_codes_are_those_of_d2016(cat: Catalogue) -> None:
    nivsco = cat.vocabulary("nivsco")
    numeric = {i.code: i.label for i in nivsco.items if i.code.isdigit()}
    d2016 = dict(D2016_NIVSCO)
    # the extract of the decree stops inside the label of 599
    assert plain(numeric.pop("599")).startswith(plain("Lycée d'enseignement général et"))
    assert {code: plain(label) for code, label in numeric.items()} == {
        code: plain(label) for code, label in d2016.items()}
    # local codes (lycée professionnel, supérieur) cannot be mistaken for official ones
    assert all(not i.code.isdigit() for i in nivsco.items if i.code not in D2016_NIVSCO
               and i.code != "599")
    assert "D2016" in nivsco.source or "2016-1966" in nivsco.source


def test_every_list_field_has_a_vocabulary_with_active_items(cat: Catalogue) -> None:
    used = set()
    for c in cat.categories:
        for f in c.fields:
            if f.type in (FieldType.CHOICE, FieldType.MULTI):
                assert f.vocabulary, (c.id, f.id)
                vocabulary = cat.vocabulary(f.vocabulary)
                assert len(vocabulary.active_items) >= 2, (c.id, f.id)
                used.add(f.vocabulary)
            else:
                assert f.vocabulary is None, (c.id, f.id)
    # motif_sortie is the closed list of DossierService.close_dossier, not a form field
    assert used | {"motif_sortie"} == set(cat.vocabularies_by_id), "every vocabulary file serves a field"
    for vocabulary in cat.vocabularies:
        assert vocabulary.title and vocabulary.source, vocabulary.id
        assert all(i.label.strip() for i in vocabulary.items), vocabulary.id


def test_some_items_are_retired_and_kept(cat: Catalogue) -> None:
    retired = {(v.id, i.code) for v in cat.vocabularies for i in v.items if i.retired}
    assert len(retired) >= 2
    assert ("complementaire", "cmuc") in retired
    assert ("situation_formation", "garantie_jeunes") in retired
    for vid, code in retired:
        vocabulary = cat.vocabulary(vid)
        assert vocabulary.has(code) and code not in {i.code for i in vocabulary.active_items}
        assert vocabulary.label(code) != code


def test_measure_types_cover_r44(cat: Catalogue) -> None:
    codes = {i.code for i in cat.vocabulary("type_mesure").active_items}
    assert {"accueil_provisoire", "placement_judiciaire", "opp", "aemo", "aed", "cjm",
            "contrat_sejour", "dipec", "ppe"} <= codes
    mesures = cat.category("mesures")
    assert [f.id for f in mesures.fields] == [
        "type_mesure", "autorite", "juridiction", "date_debut", "date_fin",
        "prochaine_echeance", "renouvellements"]
    assert mesures.field("renouvellements").type is FieldType.NUMBER


def test_housing_types_are_those_of_au49(cat: Catalogue) -> None:
    labels = {plain(i.label).split(" (")[0] for i in cat.vocabulary("logement").items}
    assert labels == AU49_HOUSING


def test_social_evaluation_uses_the_closed_lists_of_au28(cat: Catalogue) -> None:
    evaluation = cat.category("evaluation_sociale")
    assert evaluation.field("difficultes").type is FieldType.MULTI
    assert {i.code for i in cat.vocabulary("difficultes").active_items} == AU28_DIFFICULTIES
    assert len(cat.vocabulary("nature_danger").items) == 3
    assert not any(f.is_free_text for f in evaluation.fields)


def test_sensitive_categories_hold_closed_fields_only(cat: Catalogue) -> None:
    for c in cat.categories:
        if c.sensitive or c.consent or c.requires_setting:
            assert not any(f.is_free_text for f in c.fields), c.id


def test_free_text_is_rare_bounded_and_reminded(cat: Catalogue) -> None:
    found = {(c.id, f.id) for c in cat.categories for f in c.fields if f.is_free_text}
    assert found == FREE_TEXT
    for c in cat.categories:
        for f in c.fields:
            if f.is_free_text:
                assert f.length_limit is not None and f.length_limit <= 500, (c.id, f.id)
                assert len(c.reminder) > 30, c.id
            else:
                assert f.length_limit is None
    assert cat.category("suivi").field("note").length_limit == 500
    assert cat.category("identite").field("adresse").length_limit == 200


def test_follow_up_types_say_which_count_as_a_contact(cat: Catalogue) -> None:
    suivi = cat.category("suivi")
    assert [f.id for f in suivi.fields] == ["date", "type", "participants", "issue", "note"]
    assert suivi.field("participants").type is FieldType.MULTI
    vocabulary = cat.vocabulary(suivi.field("type").vocabulary or "")
    contact = {i.code for i in vocabulary.items if i.counts_as_contact}
    assert contact == {"entretien", "appel_jeune", "contact_representant", "visite"}
    assert {"contact_famille", "reunion_ecole", "rendez_vous", "incident"} <= {
        i.code for i in vocabulary.active_items if not i.counts_as_contact}
    others = [(v.id, i.code) for v in cat.vocabularies if v.id != vocabulary.id
              for i in v.items if i.counts_as_contact]
    assert others == []


def test_health_pregnancy_and_people_involved(cat: Catalogue) -> None:
    sante = cat.category("sante")
    assert sante.field("vaccinations").type is FieldType.YESNOUNKNOWN
    assert sante.field("suivi_grossesse").type is FieldType.YESNO
    assert sante.field("terme_prevu").type is FieldType.DATE
    sejour = cat.category("sante_sejour")
    assert sejour.field("allergie").type is FieldType.YESNOUNKNOWN
    assert sejour.field("precautions").type is FieldType.MULTI
    intervenants = cat.category("intervenants")
    assert {i.code for i in cat.vocabulary("type_intervenant").items} >= {"professionnel",
                                                                          "famille"}
    assert {f.id for f in intervenants.fields if f.required} == {"type_intervenant", "role",
                                                                  "nom"}
    vie = cat.category("vie_personnelle")
    assert vie.field("interprete").type is FieldType.YESNO
    assert vie.field("langue_interprete").vocabulary == "langue_interprete"
    assert vie.field("loisirs").type is FieldType.MULTI
