"""What the main window shows about the session (organisation, person, status lines, the pages
this profile may open), computed without Qt so that the UI stays dumb."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.permissions import Right, has_right
from app.auth.profiles import Profile
from app.session import Session
from storage.store import get_meta

#: the sidebar pages, in order, and the rights of which any one opens each
PAGE_RIGHTS: tuple[tuple[str, tuple[Right, ...]], ...] = (
    ("jeunes", (Right.LIST_DOSSIERS,)),
    ("a_traiter", (Right.RETENTION_PROPOSE, Right.RETENTION_DECIDE)),
    ("archives", (Right.ARCHIVE_ACCESS,)),
    ("droits", (Right.RIGHTS_REGISTER,)),
    ("journal", (Right.REVIEW_JOURNAL,)),
    ("documents", (Right.EXPORT,)),
    ("comptes", (Right.MANAGE_ACCOUNTS, Right.REVIEW_HABILITATIONS)),
    ("sauvegardes", (Right.BACKUP,)),
    ("parametres", (Right.SETTINGS,)),
)


@dataclass(frozen=True)
class SessionOverview:
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


def open_pages(profile: Profile) -> tuple[str, ...]:
    """The sidebar pages ``profile`` may open."""
    return tuple(page for page, rights in PAGE_RIGHTS if any(has_right(profile, r) for r in rights))


def session_overview(session: Session) -> SessionOverview:
    profile = session.user.profile
    from app.backup import BackupService

    backup = BackupService(session).status()
    rotation = session.workspace.last_rotation
    journal = "Journal : horloge à vérifier" if rotation and rotation.clock_warning else "Journal : à jour"
    retention_due = 0
    if has_right(profile, Right.RETENTION_DECIDE):
        from app.retention.service import RetentionService

        retention_due = RetentionService(session).count_due()
    with session.reading() as conn:
        return SessionOverview(
            org_name=get_meta(conn, "org_name", "") or "",
            user_name=session.user.display_name,
            profile_label=profile.label,
            is_demo=get_meta(conn, "is_demo", "0") == "1",  # the encrypted record
            workspace_label=f"Espace : {session.workspace.root.name}",
            workspace_path=str(session.workspace.root),
            journal_status=journal,
            sections=open_pages(profile),
            backup_status=backup.short,
            # only those who can act on it are reminded
            backup_reminder=backup.reminder if has_right(profile, Right.BACKUP) else None,
            retention_due=retention_due,
        )
