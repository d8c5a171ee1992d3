"""Backups: make, verify and restore (R-9.1), crash-safe (R-9.2), refusing what is not ours (R-9.3).

A backup holds every database of the workspace, still encrypted with the workspace key, so the
recovery key opens it (R-2.3). It is made from a consistent snapshot, checked (every database
opened, the journal chain verified) *before* the archive is written under a temporary name and
renamed into place. Verifying or restoring authenticates the manifest with the key, checks the
SHA-256 of every part while unpacking it into a private folder, opens every database and
verifies the journal chain. A restore is built beside its target and renamed into place once
complete; the workspace it replaces is kept aside, never deleted. Restoring a backup older than
the last one made or restored for that workspace is flagged as a rollback and journaled.

The package: ``results`` (what each operation reports), ``making`` (create and verify, no
session needed), ``rollback`` (the registry of the newest backup, outside the workspace),
``restore`` (build beside, then put in place), ``service`` (``BackupService`` for a session).
The file format itself is ``storage.backup``.
"""

from app.backup.making import check_destination, create_backup, read_info, verify_backup
from app.backup.restore import PreparedRestore, build_restore, put_in_place, restore_backup
from app.backup.results import BackupInfo, BackupResult, BackupStatus, RestoreResult, VerifyResult
from app.backup.rollback import rollback_warning, state_dir
from app.backup.service import BackupService
from storage.backup import BackupCancelled as BackupCancelled  # told apart by the UI

__all__ = [
    "BackupCancelled",
    "BackupInfo",
    "BackupResult",
    "BackupService",
    "BackupStatus",
    "PreparedRestore",
    "RestoreResult",
    "VerifyResult",
    "build_restore",
    "check_destination",
    "create_backup",
    "put_in_place",
    "read_info",
    "restore_backup",
    "rollback_warning",
    "state_dir",
    "verify_backup",
]
