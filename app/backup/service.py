"""The backups a session makes, verifies and restores, journaled (R-9.1), and the usual folder
with its reminder (UI.md Paramètres)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from app.auth.access import require_right
from app.auth.permissions import Right
from app.backup.making import INSIDE_WORKSPACE, check_destination, create_backup, is_inside, verify_backup
from app.backup.restore import PreparedRestore, build_restore, put_in_place
from app.backup.results import BackupResult, BackupStatus, RestoreResult, VerifyResult
from app.backup.rollback import remember
from app.errors import KnownError
from app.journal.events import Action
from app.session_service import SessionService
from reports.french import short_date
from storage.backup import BackupCancelled, Progress
from storage.meta import delete_meta, get_meta, set_meta

REMINDER_DAYS = 7
SUFFIX = ".sillage"
FOLDER_KEY = "setting.backup_folder"


class BackupService(SessionService):
    """Backups for ``admin_technique`` and ``direction`` (Right.BACKUP), journaled."""

    def prepare_create(self, target: Path, *, force: bool = False) -> Callable[[Progress | None], BackupResult]:
        """A job for a worker thread: it reads the databases through its own connections, so the
        GUI may keep working meanwhile. Give its result to ``record_created``."""
        require_right(self.session, Right.BACKUP)
        destination = check_destination(target, self.session.paths.root, force=force)
        self.session.journal.flush()
        from app.journal.seals import seal_now

        seal_now(self.session, "sauvegarde")  # every backup carries a fresh seal
        root, dmk, clock = self.session.paths.root, self.session.workspace_key(), self.session.clock

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
        remember(self.session.workspace_key(), manifest)

    def create(self, target: Path, *, force: bool = False, progress: Progress | None = None) -> BackupResult:
        result = self.prepare_create(target, force=force)(progress)
        self.record_created(result)
        return result

    def prepare_verify(self, path: Path) -> Callable[[Progress | None], VerifyResult]:
        """A job for a worker thread; give its outcome to ``record_verified``."""
        require_right(self.session, Right.BACKUP)
        dmk = self.session.workspace_key()

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
        dmk, clock, login, workspace = session.workspace_key(), session.clock, session.user.login, session.workspace
        target = Path(target).expanduser()
        own = target.exists() and target.resolve() == session.paths.root.resolve()

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
        with self.session.reading() as conn:
            value = get_meta(conn, FOLDER_KEY)
        return Path(value) if value else None

    def set_folder(self, folder: Path | None) -> None:
        """The folder where backups go by default; an automatic backup is made there when the
        last one is older than the reminder delay. Journaled as a settings change."""
        require_right(self.session, Right.BACKUP)
        root = self.session.paths.root
        if folder is not None:
            folder = Path(folder).expanduser()
            if not folder.is_dir():
                raise KnownError(f"Le dossier « {folder} » n'existe pas.")
            folder = folder.resolve()
            if is_inside(folder, root):
                raise KnownError(INSIDE_WORKSPACE)
        with self.session.transaction() as conn:
            if folder is None:
                delete_meta(conn, FOLDER_KEY)
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
        with self.session.reading() as conn:
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
                    f"La dernière sauvegarde date du {short_date(when)} (plus de {REMINDER_DAYS} jours) : "
                    "faites-en une nouvelle."
                )
            return BackupStatus(when, where, reminder)

