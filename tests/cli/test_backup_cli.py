"""``sillage backup create | verify | restore`` as real child processes (SPEC §10, R-9.1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import PASSWORD, accept_charter, run


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    ws, key = tmp_path / "ws", tmp_path / "recovery.txt"
    env = {"SILLAGE_STATE_DIR": str(tmp_path / "state")}
    result = run("init", "--workspace", str(ws), "--org-name", "Foyer Test", "--admin", "dir",
                 "--admin-name", "Denise Roy", "--password-stdin", "--recovery-key-file", str(key),
                 stdin=PASSWORD + "\n", env=env)
    assert result.returncode == 0, result.stderr
    accept_charter(ws, "dir", PASSWORD, env)
    return ws, key, env


def as_director(ws: Path, *args: str, env: dict[str, str]):  # type: ignore[no-untyped-def]
    return run("--workspace", str(ws), "--user", "dir", "--password-stdin", *args,
               stdin=PASSWORD + "\n", env=env)


def test_create_verify_and_restore_with_the_recovery_key(
    workspace: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    ws, key, env = workspace
    backup = tmp_path / "sauvegarde.sillage"
    made = as_director(ws, "backup", "create", str(backup), env=env)
    assert made.returncode == 0, made.stderr
    assert "Sauvegarde enregistrée" in made.stdout and "Sauvegarde : 100 %" in made.stderr
    checked = as_director(ws, "backup", "verify", str(backup), env=env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("Sauvegarde intègre")
    by_key = run("backup", "verify", str(backup), "--recovery-key-file", str(key), env=env)
    assert by_key.returncode == 0, by_key.stderr
    restored = run("backup", "restore", str(backup), "--target", str(tmp_path / "copie"),
                   "--recovery-key-file", str(key), env=env)
    assert restored.returncode == 0, restored.stderr
    verified = as_director(tmp_path / "copie", "journal", "verify", env=env)
    assert verified.returncode == 0, verified.stderr


def test_refusals_exit_1_in_french(workspace: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    ws, key, env = workspace
    inside = as_director(ws, "backup", "create", str(ws / "copie.sillage"), env=env)
    assert inside.returncode == 1 and "espace de travail" in inside.stderr
    assert not (ws / "copie.sillage").exists()
    fake = tmp_path / "faux.sillage"
    fake.write_bytes(b"pas une sauvegarde" * 100)
    bad = run("backup", "verify", str(fake), "--recovery-key-file", str(key), env=env)
    assert bad.returncode == 1 and "n'est pas une sauvegarde Sillage" in bad.stderr
    backup = tmp_path / "s.sillage"
    assert as_director(ws, "backup", "create", str(backup), env=env).returncode == 0
    again = as_director(ws, "backup", "create", str(backup), env=env)
    assert again.returncode == 1 and "existe déjà" in again.stderr
    over = run("backup", "restore", str(backup), "--target", str(ws), "--recovery-key-file", str(key), env=env)
    assert over.returncode == 1 and "--force" in over.stderr
    usage = run("backup", "restore", str(backup), env=env)
    assert usage.returncode == 2
    for result in (inside, bad, again, over, usage):
        assert "Traceback" not in result.stderr
