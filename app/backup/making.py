"""Making and verifying a backup, without a session: a worker thread can run them (R-9.1, R-9.2)."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from pathlib import Path
from typing import Any

from app.backup.results import BackupInfo, BackupResult, VerifyResult
from app.clock import Clock
from app.errors import KnownError
from app.version import VERSION
from storage import backup as archive_format
from storage.backup import Progress

APP_VERSION = VERSION

INSIDE_WORKSPACE = (
    "Une sauvegarde ne peut pas être enregistrée dans le dossier de l'espace de travail : "
    "choisissez un autre emplacement (clé USB, disque externe, partage réseau)."
)


def iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def is_inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:  # pragma: no cover - resolve() only fails on loops
        return False


def check_destination(target: Path, workspace_root: Path, *, force: bool) -> Path:
    target = Path(target).expanduser()
    if target.is_dir():
        raise KnownError(f"« {target} » est un dossier : indiquez un nom de fichier de sauvegarde.")
    target = target.parent.resolve() / target.name
    if is_inside(target, workspace_root):
        raise KnownError(INSIDE_WORKSPACE)
    if not target.parent.is_dir():
        raise KnownError(f"Le dossier « {target.parent} » n'existe pas.")
    if target.exists() and not force:
        raise KnownError(
            f"Le fichier « {target} » existe déjà : il n'a pas été modifié "
            "(confirmez le remplacement, ou --force en ligne de commande)."
        )
    return target


class Phases:
    """Maps the progress of each phase onto one 0..total scale for the caller."""

    STEPS = 1000

    def __init__(self, progress: Progress | None, names: tuple[str, ...]) -> None:
        self._progress = progress
        self._count = len(names)

    def phase(self, index: int) -> Progress:
        def report(done: int, total: int) -> bool:
            if self._progress is None:
                return True
            fraction = (index + (done / total if total else 1)) / self._count
            return self._progress(int(fraction * self.STEPS), self.STEPS) is not False

        return report


def create_backup(
    root: Path, dmk: bytes, target: Path, *, clock: Clock, progress: Progress | None = None
) -> BackupResult:
    """Snapshot, check, then write ``target`` atomically. Progress: three phases of 0-100 %."""
    started = time.perf_counter()
    phases = Phases(progress, ("copie", "vérification", "écriture"))
    with archive_format.scratch_dir(target.parent) as staging:
        archive_format.snapshot(root, dmk, staging, phases.phase(0))
        phases.phase(1)(0, 1)
        content = archive_format.check_content(staging, dmk, None)
        phases.phase(1)(1, 1)
        now = clock.now()
        manifest = archive_format.sign(dmk, _manifest_body(staging, dmk, content, now))
        archive_format.write_archive(target, manifest, staging, int(now.timestamp()), phases.phase(2))
    return BackupResult(BackupInfo(target, manifest), content, time.perf_counter() - started)


def _manifest_body(
    staging: Path, dmk: bytes, content: archive_format.ContentReport, now: dt.datetime
) -> dict[str, Any]:
    """What the manifest says of the checked copy in ``staging`` (signed by the caller)."""
    names = archive_format.workspace_files(staging)  # the check may add a partition file
    meta = archive_format.read_meta(staging, dmk)
    return {
        "created_at": iso(now),
        "backup_id": secrets.token_hex(8),
        "workspace_id": meta.get("workspace_id", ""),
        "demo": meta.get("is_demo") == "1",
        "schema_version": content.schema_version,
        # which key opens it, and when that key was made (renewals, R-2.8)
        "key_id": archive_format.key_fingerprint(dmk),
        "key_since": meta.get("dmk_renewed_at") or meta.get("created_at", ""),
        "keyslot_generation": int(meta.get("keyslot_generation", "0") or 0),
        "journal": {"seq": content.journal_seq, "hash": content.journal_hash},
        "seal": archive_format.read_seal(staging, dmk),  # the latest journal seal, an anchor
        "app_version": APP_VERSION,
        "parts": archive_format.describe_parts(staging, names),
    }


def read_info(path: Path) -> BackupInfo:
    """The manifest of a backup, structure checked but not authenticated (list screens)."""
    archive = archive_format.open_archive(Path(path))
    return BackupInfo(archive.path, archive.manifest)


def verify_backup(path: Path, dmk: bytes, *, progress: Progress | None = None) -> VerifyResult:
    """Check a backup fully without restoring it: structure, signature, hashes, databases, journal."""
    started = time.perf_counter()
    path = Path(path).expanduser().resolve()
    archive = archive_format.open_archive(path)
    archive_format.authenticate(archive, dmk)
    phases = Phases(progress, ("lecture", "vérification"))
    with archive_format.scratch_dir() as scratch:
        archive_format.extract(archive, scratch, phases.phase(0))
        content = archive_format.check_content(scratch, dmk, archive.manifest)
        phases.phase(1)(1, 1)
    return VerifyResult(BackupInfo(path, archive.manifest), content, time.perf_counter() - started)
