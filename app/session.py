"""A logged-in user's session: the open store, who is acting, the clock, the journal."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlcipher3

from app.auth.keys import Ed25519SealKey, KeyHolder
from app.auth.profiles import Profile
from app.clock import Clock
from app.errors import KnownError, WorkspaceError
from app.journal.events import Action
from storage.connection import Connection, transaction
from storage.journal import JournalIntegrityError, JournalStore, to_micros

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.workspace import Workspace
    from storage.store import Store, WorkspacePaths

#: flush the journal outbox to its partitions once it holds this many entries
OUTBOX_FLUSH_AT = 200

LOCKED = "La session est verrouillée : saisissez à nouveau votre mot de passe."


@dataclass(frozen=True)
class User:
    id: int
    login: str
    display_name: str
    profile: Profile
    unit_ids: frozenset[int]
    must_change_password: bool = False
    charter_accepted: bool = False


class Session:
    def __init__(self, workspace: Workspace, store: Store, user: User) -> None:
        self.workspace = workspace
        self._store: Store | None = store
        self.user = user
        self.clock: Clock = workspace.context.clock
        self.started_mono = self.clock.monotonic()
        #: archived dossiers opened by the archiviste with a written reason, until closed (R-3.5)
        self.archive_consultations: dict[int, str] = {}

    def _live(self) -> Store:
        if self._store is None or self._store.closed:
            raise WorkspaceError(LOCKED)
        return self._store

    def today(self) -> dt.date:
        """Today, from the injected clock."""
        return self.clock.now().date()

    def stamp(self) -> str:
        """Now, as written in the ``*_at`` columns."""
        return self.clock.now().isoformat(timespec="seconds")

    @property
    def is_open(self) -> bool:
        return self._store is not None and not self._store.closed

    # -- what services reach of the open workspace (the store itself stays here) ------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """The connection inside a transaction: every write, with its journal entry."""
        store = self._live()
        with transaction(store.conn, store.paths.db) as conn:
            yield conn
        if store.journal.outbox_size() >= OUTBOX_FLUSH_AT:
            store.journal.flush()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """The connection for reads (writes go through ``transaction()``)."""
        yield self._live().conn

    @property
    def journal(self) -> JournalStore:
        return self._live().journal

    @property
    def paths(self) -> WorkspacePaths:
        return self._live().paths

    def workspace_key(self) -> bytes:
        """The workspace key (DMK), for work on the database files themselves (backup, purge)."""
        return self._live().dmk

    def key_holder(self) -> KeyHolder:
        """What changes of key slots and grants need (``app.auth.keys``)."""
        return self._live()

    def close_store(self) -> None:
        """Close the store without journaling a logout: the renewal of the workspace key closes
        it and continues on the re-opened one (``replace_store``)."""
        self._live().close()

    def record(
        self,
        action: Action,
        target: str,
        *,
        dossier_id: int | None = None,
        detail: str = "",
    ) -> int:
        """Write one journal entry; call inside ``transaction()`` with the change it records."""
        return self._live().journal.append(
            to_micros(self.clock.now()),
            self.user.id,
            self.user.profile.value,
            dossier_id,
            target,
            action.value,
            detail,
        )

    def replace_store(self, store: Store) -> None:
        """Continue on a store re-opened with a renewed workspace key (R-2.8, ``app.rekey``)."""
        self._store = store

    def journal_sealing_key(self) -> Ed25519PrivateKey | None:
        """The journal sealing key (R-5.6) of the logged-in account, or None.

        Only ``direction`` accounts are granted it (HPKE grant unwrapped at login, see
        ``app.auth.keys``); for every other profile, and for a director not yet granted the
        current key, this returns None. Public halves: ``app.auth.keys.sealing_public_keys``.
        """
        if self.user.profile is not Profile.DIRECTION:
            return None
        secret = self._live().journal_sealing_key
        if secret is None:
            return None
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(secret)

    def check_database(self) -> bool:
        """The full integrity check of the main database; can run in a worker thread."""
        from storage.connection import full_check

        store = self._live()
        return full_check(store.paths.db, store.dmk)

    def journal_event(
        self, action: Action, target: str, *, dossier_id: int | None = None, detail: str = ""
    ) -> None:
        """An event with no data change of its own (login, export, print...)."""
        with self.transaction():
            self.record(action, target, dossier_id=dossier_id, detail=detail)

    def close(self, *, reason: Action = Action.DECONNEXION) -> None:
        """Close connections and drop key material (logout or lock)."""
        if self._store is None:
            return
        sealing = None
        with contextlib.suppress(KnownError, sqlcipher3.Error):
            sealing = self.journal_sealing_key()
        store, self._store = self._store, None
        if not store.closed:
            with contextlib.suppress(KnownError, sqlcipher3.Error), transaction(store.conn):
                store.journal.append(
                    to_micros(self.clock.now()), self.user.id, self.user.profile.value,
                    None, "session", reason.value, "",
                )
            if sealing is not None:  # a director's lock or logout seals the journal
                with contextlib.suppress(KnownError, sqlcipher3.Error, JournalIntegrityError):
                    store.journal.seal(Ed25519SealKey(sealing), to_micros(self.clock.now()), reason.value)
            store.close()
