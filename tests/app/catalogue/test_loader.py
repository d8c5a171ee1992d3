"""The loader refuses a broken catalogue with a French message naming the file (R-4.1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.catalogue import CatalogueError, load_catalogue, load_catalogue_from
from app.errors import KnownError
from app.resources import resource_path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalogue."""
    for part in ("forms", "vocabularies", "sections"):
        shutil.copytree(resource_path(part), tmp_path / part)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def broken(root: Path, *expected: str) -> str:
    with pytest.raises(CatalogueError) as info:
        load_catalogue_from(root)
    message = info.value.message
    assert isinstance(info.value, KnownError)
    assert message.startswith("Catalogue des formulaires invalide (")
    for part in expected:
        assert part in message, message
    return message


def test_the_copy_loads_like_the_original(root: Path) -> None:
    copy = load_catalogue_from(root)
    shipped = load_catalogue()
    assert copy.categories == shipped.categories
    assert dict(copy.vocabularies_by_id) == dict(shipped.vocabularies_by_id)


def test_the_shipped_catalogue_is_read_once() -> None:
    assert load_catalogue() is load_catalogue()


def test_duplicate_field_id(root: Path) -> None:
    path = root / "forms" / "identite.toml"
    path.write_text(path.read_text(encoding="utf-8")
                    + '\n[[fields]]\nid = "nom"\nlabel = "Autre nom"\ntype = "text"\n',
                    encoding="utf-8")
    broken(root, "forms/identite.toml", "champ en double « nom »")


def test_duplicate_category_id(root: Path) -> None:
    shutil.copy(root / "forms" / "identite.toml", root / "forms" / "identite_bis.toml")
    broken(root, "identite_bis.toml", "diffère du nom du fichier")


def test_unknown_type(root: Path) -> None:
    edit(root / "forms" / "identite.toml", 'type = "choice"', 'type = "magic"')
    broken(root, "identite.toml", "type inconnu « magic »", "choice")


def test_missing_vocabulary_file(root: Path) -> None:
    (root / "vocabularies" / "sexe.toml").unlink()
    broken(root, "identite.toml", "la liste « sexe » n'existe pas")


def test_choice_without_vocabulary(root: Path) -> None:
    edit(root / "forms" / "identite.toml", 'vocabulary = "sexe"\n', "")
    broken(root, "identite.toml", "doit citer sa liste")


def test_vocabulary_on_a_field_that_is_not_a_list(root: Path) -> None:
    edit(root / "forms" / "identite.toml", 'type = "date"', 'type = "date"\nvocabulary = "sexe"')
    broken(root, "seul un champ choice ou multi")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('id = "sexe"', 'id = "Sexe"', "identifiant « Sexe » invalide"),
    ('id = "sexe"', 'id = "sexe-2"', "identifiant « sexe-2 » invalide"),
    ('id = "sexe"', 'id = "séxe"', "identifiant « séxe » invalide"),
    ('label = "Sexe"', 'label = ""', "« label » est obligatoire"),
    ('required = true', 'required = "oui"', "« required » doit être true ou false"),
    ('max_length = 100', 'max_length = "100"', "« max_length » doit être un nombre entier"),
    ('max_length = 100', 'max_length = 5000', "max_length doit être compris entre 1 et 300"),
    ('order = 10', 'order = true', "« order » doit être un nombre entier"),
    ('order = 10', 'ordre = 10', "clé inconnue « ordre »"),
    ('sensitive = false', 'sensitve = true', "clé inconnue « sensitve »"),
    ('type = "date"', 'type = "date"\nmax_length = 10', "max_length ne s'applique qu'aux"),
    ('type = "date"', 'type = "date"\nmin = 1', "min et max ne s'appliquent qu'aux"),
    ('[category]', '[category', "fichier illisible"),
    ('[category]', '[categorie]', "section inconnue « categorie »"),
    ('reminder = "Identité seulement', 'reminder = "', "rappel (reminder)"),
    ('sensitive = false', 'sensitive = false\nextra = 1', "clé inconnue « extra »"),
])
def test_a_broken_form_file_names_the_problem(root: Path, old: str, new: str,
                                               expected: str) -> None:
    path = root / "forms" / "identite.toml"
    text = path.read_text(encoding="utf-8")
    if old.startswith("reminder"):
        # empty the reminder while keeping valid TOML
        start = text.index(old)
        end = text.index("\n", start)
        path.write_text(text[:start] + 'reminder = ""' + text[end:], encoding="utf-8")
    else:
        edit(path, old, new)
    broken(root, "identite.toml", expected)


def test_numbers_need_their_bounds(root: Path) -> None:
    edit(root / "forms" / "vie_personnelle.toml", "max = 20", "")
    broken(root, "vie_personnelle.toml", "bornes min et max")


def test_the_nir_cannot_move_out_of_social_cover(root: Path) -> None:
    path = root / "forms" / "identite.toml"
    path.write_text(path.read_text(encoding="utf-8")
                    + '\n[[fields]]\nid = "nir"\nlabel = "NIR"\ntype = "nir"\nsensitive = true\n',
                    encoding="utf-8")
    broken(root, "identite.toml", "le NIR ne peut figurer que dans « couverture_sociale »")


def test_the_nir_must_stay_sensitive(root: Path) -> None:
    edit(root / "forms" / "couverture_sociale.toml", 'type = "nir"\nsensitive = true',
         'type = "nir"\nsensitive = false')
    broken(root, "couverture_sociale.toml", "le NIR doit être marqué sensitive = true")


def test_a_consent_category_must_be_sensitive(root: Path) -> None:
    edit(root / "forms" / "convictions.toml", "sensitive = true", "sensitive = false")
    broken(root, "convictions.toml", "consentement")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('code = "2"', 'code = "1"', "code en double « 1 »"),
    ('label = "Fille"', 'label = "Garçon"', "libellé en double « Garçon »"),
    ('id = "sexe"', 'id = "genre"', "diffère du nom du fichier"),
    ('source = "', 'origine = "', "clé inconnue « origine »"),
    ('code = "2"', 'code = 2', "« code » doit être un texte"),
    ('label = "Fille"', 'label = "Fille"\nretired = "oui"', "« retired » doit être true ou false"),
])
def test_a_broken_vocabulary_file_names_the_problem(root: Path, old: str, new: str,
                                                     expected: str) -> None:
    edit(root / "vocabularies" / "sexe.toml", old, new)
    broken(root, "vocabularies/sexe.toml", expected)


def test_a_vocabulary_needs_an_active_item(root: Path) -> None:
    path = root / "vocabularies" / "nationalite.toml"
    text = path.read_text(encoding="utf-8")
    head, items = text.split("[[items]]", 1)
    path.write_text(head + "[[items]]" + items.replace("\ncode = ", "\nretired = true\ncode = "),
                    encoding="utf-8")
    assert path.read_text(encoding="utf-8").count("retired = true") == 3
    broken(root, "nationalite.toml", "aucune valeur active")


def test_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as info:
        load_catalogue_from(tmp_path)
    assert "introuvable" in info.value.message


def test_an_empty_catalogue(tmp_path: Path) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "vocabularies").mkdir()
    with pytest.raises(CatalogueError) as info:
        load_catalogue_from(tmp_path)
    assert "vide" in info.value.message
