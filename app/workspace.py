"""Creating, opening and logging into a workspace (R-2.1 to R-2.6, R-3.3)."""

from __future__ import annotations

import datetime as dt
import errno
import os
import secrets
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
import sqlcipher3

from app.auth import keys
from app.auth.login_guard import LoginGuard
from app.auth.profiles import Profile
from app.clock import Clock, SystemClock
from app.errors import AuthenticationError, KnownError, TamperingDetected, WorkspaceError, WrongCredentials, os_reason
from app.journal.events import Action
from app.journal.service import RotateResult, expire
from app.session import Session, User
from storage import keyring
from storage.backup import finish_interrupted_restore
from storage.connection import open_database, transaction
from storage.files import atomic_write, fsync_dir, private_dir
from storage.journal import to_micros
from storage.keyslots import (
    DEFAULT_POLICY,
    DMK_BYTES,
    JOURNAL_SEAL,
    LEGACY,
    TAMPERED,
    KdfPolicy,
    KeySlotFile,
    Unlocked,
    hkdf,
)
from storage.lock import WorkspaceLock
from storage.recovery_key import decode as decode_recovery_key
from storage.recovery_key import encode as encode_recovery_key
from storage.rekey import read_pending as rekey_pending
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


DEMO_TEXT = "Espace de démonstration Sillage : données fictives.\nsel : "
_DEMO_SECRET = b"Sillage demonstration workspace - fictive data only - v1"
#: what a creation's temporary sibling folder is called: .<name>.sillage-creation-<random>
_STAGING = ".sillage-creation-"


def demo_key(salt: bytes) -> bytes:
    """The key of a demo workspace: public by design (its data are fictive), so that Sillage can
    recognise a demo from its encrypted record without anybody's password."""
    return hkdf(_DEMO_SECRET + salt, b"sillage demo dmk v1")


