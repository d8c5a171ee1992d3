"""The permission matrix of R-3.5: profile × data category × action, plus global rights.

Enforced in ``app/`` services (the UI only hides what is refused). Every refusal of a
direct service call is journaled.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.auth.profiles import Profile


class Access(StrEnum):
    READ = "read"
    WRITE = "write"
    DELETE = "delete"


class Right(StrEnum):
    """Global rights, not tied to a data category."""

    LIST_DOSSIERS = "list_dossiers"
    CREATE_DOSSIER = "create_dossier"
    MANAGE_ACCOUNTS = "manage_accounts"
    UNLOCK_ACCOUNTS = "unlock_accounts"
    REVIEW_HABILITATIONS = "review_habilitations"
    REVIEW_JOURNAL = "review_journal"
    VERIFY_JOURNAL = "verify_journal"
    ROTATE_JOURNAL = "rotate_journal"
    RETENTION_DECIDE = "retention_decide"
    RETENTION_PROPOSE = "retention_propose"
    RIGHTS_REGISTER = "rights_register"
    EXPORT = "export"
    JUDGE_REPORT = "judge_report"
    SETTINGS = "settings"
    BACKUP = "backup"
    ARCHIVE_ACCESS = "archive_access"
    DELIVER_NOTICE = "deliver_notice"
    CLOSE_DOSSIER = "close_dossier"
    ASSIGN_REFERENT = "assign_referent"
    ORGANISATION_SETTINGS = "organisation_settings"  # lock delay, public-service status: direction
    RESTRICT_DOSSIER = "restrict_dossier"
    #: create accounts with, or change an account to, a profile that reads dossiers (R-3.5)
    GRANT_CONTENT_ACCESS = "grant_content_access"
    RENEW_WORKSPACE_KEY = "renew_workspace_key"  # direction only


R, W, D = Access.READ, Access.WRITE, Access.DELETE
RW = frozenset({R, W})
RWD = frozenset({R, W, D})
RO = frozenset({R})

ALL_CATEGORIES = (
    "identite", "representants", "vie_personnelle", "scolarite", "conditions_materielles",
    "couverture_sociale", "coordonnees_bancaires", "mesures", "evaluation_sociale",
    "sante_sejour", "sante", "convictions", "vie_sexuelle", "danger", "infractions",
    "suivi", "intervenants", "consentements",
)

#: category -> allowed accesses, per profile. Missing = no access at all.
MATRIX: dict[Profile, dict[str, frozenset[Access]]] = {
    Profile.EDUCATEUR: {
        "identite": RW, "representants": RW, "vie_personnelle": RW, "scolarite": RW,
        "mesures": RW, "suivi": RW, "intervenants": RW, "consentements": RW,
        "sante_sejour": RO,
        # evaluation_sociale: only as the dossier's référent, see REFERENT_ONLY
    },
    Profile.SOIGNANT: {
        "identite": RO, "sante": RWD, "sante_sejour": RWD, "consentements": RO,
    },
    Profile.CHEF_SERVICE: {c: RWD for c in ALL_CATEGORIES},
    Profile.DIRECTION: {c: RWD for c in ALL_CATEGORIES},
    Profile.SECRETARIAT: {
        "identite": RW, "representants": RW, "conditions_materielles": RW,
        "couverture_sociale": RW, "coordonnees_bancaires": RWD, "mesures": RO,
        "intervenants": RO,
    },
    Profile.ADMIN_TECHNIQUE: {},
    Profile.ARCHIVISTE: {},  # the intermediate archive only, through the archive service
}

#: categories a profile gets only on dossiers where the user is the référent
REFERENT_ONLY: dict[Profile, dict[str, frozenset[Access]]] = {
    Profile.EDUCATEUR: {"evaluation_sociale": RW},
}

#: profiles that see only the dossiers of their own units
UNIT_SCOPED = frozenset({Profile.EDUCATEUR, Profile.SOIGNANT, Profile.CHEF_SERVICE})

GLOBAL: dict[Profile, frozenset[Right]] = {
    Profile.EDUCATEUR: frozenset({Right.LIST_DOSSIERS, Right.CREATE_DOSSIER, Right.DELIVER_NOTICE}),
    Profile.SOIGNANT: frozenset({Right.LIST_DOSSIERS}),
    Profile.CHEF_SERVICE: frozenset({
        Right.LIST_DOSSIERS, Right.CREATE_DOSSIER, Right.JUDGE_REPORT, Right.RETENTION_PROPOSE,
        Right.DELIVER_NOTICE, Right.CLOSE_DOSSIER, Right.ASSIGN_REFERENT,
    }),
    Profile.DIRECTION: frozenset({
        Right.LIST_DOSSIERS, Right.CREATE_DOSSIER, Right.MANAGE_ACCOUNTS, Right.UNLOCK_ACCOUNTS,
        Right.REVIEW_HABILITATIONS, Right.REVIEW_JOURNAL, Right.VERIFY_JOURNAL,
        Right.ROTATE_JOURNAL, Right.RETENTION_DECIDE, Right.RETENTION_PROPOSE,
        Right.RIGHTS_REGISTER, Right.EXPORT, Right.JUDGE_REPORT, Right.SETTINGS,
        Right.DELIVER_NOTICE, Right.CLOSE_DOSSIER, Right.RESTRICT_DOSSIER, Right.ORGANISATION_SETTINGS,
        Right.ASSIGN_REFERENT, Right.GRANT_CONTENT_ACCESS, Right.BACKUP, Right.RENEW_WORKSPACE_KEY,
    }),
    Profile.SECRETARIAT: frozenset({Right.LIST_DOSSIERS, Right.CREATE_DOSSIER, Right.DELIVER_NOTICE}),
    Profile.ADMIN_TECHNIQUE: frozenset({
        Right.MANAGE_ACCOUNTS, Right.UNLOCK_ACCOUNTS, Right.SETTINGS, Right.BACKUP,
        Right.VERIFY_JOURNAL,
    }),
    Profile.ARCHIVISTE: frozenset({
        Right.ARCHIVE_ACCESS, Right.REVIEW_JOURNAL, Right.RIGHTS_REGISTER, Right.VERIFY_JOURNAL,
    }),
}


@dataclass(frozen=True)
class DossierScope:
    """What the permission check needs to know about one dossier."""

    unit_id: int
    referent_id: int | None
    status: str


def has_right(profile: Profile, right: Right) -> bool:
    return right in GLOBAL[profile]


#: profiles that give no access to dossier content: all an administrator may grant (R-3.5)
TECHNICAL_PROFILES = frozenset({Profile.ADMIN_TECHNIQUE})


def grantable_profiles(profile: Profile) -> tuple[Profile, ...]:
    """The profiles an account with ``profile`` may give to others (R-3.5): only the direction
    grants a profile that reads dossiers; an administrator grants technical profiles only."""
    if not has_right(profile, Right.MANAGE_ACCOUNTS):
        return ()
    if has_right(profile, Right.GRANT_CONTENT_ACCESS):
        return tuple(Profile)
    return tuple(p for p in Profile if p in TECHNICAL_PROFILES)


def can_see_dossier(profile: Profile, user_units: frozenset[int], scope: DossierScope) -> bool:
    if scope.status == "archive":
        return profile is Profile.ARCHIVISTE
    if profile in (Profile.ADMIN_TECHNIQUE, Profile.ARCHIVISTE):
        return False
    if profile in UNIT_SCOPED:
        return scope.unit_id in user_units
    return True


def category_access(
    profile: Profile, user_id: int, user_units: frozenset[int], category: str, scope: DossierScope
) -> frozenset[Access]:
    if scope.status == "archive":
        return RO if profile is Profile.ARCHIVISTE else frozenset()
    if not can_see_dossier(profile, user_units, scope):
        return frozenset()
    allowed = set(MATRIX[profile].get(category, frozenset()))
    if scope.referent_id == user_id:
        allowed |= REFERENT_ONLY.get(profile, {}).get(category, frozenset())
    if scope.status == "restricted":
        allowed &= {Access.READ}
    return frozenset(allowed)


def readable_categories(
    profile: Profile, user_id: int, user_units: frozenset[int], scope: DossierScope
) -> frozenset[str]:
    return frozenset(
        c for c in ALL_CATEGORIES
        if Access.READ in category_access(profile, user_id, user_units, c, scope)
    )
