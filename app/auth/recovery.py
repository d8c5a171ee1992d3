"""Recovery (R-2.3): a new director account made with the recovery key when every password is
lost. Access is rebuilt from the accounts recorded in the database: the key-slot file found on
disk is never re-signed (a replayed old file does not bring back a replaced password). A new
journal sealing key is created; both changes are journaled."""

from __future__ import annotations

from app.auth.accounts import LOGIN_TAKEN, add_director, validate_login, validate_name
from app.auth.password_policy import check_password
from app.auth.profiles import Profile
from app.context import AppContext
from app.errors import KnownError
from app.journal.events import Action
from app.rekey import finish_interrupted
from storage import users
from storage.connection import transaction
from storage.journal import to_micros
from storage.rekey import read_pending as rekey_pending
from storage.store import Store, WorkspacePaths


def recover_access(paths: WorkspacePaths, context: AppContext, dmk: bytes, *, login: str, name: str,
                   password: str) -> None:
    """Create the director account ``login`` on the workspace whose key is ``dmk``."""
    login, name = validate_login(login), validate_name(name)
    check_password(password, login=login, person_name=name)
    if rekey_pending(paths.root) is not None:
        dmk = finish_interrupted(paths, dmk, context.clock)
    store = Store.open_with_key(paths, dmk)
    try:
        with transaction(store.conn):
            if users.login_taken(store.conn, login):
                raise KnownError(LOGIN_TAKEN.format(login=login))
            user_id = add_director(
                store, context.clock, context.kdf_policy, login=login, name=name, password=password,
                entry=("compte", Action.COMPTE, "création d'un compte direction par la clé de secours"),
                seal_reason="clé de secours utilisée",
            )
            store.journal.append(
                to_micros(context.clock.now()), user_id, Profile.DIRECTION.value, None,
                "cles", Action.COMPTE.value, "nouvelle clé de scellement du journal (clé de secours)",
            )
            store.publish_keys()
    finally:
        store.close()
