"""`retention due` and `retention purge` exactly as SPEC §10 writes them, in child processes
(R-6.2, R-6.3)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from tests.cli.test_cli import accept_charter, run


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, str]]]:
    ws = tmp_path_factory.mktemp("retention") / "demo"
    result = run("demo", "--workspace", str(ws), "--youths", "30", "--journal-rows", "100")
    assert result.returncode == 0, result.stderr
    accounts = {a[2]: (a[0], a[1]) for a in (line.split("\t") for line in result.stdout.splitlines())}
    for profile in ("direction", "chef_service"):
        accept_charter(ws, *accounts[profile])  # their first login's step
    return ws, accounts


def as_user(ws: Path, user: tuple[str, str], *args: str):  # type: ignore[no-untyped-def]
    login, password = user
    return run("--workspace", str(ws), "--user", login, "--password-stdin", *args, stdin=password + "\n")


def test_retention_due_csv_and_purge(demo: tuple[Path, dict[str, tuple[str, str]]]) -> None:
    ws, accounts = demo
    director = accounts["direction"]
    due = as_user(ws, director, "retention", "due", "--format", "csv")
    assert due.returncode == 0, due.stderr
    rows = list(csv.DictReader(io.StringIO(due.stdout)))
    assert due.stdout.splitlines()[0] == "id,number,last_contact,limit_date,state"
    overdue = [r for r in rows if r["state"] == "depassee"]
    assert overdue, "the demo holds dossiers past their two years"
    today = dt.date.today().isoformat()
    assert all(r["limit_date"] < today for r in overdue)
    assert all(r["limit_date"] >= today for r in rows if r["state"] == "a_echeance")
    later = as_user(ws, director, "retention", "due", "--as-of", "2099-01-01", "--format", "csv")
    assert len(later.stdout.splitlines()) - 1 >= len(rows)
    target = overdue[0]["id"]

    unconfirmed = as_user(ws, director, "retention", "purge", "--dossier", target, "--reason",
                          "Durée de conservation atteinte")
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    chef = as_user(ws, accounts["chef_service"], "retention", "purge", "--dossier", target,
                   "--reason", "Durée de conservation atteinte", "--yes")
    assert chef.returncode == 1 and "Traceback" not in chef.stderr
    purged = as_user(ws, director, "retention", "purge", "--dossier", target, "--reason",
                     "Durée de conservation atteinte", "--yes")
    assert purged.returncode == 0, purged.stderr
    listed = as_user(ws, director, "dossier", "list", "--format", "csv")
    assert target not in [line.split(",")[0] for line in listed.stdout.splitlines()]
    again = as_user(ws, director, "retention", "purge", "--dossier", target, "--reason",
                    "Durée de conservation atteinte", "--yes")
    assert again.returncode == 1 and "n'existe pas" in again.stderr
    bad_date = as_user(ws, director, "retention", "due", "--as-of", "demain", "--format", "csv")
    assert bad_date.returncode == 2
