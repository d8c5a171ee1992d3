"""The free-text guard (R-4.3)."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from app.textguard import check_free_text, guard_kinds


def kinds(text: str) -> list[str]:
    return [w.kind for w in check_free_text(text)]


def test_each_kind_is_detected_with_offsets_in_the_original() -> None:
    samples = {
        "sante": "Il prend un antidépresseur depuis mars.",
        "religion": "Elle va à la mosquée le vendredi.",
        "vie_sexuelle": "Il a parlé de son orientation sexuelle.",
        "origine": "Famille d'origine ethnique peule.",
        "opinions": "Le père est syndiqué à la CGT.",
        "infractions": "Placé en garde à vue samedi.",
        "jugements": "Jeune fainéant et menteur.",
    }
    for kind, text in samples.items():
        warnings = [w for w in check_free_text(text) if w.kind == kind]
        assert warnings, kind
        w = warnings[0]
        assert text[w.start:w.end] == w.excerpt
        assert w.message and w.label
    assert set(samples) | {"nir"} == set(guard_kinds())


def test_case_and_accents_are_ignored() -> None:
    for text in ("EPILEPSIE", "épilepsie", "Épileptique"):
        assert kinds(text) == ["sante"]


def test_neutral_note_and_maltraitement() -> None:
    assert check_free_text("Entretien avec la mère, rendez-vous fixé au collège jeudi.") == []
    assert check_free_text("Évaluation de maltraitement en cours.") == []


def nir(first13: str) -> str:
    return first13 + f"{97 - int(first13) % 97:02d}"


def test_nir_with_valid_key_only() -> None:
    valid = nir("1850578006084")
    spaced = f"{valid[0]} {valid[1:3]} {valid[3:5]} {valid[5:7]} {valid[7:10]} {valid[10:13]} {valid[13:]}"
    warnings = check_free_text(f"Son numéro : {spaced}.")
    assert [w.kind for w in warnings] == ["nir"] and warnings[0].suggest == "couverture_sociale"
    wrong = valid[:-2] + f"{(int(valid[-2:]) + 1) % 98:02d}"
    assert check_free_text(f"Numéro {wrong}") == []
    assert check_free_text("Téléphone : 06 12 34 56 78") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    for w in check_free_text(text):
        assert 0 <= w.start < w.end <= len(text)
        assert text[w.start:w.end] == w.excerpt


def test_one_megabyte_is_checked_quickly() -> None:
    # a generous bound: the real budget is "before the save button reacts"
    text = "Entretien calme avec le jeune, point sur le collège. " * 20_000
    started = time.perf_counter()
    check_free_text(text)
    assert time.perf_counter() - started < 3.0
