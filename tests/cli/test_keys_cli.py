"""§10 `user list`, `user deactivate`, `rekey` as real child processes (R-2.8; issue 10)."""

from __future__ import annotations

from pathlib import Path

from storage.connection import open_database
from storage.errors import WorkspaceError
from storage.recovery_key import decode
from storage.rekey import database_files
from tests.cli.test_cli import PASSWORD, accept_charter, run

EDUC = "Arbre-Soleil-Pluie-84!"


def _opens(path: Path, key: bytes) -> bool:
    try:
        open_database(path, key, quick_check=False).close()
    except WorkspaceError:
        return False
    return True


def test_user_list_deactivate_and_rekey(tmp_path: Path) -> None:
    ws, key = tmp_path / "ws", tmp_path / "cle.txt"
    made = run("init", "--workspace", str(ws), "--org-name", "Foyer Test", "--admin", "dir",
               "--admin-name", "Denise Roy", "--password-stdin", "--recovery-key-file", str(key),
               "--unit", "Unité A", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    accept_charter(ws, "dir", PASSWORD)
    common = ("--workspace", str(ws), "--user", "dir", "--password-stdin")
    added = run(*common, "user", "add", "--login", "educ1", "--name", "=Paul Durand", "--profile", "educateur",
                "--unit", "Unité A", stdin=f"{PASSWORD}\n{EDUC}\n")
    assert added.returncode == 0, added.stderr

    listed = run(*common, "user", "list", "--format", "csv", stdin=PASSWORD + "\n")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].split(",")[:6] == ["login", "name", "profile", "units", "active", "locked"] or \
        lines[0].split(";")[:6] == ["login", "name", "profile", "units", "active", "locked"]
    assert any("educ1" in line and "'=Paul Durand" in line for line in lines)  # formula neutralised

    gone = run(*common, "user", "deactivate", "--login", "educ1", stdin=PASSWORD + "\n")
    assert gone.returncode == 0, gone.stderr
    assert "rekey" in gone.stderr
    refused = run("--workspace", str(ws), "--user", "educ1", "--password-stdin", "dossier", "list",
                  stdin=EDUC + "\n")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    missing = run(*common, "user", "deactivate", "--login", "personne", stdin=PASSWORD + "\n")
    assert missing.returncode == 1 and "Aucun compte" in missing.stderr

    inside = run(*common, "rekey", "--recovery-key-file", str(ws / "cle.txt"), stdin=PASSWORD + "\n")
    assert inside.returncode == 1 and "espace de travail" in inside.stderr
    new_key = tmp_path / "nouvelle-cle.txt"
    renewed = run(*common, "rekey", "--recovery-key-file", str(new_key), stdin=PASSWORD + "\n")
    assert renewed.returncode == 0, renewed.stderr
    assert "fichiers rechiffrés" in renewed.stderr and "anciennes" not in renewed.stderr
    old, new = decode(key.read_text()), decode(new_key.read_text())
    for path in database_files(ws):
        assert _opens(path, new) and not _opens(path, old)
    again = run(*common, "rekey", "--recovery-key-file", str(new_key), stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "existe déjà" in again.stderr  # never overwritten without --force
    after = run(*common, "dossier", "list", "--format", "csv", stdin=PASSWORD + "\n")
    assert after.returncode == 0, after.stderr
