"""Backups: make, verify and restore (R-9.1), crash-safe (R-9.2), refusing what is not ours (R-9.3).

A backup holds every database of the workspace, still encrypted with the workspace key, so the
recovery key opens it (R-2.3). It is made from a consistent snapshot, checked (every database
opened, the journal chain verified) *before* the archive is written under a temporary name and
renamed into place. Verifying or restoring authenticates the manifest with the key, checks the
SHA-256 of every part while unpacking it into a private folder, opens every database and
verifies the journal chain. A restore is built beside its target and renamed into place once
complete; the workspace it replaces is kept aside, never deleted. Restoring a backup older than
the last one made or restored for that workspace is flagged as a rollback and journaled.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from app.auth.access import gated_service, require_right
from app.auth.permissions import Right
from app.clock import Clock
from app.errors import KnownError
from app.journal.events import Action
from app.session import Session
from storage import backup as archive_format
from storage.backup import BUILDING, READY, Archive, ContentReport, Manifest, Progress
from storage.backup import BackupCancelled as BackupCancelled  # told apart by the UI
from storage.connection import open_database, transaction
from storage.files import atomic_write, fsync_dir
from storage.journal import to_micros
from storage.keyslots import KeySlotFile, hkdf
from storage.lock import WorkspaceLock
from storage.store import Store, WorkspacePaths, get_meta, set_meta

APP_VERSION = "0.1.0"
REMINDER_DAYS = 7
ENV_STATE_DIR = "SILLAGE_STATE_DIR"
SUFFIX = ".sillage"
FOLDER_KEY = "setting.backup_folder"

# -- results -------------------------------------------------------------------------------------
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
class BackupResult:
    info: BackupInfo
    content: ContentReport
    seconds: float

    @property
    def message(self) -> str:
        return (
            f"Sauvegarde enregistrée dans « {self.info.path} » et vérifiée : {self.content.dossiers} "
            f"dossiers, {self.content.journal_entries} entrées du journal ({_size(self.info.size)})."
        )


@dataclass(frozen=True)
class VerifyResult:
    info: BackupInfo
    content: ContentReport
    seconds: float

    @property
    def message(self) -> str:
        return (
            f"Sauvegarde intègre, faite le {_french(self.info.created_at)} : {self.content.dossiers} "
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
            f"Sauvegarde du {_french(self.info.created_at)} restaurée dans « {self.target} » : "
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
        return f"Sauvegarde : {self.last_at:%d/%m/%Y}"


def _french(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%d/%m/%Y à %H:%M UTC")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} Mio".replace(".", ",")
    return f"{max(1, n // 1024)} Kio"


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


# -- where a backup may go -----------------------------------------------------------------------
INSIDE_WORKSPACE = (
    "Une sauvegarde ne peut pas être enregistrée dans le dossier de l'espace de travail : "
    "choisissez un autre emplacement (clé USB, disque externe, partage réseau)."
)


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:  # pragma: no cover - resolve() only fails on loops
        return False


def check_destination(target: Path, workspace_root: Path, *, force: bool) -> Path:
    target = Path(target).expanduser()
    if target.is_dir():
        raise KnownError(f"« {target} » est un dossier : indiquez un nom de fichier de sauvegarde.")
    target = target.parent.resolve() / target.name
    if _is_inside(target, workspace_root):
        raise KnownError(INSIDE_WORKSPACE)
    if not target.parent.is_dir():
        raise KnownError(f"Le dossier « {target.parent} » n'existe pas.")
    if target.exists() and not force:
        raise KnownError(
            f"Le fichier « {target} » existe déjà : il n'a pas été modifié "
            "(confirmez le remplacement, ou --force en ligne de commande)."
        )
    return target


# -- making a backup (no session needed: a worker thread can run it) -----------------------------
def create_backup(
    root: Path, dmk: bytes, target: Path, *, clock: Clock, progress: Progress | None = None
) -> BackupResult:
    """Snapshot, check, then write ``target`` atomically. Progress: three phases of 0-100 %."""
    started = time.perf_counter()
    phases = _Phases(progress, ("copie", "vérification", "écriture"))
    with archive_format.scratch_dir(target.parent) as staging:
        archive_format.snapshot(root, dmk, staging, phases.phase(0))
        phases.phase(1)(0, 1)
        content = archive_format.check_content(staging, dmk, None)
        phases.phase(1)(1, 1)
        names = archive_format.workspace_files(staging)  # the check may add a partition file
        meta = _read_meta(staging, dmk)
        now = clock.now()
        body: dict[str, Any] = {
            "created_at": _iso(now),
            "backup_id": secrets.token_hex(8),
            "workspace_id": meta.get("workspace_id", ""),
            "demo": meta.get("is_demo") == "1",
            "schema_version": content.schema_version,
            # which key opens it, and when that key was made (renewals, R-2.8)
            "key_id": archive_format.key_fingerprint(dmk),
            "key_since": meta.get("dmk_renewed_at") or meta.get("created_at", ""),
            "keyslot_generation": int(meta.get("keyslot_generation", "0") or 0),
            "journal": {"seq": content.journal_seq, "hash": content.journal_hash},
            "seal": _read_seal(staging, dmk),  # the latest journal seal, an anchor
            "app_version": APP_VERSION,
            "parts": archive_format.describe_parts(staging, names),
        }
        manifest = archive_format.sign(dmk, body)
        archive_format.write_archive(target, manifest, staging, int(now.timestamp()), phases.phase(2))
    return BackupResult(BackupInfo(target, manifest), content, time.perf_counter() - started)


class _Phases:
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


def _read_seal(root: Path, dmk: bytes) -> dict[str, Any] | None:
    from storage.journal import seal_anchor

    conn = open_database(root / "sillage.db", dmk, quick_check=False, read_only=True)
    try:
        return seal_anchor(conn)
    finally:
        conn.close()


def _read_meta(root: Path, dmk: bytes) -> dict[str, str]:
    conn = open_database(root / "sillage.db", dmk, quick_check=False, read_only=True)
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
    finally:
        conn.close()


# -- verifying -------------------------------------------------------------------------------------
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
    phases = _Phases(progress, ("lecture", "vérification"))
    with archive_format.scratch_dir() as scratch:
        archive_format.extract(archive, scratch, phases.phase(0))
        content = archive_format.check_content(scratch, dmk, archive.manifest)
        phases.phase(1)(1, 1)
    return VerifyResult(BackupInfo(path, archive.manifest), content, time.perf_counter() - started)


# -- rollback detection ---------------------------------------------------------------------------
def state_dir() -> Path:
    env = os.environ.get(ENV_STATE_DIR)
    if env:
        return Path(env)
    return Path(platformdirs.user_state_dir("Sillage", appauthor=False))


def _registry_path() -> Path:
    return state_dir() / "sauvegardes.json"


def _registry_mac(dmk: bytes, workspace_id: str, entry: dict[str, Any]) -> str:
    body = json.dumps([workspace_id, entry], sort_keys=True, separators=(",", ":")).encode()
    return hmac.digest(hkdf(dmk, b"sillage backup registry v1"), body, "sha256").hex()


def _load_registry() -> dict[str, Any]:
    try:
        data = json.loads(_registry_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _registry_entry(dmk: bytes, workspace_id: str) -> tuple[str, int] | None:
    """(created_at, journal seq) of the newest backup made or restored on this computer."""
    entry = _load_registry().get(workspace_id)
    if not isinstance(entry, dict):
        return None
    mac = entry.pop("mac", "")
    if not isinstance(mac, str) or not hmac.compare_digest(mac, _registry_mac(dmk, workspace_id, entry)):
        return None  # edited or from another key: no reference, no false alarm
    try:
        return str(entry["created_at"]), int(entry["journal_seq"])
    except (KeyError, TypeError, ValueError):
        return None


def _remember(dmk: bytes, manifest: Manifest) -> None:
    """Record the newest known backup of the workspace outside it (best effort)."""
    workspace_id = str(manifest.body.get("workspace_id", ""))
    if not workspace_id:
        return
    known = _registry_entry(dmk, workspace_id)
    if known is not None and (known[0], known[1]) >= (manifest.created_at, manifest.journal_seq):
        return
    entry: dict[str, Any] = {"created_at": manifest.created_at, "journal_seq": manifest.journal_seq}
    entry["mac"] = _registry_mac(dmk, workspace_id, dict(entry))
    registry = _load_registry()
    registry[workspace_id] = entry
    path = _registry_path()
    with contextlib.suppress(OSError, KnownError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(registry, indent=1, sort_keys=True).encode("utf-8"))


def _reference(dmk: bytes, manifest: Manifest, existing: Path | None) -> tuple[str, int] | None:
    """The newest backup known to have been made or restored for this workspace."""
    candidates: list[tuple[str, int]] = []
    known = _registry_entry(dmk, str(manifest.body.get("workspace_id", "")))
    if known:
        candidates.append(known)
    if existing is not None and (existing / "sillage.db").exists():
        with contextlib.suppress(KnownError):
            meta = _read_meta(existing, dmk)
            if meta.get("workspace_id") == manifest.body.get("workspace_id"):
                for prefix in ("backup_last", "backup_restored"):
                    if f"{prefix}_created_at" in meta:
                        candidates.append(
                            (meta[f"{prefix}_created_at"], int(meta.get(f"{prefix}_journal_seq", "0")))
                        )
    return max(candidates) if candidates else None


def rollback_warning(dmk: bytes, manifest: Manifest, existing: Path | None) -> str | None:
    reference = _reference(dmk, manifest, existing)
    if reference is None:
        return None
    created, seq = reference
    if manifest.created_at < created or manifest.journal_seq < seq:
        when = _french(dt.datetime.fromisoformat(created))
        return (
            f"Attention : cette sauvegarde est plus ancienne que la dernière sauvegarde faite ou "
            f"restaurée pour cet espace (du {when}). Restaurer revient en arrière : ce qui a été "
            "saisi depuis sera absent. Ce retour en arrière est inscrit au journal."
        )
    return None


# -- restoring -------------------------------------------------------------------------------------
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


def restore_backup(
    path: Path,
    target: Path,
    dmk: bytes,
    *,
    clock: Clock,
    actor_login: str | None,
    force: bool = False,
    lock_held: bool = False,
    progress: Progress | None = None,
) -> RestoreResult:
    """Restore ``path`` into ``target`` (new, empty, or an existing workspace with ``force``).

    ``actor_login`` is the person restoring (None: with the recovery key). ``lock_held`` says
    the caller already holds the lock of the workspace at ``target``.
    """
    prepared = build_restore(path, target, dmk, clock=clock, actor_login=actor_login, force=force,
                             lock_held=lock_held, progress=progress)
    return put_in_place(prepared)


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
    lock: WorkspaceLock | None = None
    if replacing and not lock_held:
        lock = WorkspaceLock(target / "sillage.lock")
        lock.acquire()
    try:
        _remove_leftovers(target)
        manifest = archive.manifest
        building = target.parent / f"{BUILDING.format(name=target.name)}{secrets.token_hex(4)}"
        ready = target.parent / READY.format(name=target.name)
        phases = _Phases(progress, ("lecture", "vérification"))
        try:
            os.mkdir(building, 0o700)
        except OSError as exc:
            from storage.files import _os_error

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
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return PreparedRestore(archive, content, target, ready, replacing, rollback, dmk, clock, started, lock)


def put_in_place(prepared: PreparedRestore) -> RestoreResult:
    """The two renames: the replaced workspace aside (kept), the restored one in its place.
    A kill between them is finished by the next opening (``finish_interrupted_restore``)."""
    target, ready = prepared.target, prepared.ready
    previous: Path | None = None
    try:
        if prepared.replacing:
            stamp = prepared.clock.now().astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
            previous = target.parent / f"{target.name}.avant-restauration-{stamp}"
            n = 1
            while previous.exists():
                n += 1
                previous = target.parent / f"{target.name}.avant-restauration-{stamp}-{n}"
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
        from storage.files import _os_error

        raise _os_error(exc, target) from None
    finally:
        prepared._release()
    _remember(prepared.dmk, prepared.archive.manifest)
    return RestoreResult(
        BackupInfo(prepared.archive.path, prepared.archive.manifest), prepared.content, target, previous,
        prepared.rollback, time.perf_counter() - prepared.started,
    )


def _record_restore(
    root: Path, dmk: bytes, manifest: Manifest, clock: Clock, actor_login: str | None,
    rollback: str | None,
) -> None:
    """Journal the restore inside the restored workspace, with what it came from (R-9.1)."""
    paths = WorkspacePaths(root)
    store = Store.open(paths, dmk, KeySlotFile.load(paths.keyslots))
    try:
        user_id, profile = None, ""
        if actor_login is not None:
            row = store.conn.execute(
                "SELECT id, profile FROM users WHERE login = ?", (actor_login,)
            ).fetchone()
            if row is not None:
                user_id, profile = int(row[0]), str(row[1])
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


# -- the service a session uses -------------------------------------------------------------------
@gated_service
class BackupService:
    """Backups for ``admin_technique`` and ``direction`` (Right.BACKUP), journaled."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def prepare_create(self, target: Path, *, force: bool = False) -> Callable[[Progress | None], BackupResult]:
        """A job for a worker thread: it reads the databases through its own connections, so the
        GUI may keep working meanwhile. Give its result to ``record_created``."""
        require_right(self.session, Right.BACKUP)
        store = self.session.store
        destination = check_destination(target, store.paths.root, force=force)
        store.journal.flush()
        from app.journal.service import seal_now

        seal_now(self.session, "sauvegarde")  # every backup carries a fresh seal
        root, dmk, clock = store.paths.root, store.dmk, self.session.clock

        def work(progress: Progress | None = None) -> BackupResult:
            return create_backup(root, dmk, destination, clock=clock, progress=progress)

        return work

    def record_created(self, result: BackupResult) -> None:
        require_right(self.session, Right.BACKUP)
        manifest = result.info.manifest
        with self.session.transaction() as conn:
            self.session.record(
                Action.SAUVEGARDE, "sauvegarde", detail=f"création ({manifest.backup_id})"
            )
            set_meta(conn, "backup_last_created_at", manifest.created_at)
            set_meta(conn, "backup_last_journal_seq", str(manifest.journal_seq))
            set_meta(conn, "backup_last_id", manifest.backup_id)
            set_meta(conn, "backup_last_path", str(result.info.path))
        _remember(self.session.store.dmk, manifest)

    def create(self, target: Path, *, force: bool = False, progress: Progress | None = None) -> BackupResult:
        result = self.prepare_create(target, force=force)(progress)
        self.record_created(result)
        return result

    def prepare_verify(self, path: Path) -> Callable[[Progress | None], VerifyResult]:
        """A job for a worker thread; give its outcome to ``record_verified``."""
        require_right(self.session, Right.BACKUP)
        dmk = self.session.store.dmk

        def work(progress: Progress | None = None) -> VerifyResult:
            return verify_backup(path, dmk, progress=progress)

        return work

    def record_verified(self, result: VerifyResult | None) -> None:
        """Journal a verification: its backup when intact, None when the backup was refused."""
        require_right(self.session, Right.BACKUP)
        detail = ("vérification : refusée" if result is None
                  else f"vérification : intègre ({result.info.manifest.backup_id})")
        self.session.journal_event(Action.SAUVEGARDE, "sauvegarde", detail=detail)

    def verify(self, path: Path, *, progress: Progress | None = None) -> VerifyResult:
        """Check a backup fully, journaled; a damaged or foreign one is refused (and journaled)."""
        job = self.prepare_verify(path)
        try:
            result = job(progress)
        except BackupCancelled:
            raise
        except KnownError:
            self.record_verified(None)
            raise
        self.record_verified(result)
        return result

    def prepare_restore(
        self, path: Path, target: Path, *, force: bool = False
    ) -> tuple[Callable[[Progress | None], PreparedRestore], Callable[[PreparedRestore], RestoreResult]]:
        """(build, finish): ``build`` runs in a worker thread while the session stays open;
        ``finish`` runs on the caller's thread. Restoring over the session's own workspace,
        ``finish`` closes the session (the person logs in again) and keeps the workspace lock."""
        session = self.session
        require_right(session, Right.BACKUP)
        store = session.store
        dmk, clock, login, workspace = store.dmk, session.clock, session.user.login, session.workspace
        target = Path(target).expanduser()
        own = target.exists() and target.resolve() == store.paths.root.resolve()

        def build(progress: Progress | None = None) -> PreparedRestore:
            return build_restore(path, target, dmk, clock=clock, actor_login=login, force=force,
                                 lock_held=own, progress=progress)

        def finish(prepared: PreparedRestore) -> RestoreResult:
            if own:
                session.close()
                result = put_in_place(prepared)
                # The lock went aside with the replaced folder: take the restored one's.
                workspace.release()
                workspace.acquire()
                return result
            result = put_in_place(prepared)
            session.journal_event(
                Action.SAUVEGARDE, "sauvegarde",
                detail=f"restauration de la sauvegarde {result.info.manifest.backup_id} dans un autre dossier",
            )
            return result

        return build, finish

    def restore(
        self, path: Path, target: Path, *, force: bool = False, progress: Progress | None = None
    ) -> RestoreResult:
        """Restore with the session's key; into the session's own workspace the session is closed."""
        build, finish = self.prepare_restore(path, target, force=force)
        return finish(build(progress))

    # -- the usual folder and the automatic backup (R-9.1 reminder, UI.md Paramètres) -------
    def folder(self) -> Path | None:
        value = get_meta(self.session.conn, FOLDER_KEY)
        return Path(value) if value else None

    def set_folder(self, folder: Path | None) -> None:
        """The folder where backups go by default; an automatic backup is made there when the
        last one is older than the reminder delay. Journaled as a settings change."""
        require_right(self.session, Right.BACKUP)
        root = self.session.store.paths.root
        if folder is not None:
            folder = Path(folder).expanduser()
            if not folder.is_dir():
                raise KnownError(f"Le dossier « {folder} » n'existe pas.")
            folder = folder.resolve()
            if _is_inside(folder, root):
                raise KnownError(INSIDE_WORKSPACE)
        with self.session.transaction() as conn:
            if folder is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (FOLDER_KEY,))
            else:
                set_meta(conn, FOLDER_KEY, str(folder))
            self.session.record(Action.PARAMETRES, "sauvegarde",
                                detail="dossier de sauvegarde " + ("retiré" if folder is None else "choisi"))

    def default_target(self) -> Path | None:
        """A dated file name in the usual folder (never an existing file)."""
        folder = self.folder()
        if folder is None:
            return None
        stamp = self.session.clock.now().astimezone(dt.UTC).strftime("%Y-%m-%d-%H%M")
        target = folder / f"sillage-{stamp}{SUFFIX}"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"sillage-{stamp}-{n}{SUFFIX}"
        return target

    def automatic_target(self) -> Path | None:
        """Where to make the automatic backup now, or None: only for a profile with the backup
        right, a usual folder that is reachable (a USB disk may be absent), and a reminder due."""
        from app.auth.permissions import has_right

        if not has_right(self.session.user.profile, Right.BACKUP) or self.session.user.must_change_password:
            return None
        folder = self.folder()
        if folder is None or not folder.is_dir() or self.status().reminder is None:
            return None
        return self.default_target()

    def status(self) -> BackupStatus:
        """The date of the last backup and the reminder after seven days (R-9.1)."""
        conn = self.session.conn
        last = get_meta(conn, "backup_last_created_at")
        where = get_meta(conn, "backup_last_path")
        now = self.session.clock.now()
        if last is None:
            created = get_meta(conn, "created_at")
            since = dt.datetime.fromisoformat(created) if created else now
            reminder = (
                "Aucune sauvegarde n'a encore été faite : faites-en une (menu Sauvegardes)."
                if now - since > dt.timedelta(days=REMINDER_DAYS) else None
            )
            return BackupStatus(None, None, reminder)
        when = dt.datetime.fromisoformat(last)
        reminder = None
        if now - when > dt.timedelta(days=REMINDER_DAYS):
            reminder = (
                f"La dernière sauvegarde date du {when:%d/%m/%Y} (plus de {REMINDER_DAYS} jours) : "
                "faites-en une nouvelle."
            )
        return BackupStatus(when, where, reminder)

