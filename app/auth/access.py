"""Permission checks used by every service; refusals are journaled (R-3.5, R-5.1)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

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


MUST_CHANGE = ("Votre mot de passe est provisoire : changez-le d'abord (Sillage le demande à la "
               "connexion). Rien d'autre n'est accessible avant ce changement.")
CHARTER = ("Acceptez d'abord la charte informatique : Sillage la présente à votre première "
           "connexion (en ligne de commande : sillage … charter --accept). Aucune donnée n'est "
           "accessible avant cette acceptation.")


class SessionNotReady(PermissionRefused):
    """A session on a one-time password, or whose user has not accepted the charter (R-3.5)."""


def require_password_changed(session: Session) -> None:
    """After a reset, only the change-password step is reachable (R-3.4)."""
    if session.user.must_change_password:
        session.journal_event(Action.REFUS, "session", detail="mot de passe provisoire")
        raise SessionNotReady(MUST_CHANGE)


def require_ready(session: Session) -> None:
    """The session state half of every service call (R-3.5): a session on a one-time password,
    or one that has not accepted the charter (R-3.7), reaches nothing but those two steps."""
    require_password_changed(session)
    if not session.user.charter_accepted:
        session.journal_event(Action.REFUS, "session", detail="charte non acceptée")
        raise SessionNotReady(CHARTER)


_Service = TypeVar("_Service", bound=type)
_Method = TypeVar("_Method", bound=Callable[..., Any])
_BEFORE_READY = "_sillage_before_ready"
#: set on a class by ``gated_service``; a test checks every service of ``app/`` carries it
GATED = "_sillage_gated"


def before_ready(method: _Method) -> _Method:
    """Marks the few operations of the login steps themselves (change password, accept the
    charter): ``gated_service`` leaves them open to a session that is not ready yet."""
    setattr(method, _BEFORE_READY, True)
    return method


def gated_service(cls: _Service) -> _Service:
    """Every public method of the service first checks the session state (``require_ready``),
    then does its own rights checks: one guard for every entry point, not one per method."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not callable(member) or isinstance(member, (staticmethod, classmethod)):
            continue
        if getattr(member, _BEFORE_READY, False):
            continue

        def make(method: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(method)
            def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
                require_ready(self.session)
                return method(self, *args, **kwargs)
            return checked

        setattr(cls, name, make(member))
    setattr(cls, GATED, True)
    return cls


def require_right(session: Session, right: Right) -> None:
    require_ready(session)
    if not has_right(session.user.profile, right):
        raise _refuse(session, right.value, None, "droit global")


def require_category(
    session: Session, category: str, access: Access, scope: DossierScope, dossier_id: int
) -> None:
    require_ready(session)
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
