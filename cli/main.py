"""The ``sillage`` console entry point (SPEC §10): one command, or the GUI when none is given.
Exit codes: 0 success, 1 refused or failed, 2 bad usage."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from app.errors import KnownError
from cli import accounts, backup, documents, dossiers, journal, rights, workspace
from cli import parser as commands
from cli.french import french

Handler = Callable[[argparse.Namespace, TextIO], int]
GuiRunner = Callable[[str | None], int]

#: every command, by name, to the function that runs it
HANDLERS: dict[str, Handler] = {
    **workspace.HANDLERS, **accounts.HANDLERS, **dossiers.HANDLERS, **journal.HANDLERS,
    **backup.HANDLERS, **documents.HANDLERS, **rights.HANDLERS,
}

BROKEN_PIPE = (
    "La sortie a été coupée avant la fin : le programme qui la lisait (par exemple « head ») "
    "s'est arrêté. Ce qui a été affiché est incomplet ; rien n'a été modifié. Pour tout obtenir, "
    "enregistrez la sortie dans un fichier (« > fichier.csv ») puis ouvrez ce fichier."
)


def main() -> int:
    """``sillage``: the process hardened first (R-3.9); no command opens the GUI."""
    from app.hardening import harden_process

    harden_process()
    return run(gui=launch_gui)


def launch_gui(workspace: str | None) -> int:
    from ui.main import run_gui

    return run_gui(workspace)


def run(argv: Sequence[str] | None = None, stdin: TextIO | None = None,
        gui: GuiRunner | None = None) -> int:
    """Run one command. ``gui`` opens the application when no command is given."""
    try:
        return _dispatch(argv, stdin or sys.stdin, gui)
    except KnownError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrompu : rien n'a été laissé à moitié écrit.", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _stdout_to_devnull()
        print(BROKEN_PIPE, file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the CLI's one boundary: a bug becomes a report (R-9.4)
        from app.bug_report import report_and_describe

        print(report_and_describe(exc)[1], file=sys.stderr)
        return 1


def _dispatch(argv: Sequence[str] | None, stdin: TextIO, gui: GuiRunner | None) -> int:
    parser = commands.build_parser()
    args, extras = parser.parse_known_args(argv)
    command = args.command or "gui"
    if command in commands.LATER:  # whatever follows, the same answer
        raise KnownError(commands.not_yet_message(command))
    if extras:
        parser.error(french("unrecognized arguments: %s") % " ".join(extras))
    if command == "gui":
        if gui is None:
            raise KnownError("L'interface graphique se lance avec la commande « sillage ».")
        return gui(args.workspace)
    handler = HANDLERS.get(command)
    if handler is None:
        raise KnownError(commands.not_yet_message(command))
    code = handler(args, stdin)
    sys.stdout.flush()  # a reader that stopped early is seen here, not at exit
    return code


def _stdout_to_devnull() -> None:
    """After a broken pipe, the rest of the output (and Python's flush at exit) goes nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a stdout without a file (tests)
        return


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
