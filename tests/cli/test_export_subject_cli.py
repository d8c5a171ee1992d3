"""``sillage export subject --dossier ID --out DIR`` exactly as SPEC §10 writes it, run as a real
child process on a demo workspace (R-7.2, R-2.9)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from app.resources import resource_path
from tests.cli.test_cli import accept_charter, run
from tests.reports.pdf_inspect import Pdf

Demo = tuple[Path, dict[str, tuple[str, str]], str]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    ws = tmp_path_factory.mktemp("subject") / "demo"
    made = run("demo", "--workspace", str(ws), "--youths", "8", "--journal-rows", "60")
    assert made.returncode == 0, made.stderr
    accounts: dict[str, tuple[str, str]] = {}
    for line in made.stdout.splitlines():
        login, password, profile = line.split("\t")
        accounts.setdefault(profile, (login, password))
    for profile in accounts:
        accept_charter(ws, *accounts[profile])  # each account's first login step
    login, password = accounts["direction"]
    listed = run("--workspace", str(ws), "--user", login, "--password-stdin", "dossier", "list", "--format", "csv",
                 stdin=password + "\n")
    return ws, accounts, listed.stdout.splitlines()[1].split(",")[0]


def cli(demo: Demo, *args: str, profile: str = "direction") -> tuple[int, str, str]:
    ws, accounts, _ = demo
    login, password = accounts[profile]
    result = run("--workspace", str(ws), "--user", login, "--password-stdin", *args, stdin=password + "\n")
    return result.returncode, result.stdout, result.stderr


def test_export_subject_writes_a_pdf_and_a_valid_json(demo: Demo, tmp_path: Path) -> None:
    code, out, err = cli(demo, "export", "subject", "--dossier", demo[2], "--out", str(tmp_path))
    assert code == 0, err
    pdf_path, json_path = (Path(line) for line in out.splitlines())
    assert pdf_path.parent == tmp_path and pdf_path.suffix == ".pdf" and json_path.suffix == ".json"
    document = json.loads(json_path.read_text(encoding="utf-8"))
    schema = json.loads(resource_path("schemas", "export-personne.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["categories"] and document["journal"]["entries"]
    text = Pdf.parse(pdf_path.read_bytes()).text()
    assert "Vos données personnelles" in text and document["dossier"]["number"] in text
    assert "registre des droits" in err and "Export écrit" in err
    # again: the files exist, nothing is replaced without --force
    before = pdf_path.read_bytes()
    code, _, err = cli(demo, "export", "subject", "--dossier", demo[2], "--out", str(tmp_path))
    assert code == 1 and "existe déjà" in err and "--force" in err
    assert pdf_path.read_bytes() == before
    code, _, err = cli(demo, "export", "subject", "--dossier", demo[2], "--out", str(tmp_path), "--force")
    assert code == 0, err


@pytest.mark.parametrize(("args", "code", "message"), [
    (("--dossier", "999999"), 1, "n'existe pas ou ne vous est pas accessible"),
    (("--dossier", "abc"), 2, "Utilisation incorrecte"),
    ((), 2, "Utilisation incorrecte"),
])
def test_export_subject_bad_dossier_in_french(demo: Demo, tmp_path: Path, args: tuple[str, ...], code: int,
                                              message: str) -> None:
    got, _, err = cli(demo, "export", "subject", *args, "--out", str(tmp_path))
    assert got == code and message in err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


def test_export_subject_bad_output_in_french(demo: Demo, tmp_path: Path) -> None:
    code, _, err = cli(demo, "export", "subject", "--dossier", demo[2], "--out", str(tmp_path / "absent"))
    assert code == 1 and "n'existe pas : créez-le" in err
    code, _, err = cli(demo, "export", "subject", "--dossier", demo[2], "--out", str(demo[0]))
    assert code == 1 and "espace de travail" in err
    assert not list(demo[0].glob("sillage-donnees-*"))


def test_export_subject_refused_to_other_profiles(demo: Demo, tmp_path: Path) -> None:
    for profile in ("chef_service", "educateur", "admin_technique"):
        if profile not in demo[1]:
            continue
        code, _, err = cli(demo, "export", "subject", "--dossier", demo[2], "--out", str(tmp_path), profile=profile)
        assert code == 1 and "Votre profil ne permet pas" in err, (profile, err)
    assert list(tmp_path.iterdir()) == []
