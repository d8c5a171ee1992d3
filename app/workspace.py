"""A workspace on disk: its process lock, and the doors into it — creating it, logging in,
recovering access (R-2.1 to R-2.6, R-3.3). The work itself is done by ``app.workspace_creation``,
``app.auth.login`` and ``app.auth.recovery``; where a workspace lives, by ``app.workspace_location``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.auth.demo_key import read_demo_record
from app.auth.login import Login
from app.auth.login_guard import LoginGuard
from app.auth.recovery import recover_access
from app.context import AppContext
from app.errors import WorkspaceError
from app.journal.seals import seal_now
from app.journal.service import RotateResult
from app.session import Session
from app.workspace_creation import checked_request, create_workspace
from app.workspace_location import check_location, default_demo_workspace, default_workspace, resolve_workspace
from storage import settings
from storage.backup import finish_interrupted_restore
from storage.lock import WorkspaceLock
from storage.recovery_key import decode as decode_recovery_key
from storage.store import WorkspacePaths

__all__ = ["AppContext", "Workspace", "default_demo_workspace", "default_workspace", "resolve_workspace"]


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
        request = checked_request(org_name=org_name, admin_login=admin_login, admin_name=admin_name,
                                  password=password, units=units, demo=demo, check_password=check_password)
        key = create_workspace(self.paths.root, self.context, request)
        self.acquire()
        return key

    # -- login -----------------------------------------------------------------------------
    def login(self, login: str, password: str) -> Session:
        """Password → private key → grants → DMK; open, check, journal (R-2.2, R-3.3)."""
        self.acquire()
        store, user, self.last_rotation = Login(self.paths, self.context, self.guard).open(login, password)
        session = Session(self, store, user)
        seal_now(session, "connexion")  # a director's login seals the journal
        return session

    # -- information readable without a password -------------------------------------------
    def org_name_from(self, session: Session) -> str:
        with session.reading() as conn:
            return settings.org_name(conn)

    # -- recovery (R-2.3) ------------------------------------------------------------------
    def recover(self, recovery_key: str, *, login: str, name: str, password: str) -> None:
        """Create a new director account with the recovery key (all passwords lost)."""
        dmk = decode_recovery_key(recovery_key)
        self.acquire()
        recover_access(self.paths, self.context, dmk, login=login, name=name, password=password)
