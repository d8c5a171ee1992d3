"""What the main window shows about the session, computed without Qt (so the UI stays dumb)."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.permissions import Right, has_right
from app.session import Session
from storage.store import get_meta


@dataclass(frozen=True)
class ShellInfo:
    org_name: str
    user_name: str
    profile_label: str
    is_demo: bool
    workspace_label: str
    workspace_path: str
    journal_status: str
    sections: tuple[str, ...]
    #: last backup date for the status bar, and the reminder after 7 days (R-9.1)
    backup_status: str = ""
    backup_reminder: str | None = None
    #: R-6.2: the dossiers a director has to decide on, shown at login
    retention_due: int = 0


def shell_info(session: Session) -> ShellInfo:
    profile = session.user.profile
    sections: list[str] = []
    if has_right(profile, Right.LIST_DOSSIERS):
        sections.append("jeunes")
    if has_right(profile, Right.RETENTION_PROPOSE) or has_right(profile, Right.RETENTION_DECIDE):
        sections.append("a_traiter")
    if has_right(profile, Right.ARCHIVE_ACCESS):
        sections.append("archives")
    if has_right(profile, Right.RIGHTS_REGISTER):
        sections.append("droits")
    if has_right(profile, Right.REVIEW_JOURNAL):
        sections.append("journal")
    if has_right(profile, Right.EXPORT):
        sections.append("documents")
    if has_right(profile, Right.MANAGE_ACCOUNTS) or has_right(profile, Right.REVIEW_HABILITATIONS):
        sections.append("comptes")
    if has_right(profile, Right.BACKUP):
        sections.append("sauvegardes")
    if has_right(profile, Right.SETTINGS):
        sections.append("parametres")
    from app.backup import BackupService

    backup = BackupService(session).status()
    rotation = session.workspace.last_rotation
    journal = "Journal : horloge à vérifier" if rotation and rotation.clock_warning else "Journal : à jour"
    retention_due = 0
    if has_right(profile, Right.RETENTION_DECIDE):
        from app.retention.service import RetentionService

        retention_due = RetentionService(session).count_due()
    return ShellInfo(
        org_name=get_meta(session.conn, "org_name", "") or "",
        user_name=session.user.display_name,
        profile_label=profile.label,
        is_demo=get_meta(session.conn, "is_demo", "0") == "1",  # the encrypted record
        workspace_label=f"Espace : {session.workspace.root.name}",
        workspace_path=str(session.workspace.root),
        journal_status=journal,
        sections=tuple(sections),
        backup_status=backup.short,
        # only those who can act on it are reminded
        backup_reminder=backup.reminder if has_right(profile, Right.BACKUP) else None,
        retention_due=retention_due,
    )
