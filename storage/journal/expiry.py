"""Expiry of entries older than six months, by checkpoints that destroy nothing younger (R-5.3, R-5.4, R-5.7)."""

from __future__ import annotations

import hashlib
from typing import Any

from storage.connection import Connection, transaction
from storage.journal.reading import JournalReading
from storage.journal.records import (
    BACKWARD_TOLERANCE,
    COLUMNS,
    EXPIRED_TABLE,
    GENESIS,
    Checkpoint,
    ClockNotTrusted,
    JournalIntegrityError,
    _when,
    checkpoint_mac,
    rest_of,
    retention_limit,
)


class JournalExpiry(JournalReading):

    def expire_before(self, cutoff_ts: int, now_ts: int, *, confirmed: bool = False) -> Checkpoint | None:
        """Destroy every entry whose own time is older than ``cutoff_ts`` (R-5.3, R-5.4, R-5.7).

        The prefix of the chain goes with a checkpoint; entries recorded late with an earlier
        time leave a tombstone. Refused (nothing destroyed) for a cutoff later than six months
        before ``now_ts``, for a clock outside its trusted bounds unless ``confirmed`` by a
        director, and for a head or checkpoint chain that does not authenticate."""
        self.flush()
        if cutoff_ts > retention_limit(now_ts):
            raise ValueError("cutoff later than six months before now")
        self.adopt_legacy()
        head = self.head_state()
        if head.seq == 0:
            return None
        state = self.clock_state(now_ts)
        if state != "ok" and not confirmed:
            raise ClockNotTrusted(state)
        previous, problem = self.check_checkpoints(head)
        if problem:
            self.alert("point de contrôle", problem)
            raise JournalIntegrityError(problem)
        trusted = max(head.trusted_ts, now_ts) if not confirmed else now_ts
        start_after = previous.last_seq if previous else 0
        if previous is not None:
            cutoff_ts = max(cutoff_ts, previous.cutoff_ts)
        first_young, late = self._first_young(cutoff_ts, start_after)
        last_seq = head.seq if first_young is None else first_young - 1
        if last_seq <= start_after and not late:
            if trusted != head.trusted_ts:
                with transaction(self.main):
                    self._write_head(head.seq, head.h, head.partition, head.last_ts, head.max_ts,
                                     trusted, head.ckpt_mac)
            self.apply_checkpoint(now_ts)
            return None
        last_seq = max(last_seq, start_after)
        last_hash = previous.last_hash if previous and last_seq == start_after else (
            GENESIS if last_seq == 0 else self._hash_at(last_seq))
        count = (previous.count if previous else 0) + (last_seq - start_after)
        first_seq = start_after + 1
        mac = checkpoint_mac(self._meta_key, previous.mac if previous else b"", first_seq, last_seq,
                             count, last_hash, cutoff_ts, now_ts)
        with transaction(self.main):
            self.main.execute(
                "INSERT INTO journal_checkpoints (first_seq, last_seq, count, last_hash, cutoff_ts, "
                "created_ts, partitions, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (first_seq, last_seq, count, last_hash, cutoff_ts, now_ts,
                 ",".join(self.partition_names()), mac),
            )
            self._write_head(head.seq, head.h, head.partition, head.last_ts, head.max_ts, trusted, mac)
        self.apply_checkpoint(now_ts)
        return Checkpoint(last_seq, count, last_hash, cutoff_ts, now_ts, first_seq, mac)

    def _first_young(self, cutoff_ts: int, start_after: int) -> tuple[int | None, int]:
        """The first entry after ``start_after`` not older than ``cutoff_ts``, and how many
        entries after it are older (recorded late, expired by their own time)."""
        first_young: int | None = None
        late = 0
        for name in self.partition_names():
            conn = self.partition(name)
            if first_young is None:
                young = conn.execute(
                    "SELECT min(seq) FROM journal WHERE ts >= ? AND seq > ?", (cutoff_ts, start_after)
                ).fetchone()[0]
                if young is not None:
                    first_young = int(young)
            if first_young is not None:
                late += int(conn.execute(
                    "SELECT count(*) FROM journal WHERE ts < ? AND seq > ?", (cutoff_ts, first_young)
                ).fetchone()[0])
        outbox_young = self.main.execute(
            "SELECT min(seq) FROM journal_outbox WHERE ts >= ?", (cutoff_ts,)
        ).fetchone()[0]
        if first_young is None and outbox_young is not None:
            first_young = int(outbox_young)
        return first_young, late

    def apply_checkpoint(self, now_ts: int | None = None) -> None:
        """Destroy what the latest checkpoint declares expired (idempotent, crash-safe).

        Only an authentic checkpoint is obeyed, only with the current time at hand (``now_ts``:
        at opening, without it, nothing is destroyed; the expiry at login finishes the work),
        never one dated after ``now_ts``, and only for entries whose own time is older than its
        cutoff: a forged or contradicted checkpoint is an alert and destroys nothing."""
        self.adopt_legacy()
        if self.check_head():
            return
        checkpoint, problem = self.check_checkpoints()
        if problem:
            self.alert("point de contrôle", problem)
            return
        if checkpoint is None or now_ts is None:
            return
        if checkpoint.created_ts > now_ts + BACKWARD_TOLERANCE:
            self.alert("point de contrôle",
                       f"Le point de contrôle jusqu'au n° {checkpoint.last_seq} est daté du "
                       f"{_when(checkpoint.created_ts)}, après la date du jour : rien n'a été détruit.")
            return
        last_seq, cutoff = checkpoint.last_seq, checkpoint.cutoff_ts
        names = self.partition_names()
        if self._would_remove_young(names, last_seq, cutoff):
            return
        head_partition = self.head_state().partition
        for name in names:
            self._expire_partition(name, last_seq, cutoff, head_partition)

    def _would_remove_young(self, names: list[str], last_seq: int, cutoff: int) -> bool:
        """Refuse (and alert) if the checkpoint would remove anything not older than its cutoff."""
        for name in names:
            conn = self.partition(name)
            low = conn.execute("SELECT min(seq) FROM journal").fetchone()[0]
            if low is None or int(low) > last_seq:
                continue
            young = conn.execute(
                "SELECT min(seq) FROM journal WHERE ts >= ? AND seq <= ?", (cutoff, last_seq)
            ).fetchone()[0]
            if young is not None:
                self.alert("point de contrôle",
                           f"Le point de contrôle jusqu'au n° {last_seq} supprimerait l'entrée "
                           f"n° {young}, qui n'a pas six mois : rien n'a été détruit.")
                return True
        return False

    def _expire_partition(self, name: str, last_seq: int, cutoff: int, head_partition: str) -> None:
        """Remove the entries up to ``last_seq`` from one month file (the whole file when
        nothing younger is left in it, except the head's), tombstones for late entries."""
        conn = self.partition(name)
        tombs = self.has_tombstones_table(conn)
        top = conn.execute("SELECT max(seq) FROM journal").fetchone()[0]
        if tombs:
            dead = conn.execute("SELECT max(seq) FROM expired").fetchone()[0]
            top = max(top or 0, dead or 0) or None
        if top is None or int(top) <= last_seq:
            if name == head_partition:
                with transaction(conn, self.path_of(name)):
                    conn.execute("DELETE FROM journal WHERE seq <= ?", (last_seq,))
                    if tombs:
                        conn.execute("DELETE FROM expired WHERE seq <= ?", (last_seq,))
                return
            self.drop_partition(name)
            return
        low = conn.execute("SELECT min(seq) FROM journal").fetchone()[0]
        low_dead = conn.execute("SELECT min(seq) FROM expired").fetchone()[0] if tombs else None
        changed = False
        with transaction(conn, self.path_of(name)):
            if (low is not None and int(low) <= last_seq) or (low_dead is not None and int(low_dead) <= last_seq):
                conn.execute("DELETE FROM journal WHERE seq <= ?", (last_seq,))
                if tombs:
                    conn.execute("DELETE FROM expired WHERE seq <= ?", (last_seq,))
                changed = True
            late = conn.execute(
                f"SELECT {COLUMNS} FROM journal WHERE ts < ? AND seq > ?", (cutoff, last_seq)
            ).fetchall()
            if late:
                conn.execute(EXPIRED_TABLE)
                self._tombstone(conn, late)
                changed = True
        if changed:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _tombstone(self, conn: Connection, rows: list[Any]) -> None:
        v2_from = self.v2_from
        for seq, ts, user_id, profile, dossier_id, target, action, detail, h in rows:
            digest = (hashlib.sha256(rest_of(user_id, profile, dossier_id, target, action, detail)).digest()
                      if seq >= v2_from else b"")
            conn.execute("INSERT OR REPLACE INTO expired (seq, ts, digest, h) VALUES (?, ?, ?, ?)",
                         (seq, ts, digest, h))
            conn.execute("DELETE FROM journal WHERE seq = ?", (seq,))

