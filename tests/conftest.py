"""Shared fixtures: offscreen Qt, an injected clock, a cheap test-only KDF, fresh workspaces."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import gc
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.session import Session
from app.workspace import AppContext, Workspace
from storage.keyslots import KdfParams, KdfPolicy

#: Test-only Argon2 cost, injected: the production minimum in storage.keyslots is untouched.
TEST_KDF = KdfPolicy(params=KdfParams(1, 1024, 1), minimum=KdfParams(1, 1024, 1))

DIRECTOR_LOGIN = "cmartin"
DIRECTOR_NAME = "Claire Martin"
DIRECTOR_PASSWORD = "Velo-Rouge-Lune-27!"
ORG = "MECS Les Tilleuls"


@dataclass
class WorkspaceHandle:
    workspace: Workspace
    clock: FixedClock
    recovery_key: str

    @property
    def root(self) -> Path:
        return self.workspace.root

    def reopen(self) -> Workspace:
        """A new Workspace object on the same folder, like a restarted process."""
        self.workspace.release()
        self.workspace = Workspace(self.root, AppContext(clock=self.clock, kdf_policy=TEST_KDF))
        return self.workspace

    def login(self, login: str = DIRECTOR_LOGIN, password: str = DIRECTOR_PASSWORD) -> Session:
        return self.workspace.login(login, password)


@pytest.fixture(autouse=True)
def _charter_accepted_at_first_login(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The people of the tests have read and accepted the IT charter at their first login
    (R-3.7), through the real service, as a person does in the first-login dialog: every service
    refuses a session that has not (R-3.5). Tests of the charter step itself, and of that
    refusal, are marked ``charter_pending`` and meet the step as a new user does. (Child
    processes of CLI tests are not concerned: they accept with ``sillage charter --accept``.)"""
    if request.node.get_closest_marker("charter_pending"):
        return
    original = Workspace.login

    def login(self: Workspace, login: str, password: str) -> Session:
        session = original(self, login, password)
        if not session.user.must_change_password and not session.user.charter_accepted:
            from app.auth.service import AccountService

            AccountService(session).accept_charter()
        return session

    monkeypatch.setattr(Workspace, "login", login)


@pytest.fixture(autouse=True)
def _no_worker_left_behind() -> Iterator[None]:
    """Background jobs (login, integrity check, demo) finish inside the test that started them."""
    yield
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(30000)
        # collect the test's Qt garbage here, on the GUI thread, not later in some worker
        # thread of another test (ui/gc_guard.py does the same in the application)
        gc.collect()


@pytest.fixture(autouse=True)
def _state_dir_of_the_test(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Sillage records per computer (the last backup made or restored, R-9.1) goes to a
    folder of the test, never to the real user's state folder; child processes inherit it."""
    monkeypatch.setenv("SILLAGE_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    # bug reports too: never in the real per-user log folder
    monkeypatch.setenv("SILLAGE_LOG_DIR", str(tmp_path_factory.mktemp("logs")))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC))


@pytest.fixture
def context(clock: FixedClock) -> AppContext:
    return AppContext(clock=clock, kdf_policy=TEST_KDF)


@pytest.fixture
def ws(tmp_path: Path, context: AppContext, clock: FixedClock) -> Iterator[WorkspaceHandle]:
    workspace = Workspace(tmp_path / "ws", context)
    key = workspace.create(
        org_name=ORG,
        admin_login=DIRECTOR_LOGIN,
        admin_name=DIRECTOR_NAME,
        password=DIRECTOR_PASSWORD,
        units=["Les Lilas", "Les Érables"],
    )
    handle = WorkspaceHandle(workspace, clock, key)
    yield handle
    handle.workspace.release()


@pytest.fixture
def director(ws: WorkspaceHandle) -> Iterator[Session]:
    session = ws.login()
    yield session
    session.close()
