"""One process at a time per workspace (R-2.6).

Two OS locks (``flock`` / ``msvcrt.locking``), not a PID file: one on ``sillage.lock`` (which
also says who holds it), and on POSIX one on the workspace folder itself, so that deleting the
lock file does not let a second process in (issue 10).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO

from storage.errors import WorkspaceError, os_reason


class WorkspaceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self._dir_fd: int | None = None

    def acquire(self) -> None:
        try:
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held while open
        except OSError as exc:
            raise WorkspaceError(
                f"Impossible de créer le verrou de l'espace de travail ({os_reason(exc)})."
            ) from None
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)
        dir_fd = _lock_dir(self.path.parent)
        if dir_fd == -1 or not _try_lock(handle):
            handle.seek(0)
            holder = _describe(handle.read())
            handle.close()
            if dir_fd not in (None, -1):
                _unlock_dir(dir_fd)
            raise WorkspaceError(
                f"Cet espace de travail est déjà ouvert {holder}. Fermez Sillage sur ce poste "
                "(ou attendez la fin de l'opération en cours) puis réessayez."
            )
        self._dir_fd = dir_fd
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "since": dt.datetime.now().strftime("%d/%m/%Y à %H:%M"),
                }
            )
        )
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            self._handle.seek(0)
            self._handle.truncate()
            self._handle.flush()
        _unlock(self._handle)
        self._handle.close()
        self._handle = None
        if self._dir_fd is not None:
            _unlock_dir(self._dir_fd)
            self._dir_fd = None

    @property
    def held(self) -> bool:
        return self._handle is not None


def _describe(text: str) -> str:
    try:
        info = json.loads(text)
        return (
            f"par le processus {int(info['pid'])} sur le poste « {str(info['host'])[:64]} » "
            f"depuis le {str(info['since'])[:20]}"
        )
    except (ValueError, KeyError, TypeError):
        return "par un autre processus"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle: IO[str]) -> None:
        with contextlib.suppress(OSError):
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

    def _lock_dir(directory: Path) -> int | None:
        return None  # a folder cannot be opened for locking on Windows; the file lock holds

    def _unlock_dir(fd: int) -> None:
        return None

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(handle: IO[str]) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _lock_dir(directory: Path) -> int | None:
        """Lock the workspace folder: the fd, -1 when another process holds it, None if the
        folder cannot be opened (the file lock alone then)."""
        try:
            fd = os.open(directory, os.O_RDONLY)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return -1
        return fd

    def _unlock_dir(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        with contextlib.suppress(OSError):
            os.close(fd)
