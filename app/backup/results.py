"""What a backup, a verification or a restore reports, in the words shown to the user (R-9.1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reports.french import date_time, short_date
from storage.backup import ContentReport, Manifest


def french(when: dt.datetime) -> str:
    """« 24/11/2026 à 14:05 UTC »"""
    return date_time(when.astimezone(dt.UTC), at=True) + " UTC"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} Mio".replace(".", ",")
    return f"{max(1, n // 1024)} Kio"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup says about itself (readable without the key, trusted only once verified)."""

    path: Path
    manifest: Manifest

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.manifest.created_at)

    @property
    def size(self) -> int:
        return sum(p.size for p in self.manifest.parts)


@dataclass(frozen=True)
class _Checked:
    """A backup whose content was checked (databases opened, journal verified), and how long it took."""

    info: BackupInfo
    content: ContentReport
    seconds: float


@dataclass(frozen=True)
class BackupResult(_Checked):
    """A backup made, checked and written in place."""

    @property
    def message(self) -> str:
        return (
            f"Sauvegarde enregistrée dans « {self.info.path} » et vérifiée : {self.content.dossiers} "
            f"dossiers, {self.content.journal_entries} entrées du journal ({_size(self.info.size)})."
        )


@dataclass(frozen=True)
class VerifyResult(_Checked):
    """A backup checked in full without restoring it."""

    @property
    def message(self) -> str:
        return (
            f"Sauvegarde intègre, faite le {french(self.info.created_at)} : {self.content.dossiers} "
            f"dossiers, {self.content.users} comptes, {self.content.journal_entries} entrées du journal "
            "vérifiées."
        )


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    content: ContentReport
    target: Path
    previous: Path | None  # where the replaced workspace was kept
    rollback: str | None  # the warning when the backup is older than a known one
    seconds: float

    @property
    def message(self) -> str:
        text = (
            f"Sauvegarde du {french(self.info.created_at)} restaurée dans « {self.target} » : "
            f"{self.content.dossiers} dossiers."
        )
        if self.previous is not None:
            text += f" L'ancien espace de travail a été conservé dans « {self.previous} »."
        if self.rollback:
            text += " " + self.rollback
        return text


@dataclass(frozen=True)
class BackupStatus:
    last_at: dt.datetime | None
    last_path: str | None
    reminder: str | None

    @property
    def short(self) -> str:
        """For the status bar."""
        if self.last_at is None:
            return "Sauvegarde : aucune"
        return f"Sauvegarde : {short_date(self.last_at)}"
