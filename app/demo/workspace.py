"""Create (or re-create) the demo workspace, and remove it (R-2.7, R-2.9): never over a real
workspace, never deleting a file Sillage did not write."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from app.auth.password_policy import generate_password
from app.auth.service import AccountService
from app.clock import OffsetClock
from app.demo import generator
from app.demo.fictive import DEMO_ACCOUNTS, DEMO_ORG, DEMO_UNITS, HISTORY, DemoCancelled, DemoOptions
from app.errors import WorkspaceError
from app.journal.events import Action
from app.workspace import AppContext, Workspace
from storage import demo as demo_repo
from storage import retention as retention_repo
from storage import users as users_repo
from storage.connection import Connection


@dataclass(frozen=True)
class DemoResult:
    """What the person who made the demo is given: its accounts and its recovery key."""

    accounts: tuple[DemoAccount, ...]
    recovery_key: str


@dataclass(frozen=True)
class DemoAccount:
    """One account of the demo, with its password (shown once, to whoever made the demo)."""

    login: str
    password: str
    profile: str


def create_demo(workspace: Workspace, options: DemoOptions) -> DemoResult:
    """Create (or re-create, if it is a demo) the workspace and fill it with fictive data.

    The progress callback may return False to cancel: the half-made demo is then removed.
    """
    try:
        return _create_demo(workspace, options)
    except DemoCancelled:
        if workspace.is_demo():
            _remove_demo(workspace)
        raise


def _create_demo(workspace: Workspace, options: DemoOptions) -> DemoResult:
    if workspace.exists():
        if not workspace.is_demo():
            raise WorkspaceError(
                f"« {workspace.root} » contient un vrai espace de travail : la démonstration ne "
                "l'écrasera pas. Choisissez un autre dossier avec --workspace."
            )
        _remove_demo(workspace)
    rng = random.Random(options.seed)  # noqa: S311 - fictive data, reproducible from --seed
    passwords = {login: generate_password() for login, *_ in DEMO_ACCOUNTS}
    director_login, director_name, _, _ = DEMO_ACCOUNTS[0]
    # The demo is written as if it had been created a year ago, so that its journal history
    # sits in its own month partitions (seq order = time order) over the last 12 months.
    real = workspace.context.clock
    clock = OffsetClock(real, -HISTORY)
    past = Workspace(workspace.root, AppContext(clock=clock, kdf_policy=workspace.context.kdf_policy,
                                                progress=workspace.context.progress))
    recovery = past.create(
        org_name=DEMO_ORG, admin_login=director_login, admin_name=director_name,
        password=passwords[director_login], units=DEMO_UNITS, demo=True,
    )
    session = past.login(director_login, passwords[director_login])
    try:
        accounts = AccountService(session)
        # the fictive director who fills the demo has accepted the charter (every service asks
        # it, R-3.5); every account's acceptance is cleared at the end, so that a person trying
        # the demo meets the charter at their first login
        accounts.accept_charter()
        for login, name, profile, units in DEMO_ACCOUNTS[1:]:
            accounts.create_user(login=login, display_name=name, profile=profile, units=units,
                                 password=passwords[login])
        generator.fill(session, rng, options, past, real)
        clock.offset = dt.timedelta(0)
        with session.transaction() as conn:
            demo_repo.clear_charter_acceptances(conn)
            ids = demo_repo.user_ids(conn)
            for login, days in (("direction", 1), ("chef", 2), ("educ", 1), ("soignant", 6),
                                ("secretariat", 3), ("admin", 20), ("archiviste", 240)):
                when = (real.now() - dt.timedelta(days=days)).isoformat(timespec="seconds")
                users_repo.record_login(conn, ids[login], when)
            _retention_decisions(conn, rng, session.user.id, real.now())
            session.record(Action.ESPACE, "espace", detail="données fictives générées")
    finally:
        session.close()
        past.release()
        workspace.release()
    return DemoResult(
        tuple(DemoAccount(login, passwords[login], profile.value) for login, _, profile, _ in DEMO_ACCOUNTS),
        recovery,
    )


def _retention_decisions(conn: Connection, rng: random.Random, director: int, now: dt.datetime) -> None:
    """The decisions behind the archived and held demo dossiers (R-6.3): an archive with its end
    date, a legal hold with its review date, each with its reason, as the director took them."""
    reasons = {
        "archive": ("archive", "Prescription de l'action en responsabilité (10 ans)", 365 * 3, 365 * 8),
        "legal_hold": ("legal_hold", "Contentieux en cours devant le tribunal judiciaire", 30, 300),
    }
    for dossier_id, status in demo_repo.dossiers_in(conn, reasons):
        kind, reason, low, high = reasons[status]
        decided = now - dt.timedelta(days=rng.randint(20, 200))
        until = (now + dt.timedelta(days=rng.randint(low, high))).date().isoformat()
        retention_repo.add_decision(conn, dossier_id, kind, reason, until, director,
                                    decided.isoformat(timespec="seconds"))


#: what Sillage itself writes in a workspace folder: all a demo re-creation may delete (R-2.9)
_OWN_FILES = re.compile(
    r"^(sillage\.db(-wal|-shm|-journal)?|keyslots\.json|auth_state\.json|sillage\.lock|DEMO"
    r"|\.(keyslots\.json|auth_state\.json|DEMO)\..+\.tmp)$"
)
_OWN_DIRS = frozenset({"journal", "migrations"})


def _foreign_entries(root: Path) -> list[str]:
    return sorted(
        p.name for p in root.iterdir()
        if not (p.is_dir() and not p.is_symlink() and p.name in _OWN_DIRS)
        and not (p.is_file() and _OWN_FILES.match(p.name))
    )


def _remove_demo(workspace: Workspace) -> None:
    """Delete a demo, and only the files Sillage created in it (R-2.9)."""
    workspace.acquire()
    workspace.release()
    foreign = _foreign_entries(workspace.root)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise WorkspaceError(
            f"Le dossier de démonstration « {workspace.root} » contient aussi des fichiers qui ne "
            f"viennent pas de Sillage ({shown}) : rien n'a été supprimé. Déplacez-les ou choisissez "
            "un autre dossier avec --workspace."
        )
    for child in workspace.root.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
