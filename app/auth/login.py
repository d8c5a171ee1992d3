"""Logging in (R-2.2, R-3.3): password → private key → grants → DMK; then the database is
opened and checked, the account's state decides, pending failures and the login are journaled,
the keys are settled and the journal expires (R-5.3)."""

from __future__ import annotations

import datetime as dt

from app.auth import keys
from app.auth.login_guard import AccountLocked, LoginGuard
from app.auth.profiles import Profile
from app.catalogue.mirror import sync_catalogue
from app.clock import utc_stamp
from app.context import AppContext
from app.errors import AuthenticationError, TamperingDetected, WrongCredentials
from app.journal.events import Action
from app.journal.service import RotateResult, expire
from app.rekey import finish_interrupted
from app.session import User
from storage import keyring, settings, users
from storage.connection import transaction
from storage.journal import to_micros
from storage.keyslots import JOURNAL_SEAL, LEGACY, TAMPERED, KeySlotFile, Unlocked
from storage.rekey import read_pending as rekey_pending
from storage.store import Store, WorkspacePaths

AUTH_STATE_ALERT = (
    "alerte : le fichier des tentatives de connexion (auth_state.json) a été supprimé ou "
    "remplacé par une version antérieure ; des échecs de connexion ont pu être effacés"
)
DEACTIVATED = "Ce compte est désactivé. Adressez-vous à la direction."
OTP_EXPIRED = ("Le mot de passe provisoire a expiré (72 heures). Demandez une nouvelle "
               "réinitialisation à la direction.")


def _user(record: users.UserRecord) -> User:
    return User(id=record.id, login=record.login, display_name=record.display_name,
                profile=Profile(record.profile), unit_ids=record.unit_ids,
                must_change_password=record.must_change_password, charter_accepted=record.charter_accepted)


def load_user(store: Store, user_id: int) -> User | None:
    record = users.get_user(store.conn, user_id)
    return None if record is None else _user(record)


