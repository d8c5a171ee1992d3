"""The free-text guard (R-4.3): sensitive or excessive data in a note is flagged before saving."""

from __future__ import annotations

import dataclasses
import time
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.resources import resource_path
from app.textguard import GuardWarning, check_free_text, guard_kinds

WORDLIST = tomllib.loads(resource_path("wordlists", "guard_fr.toml").read_text(encoding="utf-8"))
KINDS = {table["id"]: table for table in WORDLIST["kinds"]}
ENTRIES = [(kind, word) for kind, table in KINDS.items() for word in table["words"]]
SUGGESTABLE = {
    "sante",
    "sante_sejour",
    "convictions",
    "vie_sexuelle",
    "infractions",
    "danger",
    "evaluation_sociale",
    "couverture_sociale",
}

NEUTRAL_NOTES = [
    "Entretien avec la mère, rendez-vous fixé au collège jeudi.",
    "Visite médiatisée avec le père au service, bonne participation de l'enfant.",
    "Audience chez le juge des enfants le 12 mars : renouvellement du placement pour un an.",
    "Ordonnance de placement provisoire reçue du parquet, copie au référent.",
    "Dans l'enceinte du collège, il a retrouvé ses camarades.",
    "Traitement de la demande de contrat jeune majeur en cours.",
    "Retour en famille d'origine prévu pendant les vacances.",
    "Réunion avec les partenaires du secteur pour préparer la synthèse.",
    "Randonnée pédestre avec le groupe samedi.",
    "Le jeune s'est attardé au parc après l'école ; échange sur les horaires.",
    "Point sur les arriérés de loyer avec la mère et l'assistante sociale.",
    "Crayons de couleur achetés pour l'atelier du mercredi.",
    "Il ne veut pas être dérangé pendant ses révisions.",
    "Procès-verbal de la réunion de synthèse transmis au référent.",
    "Dégradation de la situation familiale depuis la rentrée.",
    "Je l'ai interpellé sur ses retards répétés.",
    "Il n'est allé nulle part pendant le week-end.",
    "Rendez-vous bi-mensuel avec l'éducatrice ; la demande est transmise au secteur.",
    "Accompagnement à la mission locale pour une recherche de stage en cuisine.",
    "Appel de l'assistante familiale : le week-end s'est bien passé, il a aidé à la cuisine.",
    "Vacances de Pâques chez l'oncle, retour prévu le lundi.",
    "Il exprime le souhait de voir sa sœur plus souvent.",
]


def found(text: str) -> list[tuple[str, str]]:
    return [(w.kind, w.excerpt) for w in check_free_text(text)]


def nir(first13: str) -> str:
    """A NIR with its valid key (computed here, independently of the application)."""
    digits = first13.upper().replace("2A", "19").replace("2B", "18")
    return first13 + f"{97 - int(digits) % 97:02d}"


def grouped(number: str, sep: str = " ") -> str:
    return sep.join((number[0], number[1:3], number[3:5], number[5:7], number[7:10], number[10:13], number[13:]))


# -- each kind, in a realistic sentence, with offsets in the original text ---------------------


@pytest.mark.parametrize(
    ("kind", "text", "word"),
    [
        ("sante", "Crise d'épilepsie au réveil, l'infirmière scolaire a appelé.", "épilepsie"),
        ("sante", "Elle est enceinte de trois mois, suivi à la PMI.", "est enceinte"),
        ("sante", "Il est sous traitement depuis mars.", "sous traitement"),
        ("religion", "Elle va à la mosquée le vendredi avec sa tante.", "mosquée"),
        ("vie_sexuelle", "Il a parlé de son orientation sexuelle avec l'éducateur.", "orientation sexuelle"),
        ("origine", "Famille d'origine ethnique peule, arrivée en 2019.", "origine ethnique"),
        ("opinions_politiques", "Le père milite à l'extrême droite.", "extrême droite"),
        ("opinions_syndicales", "La mère est syndiquée à la CGT depuis longtemps.", "syndiquée"),
        ("infractions", "Placé en garde à vue samedi après un vol à l'étalage.", "garde à vue"),
        ("infractions", "Placé en garde à vue samedi après un vol à l'étalage.", "vol à l'étalage"),
        ("jugements", "Jeune fainéant et menteur, la mère est hystérique.", "fainéant"),
        ("jugements", "Famille cas social, enfant irrécupérable.", "cas social"),
        ("jugements", "Famille cas social, enfant irrécupérable.", "irrécupérable"),
    ],
)
def test_each_kind_is_found_where_it_is(kind: str, text: str, word: str) -> None:
    warnings = [w for w in check_free_text(text) if w.kind == kind and w.excerpt == word]
    assert len(warnings) == 1, found(text)
    w = warnings[0]
    assert (w.start, w.end) == (text.index(word), text.index(word) + len(word))
    assert text[w.start : w.end] == word  # accents and case of the original are kept
    assert w.label == KINDS[kind]["label"] and w.message == KINDS[kind]["message"]
    assert w.suggest == (KINDS[kind]["suggest"] or None)


