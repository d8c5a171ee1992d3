"""Renewing the workspace key after a departure (R-2.8): "Renouveler la clé de l'espace",
``sillage rekey``.

A former user may have kept a copy of the DMK (the recovery key, or a key-slot file with their
old password). Deactivating their account removes their slot and grants, but not what they
copied: renewing the key does. A new DMK; every database file re-keyed (``PRAGMA rekey``) with
progress and crash safety (``storage.rekey``); new DMK grants for every active account; a new
journal sealing key; the new recovery key delivered before anything changes; the old recovery
key opens nothing afterwards; everything journaled. Backups made before keep their old key.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.auth import keys
from app.auth.access import gated_service, require_right
from app.auth.demo_key import demo_key, new_demo_salt, write_demo_marker
from app.auth.permissions import Right
from app.clock import Clock
from app.errors import KnownError
from app.journal.events import Action
from app.session import Session
from storage import keyring, settings, users
from storage import rekey as files
from storage.connection import Connection, transaction
from storage.journal import to_micros
from storage.keyslots import DMK, DMK_BYTES, X25519, hkdf, key_id_of
from storage.recovery_key import encode as encode_recovery_key
from storage.store import JOURNAL_KEY_META, Store, WorkspacePaths

LEGACY_LEFT = (
    "Ces comptes n'ont pas ouvert de session depuis la mise à jour de Sillage, leur clé est "
    "encore à l'ancien format : {logins}. Réinitialisez leur mot de passe ou désactivez-les, "
    "puis renouvelez la clé de l'espace."
)


@dataclass(frozen=True)
class RekeyResult:
    files: int
    accounts: int
    seconds: float


def _now_micros(clock: Clock) -> int:
    return to_micros(clock.now())


def _keep_journal_key(conn: Connection, old: bytes) -> None:
    """The journal chain keeps its key (inside the encrypted database) across a renewal."""
    if settings.read(conn, JOURNAL_KEY_META) is None:
        settings.write(conn, JOURNAL_KEY_META, hkdf(old, b"sillage journal hmac v1").hex())


def complete(store: Store, old: bytes, new: bytes, *, actor_id: int | None, actor_profile: str,
             clock: Clock, files_done: int, resumed: bool) -> bytes | None:
    """Step 4 of ``storage.rekey``: the main database is on the new key; give every active
    account a grant of it, renew the journal sealing key, record the new key id and rewrite the
    key-slot file, in one transaction. Returns the new sealing key (None if already done)."""
    conn = store.conn
    if settings.read(conn, settings.DMK_ID) == key_id_of(new):
        return None
    with transaction(conn, store.paths.db):
        accounts = 0
        active = users.active_user_ids(conn)
        for slot in keyring.slots(conn):
            if slot.user_id in active and slot.kind == X25519:
                keyring.grant_dmk(conn, slot.user_id, new)
                accounts += 1
            else:
                # an inactive account or a format-1 slot (which wraps the old DMK) keeps nothing
                keyring.withdraw(conn, slot.user_id)
        sealing = keys.new_sealing_key(conn, created_by=actor_id, now=clock.now(),
                                       reason="renouvellement de la clé de l'espace", journal=store.journal)
        _keep_journal_key(conn, old)
        settings.write(conn, settings.DMK_ID, key_id_of(new))
        settings.write(conn, settings.DMK_RENEWED_AT, clock.now().isoformat(timespec="seconds"))
        detail = (f"renouvellement de la clé de l'espace : {files_done} fichier(s) rechiffré(s), "
                  f"{accounts} compte(s) actif(s), nouvelle clé de secours, nouvelle clé de scellement")
        if resumed:
            detail += " (terminé au démarrage suivant après une interruption)"
        store.journal.append(_now_micros(clock), actor_id, actor_profile, None, "espace",
                             Action.ESPACE.value, detail)
        store.publish_keys()
    return sealing


def finish(paths: WorkspacePaths, key: bytes, clock: Clock, *, actor_id: int | None = None,
           actor_profile: str = "", progress: Callable[[int, int], object] | None = None,
           resumed: bool = True) -> tuple[Store, bytes, bytes | None]:
    """Carry an interrupted (or just started) renewal to its end, from either key.

    Returns (store opened with the new key, new DMK, new sealing key or None)."""
    pending = files.read_pending(paths.root)
    if pending is None:
        raise KnownError("Aucun renouvellement de clé n'est en cours.")
    old, new = pending.keys_from(key)
    done = files.rekey_files(paths.root, old, new, progress)
    store = Store.open_with_key(paths, new)
    try:
        sealing = complete(store, old, new, actor_id=actor_id, actor_profile=actor_profile, clock=clock,
                           files_done=done, resumed=resumed)
        if pending.demo_salt is not None:
            write_demo_marker(paths, pending.demo_salt)
        files.clear_pending(paths.root)
    except BaseException:
        store.close()
        raise
    return store, new, sealing


def finish_interrupted(paths: WorkspacePaths, key: bytes, clock: Clock) -> bytes:
    """At a start: if a renewal was interrupted, finish it; return the DMK now in force."""
    if files.read_pending(paths.root) is None:
        return key
    store, new, _ = finish(paths, key, clock)
    store.close()
    return new


@gated_service
class RekeyService:
    """``direction`` only (Right.RENEW_WORKSPACE_KEY)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._prepared: tuple[bytes, bytes | None] | None = None

    def prepare(self) -> str:
        """Draw the new key and return its recovery-key text, to be shown and printed before
        ``rekey`` (the GUI way: the person confirms they kept it, then the renewal runs)."""
        require_right(self.session, Right.RENEW_WORKSPACE_KEY)
        blocking = self.preflight()
        if blocking:
            raise KnownError(LEGACY_LEFT.format(logins=", ".join(blocking)))
        demo_salt: bytes | None = None
        if self.session.workspace.is_demo():
            # A demo's key derives from a public salt: a new salt gives the new key.
            demo_salt = new_demo_salt()
            new = demo_key(demo_salt)
        else:
            new = secrets.token_bytes(DMK_BYTES)
        self._prepared = (new, demo_salt)
        return encode_recovery_key(new)

    def recovery_sheet(self, recovery: str) -> bytes:
        """The printable sheet (PDF) of the new recovery key shown by ``prepare``."""
        require_right(self.session, Right.RENEW_WORKSPACE_KEY)
        from app.resources import prepare_reports
        from reports.recovery_sheet import render_recovery_sheet

        prepare_reports()
        with self.session.reading() as conn:
            org = settings.org_name(conn)
        return render_recovery_sheet(recovery, org_name=org, created=self.session.today())

    @staticmethod
    def last_group_matches(recovery: str, typed: str) -> bool:
        """The person proves the new key was written down by retyping its last group."""
        return typed.strip().upper().replace("O", "0") == recovery.split("-")[-1].upper()

    def preflight(self) -> list[str]:
        """Logins that block a renewal (accounts still on a format-1 slot); empty when ready."""
        require_right(self.session, Right.RENEW_WORKSPACE_KEY)
        with self.session.reading() as conn:
            return users.active_logins(conn, keyring.legacy_accounts(conn))

    def file_count(self) -> int:
        require_right(self.session, Right.RENEW_WORKSPACE_KEY)
        return len(files.database_files(self.session.paths.root))

    def rekey(self, deliver: Callable[[str], None] | None = None,
              progress: Callable[[int, int], object] | None = None) -> RekeyResult:
        """Renew the workspace key.

        ``deliver`` receives the new recovery key first, and must raise if it could not be
        written or shown: then nothing has changed. Without ``deliver``, ``prepare`` must have
        been called and its key shown. ``progress(done, total)`` is called after
        each database file. Once files are being re-keyed the work cannot be cancelled; a kill
        is finished by the next start, whichever key it holds.
        """
        require_right(self.session, Right.RENEW_WORKSPACE_KEY)
        if deliver is not None or self._prepared is None:
            if deliver is None:
                raise KnownError("La nouvelle clé de secours doit être affichée avant le renouvellement.")
            recovery = self.prepare()
            deliver(recovery)
        else:
            # prepared and shown: the blocking accounts are checked again
            blocking = self.preflight()
            if blocking:
                raise KnownError(LEGACY_LEFT.format(logins=", ".join(blocking)))
        if self._prepared is None:  # pragma: no cover - prepare() always sets it
            raise KnownError("La nouvelle clé n'a pas été préparée.")
        new, demo_salt = self._prepared
        self._prepared = None
        session = self.session
        paths, old = session.paths, session.workspace_key()
        started = time.perf_counter()
        # The journal chain keeps its key (inside the encrypted database) across the renewal.
        with session.transaction() as conn:
            _keep_journal_key(conn, old)
        session.journal.flush()
        files.write_pending(paths.root, old, new, demo_salt)
        user = session.user
        session.close_store()
        new_store, _, sealing = finish(
            paths, old, session.clock, actor_id=user.id, actor_profile=user.profile.value,
            progress=progress, resumed=False,
        )
        if sealing is not None:
            new_store.set_journal_sealing_key(sealing)
        session.replace_store(new_store)
        accounts = keyring.grant_count(new_store.conn, DMK)
        return RekeyResult(len(files.database_files(paths.root)), accounts, time.perf_counter() - started)
