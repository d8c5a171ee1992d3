"""Issue 8 item 5 — bad input through the command line (§10 CSV, R-2.2 Argon2 bounds, R-3.3)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.auth.service import AccountService
from app.dossiers.service import DossierService
from app.journal.events import Action
from app.workspace import Workspace
from tests.cli.test_cli import PASSWORD, ROOT, accept_charter

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def run(*args: str, stdin: str = "", timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=timeout)


@pytest.fixture(scope="module")
def formula_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("item5")
    ws = base / "ws"
    made = run("init", "--workspace", str(ws), "--org-name", "Foyer Test", "--admin", "dir",
               "--admin-name", "Denise Roy", "--password-stdin", "--recovery-key-file",
               str(base / "key.txt"), "--unit", "=SOMME(1;1)", "--unit", "@Lilas", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    workspace = Workspace(ws)
    session = workspace.login("dir", PASSWORD)
    try:
        AccountService(session).accept_charter()
        service = DossierService(session)
        for unit_id, _ in service.units():
            service.create_dossier(last_name="-Dupont", first_names="+Léa", birth_date="2012-05-05",
                                   unit_id=unit_id)
        # a journal detail that carries text typed by a person (a purge reason, a unit name...)
        session.journal_event(Action.PARAMETRES, "unite", detail="=SOMME(1;1) renommée")
    finally:
        session.close()
        workspace.release()
    return ws


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_item5_dossier_list_csv_neutralises_formulas(formula_ws: Path) -> None:
    """§10: a cell a spreadsheet would run as a formula is prefixed with « ' »."""
    listed = run("--workspace", str(formula_ws), "--user", "dir", "--password-stdin", "dossier", "list",
                 "--format", "csv", stdin=PASSWORD + "\n")
    assert listed.returncode == 0, listed.stderr
    cells = _cells(listed.stdout)
    assert "'=SOMME(1;1)" in cells and "'@Lilas" in cells
    assert not [c for c in cells if c.startswith(FORMULA)]


def test_item5_journal_export_csv_neutralises_formulas(formula_ws: Path, tmp_path: Path) -> None:
    added = run("--workspace", str(formula_ws), "--user", "dir", "--password-stdin", "user", "add",
                "--login", "eve", "--name", "Eve Noir", "--profile", "secretariat",
                stdin=f"{PASSWORD}\nBateau-Vert-Nuage-58!\n")
    assert added.returncode == 0, added.stderr
    for out in (None, tmp_path / "j.csv"):
        extra = ["--out", str(out)] if out else []
        exported = run("--workspace", str(formula_ws), "--user", "dir", "--password-stdin", "journal",
                       "export", "--format", "csv", *extra, stdin=PASSWORD + "\n")
        assert exported.returncode == 0, exported.stderr
        text = out.read_text(encoding="utf-8") if out else exported.stdout
        assert len(text.splitlines()) > 3 and "'=SOMME(1;1) renommée" in text
        assert not [c for c in _cells(text) if c.startswith(FORMULA)]


def _edit_slot(ws: Path, **kdf: int) -> None:
    path = ws / "keyslots.json"
    data = json.loads(path.read_text())
    for slot in data["slots"]:
        slot["kdf"].update(kdf)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize("kdf", [{"t": 11}, {"p": 17}, {"t": 10**9}], ids=["t11", "p17", "t1e9"])
def test_item5_argon2_parameters_out_of_bounds_give_a_clear_message(
        tmp_path: Path, kdf: dict[str, int]) -> None:
    """R-2.2: a slot outside t≤10, m≤1 GiB, p≤16 is refused at once, and is no failed login."""
    ws = tmp_path / "ws"
    made = run("init", "--workspace", str(ws), "--org-name", "Foyer Test", "--admin", "dir",
               "--admin-name", "Denise Roy", "--password-stdin", "--recovery-key-file",
               str(tmp_path / "key.txt"), stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    _edit_slot(ws, **kdf)
    started = time.monotonic()
    result = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "journal", "verify",
                 stdin=PASSWORD + "\n", timeout=60)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "hors des limites" in result.stderr and "Traceback" not in result.stderr
    state = ws / "auth_state.json"
    assert not state.exists() or not json.loads(state.read_text()).get("accounts"), "counted as a failure"


def test_item5_auth_state_deleted_is_journaled_through_the_cli(tmp_path: Path) -> None:
    """R-3.3: wrong password, then the counters' file deleted: the next login journals an alert."""
    ws = tmp_path / "ws"
    made = run("init", "--workspace", str(ws), "--org-name", "Foyer Test", "--admin", "dir",
               "--admin-name", "Denise Roy", "--password-stdin", "--recovery-key-file",
               str(tmp_path / "key.txt"), stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    accept_charter(ws, "dir", PASSWORD)
    verify = ["--workspace", str(ws), "--user", "dir", "--password-stdin", "journal", "verify"]
    assert run(*verify, stdin=PASSWORD + "\n").returncode == 0
    assert run(*verify, stdin="Pas-Le-Bon-Mot-1!\n").returncode == 1
    (ws / "auth_state.json").unlink()
    assert run(*verify, stdin=PASSWORD + "\n").returncode == 0
    exported = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "journal", "export",
                   "--format", "csv", stdin=PASSWORD + "\n")
    assert exported.returncode == 0, exported.stderr
    alerts = [line for line in exported.stdout.splitlines() if "auth_state.json" in line]
    assert len(alerts) == 1 and "supprimé" in alerts[0]