def read_demo_record(paths: WorkspacePaths) -> bool:
    """True only if the database opens with the demo key and its meta says ``is_demo``."""
    try:
        text = paths.demo_marker.read_text(encoding="utf-8")[:4096]
        salt = bytes.fromhex(text.rsplit(":", 1)[-1].strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    if len(salt) != 16 or not paths.db.is_file():
        return False
    try:
        conn = open_database(paths.db, demo_key(salt), quick_check=False, read_only=True)
    except KnownError:
        return False
    try:
        return get_meta(conn, "is_demo") == "1"
    except sqlcipher3.Error:  # a damaged or foreign file is simply not a demo
        return False
    finally:
        conn.close()


def _staging_prefix(root: Path) -> str:
    return f".{root.name}{_STAGING}"


#: bytes in one file or folder name on the usual file systems (ext4, NTFS, APFS)
NAME_MAX = 255
#: what Sillage adds to a workspace folder's name for its siblings (creation, restore)
_SIBLING_EXTRA = len(_STAGING) + 10


def check_location(root: Path) -> None:
    """R-9.4: a workspace folder whose name no file system accepts is refused in French, with
    what to do, before anything touches the disk. Its own name must leave room for the
    temporary siblings Sillage makes beside it (creation, restore)."""
    limit = NAME_MAX - _SIBLING_EXTRA
    for index, part in enumerate(root.parts):
        size = len(os.fsencode(part))
        if size > NAME_MAX or (index == len(root.parts) - 1 and size > limit):
            shown = part if len(part) <= 40 else f"{part[:20]}…{part[-10:]}"
            raise WorkspaceError(
                f"Le nom de dossier « {shown} » est trop long ({len(part)} caractères) : choisissez "
                f"un nom plus court (au plus {limit} lettres sans accent, moins avec des accents). "
                "Rien n'a été créé."
            )
    if len(os.fsencode(str(root))) > 3800:
        raise WorkspaceError(
            "Le chemin de l'espace de travail est trop long : choisissez un dossier moins profond. "
            "Rien n'a été créé."
        )


def _check_new_location(root: Path) -> None:
    """Before creating ``root``: the nearest existing folder above it must be a folder Sillage
    can write in (a file in the way, a read-only or system place are said, with what to do)."""
    check_location(root)
    above = root.parent
    while True:
        try:
            above.stat()
            break
        except FileNotFoundError:
            above = above.parent
        except OSError as exc:
            if exc.errno == errno.ENOTDIR:
                above = above.parent
                continue
            raise WorkspaceError(
                f"Le dossier « {above} » n'est pas accessible ({os_reason(exc)}) : choisissez un "
                "autre emplacement. Rien n'a été créé."
            ) from None
    if not above.is_dir():
        raise WorkspaceError(
            f"« {above} » est un fichier, pas un dossier : l'espace de travail ne peut pas être créé "
            "dedans. Choisissez un autre emplacement. Rien n'a été créé."
        )
    probe = above / f".sillage-essai-{secrets.token_hex(4)}"
    try:
        probe.mkdir(mode=0o700)
        probe.rmdir()
    except OSError as exc:
        raise WorkspaceError(
            f"Sillage ne peut pas créer de dossier dans « {above} » ({os_reason(exc)}) : choisissez "
            "un emplacement où vous pouvez écrire, par exemple un dossier de vos Documents. "
            "Rien n'a été créé."
        ) from None


def _check_empty_target(root: Path) -> None:
    if not root.exists():
        return
    if not root.is_dir():
        raise WorkspaceError(
            f"« {root} » est un fichier, pas un dossier : choisissez un autre emplacement. "
            "Rien n'a été créé."
        )
    try:
        entries = sorted(p.name for p in root.iterdir())
    except OSError as exc:
        raise WorkspaceError(f"Le dossier « {root} » n'est pas lisible ({os_reason(exc)}).") from None
    if entries:
        shown = ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")
        raise WorkspaceError(
            f"Le dossier « {root} » n'est pas vide ({shown}) : choisissez un dossier vide ou un "
            "nouveau dossier. Rien n'a été créé ni supprimé."
        )


def clean_abandoned_creations(root: Path) -> list[Path]:
    """Remove the temporary folders of creations that were killed before the end (R-2.9).
    A folder whose creation is still running (its lock is held) is left alone."""
    removed: list[Path] = []
    parent = root.parent
    if not parent.is_dir():
        return removed
    for candidate in parent.glob(f"{_staging_prefix(root)}*"):
        if not candidate.is_dir() or candidate.is_symlink():
            continue
        lock = WorkspaceLock(candidate / "sillage.lock")
        try:
            lock.acquire()
        except KnownError:
            continue  # another process is creating it right now
        lock.release()
        shutil.rmtree(candidate, ignore_errors=True)
        removed.append(candidate)
    return removed


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


class Workspace:
    def __init__(self, root: Path, context: AppContext | None = None) -> None:
        check_location(Path(root))
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
        """Whether the encrypted database says it is a demo (R-2.9). The ``DEMO`` file only
        holds the salt of a demo's key: planted in a real workspace, it opens nothing."""
        return read_demo_record(self.paths)

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
        root = self.paths.root
        _check_new_location(root)
        _check_empty_target(root)
        # built in a temporary sibling folder, renamed into place only once complete,
        # so that a kill at any point leaves either nothing or a whole workspace.
        try:
            root.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(
                f"Le dossier « {root.parent} » ne peut pas être créé ({os_reason(exc)}). "
                "Choisissez un autre emplacement ; rien n'a été créé."
            ) from None
        clean_abandoned_creations(root)
        staging = root.parent / f"{_staging_prefix(root)}{secrets.token_hex(4)}"
        paths = WorkspacePaths(staging)
        private_dir(staging)
        lock = WorkspaceLock(paths.lock)
        lock.acquire()
        try:
            key = self._build(paths, org_name=org_name, admin_login=admin_login,
                              admin_name=admin_name, password=password, units=units, demo=demo)
            lock.release()
            if root.exists():
                root.rmdir()  # empty, checked above: a folder cannot be renamed onto it everywhere
            os.rename(staging, root)
            fsync_dir(root.parent)
        except BaseException:
            lock.release()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.acquire()
        return key

    def _build(self, paths: WorkspacePaths, *, org_name: str, admin_login: str, admin_name: str,
               password: str, units: Sequence[str], demo: bool) -> str:
        if demo:
            # A demo's key derives from a salt kept beside it, so that `sillage demo` can tell,
            # from the encrypted record itself, that the folder holds a demo.
            salt = secrets.token_bytes(16)
            dmk = demo_key(salt)
            atomic_write(paths.demo_marker, (DEMO_TEXT + salt.hex() + "\n").encode("utf-8"))
        else:
            dmk = secrets.token_bytes(DMK_BYTES)
        now = _iso(self.context.clock.now())
        store = Store.create(paths, dmk)
        try:
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
                # The first account's key pair, its DMK grant and the journal sealing key,
                # in the same transaction as the account.
                keys.set_password_keys(
                    store, admin_id, admin_login, password, Profile.DIRECTION, self.context.kdf_policy
                )
                keys.new_sealing_key(
                    store.conn, created_by=admin_id, now=self.context.clock.now(),
                    reason="création de l'espace", journal=store.journal,
                )
                store.publish_keys()
            from app.catalogue_sync import sync_catalogue

            sync_catalogue(store.conn)
        finally:
            store.close()
        return encode_recovery_key(dmk)

    # -- login -----------------------------------------------------------------------------
    def login(self, login: str, password: str) -> Session:
        """Password → private key → grants → DMK; open, check, journal (R-2.2, R-3.3)."""
        self.acquire()
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
            from app.rekey import finish_interrupted

            finish_interrupted(self.paths, unlocked.dmk, self.context.clock)
            keyslots = KeySlotFile.load(self.paths.keyslots)
            unlocked = keyslots.unlock(login, password, self.context.kdf_policy)
        store = Store.open(self.paths, unlocked.dmk, keyslots)
        try:
            unlocked = self._current_slot(store, unlocked, login, password, lookup)
            user = self._load_user(store, unlocked.user_id)
            if user is None:
                raise WrongCredentials()
            recorded = int(get_meta(store.conn, AUTH_STATE_GENERATION, "0") or 0)
            auth_state_older = self.guard.generation() < recorded
            self._journal_pending_failures(store, store.keyslots)
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
            self._settle_keys(store, user, unlocked, password)
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
        session = Session(self, store, user)
        from app.journal.service import seal_now

        seal_now(session, "connexion")  # a director's login seals the journal
        return session

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

    def _settle_keys(self, store: Store, user: User, unlocked: Unlocked, password: str) -> None:
        """At login: move a format-1 slot to a key pair (no password reset, no data touched);
        for a director, take the journal sealing key, grant it to the directors lacking it, or
        create one when nobody holds it (R-2.2, R-5.6)."""
        conn = store.conn
        now = self.context.clock.now()
        changes: list[str] = []
        secret = unlocked.keys.get(JOURNAL_SEAL)
        if secret is not None and user.profile is Profile.DIRECTION \
                and keys.sealing_public_of(secret).hex() == keys.current_sealing_key_id(conn):
            store.set_journal_sealing_key(secret)
        with transaction(conn, self.paths.db):
            if unlocked.slot.kind == LEGACY:
                keys.set_password_keys(
                    store, user.id, user.login, password, user.profile, self.context.kdf_policy
                )
                changes.append("clé du compte convertie en paire de clés (format 2)")
            if user.profile is Profile.DIRECTION:
                if store.journal_sealing_key is None and keys.sealing_key_orphaned(conn):
                    store.set_journal_sealing_key(keys.new_sealing_key(
                        conn, created_by=user.id, now=now,
                        reason="aucun compte actif ne détenait la clé de scellement", journal=store.journal,
                    ))
                    changes.append("nouvelle clé de scellement du journal")
                held = store.journal_sealing_key
                if held is not None:
                    given = keys.grant_sealing_key_to_directors(conn, held)
                    if given:
                        changes.append(
                            "clé de scellement accordée aux comptes " + ", ".join(map(str, given))
                        )
            if changes:
                for change in changes:
                    store.journal.append(
                        to_micros(now), user.id, user.profile.value, None, "cles",
                        Action.COMPTE.value, change,
                    )
                store.publish_keys()

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
        """Create a new director account with the recovery key (all passwords lost).

        Access is rebuilt from the accounts recorded in the database: the key-slot file found
        on disk is never re-signed (a replayed old file does not bring back a replaced
        password). A new journal sealing key is created; both changes are journaled.
        """
        dmk = decode_recovery_key(recovery_key)
        self.acquire()
        from app.auth.accounts import validate_login, validate_name
        from app.auth.password_policy import check_password as policy_check

        login, name = validate_login(login), validate_name(name)
        policy_check(password, login=login, person_name=name)
        if rekey_pending(self.paths.root) is not None:
            from app.rekey import finish_interrupted

            dmk = finish_interrupted(self.paths, dmk, self.context.clock)
        store = Store.open_with_key(self.paths, dmk)
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
                stamp = to_micros(self.context.clock.now())
                store.journal.append(
                    stamp, user_id, Profile.DIRECTION.value, None,
                    "compte", Action.COMPTE.value, "création d'un compte direction par la clé de secours",
                )
                keys.set_password_keys(
                    store, user_id, login, password, Profile.DIRECTION, self.context.kdf_policy
                )
                keys.new_sealing_key(
                    store.conn, created_by=user_id, now=self.context.clock.now(),
                    reason="clé de secours utilisée", journal=store.journal,
                )
                store.journal.append(
                    stamp, user_id, Profile.DIRECTION.value, None,
                    "cles", Action.COMPTE.value, "nouvelle clé de scellement du journal (clé de secours)",
                )
                store.publish_keys()
        finally:
            store.close()
