"""R-9.4 bug reports: written under a reference in the per-user log folder, with the exception
types and the frames only — never a message, a value, a password or a name."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.bug_report import _frame_file, internal_error_message, log_dir, write_bug_report

PASSWORD = "Velo-Rouge-Lune-27!"
NAME = "Léa Dupont-Moreau"


def _fail_with_secrets(password: str, name: str) -> None:
    secret_local = f"{name}:{password}"  # noqa: F841 - a local a report must not show
    try:
        {}["missing"]
    except KeyError as inner:
        raise ValueError(f"impossible pour {name} avec {password}") from inner


def test_report_holds_types_and_frames_but_no_message_password_or_name(tmp_path: Path) -> None:
    assert log_dir() != tmp_path  # conftest points it at a test folder
    try:
        _fail_with_secrets(PASSWORD, NAME)
    except ValueError as exc:
        report = write_bug_report(exc)
    assert report.path is not None and report.path.parent == log_dir()
    assert report.reference in report.path.name and len(report.reference) == 8
    text = report.path.read_text(encoding="utf-8")
    assert f"référence {report.reference}" in text
    assert "type : ValueError" in text and "type : KeyError" in text
    assert "_fail_with_secrets" in text and "tests/app/test_bug_report.py" not in text
    for secret in (PASSWORD, NAME, "Dupont", "impossible pour", "missing", str(Path.home())):
        assert secret not in text, secret
    assert stat.S_IMODE(os.stat(report.path).st_mode) == 0o600
    message = internal_error_message(report)
    assert report.reference in message and "Que faire" in message and str(report.path) in message


def test_frames_are_named_without_the_folders_around_sillage() -> None:
    assert _frame_file("/home/jean.dupont/sillage/app/cli.py") == "app/cli.py"
    assert _frame_file("/home/jean.dupont/.venv/lib/python3.11/site-packages/x/y.py") == "site-packages/x/y.py"
    assert _frame_file("/home/jean.dupont/scripts/outil.py") == "outil.py"


def test_an_unwritable_log_folder_still_gives_a_reference(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    monkeypatch.setenv("SILLAGE_LOG_DIR", str(blocker / "logs"))
    report = write_bug_report(RuntimeError("x"))
    assert report.path is None and len(report.reference) == 8
    assert "n'a pas pu être enregistré" in internal_error_message(report)
