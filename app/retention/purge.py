"""Purge decisions: secure deletion of due dossiers, and deletion on death (R-6.3, R-6.4, R-6.5).

Only `direction` purges. Nothing is purged before its time: a dossier is purged for retention
only once its limit has passed (or its archive ended, or its dispute is to be reviewed). A death
deletes at once after the director's confirmation. Several dossiers at once need a typed
confirmation. The purge is journaled and recorded without any name; the reason is checked for
the young person's names before anything is deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.auth.access import require_right
from app.auth.permissions import Right
from app.errors import KnownError, ValidationError
from app.journal.events import Action
from app.retention.model import PurgeCause, RetentionState
from app.retention.service import RetentionService, check_reason
from app.rights.model import RequestKind
from app.rights.service import RightsService
from app.session import Session
from app.session_service import SessionService
from reports.french import short_date
from storage import purge as store_purge
from storage import retention as repo

NOT_YET = ("Le dossier {number} n'a pas atteint sa durée de conservation (limite le {limit}) : "
           "rien n'est supprimé avant son terme.")
PURGEABLE = frozenset({RetentionState.OVERDUE, RetentionState.ARCHIVE_ENDED, RetentionState.HOLD_REVIEW})


def typed_confirmation(count: int) -> str:
    """What the director types to purge several dossiers at once (UI.md)."""
    return f"PURGER {count} DOSSIERS"


@dataclass(frozen=True)
class PurgeResult:
    dossier_ids: tuple[int, ...]
    rows_deleted: int
    other_rows_deleted: int


class PurgeService(SessionService):
    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.retention = RetentionService(session)

    def purge_one(self, dossier_id: int, reason: str, *, confirmed: bool) -> PurgeResult:
        return self.purge([dossier_id], reason, confirmed=confirmed)

    def purge(self, dossier_ids: Sequence[int], reason: str, *, confirmed: bool = False,
              typed: str | None = None, cause: PurgeCause = PurgeCause.RETENTION) -> PurgeResult:
        """Delete every row of the dossiers everywhere; one confirmation, typed for several."""
        require_right(self.session, Right.RETENTION_DECIDE)
        ids = tuple(dict.fromkeys(dossier_ids))
        if not ids:
            raise ValidationError("Choisissez au moins un dossier.", "dossiers")
        if len(ids) > 1:
            if (typed or "").strip().upper() != typed_confirmation(len(ids)):
                raise KnownError(
                    f"Pour supprimer {len(ids)} dossiers, tapez exactement « {typed_confirmation(len(ids))} ».")
        elif not confirmed:
            raise KnownError("La purge est définitive : elle doit être confirmée.")
        causes: dict[int, PurgeCause] = {}
        texts: dict[int, str] = {}
        for dossier_id in ids:
            row = self.retention.dossier_row(dossier_id)
            texts[dossier_id] = check_reason(reason, (row.last_name, row.first_names))
            if cause is PurgeCause.RETENTION:
                assessed = self.retention.assess(dossier_id)
                if assessed is None or assessed.state not in PURGEABLE:
                    limit = assessed.limit_date if assessed else self.retention.limit_of(dossier_id)
                    raise KnownError(NOT_YET.format(number=row.number, limit=short_date(limit)))
                causes[dossier_id] = (PurgeCause.ARCHIVE_END if assessed.state is RetentionState.ARCHIVE_ENDED
                                      else PurgeCause.RETENTION)
            else:
                if cause is PurgeCause.ERASURE and not RightsService(self.session).open_requests_of(
                        dossier_id, RequestKind.ERASURE):
                    raise KnownError("Une suppression pour effacement suit une demande d'effacement "
                                     "enregistrée au registre des droits.")
                causes[dossier_id] = cause
        return self._delete(ids, causes, texts)

    def confirm_death(self, dossier_id: int, reason: str, *, confirmed: bool) -> PurgeResult:
        """R-6.4: the data of a young person who died is deleted without delay, once the
        director confirms (whatever the schedule says, even on legal hold: the director decides)."""
        require_right(self.session, Right.RETENTION_DECIDE)
        if not confirmed:
            raise KnownError("La suppression pour décès doit être confirmée par la direction.")
        return self.purge([dossier_id], reason, confirmed=True, cause=PurgeCause.DEATH)

    def _delete(self, ids: tuple[int, ...], causes: dict[int, PurgeCause],
                texts: dict[int, str]) -> PurgeResult:
        # Copies first (kept before migrations): a kill in between leaves the dossier in the
        # main database, to be purged again, never a purge recorded with copies left behind.
        paths = self.session.paths
        others = store_purge.other_databases(paths.root, paths.db, paths.journal_dir)
        today = self.session.today().isoformat()
        other_rows = store_purge.purge_other_databases(others, self.session.workspace_key(), ids, today)
        total = 0
        with self.session.transaction() as conn:
            for dossier_id in ids:
                deleted = store_purge.delete_dossier_rows(conn, dossier_id, today)
                total += deleted
                cause = causes[dossier_id]
                repo.record_purge(conn, dossier_id, cause.value, texts[dossier_id],
                                  self.session.user.id, self.session.stamp(), deleted)
                self.session.record(Action.PURGE, "dossier", dossier_id=dossier_id,
                                    detail=f"{cause.label} — {deleted} lignes — motif : {texts[dossier_id]}")
        with self.session.reading() as conn:
            store_purge.checkpoint_truncate(conn)
        return PurgeResult(ids, total, other_rows)

    def purges(self) -> list[repo.PurgeRow]:
        require_right(self.session, Right.RETENTION_DECIDE)
        with self.session.reading() as conn:
            return repo.list_purges(conn)

