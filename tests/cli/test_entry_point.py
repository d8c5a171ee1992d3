"""The ``sillage`` console entry point (SPEC §10, issue 9): ``cli.main:main``; with no command it
opens the GUI (through ``ui.main``), with one it runs it."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("argv", "workspace"), [([], None), (["--workspace", "ici"], "ici"),
                                                 (["gui"], None), (["gui", "--workspace", "là"], "là")])
def test_no_command_or_gui_opens_the_application_on_the_workspace_given(
        argv: list[str], workspace: str | None) -> None:
    opened: list[str | None] = []

    def gui(where: str | None) -> int:
        opened.append(where)
        return 7

    assert run(argv, gui=gui) == 7
    assert opened == [workspace]


def test_the_console_script_is_the_command_line_package() -> None:
    scripts = {e.name: e.value for e in importlib.metadata.entry_points(group="console_scripts")}
    assert scripts.get("sillage") == "cli.main:main"


def test_sillage_without_a_command_starts_the_gui_and_closes_it(tmp_path: Path) -> None:
    """The real entry point, offscreen: no workspace in the folder, so the welcome window opens;
    SILLAGE_SCREENSHOT draws it to a file and quits (as the packaging smoke test does)."""
    script = Path(sys.executable).parent / "sillage"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "cli"]
    shot = tmp_path / "welcome.png"
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", SILLAGE_SCREENSHOT=str(shot))
    done = subprocess.run([*command, "--workspace", str(tmp_path / "rien")], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 1000
    assert not (tmp_path / "rien").exists()  # the welcome window only offers; nothing is created
