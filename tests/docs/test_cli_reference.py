"""docs/reference-cli.md is the real help of every command (SPEC §10, §12)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "tools" / "cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_up_to_date() -> None:
    """Fails when a command, an option or a help text changed without the reference."""
    tool = _tool()
    current = tool.TARGET.read_text(encoding="utf-8")
    assert current == tool.render(), (
        "docs/reference-cli.md n'est plus à jour : lancez « python tools/cli_reference.py »")


def test_cli_reference_lists_every_command_of_the_parser() -> None:
    import argparse

    from cli.parser import build_parser

    text = (ROOT / "docs" / "reference-cli.md").read_text(encoding="utf-8")

    def names(parser: argparse.ArgumentParser, path: str) -> list[str]:
        found = [path]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found += names(sub, f"{path} {name}")
        return found

    commands = names(build_parser(), "sillage")
    assert len(commands) > 20
    for command in commands:
        assert f"## `{command}`" in text, command


def test_cli_reference_is_what_help_prints() -> None:
    """The sections are the output of ``sillage … --help`` run as a real process."""
    text = (ROOT / "docs" / "reference-cli.md").read_text(encoding="utf-8")
    env = {**os.environ, "COLUMNS": str(_tool().WIDTH)}
    for args in ([], ["backup", "restore"]):
        run = subprocess.run([sys.executable, "-m", "cli", *args, "--help"], capture_output=True,
                             text=True, env=env, cwd=ROOT, timeout=60)
        assert run.returncode == 0, run.stderr
        assert "```text\n" + run.stdout.rstrip("\n") + "\n```" in text, args
