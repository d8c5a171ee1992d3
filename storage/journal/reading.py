"""Reading the journal: checkpoints, entries newest first, the clock's state (R-5.4, R-5.5, R-5.7)."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Any

from storage.connection import Connection
from storage.journal.core import JournalCore, partition_rows
from storage.journal.records import (
    BACKWARD_TOLERANCE,
    COLUMNS,
    TRUST_WINDOW,
    Checkpoint,
    Head,
    JournalIntegrityError,
    StoredEntry,
    checkpoint_mac,
    partition_of,
    retention_limit,
)


class JournalReading(JournalCore):

    # -- reading ---------------------------------------------------------------------------
    def checkpoints(self) -> list[Checkpoint]:
        return [
            Checkpoint(int(r[2]), int(r[3]), bytes(r[4]), int(r[5]), int(r[6]), int(r[1]),
                       b"" if r[7] is None else bytes(r[7]))
            for r in self.main.execute(
                "SELECT id, first_seq, last_seq, count, last_hash, cutoff_ts, created_ts, mac "
                "FROM journal_checkpoints ORDER BY id"
            )
        ]

    def latest_checkpoint(self) -> Checkpoint | None:
        checkpoints = self.checkpoints()
        return checkpoints[-1] if checkpoints else None

    def check_checkpoints(self, head: Head | None = None) -> tuple[Checkpoint | None, str | None]:
        """The latest checkpoint if the head and the whole checkpoint chain authenticate and
        obey the rules of R-5.4; otherwise (None, the problem in French)."""
        head = head or self.head_state()
        if not self.head_is_authentic(head):
            return None, "la tête du journal (dernière entrée connue) a été modifiée"
        prev_mac = b""
        previous: Checkpoint | None = None
        for cp in self.checkpoints():
            expected = checkpoint_mac(self._meta_key, prev_mac, cp.first_seq, cp.last_seq, cp.count,
                                      cp.last_hash, cp.cutoff_ts, cp.created_ts)
            if not cp.mac or not hmac.compare_digest(expected, cp.mac):
                return None, f"le point de contrôle jusqu'au n° {cp.last_seq} a été modifié ou ajouté"
            if cp.cutoff_ts > retention_limit(cp.created_ts):
                return None, (f"le point de contrôle jusqu'au n° {cp.last_seq} supprimerait des "
                              "entrées de moins de six mois")
            if previous is not None and (cp.last_seq < previous.last_seq or cp.cutoff_ts < previous.cutoff_ts
                                         or cp.first_seq != previous.last_seq + 1):
                return None, f"le point de contrôle jusqu'au n° {cp.last_seq} ne suit pas le précédent"
            if previous is None and cp.first_seq != 1:
                return None, f"le point de contrôle jusqu'au n° {cp.last_seq} ne commence pas au n° 1"
            if cp.created_ts > head.trusted_ts + BACKWARD_TOLERANCE:
                return None, (f"le point de contrôle jusqu'au n° {cp.last_seq} est daté d'après la "
                              "dernière date confirmée de l'horloge")
            if cp.last_seq > head.seq:
                return None, f"le point de contrôle va au-delà de la dernière entrée (n° {head.seq})"
            prev_mac, previous = cp.mac, cp
        if head.ckpt_mac != prev_mac:
            return None, "un point de contrôle a été supprimé ou remplacé"
        return previous, None

    def iter_rows(self, where: str = "", params: tuple[object, ...] = ()) -> Iterator[Any]:
        """Every stored entry in seq order: partitions in name order, then the outbox."""
        clause = f" WHERE {where}" if where else ""
        for name in self.partition_names():
            conn = self.partition(name)
            yield from partition_rows(name, conn, f"SELECT {COLUMNS} FROM journal{clause} ORDER BY seq", params)
        yield from self.main.execute(
            f"SELECT {COLUMNS} FROM journal_outbox{clause} ORDER BY seq", params
        )

    def iter_entries(self, where: str = "", params: tuple[object, ...] = ()) -> Iterator[StoredEntry]:
        for seq, ts, user_id, profile, dossier_id, target, action, detail, h in self.iter_rows(where, params):
            yield StoredEntry(seq, ts, user_id, profile, dossier_id, target, action, detail, h)

    def newest(
        self, where: str = "", params: tuple[object, ...] = (), *, limit: int,
        before_seq: int | None = None, ts_from: int | None = None, ts_to: int | None = None,
    ) -> list[StoredEntry]:
        """Up to ``limit`` matching entries, newest first, with ``seq < before_seq`` if given.

        Reads the outbox, then the partitions from the newest, skipping the months outside
        ``[ts_from, ts_to)`` and stopping as soon as ``limit`` entries are found: a page costs
        what it shows, not the size of the journal (§11, R-5.5).
        """
        clauses = [f"({where})"] if where else []
        values = list(params)
        if before_seq is not None:
            clauses.append("seq < ?")
            values.append(before_seq)
        clause = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        found: list[StoredEntry] = []
        for conn, table in self._sources_newest_first(ts_from, ts_to):
            rest = limit - len(found)
            if rest <= 0:
                break
            for row in conn.execute(
                f"SELECT {COLUMNS} FROM {table}{clause} ORDER BY seq DESC LIMIT ?", (*values, rest)
            ):
                found.append(StoredEntry(*row))
        return found

    def count_upto(
        self, where: str = "", params: tuple[object, ...] = (), *, cap: int,
        ts_from: int | None = None, ts_to: int | None = None,
    ) -> int:
        """How many entries match, counting no further than ``cap``."""
        clause = f" WHERE {where}" if where else ""
        total = 0
        for conn, table in self._sources_newest_first(ts_from, ts_to):
            if total >= cap:
                break
            row = conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table}{clause} LIMIT ?)", (*params, cap - total)
            ).fetchone()
            total += int(row[0])
        return min(total, cap)

    def _sources_newest_first(
        self, ts_from: int | None, ts_to: int | None
    ) -> Iterator[tuple[Connection, str]]:
        yield self.main, "journal_outbox"
        first = partition_of(ts_from) if ts_from is not None else None
        last = partition_of(ts_to - 1) if ts_to is not None else None
        for name in reversed(self.partition_names()):
            if (last is not None and name > last) or (first is not None and name < first):
                continue
            yield self.partition(name), "journal"
    def partitions_max_seq(self) -> int:
        """The highest entry number found in the partition files (live or tombstone)."""
        best = 0
        for name in reversed(self.partition_names()):
            conn = self.partition(name)
            top = conn.execute("SELECT max(seq) FROM journal").fetchone()[0]
            if self.has_tombstones_table(conn):
                dead = conn.execute("SELECT max(seq) FROM expired").fetchone()[0]
                top = max(top or 0, dead or 0)
            if top:
                best = max(best, int(top))
                break
        return best

    def check_head(self) -> str | None:
        """At opening: the head must authenticate and match the partitions (R-5.4)."""
        head = self.head_state()
        if not self.head_is_authentic(head):
            problem = "La tête du journal a été modifiée en dehors de Sillage."
            self.alert("tete", problem)
            return problem
        stored = self.partitions_max_seq()
        if stored > head.seq:
            problem = (f"Les partitions du journal vont jusqu'au n° {stored} mais la tête s'arrête au "
                       f"n° {head.seq} : la base principale a peut-être été restaurée à un état antérieur.")
            self.alert("conflit", problem)
            return problem
        return None

    # -- expiry ----------------------------------------------------------------------------
    def clock_state(self, now_ts: int) -> str:
        """"ok", "ahead" (beyond the trust window) or "behind" (before the newest entry)."""
        head = self.head_state()
        if head.seq == 0:
            return "ok"
        if now_ts < head.max_ts - BACKWARD_TOLERANCE:
            return "behind"
        if now_ts > head.trusted_ts + TRUST_WINDOW:
            return "ahead"
        return "ok"

    def _hash_at(self, seq: int) -> bytes:
        for name in self.partition_names():
            conn = self.partition(name)
            row = conn.execute("SELECT h FROM journal WHERE seq = ?", (seq,)).fetchone()
            if row is None and self.has_tombstones_table(conn):
                row = conn.execute("SELECT h FROM expired WHERE seq = ?", (seq,)).fetchone()
            if row is not None:
                return bytes(row[0])
        raise JournalIntegrityError(f"entrée n° {seq} introuvable")
