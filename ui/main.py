"""The ``sillage`` console entry point: the GUI by default, the command line otherwise."""

from __future__ import annotations

import sys


def _run_gui(workspace: str | None) -> int:
    from ui.app import run_gui

    return run_gui(workspace)


def main() -> int:
    from app.cli import main as cli_main
    from app.hardening import harden_process

    harden_process()
    return cli_main(gui=_run_gui)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
