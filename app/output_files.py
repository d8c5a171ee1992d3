"""Saving documents the user asked for: temp file 0600, fsync, rename (R-8.5), never inside the
workspace folder and never over an existing file without an explicit confirmation (R-2.9)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from app.errors import KnownError, os_reason
from storage.files import atomic_write


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(path: Path, *, workspace_root: Path | None, force: bool,
                 force_hint: str = "ajoutez --force") -> Path:
    """Validate where an output will be written, before anything is produced (R-2.9).

    Refused: a path inside the workspace folder (even with ``force``), a folder, a missing or
    non-writable parent folder, and an existing file unless ``force``."""
    target = Path(os.path.abspath(Path(path).expanduser()))
    resolved = target.resolve()
    if workspace_root is not None:
        root = Path(workspace_root).expanduser().resolve()
        if _inside(resolved, root) or _inside(target, Path(os.path.abspath(workspace_root))):
            raise KnownError(
                f"« {target} » est dans le dossier de l'espace de travail : Sillage n'y écrit "
                "jamais de fichier de sortie. Choisissez un autre dossier."
            )
    if resolved.is_dir():
        raise KnownError(f"« {target} » est un dossier : indiquez le nom d'un fichier.")
    parent = resolved.parent
    if not parent.is_dir():
        raise KnownError(
            f"Le dossier « {parent} » n'existe pas : créez-le ou choisissez un autre emplacement."
        )
    if resolved.exists() and not force:
        raise KnownError(
            f"Le fichier « {target} » existe déjà et n'a pas été modifié. Pour le remplacer, "
            f"{force_hint} ; sinon choisissez un autre nom."
        )
    _probe_writable(parent)
    return resolved


def _probe_writable(folder: Path) -> None:
    """Create and remove a private empty file: the only reliable test of writability."""
    probe = folder / f".sillage-essai-{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise KnownError(
            f"Le dossier « {folder} » n'est pas accessible en écriture ({os_reason(exc)}). "
            "Choisissez un autre emplacement."
        ) from None


def save_document(path: Path, data: bytes, *, workspace_root: Path | None = None) -> None:
    """Write a document the user chose (the GUI's save dialog has confirmed any overwrite)."""
    target = check_output(Path(path), workspace_root=workspace_root, force=True)
    atomic_write(target, data)
