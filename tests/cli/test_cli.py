"""The command-line contract of SPEC §10, run as real child processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.recovery_key import decode

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Velo-Rouge-Lune-27!"


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], input=stdin, capture_output=True, text=True,
        env=full_env, cwd=ROOT, timeout=300,
    )


def accept_charter(ws: Path, login: str, password: str,
                   env: dict[str, str] | None = None) -> None:
    """A new account's first step, as in the application: read and accept the charter (R-3.7);
    until then no command answers it (R-3.5)."""
    done = run("--workspace", str(ws), "--user", login, "--password-stdin", "charter", "--accept",
               stdin=password + "\n", env=env)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("cli")
    ws, key = base / "ws", base / "recovery.txt"
    result = run("init", "--workspace", str(ws), "--org-name", "Foyer Test", "--admin", "dir",
                 "--admin-name", "Denise Roy", "--password-stdin", "--recovery-key-file", str(key),
                 "--unit", "Unité A", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    accept_charter(ws, "dir", PASSWORD)
    return ws, key


def test_init_and_recovery_hex(initialised: tuple[Path, Path]) -> None:
    ws, key = initialised
    text = key.read_text()
    result = run("recovery", "hex", stdin=text)
    assert result.returncode == 0
    assert result.stdout.strip() == decode(text).hex()
    assert len(result.stdout.strip()) == 64


def test_recovery_hex_with_typo_exits_1_in_french() -> None:
    result = run("recovery", "hex", stdin="ABCD-EFGH\n")
    assert result.returncode == 1
    assert "clé de secours" in result.stderr and "Traceback" not in result.stderr


def test_init_refuses_weak_password(tmp_path: Path) -> None:
    result = run("init", "--workspace", str(tmp_path / "w"), "--org-name", "Foyer", "--admin", "dir",
                 "--password-stdin", "--recovery-key-file", str(tmp_path / "k"), stdin="azerty\n")
    assert result.returncode == 1
    assert "mot de passe" in result.stderr.lower()
    assert not (tmp_path / "w" / "sillage.db").exists()


def test_wrong_password_exit_1(initialised: tuple[Path, Path]) -> None:
    ws, _ = initialised
    result = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "dossier", "list",
                 stdin="Pas-Le-Bon-Mot-1!\n")
    assert result.returncode == 1
    assert result.stderr.strip() == "Identifiant ou mot de passe incorrect."


def test_bad_usage_exit_2() -> None:
    assert run("dossier").returncode == 2
    assert run("--nimporte").returncode == 2
    assert run("demo", "--youths", "beaucoup").returncode == 2


def test_user_add_and_journal_verify(initialised: tuple[Path, Path]) -> None:
    ws, _ = initialised
    added = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "user", "add",
                "--login", "educ2", "--name", "Eric Blanc", "--profile", "educateur",
                "--unit", "Unité A", stdin=f"{PASSWORD}\nBateau-Vert-Nuage-58!\n")
    assert added.returncode == 0, added.stderr
    bad = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "user", "add",
              "--login", "x3", "--name", "X", "--profile", "pirate", stdin=f"{PASSWORD}\nBateau-Vert-Nuage-58!\n")
    assert bad.returncode == 1 and "Profil inconnu" in bad.stderr
    verify = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "journal", "verify",
                 stdin=PASSWORD + "\n")
    assert verify.returncode == 0, verify.stderr
    assert "intègre" in verify.stdout
    # the educator may not verify the journal: refused, exit 1
    accept_charter(ws, "educ2", "Bateau-Vert-Nuage-58!")
    refused = run("--workspace", str(ws), "--user", "educ2", "--password-stdin", "journal", "verify",
                  stdin="Bateau-Vert-Nuage-58!\n")
    assert refused.returncode == 1 and "profil" in refused.stderr


def test_journal_export_csv(initialised: tuple[Path, Path]) -> None:
    ws, _ = initialised
    result = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "journal", "export",
                 "--format", "csv", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("seq,date,user_id")
    assert any(",connexion," in line for line in lines[1:])
    out = ws.parent / "journal.csv"
    to_file = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "journal", "export",
                  "--format", "csv", "--out", str(out), stdin=PASSWORD + "\n")
    assert to_file.returncode == 0, to_file.stderr
    assert out.read_text(encoding="utf-8").startswith("seq,date,user_id")
    if os.name == "posix":
        assert out.stat().st_mode & 0o077 == 0  # private file, written atomically


def test_dossier_list_csv_has_only_non_sensitive_columns(tmp_path: Path) -> None:
    ws = tmp_path / "demo"
    demo = run("demo", "--workspace", str(ws), "--youths", "12", "--journal-rows", "200")
    assert demo.returncode == 0, demo.stderr
    accounts = [line.split("\t") for line in demo.stdout.splitlines()]
    profiles = {a[2] for a in accounts}
    assert profiles == {"educateur", "soignant", "chef_service", "direction", "secretariat",
                        "admin_technique", "archiviste"}
    login, password, _ = next(a for a in accounts if a[2] == "direction")
    accept_charter(ws, login, password)
    listed = run("--workspace", str(ws), "--user", login, "--password-stdin", "dossier", "list",
                 "--format", "csv", stdin=password + "\n")
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.splitlines()
    assert rows[0] == "id,number,unit,status,last_contact"
    assert len(rows) > 5
    admin_login, admin_password, _ = next(a for a in accounts if a[2] == "admin_technique")
    accept_charter(ws, admin_login, admin_password)
    refused = run("--workspace", str(ws), "--user", admin_login, "--password-stdin", "dossier",
                  "list", stdin=admin_password + "\n")
    assert refused.returncode == 1


def test_second_process_on_the_same_workspace(initialised: tuple[Path, Path]) -> None:
    ws, _ = initialised
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; sys.path.insert(0, %r)\n"
         "from storage.lock import WorkspaceLock\nfrom pathlib import Path\n"
         "l=WorkspaceLock(Path(%r)); l.acquire(); print('ok', flush=True); time.sleep(60)"
         % (str(ROOT), str(ws / "sillage.lock"))],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        result = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "journal",
                     "verify", stdin=PASSWORD + "\n")
        assert result.returncode == 1
        assert "déjà ouvert" in result.stderr and str(holder.pid) in result.stderr
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_recovery_new_director(initialised: tuple[Path, Path]) -> None:
    ws, key = initialised
    wrong = run("--workspace", str(ws), "recovery", "new-director", "--login", "secours", "--name",
                "Marie Secours", stdin="ABCD-EFGH\nNuage-Piano-Orage-35?\n")
    assert wrong.returncode == 1 and "clé de secours" in wrong.stderr
    made = run("--workspace", str(ws), "recovery", "new-director", "--login", "secours", "--name",
               "Marie Secours", stdin=key.read_text().strip() + "\nNuage-Piano-Orage-35?\n")
    assert made.returncode == 0, made.stderr
    accept_charter(ws, "secours", "Nuage-Piano-Orage-35?")
    verify = run("--workspace", str(ws), "--user", "secours", "--password-stdin", "journal", "verify",
                 stdin="Nuage-Piano-Orage-35?\n")
    assert verify.returncode == 0, verify.stderr
