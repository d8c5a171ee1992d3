"""Profiles of R-3.5 (the values stored in ``users.profile``)."""

from __future__ import annotations

from enum import StrEnum


class Profile(StrEnum):
    EDUCATEUR = "educateur"
    SOIGNANT = "soignant"
    CHEF_SERVICE = "chef_service"
    DIRECTION = "direction"
    SECRETARIAT = "secretariat"
    ADMIN_TECHNIQUE = "admin_technique"
    ARCHIVISTE = "archiviste"

    @property
    def label(self) -> str:
        return PROFILE_LABELS[self]


PROFILE_LABELS: dict[Profile, str] = {
    Profile.EDUCATEUR: "Éducateur·rice",
    Profile.SOIGNANT: "Soignant·e",
    Profile.CHEF_SERVICE: "Chef·fe de service",
    Profile.DIRECTION: "Direction",
    Profile.SECRETARIAT: "Secrétariat",
    Profile.ADMIN_TECHNIQUE: "Administration technique",
    Profile.ARCHIVISTE: "Archiviste",
}
