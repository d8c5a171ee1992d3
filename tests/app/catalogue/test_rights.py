"""Category permissions as catalogue data (issue 9, R-3.5, R-4.1): the rights of each profile on
each category are read from ``resources/forms`` and ``resources/sections``, beside the category.

``FROZEN`` is the matrix as it was written in Python before it moved into the data files: the
move must not change a single right.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.auth.permissions import (
    Access,
    DossierScope,
    category_access,
    category_ids,
    matrix,
    readable_categories,
    referent_only,
)
from app.auth.profiles import Profile
from app.catalogue import CatalogueError, load_catalogue, load_catalogue_from
from app.resources import resource_path

R, W, D = Access.READ, Access.WRITE, Access.DELETE
RW, RWD, RO = frozenset({R, W}), frozenset({R, W, D}), frozenset({R})
ALL = (
    "identite", "representants", "vie_personnelle", "scolarite", "conditions_materielles",
    "couverture_sociale", "coordonnees_bancaires", "mesures", "evaluation_sociale",
    "sante_sejour", "sante", "convictions", "vie_sexuelle", "danger", "infractions",
    "suivi", "intervenants", "consentements",
)
FROZEN: dict[Profile, dict[str, frozenset[Access]]] = {
    Profile.EDUCATEUR: {
        "identite": RW, "representants": RW, "vie_personnelle": RW, "scolarite": RW,
        "mesures": RW, "suivi": RW, "intervenants": RW, "consentements": RW,
        "sante_sejour": RO,
    },
    Profile.SOIGNANT: {"identite": RO, "sante": RWD, "sante_sejour": RWD, "consentements": RO},
    Profile.CHEF_SERVICE: dict.fromkeys(ALL, RWD),
    Profile.DIRECTION: dict.fromkeys(ALL, RWD),
    Profile.SECRETARIAT: {
        "identite": RW, "representants": RW, "conditions_materielles": RW,
        "couverture_sociale": RW, "coordonnees_bancaires": RWD, "mesures": RO,
        "intervenants": RO,
    },
    Profile.ADMIN_TECHNIQUE: {},
    Profile.ARCHIVISTE: {},
}
FROZEN_REFERENT = {Profile.EDUCATEUR: {"evaluation_sociale": RW}}
SCOPE = DossierScope(unit_id=1, referent_id=None, status="active")


def test_the_matrix_read_from_the_catalogue_is_the_one_written_before() -> None:
    assert matrix() == FROZEN
    assert referent_only() == FROZEN_REFERENT
    assert set(category_ids()) == set(ALL)


@pytest.mark.parametrize("profile", list(Profile))
def test_category_access_gives_the_frozen_rights(profile: Profile) -> None:
    for category in ALL:
        expected = FROZEN[profile].get(category, frozenset())
        assert category_access(profile, 7, frozenset({1}), category, SCOPE) == expected, category
        as_referent = DossierScope(unit_id=1, referent_id=7, status="active")
        extra = FROZEN_REFERENT.get(profile, {}).get(category, frozenset())
        assert category_access(profile, 7, frozenset({1}), category, as_referent) == expected | extra


def test_the_catalogue_and_the_profiles_agree() -> None:
    """Every profile the catalogue names exists (the loader refuses others), every category
    and section has its rights, and chef_service and direction read everything (R-3.5)."""
    catalogue = load_catalogue()
    ids = [c.id for c in catalogue.categories] + [s.id for s in catalogue.sections]
    assert tuple(ids) == category_ids()
    for cid in ids:
        rights = catalogue.rights_of(cid)
        assert rights.granted, cid
        assert set(rights.profiles) <= set(Profile)
        for profile in (Profile.CHEF_SERVICE, Profile.DIRECTION):
            assert rights.of(profile) == RWD, (cid, profile)
        for profile in (Profile.ADMIN_TECHNIQUE, Profile.ARCHIVISTE):
            assert not rights.of(profile) and not rights.of(profile, referent=True), (cid, profile)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalogue."""
    for part in ("forms", "vocabularies", "sections"):
        shutil.copytree(resource_path(part), tmp_path / part)
    return tmp_path


NEW_CATEGORY = """
[category]
id = "loisirs_culture"
label = "Loisirs et culture"
order = 175
sensitive = false
consent = ""
requires_setting = ""
repeating = false
reminder = ""

[rights]
direction = "rwd"
educateur = "r"

[[fields]]
id = "pratique"
label = "Pratique une activité"
type = "yesno"
"""


def test_a_new_category_is_one_data_file_that_direction_sees(root: Path) -> None:
    (root / "forms" / "loisirs_culture.toml").write_text(NEW_CATEGORY, encoding="utf-8")
    catalogue = load_catalogue_from(root)
    assert catalogue.category("loisirs_culture").label == "Loisirs et culture"
    assert "loisirs_culture" in category_ids(catalogue)
    seen = readable_categories(Profile.DIRECTION, 1, frozenset(), SCOPE, catalogue=catalogue)
    assert "loisirs_culture" in seen
    assert category_access(Profile.DIRECTION, 1, frozenset(), "loisirs_culture", SCOPE,
                           catalogue=catalogue) == RWD
    assert category_access(Profile.EDUCATEUR, 1, frozenset({1}), "loisirs_culture", SCOPE,
                           catalogue=catalogue) == RO
    assert category_access(Profile.SECRETARIAT, 1, frozenset({1}), "loisirs_culture", SCOPE,
                           catalogue=catalogue) == frozenset()


def broken(root: Path, *expected: str) -> None:
    with pytest.raises(CatalogueError) as info:
        load_catalogue_from(root)
    for part in expected:
        assert part in info.value.message, info.value.message


def add_right(path: Path, line: str) -> None:
    """``line`` added at the top of the file's ``[rights]`` table."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, text in enumerate(lines) if text.startswith("[rights]"))
    lines.insert(at + 1, line + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def test_an_unknown_profile_is_refused(root: Path) -> None:
    path = root / "forms" / "identite.toml"
    add_right(path, 'educatrice = "r"')
    broken(root, "forms/identite.toml", "profil inconnu « educatrice »")


def test_a_category_without_rights_is_refused(root: Path) -> None:
    path = root / "forms" / "danger.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[rights]")
    end = text.index("[[fields]]")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    broken(root, "forms/danger.toml", "« rights »")


@pytest.mark.parametrize("letters", ["", "w", "rx", "rr", "RW"])
def test_rights_are_letters_r_w_d_with_read(root: Path, letters: str) -> None:
    path = root / "forms" / "scolarite.toml"
    add_right(path, f'soignant = "{letters}"')
    broken(root, "forms/scolarite.toml", "soignant")


def test_a_section_without_a_form_has_its_rights_too(root: Path) -> None:
    (root / "sections" / "consentements.toml").unlink()
    catalogue = load_catalogue_from(root)
    assert "consentements" not in category_ids(catalogue)
    assert category_access(Profile.DIRECTION, 1, frozenset(), "consentements", SCOPE,
                           catalogue=catalogue) == frozenset()
