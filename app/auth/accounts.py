"""Account identity fields, and the director accounts made outside a session (the first one at
creation, one more with the recovery key)."""

from __future__ import annotations

import re
import unicodedata

from app.auth import keys
from app.auth.profiles import Profile
from app.clock import Clock, utc_stamp
from app.errors import ValidationError
from app.journal.events import Action
from storage import users
from storage.journal import to_micros
from storage.keyslots import KdfPolicy
from storage.store import Store

LOGIN_TAKEN = "L'identifiant « {login} » existe déjà : choisissez-en un autre."
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


def validate_login(login: str) -> str:
    value = unicodedata.normalize("NFC", login or "").strip().lower()
    if not _LOGIN.match(value):
        raise ValidationError(
            "L'identifiant doit faire de 2 à 40 caractères : lettres minuscules sans accents, "
            "chiffres, point, tiret ou tiret bas (par exemple « cmartin »).",
            "login",
        )
    return value


def validate_name(name: str) -> str:
    from app.catalogue.validation import strip_invisible

    value = strip_invisible(unicodedata.normalize("NFC", name or "")).strip()
    if not value or len(value) > 120 or any(unicodedata.category(c).startswith("C") for c in value):
        raise ValidationError(
            "Le nom de la personne est obligatoire (120 caractères au plus, sans caractères de contrôle).",
            "display_name",
        )
    return value


def add_director(store: Store, clock: Clock, policy: KdfPolicy, *, login: str, name: str, password: str,
                 entry: tuple[str, Action, str], seal_reason: str) -> int:
    """A ``direction`` account with its key pair, and a new journal sealing key granted to it,
    inside the caller's transaction (R-2.2); ``entry`` (target, action, detail) is journaled
    for the account before its keys. The caller ends with ``store.publish_keys()``."""
    user_id = users.add_user(store.conn, login=login, display_name=name, profile=Profile.DIRECTION.value,
                             created_at=utc_stamp(clock.now()))
    target, action, detail = entry
    store.journal.append(to_micros(clock.now()), user_id, Profile.DIRECTION.value, None, target,
                         action.value, detail)
    keys.set_password_keys(store.conn, store, user_id, login, password, Profile.DIRECTION, policy)
    keys.new_sealing_key(store.conn, created_by=user_id, now=clock.now(), reason=seal_reason,
                         journal=store.journal)
    return user_id