def test_kinds_and_what_they_propose() -> None:
    assert guard_kinds() == (*KINDS, "nir")
    assert set(guard_kinds()) == {
        "sante",
        "religion",
        "vie_sexuelle",
        "origine",
        "opinions_politiques",
        "opinions_syndicales",
        "infractions",
        "jugements",
        "nir",
    }
    suggested = {kind: table["suggest"] for kind, table in KINDS.items()} | {"nir": WORDLIST["nir"]["suggest"]}
    assert suggested == {
        "sante": "sante",
        "religion": "convictions",
        "vie_sexuelle": "vie_sexuelle",
        "origine": "",
        "opinions_politiques": "",
        "opinions_syndicales": "",
        "infractions": "infractions",
        "jugements": "",
        "nir": "couverture_sociale",
    }
    for kind, category in suggested.items():
        if not category:
            continue
        assert category in SUGGESTABLE
        form = tomllib.loads(resource_path("forms", f"{category}.toml").read_text(encoding="utf-8"))
        # the message names the tab the person is sent to, as the catalogue labels it
        message = KINDS[kind]["message"] if kind != "nir" else WORDLIST["nir"]["message"]
        assert f"« {form['category']['label']} »" in message, kind


def test_the_judgement_message_asks_for_facts() -> None:
    (w,) = check_free_text("Mère débile.")
    assert w.kind == "jugements" and w.suggest is None
    assert "faits observés" in w.message


def test_every_entry_of_the_lists_is_found_by_its_kind() -> None:
    for kind, word in ENTRIES:
        stem = word.rstrip("*")
        for variant in (stem, stem.upper(), stem.capitalize()):
            text = f"Note du jour : {variant}, fin."
            hits = [w for w in check_free_text(text) if w.kind == kind]
            assert [(w.start, w.end) for w in hits] == [(15, 15 + len(variant))], (kind, variant)


def test_word_lists_are_generous() -> None:
    for kind, table in KINDS.items():
        minimum = 15 if kind == "opinions_syndicales" else 30
        assert len(table["words"]) >= minimum, kind
        assert len(set(table["words"])) == len(table["words"]), kind


# -- matching: case, accents, whole words, prefixes -------------------------------------------


@pytest.mark.parametrize("text", ["EPILEPSIE", "épilepsie", "Épilepsie", "ÉPILEPSIE", "epilepsie", "ÉpIlEpSiE"])
def test_case_and_accents_are_ignored(text: str) -> None:
    assert found(text) == [("sante", text)]


def test_accents_in_the_text_are_kept_in_the_excerpt() -> None:
    assert found("Il serait DÉPRIMÉ.") == [("sante", "DÉPRIMÉ")]
    assert found("Il serait deprime.") == [("sante", "deprime")]


def test_prefix_entries_match_word_endings() -> None:
    assert found("Suivi psychiatrique au CMP.") == [("sante", "psychiatrique"), ("sante", "CMP")]
    assert found("Rendez-vous chez le pédopsychiatre.") == [("sante", "pédopsychiatre")]
    assert found("Rendez-vous chez le pédo-psychiatre.") == [("sante", "pédo-psychiatre")]


