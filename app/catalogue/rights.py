"""Who may read, write and delete each category of the dossier (R-3.5), declared in the
catalogue beside the category it governs, so that adding a category is one data file.

In a category file::

    [rights]                 # r: read, w: write, d: delete; a profile not named has no access
    educateur = "rw"
    direction = "rwd"

    [referent_rights]        # added on the dossiers whose référent the user is
    educateur = "rw"

Sections of the dossier that are not forms (the consents) declare theirs the same way in
``resources/sections/<id>.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.auth.profiles import Profile
from app.catalogue.files import CatalogueFile, text


class Access(StrEnum):
    READ = "read"
    WRITE = "write"
    DELETE = "delete"


_LETTERS = {"r": Access.READ, "w": Access.WRITE, "d": Access.DELETE}
RIGHTS, REFERENT_RIGHTS = "rights", "referent_rights"
_SECTION_KEYS = {"id": str, "label": str}

Grants = tuple[tuple[Profile, frozenset[Access]], ...]


@dataclass(frozen=True)
class CategoryRights:
    """The accesses each profile has on one category (missing: none)."""

    granted: Grants
    #: added only on the dossiers where the user is the référent
    as_referent: Grants = ()

    def of(self, profile: Profile, *, referent: bool = False) -> frozenset[Access]:
        accesses = dict(self.granted).get(profile, frozenset())
        if referent:
            accesses |= dict(self.as_referent).get(profile, frozenset())
        return accesses

    @property
    def profiles(self) -> tuple[Profile, ...]:
        return tuple(dict.fromkeys(p for p, _ in (*self.granted, *self.as_referent)))


@dataclass(frozen=True)
class Section:
    """A tab of the dossier that is not a catalogue form (the consents), with its rights."""

    id: str
    label: str
    rights: CategoryRights


def _accesses(f: CatalogueFile, letters: object, where: str) -> frozenset[Access]:
    valid = (isinstance(letters, str) and letters != "" and set(letters) <= set(_LETTERS)
             and len(set(letters)) == len(letters) and "r" in letters)
    if not valid:
        raise f.error(f"{where} : « {letters} » n'est pas un droit valide (lettres r, w, d : "
                      "lire, modifier, supprimer ; r toujours présent, par exemple « rw »).")
    assert isinstance(letters, str)
    return frozenset(_LETTERS[letter] for letter in letters)


def _grants(f: CatalogueFile, raw: object, section: str) -> Grants:
    assert isinstance(raw, dict)
    known = {p.value: p for p in Profile}
    grants = []
    for name, letters in raw.items():
        profile = known.get(name)
        if profile is None:
            raise f.error(f"[{section}] : profil inconnu « {name} » (profils : "
                          f"{', '.join(known)}).")
        grants.append((profile, _accesses(f, letters, f"[{section}] {name}")))
    return tuple(grants)


def read_rights(f: CatalogueFile, data: Mapping[str, object]) -> CategoryRights:
    """The ``[rights]`` (required, at least one profile) and ``[referent_rights]`` tables."""
    granted = _grants(f, data[RIGHTS], RIGHTS)
    if not granted:
        raise f.error(f"la section « {RIGHTS} » ne nomme aucun profil.")
    as_referent = _grants(f, data.get(REFERENT_RIGHTS, {}), REFERENT_RIGHTS)
    return CategoryRights(granted, as_referent)


#: the tables a file with rights has, for ``CatalogueFile.read``
RIGHTS_TABLES: dict[str, type] = {RIGHTS: dict}
OPTIONAL_RIGHTS_TABLES: dict[str, type] = {REFERENT_RIGHTS: dict}


def read_section(path: Path) -> Section:
    f = CatalogueFile(path)
    data = f.read({"section": dict, **RIGHTS_TABLES}, OPTIONAL_RIGHTS_TABLES)
    head = f.table(data["section"], _SECTION_KEYS, ("id", "label"), "[section]")
    sid = f.named_after_file(head["id"], "[section]")
    return Section(sid, text(head, "label"), read_rights(f, data))
