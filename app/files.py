"""Saving documents the user asked for: temp file 0600, fsync, rename (R-8.5)."""

from __future__ import annotations

from pathlib import Path

from storage.files import atomic_write


def save_document(path: Path, data: bytes) -> None:
    atomic_write(Path(path), data)
