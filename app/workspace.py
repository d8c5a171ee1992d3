"""Creating, opening and logging into a workspace (R-2.1 to R-2.6, R-3.3)."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from app.auth.login_guard import LoginGuard
from app.auth.profiles import Profile
from app.clock import Clock, SystemClock
from app.errors import AuthenticationError, KnownError, WorkspaceError, WrongCredentials
from app.journal.events import Action
from app.journal.service import RotateResult, expire
from app.session import Session, User
from storage.backup import finish_interrupted_restore
from storage.connection import transaction
from storage.journal import to_micros
from storage.keyslots import DEFAULT_POLICY, DMK_BYTES, KdfPolicy, KeySlotFile
from storage.lock import WorkspaceLock
from storage.recovery_key import decode as decode_recovery_key
from storage.recovery_key import encode as encode_recovery_key
from storage.store import Store, WorkspacePaths, get_meta, set_meta

APP_NAME = "Sillage"
ENV_WORKSPACE = "SILLAGE_WORKSPACE"
#: meta key: generation of auth_state.json seen at the last login (R-3.3)
AUTH_STATE_GENERATION = "auth_state_generation"
AUTH_STATE_ALERT = (
    "alerte : le fichier des tentatives de connexion (auth_state.json) a été supprimé ou "
    "remplacé par une version antérieure ; des échecs de connexion ont pu être effacés"
)


def default_workspace() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_demo_workspace() -> Path:
    return Path(platformdirs.user_data_dir(f"{APP_NAME}-demo", appauthor=False))


def resolve_workspace(option: str | os.PathLike[str] | None) -> Path:
    """--workspace, then $SILLAGE_WORKSPACE, then the per-user data folder (R-2.1)."""
    if option:
        return Path(option).expanduser().resolve()
    env = os.environ.get(ENV_WORKSPACE)
    if env:
        return Path(env).expanduser().resolve()
    return default_workspace()


@dataclass
class AppContext:
    clock: Clock = field(default_factory=SystemClock)
    kdf_policy: KdfPolicy = DEFAULT_POLICY
    #: called with (done, total) during long work; returning False asks to stop
    progress: Callable[[int, int], bool] | None = None


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


class Workspace:
    def __init__(self, root: Path, context: AppContext | None = None) -> None:
        self.paths = WorkspacePaths(Path(root))
        finish_interrupted_restore(self.paths.root)  # a restore killed before its last rename
        self.context = context or AppContext()
        self._lock = WorkspaceLock(self.paths.lock)
        self.guard = LoginGuard(self.paths.auth_state, self.context.clock)
        self.last_rotation: RotateResult | None = None

    @property
    def root(self) -> Path:
        return self.paths.root

    def exists(self) -> bool:
        return self.paths.exists()

    def is_demo(self) -> bool:
        return self.paths.demo_marker.exists()

    # -- process lock (R-2.6) --------------------------------------------------------------
    def acquire(self) -> None:
        if not self.paths.root.exists():
            raise WorkspaceError(f"L'espace de travail « {self.paths.root} » n'existe pas.")
        if not self._lock.held:
            self._lock.acquire()

    def release(self) -> None:
        self._lock.release()

    # -- creation --------------------------------------------------------------------------
    def create(
        self,
        *,
        org_name: str,
        admin_login: str,
        admin_name: str,
        password: str,
        units: Sequence[str] = (),
        demo: bool = False,
        check_password: bool = True,
    ) -> str:
        """Create the workspace and its first director account; return the recovery key text."""
        if self.exists():
            raise WorkspaceError(
                f"Un espace de travail existe déjà dans « {self.root} » : il n'a pas été modifié."
            )
        from app.catalogue.validation import strip_invisible

        org_name = strip_invisible(org_name).strip()
        units = [strip_invisible(unit).strip() for unit in units]
        if not org_name or len(org_name) > 120 or "\x00" in org_name:
            raise KnownError("Le nom de l'organisme est obligatoire (120 caractères au plus).")
        if check_password:
            from app.auth.password_policy import check_password as policy_check

            policy_check(password, login=admin_login, person_name=admin_name, org_name=org_name)
        from app.auth.accounts import validate_login, validate_name

        admin_login = validate_login(admin_login)
        admin_name = validate_name(admin_name)
        self.paths.root.mkdir(parents=True, exist_ok=True)
        self.acquire()
        dmk = secrets.token_bytes(DMK_BYTES)
        now = _iso(self.context.clock.now())
        store = Store.create(self.paths, dmk)
        try:
            if demo:
                self.paths.demo_marker.write_text(
                    "Espace de démonstration Sillage : données fictives.\n", encoding="utf-8"
                )
            with transaction(store.conn):
                for key, value in (
                    ("org_name", org_name),
                    ("workspace_id", secrets.token_hex(8)),
                    ("created_at", now),
                    ("is_demo", "1" if demo else "0"),
                ):
                    set_meta(store.conn, key, value)
                for unit in units:
                    store.conn.execute("INSERT INTO units (name) VALUES (?)", (unit,))
                cur = store.conn.execute(
                    "INSERT INTO users (login, display_name, profile, created_at, charter_accepted_at) "
                    "VALUES (?, ?, 'direction', ?, NULL)",
                    (admin_login, admin_name, now),
                )
                admin_id = int(cur.lastrowid or 0)
                store.journal.append(
                    to_micros(self.context.clock.now()), admin_id, Profile.DIRECTION.value,
                    None, "espace", Action.ESPACE.value, "création",
                )
            store.keyslots.set_slot(dmk, admin_login, admin_id, password, self.context.kdf_policy)
            store.save_keyslots()
            from app.catalogue_sync import sync_catalogue

            sync_catalogue(store.conn)
        finally:
            store.close()
        return encode_recovery_key(dmk)

    # -- login -----------------------------------------------------------------------------
    def login(self, login: str, password: str) -> Session:
        """Unwrap the key with the password, open the databases, check, journal (R-3.3)."""
        self.acquire()
        keyslots = KeySlotFile.load(self.paths.keyslots)
        lookup = keyslots.lookup_of(login)
        self.guard.check_allowed(lookup)
        try:
            dmk, slot = keyslots.unwrap(login, password, self.context.kdf_policy)
        except AuthenticationError:
            self.guard.record_failure(lookup)
            raise
        store = Store.open(self.paths, dmk, keyslots)
        try:
            user = self._load_user(store, slot.user_id)
            if user is None:
                raise WrongCredentials()
            recorded = int(get_meta(store.conn, AUTH_STATE_GENERATION, "0") or 0)
            auth_state_older = self.guard.generation() < recorded
            self._journal_pending_failures(store, keyslots)
            locked = store.conn.execute(
                "SELECT locked, active FROM users WHERE id = ?", (user.id,)
            ).fetchone()
            if locked[1] == 0:
                raise AuthenticationError(
                    "Ce compte est désactivé. Adressez-vous à la direction."
                )
            if locked[0] == 1:
                from app.auth.login_guard import AccountLocked

                raise AccountLocked()
            self._check_otp(store, user)
            from app.catalogue_sync import sync_catalogue

            sync_catalogue(store.conn)
            # Expiry of the journal at every start; a clock jump is only reported.
            self.last_rotation = expire(store, self.context.clock)
            with transaction(store.conn):
                store.conn.execute(
                    "UPDATE users SET last_login_at = ? WHERE id = ?",
                    (_iso(self.context.clock.now()), user.id),
                )
                if auth_state_older:
                    store.journal.append(
                        to_micros(self.context.clock.now()), user.id, user.profile.value,
                        None, "session", Action.ESPACE.value, AUTH_STATE_ALERT,
                    )
                store.journal.append(
                    to_micros(self.context.clock.now()), user.id, user.profile.value,
                    None, "session", Action.CONNEXION.value, "",
                )
            generation = self.guard.record_success(lookup)
            with transaction(store.conn):
                set_meta(store.conn, AUTH_STATE_GENERATION, str(generation))
        except BaseException:
            store.close()
            raise
        return Session(self, store, user)

    def _check_otp(self, store: Store, user: User) -> None:
        row = store.conn.execute(
            "SELECT otp_expires_at FROM users WHERE id = ?", (user.id,)
        ).fetchone()
        if row and row[0] and dt.datetime.fromisoformat(row[0]) < self.context.clock.now():
            raise AuthenticationError(
                "Le mot de passe provisoire a expiré (72 heures). Demandez une nouvelle "
                "réinitialisation à la direction."
            )

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
                store.conn.execute("UPDATE users SET locked = 1 WHERE id = ?", (user_id,))
        self.guard.clear_pending(len(pending))

    @staticmethod
    def _load_user(store: Store, user_id: int) -> User | None:
        row = store.conn.execute(
            "SELECT id, login, display_name, profile, must_change_password, charter_accepted_at "
            "FROM users WHERE id = ?",
            (user_id,),
        ).fetchone()
        if row is None:
            return None
        units = frozenset(
            int(r[0])
            for r in store.conn.execute("SELECT unit_id FROM user_units WHERE user_id = ?", (user_id,))
        )
        return User(
            id=int(row[0]),
            login=str(row[1]),
            display_name=str(row[2]),
            profile=Profile(row[3]),
            unit_ids=units,
            must_change_password=bool(row[4]),
            charter_accepted=row[5] is not None,
        )

    # -- information readable without a password -------------------------------------------
    def org_name_from(self, session: Session) -> str:
        return get_meta(session.conn, "org_name", "") or ""

    # -- recovery (R-2.3) ------------------------------------------------------------------
    def recover(self, recovery_key: str, *, login: str, name: str, password: str) -> None:
        """Create a new director account and slot with the recovery key (all passwords lost)."""
        dmk = decode_recovery_key(recovery_key)
        self.acquire()
        try:
            keyslots = KeySlotFile.load(self.paths.keyslots)
        except KnownError:
            keyslots = KeySlotFile.new(self.paths.keyslots)
        from app.auth.accounts import validate_login, validate_name
        from app.auth.password_policy import check_password as policy_check

        login, name = validate_login(login), validate_name(name)
        policy_check(password, login=login, person_name=name)
        store = Store.open(self.paths, dmk, _trusting(keyslots, dmk))
        try:
            now = _iso(self.context.clock.now())
            with transaction(store.conn):
                existing = store.conn.execute(
                    "SELECT id FROM users WHERE login = ?", (login,)
                ).fetchone()
                if existing:
                    raise KnownError(f"L'identifiant « {login} » existe déjà : choisissez-en un autre.")
                cur = store.conn.execute(
                    "INSERT INTO users (login, display_name, profile, created_at) "
                    "VALUES (?, ?, 'direction', ?)",
                    (login, name, now),
                )
                user_id = int(cur.lastrowid or 0)
                store.journal.append(
                    to_micros(self.context.clock.now()), user_id, Profile.DIRECTION.value, None,
                    "compte", Action.COMPTE.value, "création d'un compte direction par la clé de secours",
                )
            store.keyslots.set_slot(dmk, login, user_id, password, self.context.kdf_policy)
            store.save_keyslots()
        finally:
            store.close()


def _trusting(keyslots: KeySlotFile, dmk: bytes) -> KeySlotFile:
    """With the recovery key the slot file is re-signed: the DMK itself proves authority."""
    keyslots.generation += 10**6  # newer than anything the database recorded
    keyslots.mac = keyslots._compute_mac(dmk)  # noqa: SLF001 - same package family
    return keyslots
