"""``sillage notice``, ``report judge`` and ``stats`` exactly as SPEC §10 writes them, run as
real child processes (R-8.1 to R-8.5)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pikepdf
import pytest

from tests.cli.test_cli import accept_charter, run
from tests.reports.pdf_inspect import Pdf


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str, str]:
    base = tmp_path_factory.mktemp("docs")
    ws = base / "demo"
    made = run("demo", "--workspace", str(ws), "--youths", "12", "--journal-rows", "50")
    assert made.returncode == 0, made.stderr
    accounts = [line.split("\t") for line in made.stdout.splitlines()]
    login, password, _ = next(a for a in accounts if a[2] == "direction")
    accept_charter(ws, login, password)  # the director's first login step
    listed = run("--workspace", str(ws), "--user", login, "--password-stdin", "dossier", "list", "--format", "csv",
                 stdin=password + "\n")
    dossier = listed.stdout.splitlines()[1].split(",")[0]
    return ws, login, password, dossier


def cli(demo: tuple[Path, str, str, str], *args: str, stdin_extra: str = "") -> tuple[int, str]:
    ws, login, password, _ = demo
    result = run("--workspace", str(ws), "--user", login, "--password-stdin", *args,
                 stdin=password + "\n" + stdin_extra)
    return result.returncode, result.stderr


def test_notice_command(demo: tuple[Path, str, str, str], tmp_path: Path) -> None:
    out = tmp_path / "notice.pdf"
    code, err = cli(demo, "notice", "--dossier", demo[3], "--audience", "enfant-6-9", "--lang", "fr", "--out", str(out))
    assert code == 0, err
    pdf = Pdf.parse(out.read_bytes())
    assert pdf.pages <= 2 and pdf.lang == "fr-FR" and "remise" in err
    code, err = cli(demo, "notice", "--dossier", demo[3], "--audience", "bebe", "--out", str(out))
    assert code == 2 and "Utilisation incorrecte" in err


def test_report_judge_command_encrypted(demo: tuple[Path, str, str, str], tmp_path: Path) -> None:
    out = tmp_path / "rapport.pdf"
    code, err = cli(demo, "report", "judge", "--dossier", demo[3], "--sections", "identite,scolarite",
                    "--out", str(out), "--encrypt", stdin_extra="Mot-De-Passe-Du-Juge-2026\n")
    assert code == 0, err
    assert "autre canal" in err
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out)
    with pikepdf.open(out, password="Mot-De-Passe-Du-Juge-2026") as pdf:
        assert pdf.encryption.bits == 256
    code, err = cli(demo, "report", "judge", "--dossier", demo[3], "--sections", "inconnue", "--out", str(out))
    assert code == 1 and "Sections inconnues" in err
    code, err = cli(demo, "report", "judge", "--dossier", demo[3], "--out", str(demo[0] / "r.pdf"))
    assert code == 1 and "espace de travail" in err


def test_stats_command(demo: tuple[Path, str, str, str], tmp_path: Path) -> None:
    out = tmp_path / "stats.csv"
    code, err = cli(demo, "stats", "--year", "2026", "--out", str(out))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["dimension", "category", "count"]
    assert all(r[2] in ("<5", "masqué") or not 1 <= int(r[2]) <= 4 for r in rows[1:])
    code, err = cli(demo, "stats", "--year", "2026", "--out", str(tmp_path / "stats.pdf"))
    assert code == 0, err
    assert "Statistiques anonymisées" in Pdf.parse((tmp_path / "stats.pdf").read_bytes()).text()
