"""Issue 8 item 3 — data lost by mistake (R-2.9), through the CLI as real child processes:
a planted DEMO file decides nothing, no output lands in the workspace or over an existing file
without --force, the recovery-key file is checked before anything is created and never lost,
and a kill during `init` leaves a folder that can be initialised again."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from storage.recovery_key import decode
from tests.cli.test_cli import PASSWORD, ROOT, accept_charter, run


def init(ws: Path, key: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run("init", "--workspace", str(ws), "--org-name", "Foyer Test", "--admin", "dir",
               "--admin-name", "Denise Roy", "--password-stdin", "--recovery-key-file", str(key),
               "--unit", "Unité A", *extra, stdin=PASSWORD + "\n")


def verify(ws: Path) -> subprocess.CompletedProcess[str]:
    accept_charter(ws, "dir", PASSWORD)  # the first login's step; a no-op afterwards
    return run("--workspace", str(ws), "--user", "dir", "--password-stdin", "journal", "verify",
               stdin=PASSWORD + "\n")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("item3")
    made = init(base / "ws", base / "key.txt")
    assert made.returncode == 0, made.stderr
    accept_charter(base / "ws", "dir", PASSWORD)
    return base / "ws"


def test_item3_a_planted_demo_file_does_not_make_a_real_workspace_a_demo(real: Path) -> None:
    """R-2.9: `sillage demo` re-creates only what its encrypted record says is a demo."""
    before = digest(real / "sillage.db")
    for planted in ("", "Espace de démonstration Sillage : données fictives.\nsel : " + "ab" * 16):
        (real / "DEMO").write_text(planted, encoding="utf-8")
        result = run("demo", "--workspace", str(real), "--youths", "3", "--journal-rows", "10")
        assert result.returncode == 1, result.stderr
        assert "vrai espace de travail" in result.stderr
        assert digest(real / "sillage.db") == before
    (real / "DEMO").unlink()
    assert verify(real).returncode == 0


def test_item3_a_demo_is_recreated_but_files_sillage_did_not_make_are_kept(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    first = run("demo", "--workspace", str(demo), "--youths", "3", "--journal-rows", "10")
    assert first.returncode == 0, first.stderr
    again = run("demo", "--workspace", str(demo), "--youths", "3", "--journal-rows", "10")
    assert again.returncode == 0, again.stderr
    assert again.stdout != first.stdout  # new passwords: it was re-created
    (demo / "mes-notes.odt").write_bytes(b"not Sillage's")
    kept = run("demo", "--workspace", str(demo), "--youths", "3", "--journal-rows", "10")
    assert kept.returncode == 1 and "mes-notes.odt" in kept.stderr
    assert (demo / "mes-notes.odt").read_bytes() == b"not Sillage's"
    assert (demo / "sillage.db").exists()


def test_item3_journal_export_never_replaces_the_database_or_a_file(real: Path) -> None:
    def export(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        return run("--workspace", str(real), "--user", "dir", "--password-stdin", "journal",
                   "export", "--format", "csv", "--out", str(out), *extra, stdin=PASSWORD + "\n")

    for target in (real / "sillage.db", real / "journal.csv", real / "journal" / "x.csv"):
        for extra in ((), ("--force",)):
            refused = export(target, *extra)
            assert refused.returncode == 1, refused.stderr
            assert "espace de travail" in refused.stderr
    assert not (real / "sillage.db").read_bytes().startswith(b"seq,")  # still the database
    assert not (real / "journal.csv").exists()
    out = real.parent / "export.csv"
    out.write_text("à garder", encoding="utf-8")
    kept = export(out)
    assert kept.returncode == 1 and "--force" in kept.stderr
    assert out.read_text(encoding="utf-8") == "à garder"
    replaced = export(out, "--force")
    assert replaced.returncode == 0, replaced.stderr
    assert out.read_text(encoding="utf-8").startswith("seq,date")
    assert verify(real).returncode == 0


def test_item3_init_checks_the_recovery_key_file_before_creating_anything(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "old-key.txt").write_text("ancienne clé")
    for key in (tmp_path,                          # a folder
                tmp_path / "missing" / "key.txt",   # a folder that does not exist
                tmp_path / "a-file" / "key.txt",    # under a file
                ws / "key.txt",                     # inside the workspace
                tmp_path / "old-key.txt"):          # an existing file, without --force
        result = init(ws, key)
        assert result.returncode == 1, (key, result.stderr)
        assert "Traceback" not in result.stderr and "Erreur interne" not in result.stderr
        assert not ws.exists(), key
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ws")]
    assert (tmp_path / "old-key.txt").read_text() == "ancienne clé"
    made = init(ws, tmp_path / "old-key.txt", "--force")
    assert made.returncode == 0, made.stderr
    decode((tmp_path / "old-key.txt").read_text())
    assert verify(ws).returncode == 0


def test_item3_a_key_that_cannot_be_written_is_printed_not_lost(tmp_path: Path) -> None:
    from cli.workspace import deliver_recovery_key
    from storage.recovery_key import encode

    key = encode(os.urandom(32))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        delivered = deliver_recovery_key(tmp_path / "gone" / "key.txt", key)
    assert not delivered
    assert out.getvalue().strip() == key and "affichée" in err.getvalue()
    with redirect_stdout(io.StringIO()) as quiet:
        assert deliver_recovery_key(tmp_path / "key.txt", key)
    assert quiet.getvalue() == ""
    assert decode((tmp_path / "key.txt").read_text()) == decode(key)


@pytest.mark.parametrize("kill_when", ["database", "key slots"])
def test_item3_a_kill_during_init_leaves_a_folder_that_can_be_initialised(
        tmp_path: Path, kill_when: str) -> None:
    ws, key = tmp_path / "ws", tmp_path / "key.txt"
    wanted = "sillage.db" if kill_when == "database" else "keyslots.json"
    child = subprocess.Popen(
        [sys.executable, "-m", "cli", "init", "--workspace", str(ws), "--org-name", "Foyer",
         "--admin", "dir", "--admin-name", "Denise Roy", "--password-stdin",
         "--recovery-key-file", str(key)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert child.stdin is not None
    child.stdin.write(PASSWORD + "\n")
    child.stdin.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if any(tmp_path.glob(f"*/{wanted}")) or any(tmp_path.glob(f".*/{wanted}")):
            break
        time.sleep(0.0005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    if child.returncode == 0:
        pytest.skip("init finished before it could be killed")
    again = init(ws, key)
    assert again.returncode == 0, again.stderr
    assert verify(ws).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.txt", "ws"]  # nothing left behind
