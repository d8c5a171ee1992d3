"""The permission matrix of R-3.5: profile × data category × action, plus global rights.

The rights on each data category are catalogue data, declared beside the category in
``resources/forms`` (``resources/sections`` for the consents): see ``app.catalogue.rights``.
Enforced in ``app/`` services (the UI only hides what is refused). Every refusal of a
direct service call is journaled.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.auth.profiles import Profile
from app.catalogue import Catalogue, load_catalogue
from app.catalogue.rights import Access as Access
from app.catalogue.rights import CategoryRights

NO_RIGHTS = CategoryRights(granted=())


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


RO = frozenset({Access.READ})


def category_ids(catalogue: Catalogue | None = None) -> tuple[str, ...]:
    """Every data category (and the consents section) that has rights, in tab order."""
    return (catalogue or load_catalogue()).governed_ids


def matrix(catalogue: Catalogue | None = None) -> dict[Profile, dict[str, frozenset[Access]]]:
    """Category -> allowed accesses, per profile, as the catalogue declares them."""
    cat = catalogue or load_catalogue()
    return {profile: {cid: accesses for cid in cat.governed_ids
                      if (accesses := _rights(cat, cid).of(profile))}
            for profile in Profile}


def referent_only(catalogue: Catalogue | None = None) -> dict[Profile, dict[str, frozenset[Access]]]:
    """The categories a profile gets only on dossiers where the user is the référent."""
    cat = catalogue or load_catalogue()
    out: dict[Profile, dict[str, frozenset[Access]]] = {}
    for cid in cat.governed_ids:
        for profile, accesses in _rights(cat, cid).as_referent:
            out.setdefault(profile, {})[cid] = accesses
    return out


def _rights(catalogue: Catalogue, category_id: str) -> CategoryRights:
    return catalogue.rights_of(category_id) or NO_RIGHTS


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
    profile: Profile, user_id: int, user_units: frozenset[int], category: str, scope: DossierScope,
    *, catalogue: Catalogue | None = None,
) -> frozenset[Access]:
    if scope.status == "archive":
        return RO if profile is Profile.ARCHIVISTE else frozenset()
    if not can_see_dossier(profile, user_units, scope):
        return frozenset()
    rights = _rights(catalogue or load_catalogue(), category)
    allowed = rights.of(profile, referent=scope.referent_id == user_id)
    if scope.status == "restricted":
        allowed &= {Access.READ}
    return allowed


def readable_categories(
    profile: Profile, user_id: int, user_units: frozenset[int], scope: DossierScope,
    *, catalogue: Catalogue | None = None,
) -> frozenset[str]:
    return frozenset(
        c for c in category_ids(catalogue)
        if Access.READ in category_access(profile, user_id, user_units, c, scope, catalogue=catalogue)
    )
