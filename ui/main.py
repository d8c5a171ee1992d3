"""The GUI's one door for the command line: ``sillage`` with no command, or ``sillage gui``
(the console entry point is ``cli.main:main``)."""

from __future__ import annotations


def run_gui(workspace: str | None) -> int:
    """Open the application on ``workspace`` (else the default one); returns its exit code."""
    from ui.bootstrap import run_gui as run

    return run(workspace)
