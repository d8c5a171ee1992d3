"""A data change and its journal entry are written together, even if the process is killed
(R-5.2, R-9.2): a real child process is killed with SIGKILL at many points."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.dossiers.model import IDENTITY_COLUMNS
from app.dossiers.service import DossierService
from storage.journal import verify_chain
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from tests.store_access import store_of

ROOT = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from app.workspace import AppContext, Workspace
    from app.dossiers.service import DossierService
    from app.dossiers.model import IDENTITY_COLUMNS
    from tests.conftest import TEST_KDF
    ws = Workspace(Path({ws!r}), AppContext(kdf_policy=TEST_KDF))
    session = ws.login({login!r}, {password!r})
    service = DossierService(session)
    start = int(service.values.read({dossier}, "identite")[IDENTITY_COLUMNS["last_name"]][3:])
    print("ready", flush=True)
    i = start
    while True:
        i += 1
        service.values.save({dossier}, "identite", {{IDENTITY_COLUMNS["last_name"]: f"Nom{{i}}"}})
        print(i, flush=True)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_process_leaves_change_and_entry_together(ws: WorkspaceHandle) -> None:
    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Nom0", first_names="Test", birth_date="2010-01-01",
                                     unit_id=1)
    session.close()
    ws.workspace.release()
    rng = random.Random(7)
    kills = 0
    seen = 0
    for _ in range(12):
        script = CHILD.format(root=str(ROOT), ws=str(ws.root), login=DIRECTOR_LOGIN,
                              password=DIRECTOR_PASSWORD, dossier=dossier)
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == "ready", child.stderr.read() if child.stderr else ""
        # Count committed saves rather than wall time, so a loaded machine still lets each
        # child make progress; then kill at a random moment of the following saves.
        for _ in range(rng.randint(1, 12)):
            seen = max(seen, int(child.stdout.readline()))
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        if child.stderr:
            child.stderr.close()
        kills += 1
    assert kills == 12
    ws.reopen()
    session = ws.login()
    service = DossierService(session)
    name = service.values.read(dossier, "identite")[IDENTITY_COLUMNS["last_name"]]
    changes = int(name[3:])
    assert changes >= seen > 12  # the children did make progress, and none of it was lost
    entries = [e for e in store_of(session).journal.iter_entries()
               if e.dossier_id == dossier and e.action == "modification" and e.target == "identite"]
    assert len(entries) == changes, (len(entries), changes)
    assert verify_chain(store_of(session).journal).ok
    session.close()
