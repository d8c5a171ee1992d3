"""Restoring a backup: built beside its target, checked, journaled, then renamed into place;
the workspace it replaces is kept aside, never deleted (R-9.1, R-9.2)."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NotRequired, TypedDict, Unpack

from app.backup.making import Phases
from app.backup.results import BackupInfo, RestoreResult
from app.backup.rollback import remember, rollback_warning
from app.clock import Clock
from app.errors import KnownError
from app.journal.events import Action
from storage import backup as archive_format
from storage.backup import BUILDING, READY, Archive, ContentReport, Manifest, Progress, account_of
from storage.connection import transaction
from storage.files import _os_error, fsync_dir
from storage.journal import to_micros
from storage.keyslots import KeySlotFile
from storage.lock import WorkspaceLock
from storage.meta import set_meta
from storage.store import Store, WorkspacePaths


def _remove_leftovers(root: Path) -> None:
    """Half-built restores of ``root`` (the caller holds the target's lock or it does not exist)."""
    parent = root.parent
    if not parent.is_dir():
        return
    prefix = BUILDING.format(name=root.name)
    for entry in parent.iterdir():
        if entry.is_dir() and (entry.name.startswith(prefix) or entry.name == READY.format(name=root.name)):
            shutil.rmtree(entry, ignore_errors=True)


def _is_workspace(folder: Path) -> bool:
    return (folder / "sillage.db").exists() or (folder / "keyslots.json").exists()


@dataclass
class PreparedRestore:
    """A restore built beside its target and checked, waiting for its last two renames."""

    archive: Archive
    content: ContentReport
    target: Path
    ready: Path
    replacing: bool
    rollback: str | None
    dmk: bytes
    clock: Clock
    started: float
    lock: WorkspaceLock | None

    def abandon(self) -> None:
        shutil.rmtree(self.ready, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


class RestoreOptions(TypedDict):
    """The keyword arguments of a restore: who restores (``actor_login``, None with the
    recovery key), replacing an existing workspace (``force``), whose lock the caller already
    holds (``lock_held``)."""

    clock: Clock
    actor_login: str | None
    force: NotRequired[bool]
    lock_held: NotRequired[bool]
    progress: NotRequired[Progress | None]


def restore_backup(path: Path, target: Path, dmk: bytes, **options: Unpack[RestoreOptions]) -> RestoreResult:
    """Restore ``path`` into ``target`` (new, empty, or an existing workspace with ``force``)."""
    return put_in_place(build_restore(path, target, dmk, **options))


def build_restore(
    path: Path,
    target: Path,
    dmk: bytes,
    *,
    clock: Clock,
    actor_login: str | None,
    force: bool = False,
    lock_held: bool = False,
    progress: Progress | None = None,
) -> PreparedRestore:
    """Unpack, check and journal the restored workspace beside ``target`` (the long part: a
    worker thread can run it while the current workspace stays open). Nothing is replaced yet."""
    started = time.perf_counter()
    path = Path(path).expanduser().resolve()
    target = Path(target).expanduser()
    target = target.parent.resolve() / target.name
    archive = archive_format.open_archive(path)
    archive_format.authenticate(archive, dmk)
    replacing = _check_target(path, target, force=force)
    lock: WorkspaceLock | None = None
    if replacing and not lock_held:
        lock = WorkspaceLock(target / "sillage.lock")
        lock.acquire()
    try:
        _remove_leftovers(target)
        ready = target.parent / READY.format(name=target.name)
        content, rollback = _build(archive, target, ready, dmk, clock, actor_login, replacing, progress)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return PreparedRestore(archive, content, target, ready, replacing, rollback, dmk, clock, started, lock)


def _check_target(path: Path, target: Path, *, force: bool) -> bool:
    """Whether the restore replaces a workspace at ``target``; raises where it may not go."""
    if target.resolve() == path.parent.resolve():
        raise KnownError("Le dossier de destination ne peut pas être celui qui contient la sauvegarde.")
    if not target.parent.is_dir():
        raise KnownError(f"Le dossier « {target.parent} » n'existe pas.")
    archive_format.finish_interrupted_restore(target)
    replacing = target.exists() and any(target.iterdir()) if target.is_dir() else target.exists()
    if replacing and not _is_workspace(target):
        raise KnownError(
            f"Le dossier « {target} » n'est pas vide et n'est pas un espace de travail Sillage : "
            "choisissez un dossier vide ou nouveau. Rien n'a été modifié."
        )
    if replacing and not force:
        raise KnownError(
            f"« {target} » contient déjà un espace de travail : confirmez son remplacement "
            "(--force en ligne de commande). L'ancien espace sera conservé à côté."
        )
    return replacing


def _build(
    archive: Archive, target: Path, ready: Path, dmk: bytes, clock: Clock, actor_login: str | None,
    replacing: bool, progress: Progress | None,
) -> tuple[ContentReport, str | None]:
    """Unpack into a private folder, check and journal there, then rename it ``ready``."""
    manifest = archive.manifest
    building = target.parent / f"{BUILDING.format(name=target.name)}{secrets.token_hex(4)}"
    phases = Phases(progress, ("lecture", "vérification"))
    try:
        os.mkdir(building, 0o700)
    except OSError as exc:
        raise _os_error(exc, building) from None
    try:
        archive_format.extract(archive, building, phases.phase(0))
        content = archive_format.check_content(building, dmk, manifest)
        rollback = rollback_warning(dmk, manifest, target if replacing else None)
        _record_restore(building, dmk, manifest, clock, actor_login, rollback)
        phases.phase(1)(1, 1)
        os.replace(building, ready)
        fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return content, rollback


def put_in_place(prepared: PreparedRestore) -> RestoreResult:
    """The two renames: the replaced workspace aside (kept), the restored one in its place.
    A kill between them is finished by the next opening (``finish_interrupted_restore``)."""
    target, ready = prepared.target, prepared.ready
    previous: Path | None = None
    try:
        if prepared.replacing:
            previous = _aside_name(target, prepared.clock)
            os.replace(target, previous)
        elif target.is_dir():
            target.rmdir()  # an empty folder chosen as destination
        try:
            os.replace(ready, target)
        except FileNotFoundError:
            if not target.exists():  # pragma: no cover - another start finished it: nothing else can
                raise
        fsync_dir(target.parent)
    except OSError as exc:
        raise _os_error(exc, target) from None
    finally:
        prepared._release()
    remember(prepared.dmk, prepared.archive.manifest)
    return RestoreResult(
        BackupInfo(prepared.archive.path, prepared.archive.manifest), prepared.content, target, previous,
        prepared.rollback, time.perf_counter() - prepared.started,
    )


def _aside_name(target: Path, clock: Clock) -> Path:
    """Where the replaced workspace is kept: beside it, dated, never over an earlier one."""
    stamp = clock.now().astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
    previous = target.parent / f"{target.name}.avant-restauration-{stamp}"
    n = 1
    while previous.exists():
        n += 1
        previous = target.parent / f"{target.name}.avant-restauration-{stamp}-{n}"
    return previous


def _record_restore(
    root: Path, dmk: bytes, manifest: Manifest, clock: Clock, actor_login: str | None,
    rollback: str | None,
) -> None:
    """Journal the restore inside the restored workspace, with what it came from (R-9.1)."""
    paths = WorkspacePaths(root)
    store = Store.open(paths, dmk, KeySlotFile.load(paths.keyslots))
    try:
        user_id, profile = account_of(store.conn, actor_login)
        detail = f"restauration de la sauvegarde du {manifest.created_at} ({manifest.backup_id})"
        if actor_login is None:
            detail += " avec la clé de secours"
        if rollback:
            detail += " ; retour en arrière signalé"
        with transaction(store.conn, paths.db):
            store.journal.append(
                to_micros(clock.now()), user_id, profile, None, "sauvegarde",
                Action.SAUVEGARDE.value, detail,
            )
            set_meta(store.conn, "backup_restored_created_at", manifest.created_at)
            set_meta(store.conn, "backup_restored_journal_seq", str(manifest.journal_seq))
            set_meta(store.conn, "backup_restored_id", manifest.backup_id)
        store.journal.flush()
    finally:
        store.close()
