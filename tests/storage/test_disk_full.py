"""A full disk in the middle of work: a French message, nothing half-written (R-9.3).

A child process gets a file-size limit (RLIMIT_FSIZE) a little above the current files, then
keeps creating dossiers until the limit stops it; the parent then checks that the workspace
opens, that every committed dossier has its journal entry, and that the chain verifies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.dossiers.service import DossierService
from storage.journal import verify_chain
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from tests.store_access import store_of

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from app.errors import KnownError
    from app.workspace import AppContext, Workspace
    from app.dossiers.service import DossierService
    from tests.conftest import TEST_KDF
    ws = Workspace(Path({ws!r}), AppContext(kdf_policy=TEST_KDF))
    session = ws.login({login!r}, {password!r})
    service = DossierService(session)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = max(p.stat().st_size for p in Path({ws!r}).rglob("*") if p.is_file()) + 48 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    created = 0
    try:
        for i in range(100000):
            service.create_dossier(last_name="Plein" + "x" * 90, first_names="Disque" + "y" * 90,
                                   birth_date=None, unit_id=1)
            created += 1
    except KnownError as exc:
        print("known", created, exc.message, flush=True)
    except Exception as exc:
        print("other", created, type(exc).__name__, flush=True)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE and SIGXFSZ")
def test_full_disk_gives_a_french_message_and_loses_nothing(ws: WorkspaceHandle) -> None:
    ws.login().close()
    ws.workspace.release()
    script = CHILD.format(root=str(ROOT), ws=str(ws.root), login=DIRECTOR_LOGIN, password=DIRECTOR_PASSWORD)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    kind, created, *message = result.stdout.strip().split(" ", 2)
    assert kind == "known", result.stdout + result.stderr
    assert int(created) > 0
    assert "disque" in message[0] and "rien n'a été perdu" in message[0]
    ws.reopen()
    session = ws.login()
    service = DossierService(session)
    dossiers = [r for r in service.list_dossiers() if r.last_name.startswith("Plein")]
    assert len(dossiers) >= int(created)
    created_entries = {e.dossier_id for e in store_of(session).journal.iter_entries()
                       if e.action == "creation" and e.target == "dossier"}
    assert {d.id for d in dossiers} <= created_entries  # every committed dossier has its entry
    assert verify_chain(store_of(session).journal).ok
    session.close()
