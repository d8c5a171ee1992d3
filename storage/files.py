"""Atomic, private file writes: temp file with 0600 first, write, fsync, os.replace (R-8.5, R-2.2)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from storage.errors import WorkspaceError, os_reason


def atomic_write(path: Path, data: bytes) -> None:
    directory = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _os_error(exc, path) from None
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_dir(directory)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _os_error(exc, path) from None


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _os_error(exc: OSError, path: Path) -> WorkspaceError:
    import errno

    if exc.errno == errno.ENOSPC:
        return WorkspaceError(
            f"Le disque est plein : « {path.name} » n'a pas pu être écrit et l'ancien fichier "
            "est intact. Libérez de la place puis réessayez."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WorkspaceError(
            f"Le dossier « {path.parent} » n'est pas accessible en écriture. "
            "Choisissez un autre emplacement ou vérifiez les droits."
        )
    return WorkspaceError(f"Impossible d'écrire « {path.name} » ({os_reason(exc)}).")


def private_dir(path: Path) -> None:
    """Create a folder readable by its owner only (R-3.9)."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)
    except OSError as exc:
        raise _os_error(exc, path / ".") from None