def test_phrases_accept_hyphens_and_line_breaks() -> None:
    assert found("Placé en GARDE-À-VUE.") == [("infractions", "GARDE-À-VUE")]
    assert found("Placé en garde\nà  vue.") == [("infractions", "garde\nà  vue")]
    assert found("Crise d’angoisse au réveil.") == [("sante", "Crise d’angoisse")]  # typographic apostrophe
    assert found("Il est à\u00a0l’hôpital.") == [("sante", "hôpital")]


def test_whole_words_only_so_maltraitement_is_not_a_treatment() -> None:
    # Decision: whole words. "traitement" alone is not in the list either ("traitement de la
    # demande"); medical phrases are. Maltreatment is the very subject of child protection and
    # has its own closed fields (danger): it is not flagged.
    assert found("Évaluation d'une situation de maltraitement ; maltraitance signalée par l'école.") == []
    assert found("Traitement de la demande en cours.") == []
    assert found("Il est sous traitement.") == [("sante", "sous traitement")]
    assert found("Il prend son traitement le matin.") == [("sante", "son traitement")]
    # nor does a word hide in a longer one
    assert found("Secteur nord, partenaires habituels, randonnée pédestre, volontaire.") == []
    assert found("Un volcan, une voleuse.") == [("infractions", "voleuse")]


def test_the_longest_phrase_wins_and_no_double_warning_inside_it() -> None:
    assert found("Tentative de suicide en mai.") == [("sante", "Tentative de suicide")]


@pytest.mark.parametrize("text", NEUTRAL_NOTES)
def test_no_warning_on_neutral_follow_up_notes(text: str) -> None:
    assert check_free_text(text) == []


def test_several_kinds_ordered_by_start_at_most_one_per_kind_and_start() -> None:
    text = "Drogué, il a volé ; il prend de la ritaline ; 1 85 05 78 006 084 91 ; mère hystérique."
    warnings = check_free_text(text)
    assert [w.kind for w in warnings] == ["jugements", "infractions", "sante", "nir", "jugements"]
    assert [w.start for w in warnings] == sorted(w.start for w in warnings)
    assert len({(w.kind, w.start) for w in warnings}) == len(warnings)
    # neighbouring words of two kinds each give their own warning
    both = check_free_text("Accusé de proxénétisme et de prostitution.")
    assert [(w.kind, w.excerpt) for w in both] == [("infractions", "proxénétisme"), ("vie_sexuelle", "prostitution")]


def test_warnings_are_frozen_values() -> None:
    (w,) = check_free_text("asthme")
    assert w == GuardWarning("sante", KINDS["sante"]["label"], KINDS["sante"]["message"], "sante", 0, 6, "asthme")
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.start = 1  # type: ignore[misc]


# -- unusual text ------------------------------------------------------------------------------


def test_emoji_rtl_nul_and_newlines_keep_offsets_right() -> None:
    text = "مرحبا 🙂👍🏽 \x00épilepsie\x00\nשלום vol\r\n❤️ VOLÉ"
    warnings = check_free_text(text)
    assert [(w.kind, text[w.start : w.end]) for w in warnings] == [
        ("sante", "épilepsie"),
        ("infractions", "vol"),
        ("infractions", "VOLÉ"),
    ]
    assert all(text[w.start : w.end] == w.excerpt for w in warnings)


def test_decomposed_accents_and_marks_before_are_mapped_back() -> None:
    decomposed = "e\u0301pilepsie"  # NFD, as some keyboards and pasted text produce
    text = f"مَرْحَبًا ✌️ {decomposed} et de\u0301prime\u0301."
    warnings = check_free_text(text)
    assert [w.excerpt for w in warnings] == [decomposed, "de\u0301prime\u0301"]
    assert [w.kind for w in warnings] == ["sante", "sante"]
    assert all(text[w.start : w.end] == w.excerpt for w in warnings)


def test_empty_text() -> None:
    assert check_free_text("") == []


