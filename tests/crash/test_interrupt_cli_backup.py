"""Ctrl+C during ``sillage backup create`` (R-9.1 « can be cancelled safely », R-9.4): a real
SIGINT sent to the command at many points; it stops with a French message and leaves no
backup file, no temporary file and no temporary folder, or it had finished with a whole one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.backup import verify_backup
from app.workspace import AppContext, Workspace
from storage.recovery_key import decode
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_NAME, DIRECTOR_PASSWORD, ORG
from tests.crash.harness import census, kill_points, run_child

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGINT"), pytest.mark.slow]

BODY = """
import io
from cli.main import run
start()
code = run(["--workspace", {ws!r}, "--user", {login!r}, "--password-stdin", "backup", "create", {target!r}],
            stdin=io.StringIO({password!r} + "\\n"))
stop()
print("EXIT", code)
"""


def test_ctrl_c_during_a_cli_backup_leaves_nothing_half_written(tmp_path: Path) -> None:
    # The command line uses the production Argon2 parameters: so does this workspace.
    workspace = Workspace(tmp_path / "ws", AppContext())
    key = workspace.create(org_name=ORG, admin_login=DIRECTOR_LOGIN, admin_name=DIRECTOR_NAME,
                           password=DIRECTOR_PASSWORD, units=["A"])
    workspace.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).close()  # first login: the charter accepted
    workspace.release()
    out = tmp_path / "usb"
    out.mkdir()
    dmk = decode(key)

    def body(name: str) -> str:
        return BODY.format(ws=str(tmp_path / "ws"), login=DIRECTOR_LOGIN, password=DIRECTOR_PASSWORD,
                           target=str(out / name))

    found = census(body("census.sillage"))
    (out / "census.sillage").unlink()
    interrupted = 0
    points = kill_points(found, {"posix.fsync", "Connection.backup", "mkstemp", "rmtree"}, 8)
    # inside the command only (the first and last events are this test's own wrapper)
    for point in [p for p in points if 5 < p < found.total - 5]:
        target = out / f"ctrl-c-{point}.sillage"
        result = run_child(body(target.name), point, signal_name="SIGINT")
        assert "Traceback" not in result.stderr, result.stderr[-2000:]
        if "EXIT 1" in result.stdout:
            interrupted += 1
            if target.exists():  # interrupted after the rename: the file is whole
                verify_backup(target, dmk)
                target.unlink()
            assert "rien n'a été laissé à moitié écrit" in result.stderr, result.stderr[-500:]
        else:
            assert "EXIT 0" in result.stdout, (result.stdout, result.stderr[-1000:])
            verify_backup(target, dmk)
            target.unlink()
        assert list(out.iterdir()) == [], sorted(p.name for p in out.iterdir())  # no leftovers
    assert interrupted
