"""Issue 8 item 2 — separation of duties (R-3.5), through the CLI: an administrator
(`admin_technique`) creates technical accounts only; only the direction grants a profile that
reads dossiers."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import PASSWORD, accept_charter, run

ADMIN_PASSWORD = "Bateau-Vert-Nuage-58!"


def test_item2_admin_technique_cannot_create_a_director_through_the_cli(tmp_path: Path) -> None:
    """R-3.5: `user add --profile direction` by admin_technique is refused (exit 1, French)."""
    ws = tmp_path / "ws"
    made = run("init", "--workspace", str(ws), "--org-name", "Foyer Test", "--admin", "dir",
               "--admin-name", "Denise Roy", "--password-stdin", "--recovery-key-file",
               str(tmp_path / "key.txt"), "--unit", "Unité A", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    accept_charter(ws, "dir", PASSWORD)
    admin = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "user", "add",
                "--login", "admin", "--name", "Alain Tech", "--profile", "admin_technique",
                stdin=f"{PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert admin.returncode == 0, admin.stderr
    accept_charter(ws, "admin", ADMIN_PASSWORD)

    def add_as_admin(login: str, profile: str, *units: str):  # type: ignore[no-untyped-def]
        extra = [a for u in units for a in ("--unit", u)]
        return run("--workspace", str(ws), "--user", "admin", "--password-stdin", "user", "add",
                   "--login", login, "--name", "Paul Durand", "--profile", profile, *extra,
                   stdin=f"{ADMIN_PASSWORD}\nCerise-Moulin-Brume-61!\n")

    for profile, units in (("direction", ()), ("educateur", ("Unité A",)), ("archiviste", ())):
        refused = add_as_admin(f"x{profile[:5]}", profile, *units)
        assert refused.returncode == 1, (profile, refused.stderr)
        assert "profil" in refused.stderr and "Traceback" not in refused.stderr
    # a technical account is the administrator's to create
    allowed = add_as_admin("tech2", "admin_technique")
    assert allowed.returncode == 0, allowed.stderr
    # the refusals are in the journal, read by the direction
    journal = run("--workspace", str(ws), "--user", "dir", "--password-stdin", "journal", "export",
                  "--format", "csv", stdin=PASSWORD + "\n")
    assert journal.returncode == 0, journal.stderr
    refusals = [line for line in journal.stdout.splitlines() if "grant_content_access" in line]
    assert len(refusals) == 3