# -- NIR ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first13", ["1850578006084", "2990175123456", "185052A004123", "285052B004123", "1850599123001"]
)
@pytest.mark.parametrize("sep", ["", " ", ".", "\u00a0"])
def test_a_nir_with_a_valid_key_is_flagged(first13: str, sep: str) -> None:
    number = grouped(nir(first13), sep)
    text = f"Son numéro de sécu : {number}, à vérifier."
    (w,) = check_free_text(text)
    assert (w.kind, w.suggest, w.excerpt) == ("nir", "couverture_sociale", number)
    assert text[w.start : w.end] == number
    assert "Couverture sociale" in w.message and "jamais" in w.message


def test_the_same_nir_with_a_wrong_key_is_not_flagged() -> None:
    valid = nir("1850578006084")
    assert valid == "185057800608491"
    for key in range(100):
        number = valid[:13] + f"{key:02d}"
        expected = ["nir"] if number == valid else []
        assert [w.kind for w in check_free_text(f"Numéro {grouped(number)}")] == expected, key
        assert [w.kind for w in check_free_text(f"Numéro {number}")] == expected, key


def test_phone_numbers_and_other_numbers_are_not_flagged() -> None:
    for text in (
        "Téléphone : 06 12 34 56 78",
        "Tél. 06.12.34.56.78 ou 0612345678",
        "+33 6 12 34 56 78",
        "06 12 34 56 78 07 98 76 54 32",
        "Allocataire CAF n° 1234567",
        "IBAN FR76 3000 6000 0112 3456 7890 189",
        "le 21/11/2026 à 14 h 30",
    ):
        assert check_free_text(text) == [], text
    # a valid NIR glued to other digits is not a NIR
    assert check_free_text("9" + nir("1850578006084")) == []


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[12][0-9]{12}", fullmatch=True), st.sampled_from(["", " ", "."]))
def test_any_valid_nir_is_flagged_and_a_wrong_key_is_not(first13: str, sep: str) -> None:
    number = nir(first13)
    assert [w.kind for w in check_free_text(f"NIR {grouped(number, sep)}.")] == ["nir"]
    wrong = number[:13] + f"{(int(number[13:]) + 1) % 100:02d}"
    assert check_free_text(f"NIR {grouped(wrong, sep)}.") == []


# -- properties --------------------------------------------------------------------------------

PIECES = st.one_of(
    st.text(max_size=30),
    st.sampled_from([w.rstrip("*") for _, w in ENTRIES]),
    st.sampled_from(["É", "é", "e\u0301", "\u0301", "️", "🙂", "\x00", "\n", "-", "’", "مَ", "ß", "İ", "œ", " "]),
    st.builds(lambda n: grouped(nir(n)), st.from_regex(r"[12][0-9]{12}", fullmatch=True)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_any_text_gives_warnings_inside_it(text: str) -> None:
    warnings = check_free_text(text)
    for w in warnings:
        assert 0 <= w.start < w.end <= len(text)
        assert text[w.start : w.end] == w.excerpt
        # the excerpt alone is flagged the same way, as a whole
        assert (w.kind, 0, len(w.excerpt)) in {(x.kind, x.start, x.end) for x in check_free_text(w.excerpt)}
    assert [w.start for w in warnings] == sorted(w.start for w in warnings)
    assert len({(w.kind, w.start) for w in warnings}) == len(warnings)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    for w in check_free_text(text):
        assert 0 <= w.start < w.end <= len(text)


def test_one_megabyte_is_checked_in_under_a_second() -> None:
    # TIMING TEST, deliberately generous: the best of three runs must stay under one second
    # (it takes a few tenths on a developer machine). Notes are at most a few hundred
    # characters; this guards against a quadratic or per-word-list rescan creeping in.
    note = (
        "Entretien avec la mère au service, point sur le collège et les devoirs ; il se dit "
        "fatigué, crise d'épilepsie mardi, il serait fainéant selon l'oncle. "
    )
    text = (note * (1_000_000 // len(note) + 1))[:1_000_000]
    check_free_text("chargement des listes")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        warnings = check_free_text(text)
        best = min(best, time.perf_counter() - started)
    assert len(warnings) == text.count("épilepsie") + text.count("fainéant") > 10_000
    assert best < 1.0, best
