"""The recovery key in a file the organisation prints and keeps (R-2.3, R-2.9): written so that
it is read back whole before anyone relies on it, and read back to open a backup."""

from __future__ import annotations

from pathlib import Path

from app.errors import KnownError, os_reason
from storage.files import atomic_write
from storage.recovery_key import decode


def write_recovery_key(path: Path, recovery: str) -> str | None:
    """Write the key atomically (0600, fsync, rename) and read it back. ``None`` when the file
    holds the key; else why not, in French."""
    try:
        atomic_write(path, (recovery + "\n").encode("ascii"))
        if decode(path.read_text(encoding="ascii")) == decode(recovery):
            return None
        return "le fichier relu ne contient pas la clé"
    except KnownError as exc:
        return exc.message
    except OSError as exc:
        return os_reason(exc)
    except UnicodeDecodeError:
        return "le fichier relu est illisible"


def read_recovery_key(path: str) -> bytes:
    """The raw key held in a recovery key file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise KnownError(f"Impossible de lire la clé de secours « {path} » ({os_reason(exc)}).") from None
    except UnicodeDecodeError:
        raise KnownError(f"Le fichier « {path} » ne contient pas une clé de secours.") from None
    return decode(text)


def raw_key_hex(recovery: str) -> str:
    """The 64-hex raw key of a typed recovery key (for a standard SQLCipher client)."""
    return decode(recovery).hex()
