"""Where a command finds its workspace and how it signs in (``--user`` and ``--password-stdin``)."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import TextIO

from app.errors import KnownError, UsageError
from app.session import Session
from app.workspace import Workspace, resolve_workspace


def read_stdin_lines(count: int, stdin: TextIO) -> list[str]:
    lines = []
    for _ in range(count):
        line = stdin.readline()
        if not line:
            raise UsageError("Entrée standard incomplète : une ligne de mot de passe est attendue.")
        lines.append(line.rstrip("\r\n"))
    return lines


def workspace_of(args: argparse.Namespace) -> Workspace:
    return Workspace(resolve_workspace(args.workspace))


def existing_workspace(args: argparse.Namespace) -> Workspace:
    workspace = workspace_of(args)
    if not workspace.exists():
        raise KnownError(f"Aucun espace de travail dans « {workspace.root} ».")
    return workspace


@contextlib.contextmanager
def signed_in(args: argparse.Namespace, stdin: TextIO,
              extra_lines: int = 0) -> Iterator[tuple[Session, list[str]]]:
    """The session of ``--user`` (password on the first line of stdin) and the ``extra_lines``
    after it; closed, and the workspace released, when the command is done."""
    if not args.user or not args.password_stdin:
        raise UsageError("Cette commande demande --user LOGIN et --password-stdin.")
    lines = read_stdin_lines(1 + extra_lines, stdin)
    session = existing_workspace(args).login(args.user, lines[0])
    try:
        yield session, lines[1:]
    finally:
        session.close()
        session.workspace.release()

