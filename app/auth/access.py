"""Permission checks used by every service; refusals are journaled (R-3.5, R-5.1)."""

from __future__ import annotations

from app.auth.permissions import (
    Access,
    DossierScope,
    Right,
    category_access,
    grantable_profiles,
    has_right,
)
from app.auth.profiles import Profile
from app.errors import PermissionRefused
from app.journal.events import Action
from app.session import Session

REFUSED = "Votre profil ne permet pas cette action. Adressez-vous à la direction si vous en avez besoin."


def _refuse(session: Session, target: str, dossier_id: int | None, detail: str) -> PermissionRefused:
    session.journal_event(Action.REFUS, target, dossier_id=dossier_id, detail=detail)
    return PermissionRefused(REFUSED)


MUST_CHANGE = "Changez d'abord votre mot de passe provisoire."


def _check_password_changed(session: Session) -> None:
    """After a reset, only the change-password screen is reachable (R-3.4)."""
    if session.user.must_change_password:
        raise PermissionRefused(MUST_CHANGE)


def require_right(session: Session, right: Right) -> None:
    _check_password_changed(session)
    if not has_right(session.user.profile, right):
        raise _refuse(session, right.value, None, "droit global")


def require_category(
    session: Session, category: str, access: Access, scope: DossierScope, dossier_id: int
) -> None:
    _check_password_changed(session)
    user = session.user
    if access not in category_access(user.profile, user.id, user.unit_ids, category, scope):
        raise _refuse(session, category, dossier_id, access.value)


OWN_PROFILE = ("Personne ne peut modifier son propre profil ni ses propres unités : "
               "demandez-le à un autre membre de la direction.")


def require_grant(session: Session, profile: Profile) -> None:
    """Separation of duties (R-3.5): only the direction grants a profile that reads dossiers."""
    require_right(session, Right.MANAGE_ACCOUNTS)
    if profile not in grantable_profiles(session.user.profile):
        raise _refuse(session, Right.GRANT_CONTENT_ACCESS.value, None, f"profil {profile.value}")


def require_not_self(session: Session, user_id: int) -> None:
    """Nobody changes their own profile (R-3.5); the refusal is journaled."""
    if user_id == session.user.id:
        session.journal_event(Action.REFUS, "compte", detail="modification de son propre profil")
        raise PermissionRefused(OWN_PROFILE)
