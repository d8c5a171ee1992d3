"""Where a workspace lives (R-2.1) and whether a folder can hold one (R-9.4), checked before
anything touches the disk; the temporary sibling folders of creations (R-2.9)."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from pathlib import Path

import platformdirs

from app.errors import KnownError, WorkspaceError, os_reason
from storage.lock import WorkspaceLock

APP_NAME = "Sillage"
ENV_WORKSPACE = "SILLAGE_WORKSPACE"
#: what a creation's temporary sibling folder is called: .<name>.sillage-creation-<random>
_STAGING = ".sillage-creation-"
#: bytes in one file or folder name on the usual file systems (ext4, NTFS, APFS)
NAME_MAX = 255
#: what Sillage adds to a workspace folder's name for its siblings (creation, restore)
_SIBLING_EXTRA = len(_STAGING) + 10


def default_workspace() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_demo_workspace() -> Path:
    return Path(platformdirs.user_data_dir(f"{APP_NAME}-demo", appauthor=False))


def resolve_workspace(option: str | os.PathLike[str] | None) -> Path:
    """--workspace, then $SILLAGE_WORKSPACE, then the per-user data folder (R-2.1)."""
    if option:
        return Path(option).expanduser().resolve()
    env = os.environ.get(ENV_WORKSPACE)
    if env:
        return Path(env).expanduser().resolve()
    return default_workspace()


def staging_prefix(root: Path) -> str:
    return f".{root.name}{_STAGING}"


def new_staging_folder(root: Path) -> Path:
    """A fresh name for the sibling folder a creation is built in."""
    return root.parent / f"{staging_prefix(root)}{secrets.token_hex(4)}"


def check_location(root: Path) -> None:
    """R-9.4: a workspace folder whose name no file system accepts is refused in French, with
    what to do, before anything touches the disk. Its own name must leave room for the
    temporary siblings Sillage makes beside it (creation, restore)."""
    limit = NAME_MAX - _SIBLING_EXTRA
    for index, part in enumerate(root.parts):
        size = len(os.fsencode(part))
        if size > NAME_MAX or (index == len(root.parts) - 1 and size > limit):
            shown = part if len(part) <= 40 else f"{part[:20]}…{part[-10:]}"
            raise WorkspaceError(
                f"Le nom de dossier « {shown} » est trop long ({len(part)} caractères) : choisissez "
                f"un nom plus court (au plus {limit} lettres sans accent, moins avec des accents). "
                "Rien n'a été créé."
            )
    if len(os.fsencode(str(root))) > 3800:
        raise WorkspaceError(
            "Le chemin de l'espace de travail est trop long : choisissez un dossier moins profond. "
            "Rien n'a été créé."
        )


def _nearest_existing(path: Path) -> Path:
    above = path
    while True:
        try:
            above.stat()
            return above
        except FileNotFoundError:
            above = above.parent
        except OSError as exc:
            if exc.errno == errno.ENOTDIR:
                above = above.parent
                continue
            raise WorkspaceError(
                f"Le dossier « {above} » n'est pas accessible ({os_reason(exc)}) : choisissez un "
                "autre emplacement. Rien n'a été créé."
            ) from None


def check_new_location(root: Path) -> None:
    """Before creating ``root``: the nearest existing folder above it must be a folder Sillage
    can write in (a file in the way, a read-only or system place are said, with what to do)."""
    check_location(root)
    above = _nearest_existing(root.parent)
    if not above.is_dir():
        raise WorkspaceError(
            f"« {above} » est un fichier, pas un dossier : l'espace de travail ne peut pas être créé "
            "dedans. Choisissez un autre emplacement. Rien n'a été créé."
        )
    probe = above / f".sillage-essai-{secrets.token_hex(4)}"
    try:
        probe.mkdir(mode=0o700)
        probe.rmdir()
    except OSError as exc:
        raise WorkspaceError(
            f"Sillage ne peut pas créer de dossier dans « {above} » ({os_reason(exc)}) : choisissez "
            "un emplacement où vous pouvez écrire, par exemple un dossier de vos Documents. "
            "Rien n'a été créé."
        ) from None


def check_empty_target(root: Path) -> None:
    if not root.exists():
        return
    if not root.is_dir():
        raise WorkspaceError(
            f"« {root} » est un fichier, pas un dossier : choisissez un autre emplacement. "
            "Rien n'a été créé."
        )
    try:
        entries = sorted(p.name for p in root.iterdir())
    except OSError as exc:
        raise WorkspaceError(f"Le dossier « {root} » n'est pas lisible ({os_reason(exc)}).") from None
    if entries:
        shown = ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")
        raise WorkspaceError(
            f"Le dossier « {root} » n'est pas vide ({shown}) : choisissez un dossier vide ou un "
            "nouveau dossier. Rien n'a été créé ni supprimé."
        )


def clean_abandoned_creations(root: Path) -> list[Path]:
    """Remove the temporary folders of creations that were killed before the end (R-2.9).
    A folder whose creation is still running (its lock is held) is left alone."""
    removed: list[Path] = []
    parent = root.parent
    if not parent.is_dir():
        return removed
    for candidate in parent.glob(f"{staging_prefix(root)}*"):
        if not candidate.is_dir() or candidate.is_symlink():
            continue
        lock = WorkspaceLock(candidate / "sillage.lock")
        try:
            lock.acquire()
        except KnownError:
            continue  # another process is creating it right now
        lock.release()
        shutil.rmtree(candidate, ignore_errors=True)
        removed.append(candidate)
    return removed