class Login:
    """One login attempt on a workspace whose process lock is held."""

    def __init__(self, paths: WorkspacePaths, context: AppContext, guard: LoginGuard) -> None:
        self.paths = paths
        self.context = context
        self.guard = guard

    def open(self, login: str, password: str) -> tuple[Store, User, RotateResult]:
        """The open store, the account, and the journal expiry done at this start."""
        unlocked, keyslots, lookup = self._unlock(login, password)
        store = Store.open(self.paths, unlocked.dmk, keyslots)
        try:
            unlocked = self._current_slot(store, unlocked, login, password, lookup)
            user = load_user(store, unlocked.user_id)
            if user is None:
                raise WrongCredentials()
            recorded = int(settings.read(store.conn, settings.AUTH_STATE_GENERATION, "0") or 0)
            auth_state_older = self.guard.generation() < recorded
            self._journal_pending_failures(store, store.keyslots)
            self._check_account(store, user)
            self._settle_keys(store, user, unlocked, password)
            sync_catalogue(store.conn)
            # Expiry of the journal at every start; a clock jump is only reported.
            rotation = expire(store, self.context.clock)
            self._journal_login(store, user, auth_state_older)
            generation = self.guard.record_success(lookup)
            with transaction(store.conn):
                settings.write(store.conn, settings.AUTH_STATE_GENERATION, str(generation))
        except BaseException:
            store.close()
            raise
        return store, user, rotation

    def _unlock(self, login: str, password: str) -> tuple[Unlocked, KeySlotFile, str]:
        keyslots = KeySlotFile.load(self.paths.keyslots)
        lookup = keyslots.lookup_of(login)
        self.guard.check_allowed(lookup)
        try:
            unlocked = keyslots.unlock(login, password, self.context.kdf_policy)
        except AuthenticationError:
            self.guard.record_failure(lookup)
            raise
        if rekey_pending(self.paths.root) is not None:
            # A renewal of the workspace key was interrupted: finish it, then unlock again.
            finish_interrupted(self.paths, unlocked.dmk, self.context.clock)
            keyslots = KeySlotFile.load(self.paths.keyslots)
            unlocked = keyslots.unlock(login, password, self.context.kdf_policy)
        return unlocked, keyslots, lookup

    def _current_slot(
        self, store: Store, unlocked: Unlocked, login: str, password: str, lookup: str
    ) -> Unlocked:
        """The slot that opened must be the account's slot recorded in the database.

        When the file was just rewritten from the database (it was ahead of it, or replayed),
        the password is tried again on the current slot: a replaced password never works again.
        """
        recorded = keyring.slot_of(store.conn, unlocked.user_id)
        if recorded is not None and recorded.slot_id == unlocked.slot.slot_id \
                and recorded.wrapped == unlocked.slot.wrapped:
            return unlocked
        try:
            again = store.keyslots.unlock(login, password, self.context.kdf_policy)
        except AuthenticationError:
            self.guard.record_failure(lookup)
            raise
        if again.dmk != store.dmk:
            raise TamperingDetected(TAMPERED)
        return again

    def _check_account(self, store: Store, user: User) -> None:
        """A deactivated or locked account, or an expired one-time password, opens nothing."""
        state = users.login_state(store.conn, user.id)
        if state is None or not state.active:
            raise AuthenticationError(DEACTIVATED)
        if state.locked:
            raise AccountLocked()
        if state.otp_expires_at and dt.datetime.fromisoformat(state.otp_expires_at) < self.context.clock.now():
            raise AuthenticationError(OTP_EXPIRED)

    def _settle_keys(self, store: Store, user: User, unlocked: Unlocked, password: str) -> None:
        """At login: move a format-1 slot to a key pair (no password reset, no data touched);
        for a director, take the journal sealing key, grant it to the directors lacking it, or
        create one when nobody holds it (R-2.2, R-5.6)."""
        secret = unlocked.keys.get(JOURNAL_SEAL)
        if secret is not None and user.profile is Profile.DIRECTION \
                and keys.sealing_public_of(secret).hex() == keys.current_sealing_key_id(store.conn):
            store.set_journal_sealing_key(secret)
        with transaction(store.conn, self.paths.db):
            changes: list[str] = []
            if unlocked.slot.kind == LEGACY:
                keys.set_password_keys(
                    store.conn, store, user.id, user.login, password, user.profile, self.context.kdf_policy
                )
                changes.append("clé du compte convertie en paire de clés (format 2)")
            if user.profile is Profile.DIRECTION:
                changes += self._settle_sealing_key(store, user)
            for change in changes:
                store.journal.append(
                    to_micros(self.context.clock.now()), user.id, user.profile.value, None, "cles",
                    Action.COMPTE.value, change,
                )
            if changes:
                store.publish_keys()

    def _settle_sealing_key(self, store: Store, user: User) -> list[str]:
        changes: list[str] = []
        if store.journal_sealing_key is None and keys.sealing_key_orphaned(store.conn):
            store.set_journal_sealing_key(keys.new_sealing_key(
                store.conn, created_by=user.id, now=self.context.clock.now(),
                reason="aucun compte actif ne détenait la clé de scellement", journal=store.journal,
            ))
            changes.append("nouvelle clé de scellement du journal")
        held = store.journal_sealing_key
        if held is not None:
            given = keys.grant_sealing_key_to_directors(store.conn, held)
            if given:
                changes.append("clé de scellement accordée aux comptes " + ", ".join(map(str, given)))
        return changes

    def _journal_pending_failures(self, store: Store, keyslots: KeySlotFile) -> None:
        pending = self.guard.pending()
        if not pending:
            return
        by_lookup = {s.lookup: s.user_id for s in keyslots.slots}
        locked_users: set[int] = set()
        with transaction(store.conn):
            for failure in pending:
                user_id = by_lookup.get(failure.lookup)
                ts = to_micros(dt.datetime.fromisoformat(failure.at))
                store.journal.append(
                    ts, user_id, "", None, "session", Action.ECHEC_CONNEXION.value,
                    "" if user_id is not None else "identifiant inconnu",
                )
                if user_id is not None and self.guard.is_locked(failure.lookup):
                    locked_users.add(user_id)
            for user_id in locked_users:
                users.lock(store.conn, user_id)
        self.guard.clear_pending(len(pending))

    def _journal_login(self, store: Store, user: User, auth_state_older: bool) -> None:
        now = self.context.clock.now()
        with transaction(store.conn):
            users.record_login(store.conn, user.id, utc_stamp(now))
            if auth_state_older:
                store.journal.append(to_micros(now), user.id, user.profile.value, None, "session",
                                     Action.ESPACE.value, AUTH_STATE_ALERT)
            store.journal.append(to_micros(now), user.id, user.profile.value, None, "session",
                                 Action.CONNEXION.value, "")
