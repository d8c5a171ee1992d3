"""A password change, an account creation and a purge killed at many points (R-9.2, R-2.2,
R-6.3): afterwards the workspace opens with the old or the new state, never a mix, and its
journal verifies. A real child process is killed with SIGKILL at chosen events."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.auth.service import AccountService
from app.dossiers.service import DossierService
from app.errors import AuthenticationError
from app.workspace import AppContext, Workspace
from storage.journal import verify_chain
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from tests.crash.harness import census, kill_points, killed, run_child
from tests.store_access import store_of

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGKILL"), pytest.mark.slow]

NEW_PASSWORD = "Girafe-Nuage-Sable-58!"
EDUC_PASSWORD = "Chat-Bleu-Mardi-41!"
KEYS = {"posix.replace", "posix.fsync", "Connection.execute", "atomic_write"}

PRELUDE = """
from pathlib import Path
from app.workspace import AppContext, Workspace
from tests.conftest import TEST_KDF
ws = Workspace(Path({ws!r}), AppContext(kdf_policy=TEST_KDF))
session = ws.login({login!r}, {password!r})
if not session.user.must_change_password and not session.user.charter_accepted:
    from app.auth.service import AccountService as _Accounts
    _Accounts(session).accept_charter()  # the first-login step, before any service (R-3.5, R-3.7)
"""


def can_login(root: Path, context: AppContext, login: str, password: str) -> bool:
    workspace = Workspace(root, context)
    try:
        workspace.login(login, password).close()
        return True
    except AuthenticationError:
        return False
    finally:
        workspace.release()


def journal_details(root: Path, context: AppContext) -> list[str]:
    session = Workspace(root, context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    try:
        assert verify_chain(store_of(session).journal).ok
        return [e.detail for e in store_of(session).journal.iter_entries()]
    finally:
        session.close()
        session.workspace.release()


def kill_loop(ws: WorkspaceHandle, tmp_path: Path, body: str, count: int, check) -> set[str]:  # type: ignore[no-untyped-def]
    """Run ``body`` once to count its events, then kill it at each chosen point, from the same
    starting state every time; ``check`` returns "old" or "new" and asserts the rest."""
    ws.workspace.release()
    pristine = tmp_path / "pristine"
    shutil.copytree(ws.root, pristine)
    found = census(body)
    assert check() == "new"
    seen = set()
    for point in kill_points(found, KEYS, count):
        shutil.rmtree(ws.root)
        shutil.copytree(pristine, ws.root)
        result = run_child(body, point)
        assert killed(result) or result.returncode == 0, result.stderr[-2000:]
        seen.add(check())
    return seen


def test_password_change_killed_anywhere_keeps_exactly_one_password(
    ws: WorkspaceHandle, tmp_path: Path, context: AppContext
) -> None:
    body = PRELUDE.format(ws=str(ws.root), login=DIRECTOR_LOGIN, password=DIRECTOR_PASSWORD) + f"""
from app.auth.service import AccountService
start()
AccountService(session).change_own_password({DIRECTOR_PASSWORD!r}, {NEW_PASSWORD!r})
stop()
"""

    def check() -> str:
        new = can_login(ws.root, context, DIRECTOR_LOGIN, NEW_PASSWORD)
        old = can_login(ws.root, context, DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        assert new != old, (new, old)  # exactly one opens
        session = Workspace(ws.root, context).login(DIRECTOR_LOGIN, NEW_PASSWORD if new else DIRECTOR_PASSWORD)
        try:
            assert verify_chain(store_of(session).journal).ok
            changed = any(e.detail == "changement de mot de passe" for e in store_of(session).journal.iter_entries())
            assert changed == new  # the change and its journal entry go together
        finally:
            session.close()
            session.workspace.release()
        return "new" if new else "old"

    assert kill_loop(ws, tmp_path, body, 10, check) == {"old", "new"}


def test_account_creation_killed_anywhere_leaves_both_or_neither(
    ws: WorkspaceHandle, tmp_path: Path, context: AppContext
) -> None:
    body = PRELUDE.format(ws=str(ws.root), login=DIRECTOR_LOGIN, password=DIRECTOR_PASSWORD) + f"""
from app.auth.service import AccountService
start()
AccountService(session).create_user(login="educ1", display_name="Paul Roux", profile="educateur",
                                    units=["Les Lilas"], password={EDUC_PASSWORD!r})
stop()
"""

    def check() -> str:
        session = Workspace(ws.root, context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        try:
            exists = any(a.login == "educ1" for a in AccountService(session).list_accounts())
            entry = any(e.detail.startswith("création du compte") for e in store_of(session).journal.iter_entries())
            assert verify_chain(store_of(session).journal).ok
        finally:
            session.close()
            session.workspace.release()
        assert exists == entry
        assert can_login(ws.root, context, "educ1", EDUC_PASSWORD) == exists  # the account and its keys
        return "new" if exists else "old"

    assert kill_loop(ws, tmp_path, body, 10, check) == {"old", "new"}


def test_purge_killed_anywhere_leaves_the_whole_dossier_or_nothing_of_it(
    ws: WorkspaceHandle, tmp_path: Path, context: AppContext
) -> None:
    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2010-04-02", unit_id=1)
    keep = service.create_dossier(last_name="Durand", first_names="Léa", birth_date="2011-05-03", unit_id=1)
    before = service.values.read(dossier, "identite")
    session.close()
    body = PRELUDE.format(ws=str(ws.root), login=DIRECTOR_LOGIN, password=DIRECTOR_PASSWORD) + f"""
from app.retention.purge import PurgeService
start()
PurgeService(session).confirm_death({dossier}, "Décès confirmé par l'acte transmis", confirmed=True)
stop()
"""

    def check() -> str:
        session = Workspace(ws.root, context).login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        try:
            service = DossierService(session)
            ids = {r.id for r in service.list_dossiers()}
            assert keep in ids
            purged = any(e.action == "purge" and e.dossier_id == dossier for e in store_of(session).journal.iter_entries())
            assert verify_chain(store_of(session).journal).ok
            if dossier in ids:
                assert not purged
                assert service.values.read(dossier, "identite") == before  # whole, untouched
                return "old"
            assert purged  # gone, and the purge is journaled
            left = store_of(session).conn.execute("SELECT count(*) FROM field_values WHERE dossier_id = ?",
                                        (dossier,)).fetchone()[0]
            assert left == 0
            return "new"
        finally:
            session.close()
            session.workspace.release()

    assert kill_loop(ws, tmp_path, body, 10, check) == {"old", "new"}
