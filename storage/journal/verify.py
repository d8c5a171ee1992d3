"""Verification of the whole chain and of the seals against it (R-5.4, R-5.6)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import TYPE_CHECKING

from storage.journal.core import partition_rows
from storage.journal.records import (
    ALERT_ACTION,
    GENESIS,
    TRUST_WINDOW,
    ChainReport,
    Checkpoint,
    Head,
    _when,
    partition_end,
)
from storage.journal.seals import Seal, TrustedKeys, key_problem

if TYPE_CHECKING:
    from storage.journal.store import JournalStore


def verify_chain(
    store: JournalStore, now_ts: int | None = None, *,
    trusted_keys: Collection[bytes] | TrustedKeys | None = None, since: tuple[int, bytes] | None = None,
) -> ChainReport:
    """Recompute every HMAC from the latest checkpoint to the head (R-5.4) and check every
    seal against the chain (R-5.6).

    The head and the checkpoint chain must authenticate first; entries left below the
    checkpoint by a crash during expiry are ignored (``apply_checkpoint`` removes them).
    A seal must be signed by one of ``trusted_keys`` (when given; a mapping also bounds the
    entries a retired key may have sealed, see ``lineage``), and its entry must still
    hash to what it signed, or have been expired by its own time. ``since`` = (seq, hash)
    verifies only the entries after an already sealed one (used before sealing)."""
    store.flush()
    head = store.head_state()
    checkpoint, problem = store.check_checkpoints(head)
    if problem:
        first = checkpoint.last_seq + 1 if checkpoint else 1
        return ChainReport(False, 0, first, problem)
    if now_ts is not None:
        late = [cp for cp in store.checkpoints() if cp.created_ts > now_ts + TRUST_WINDOW]
        if late:
            return ChainReport(False, 0, late[0].first_seq,
                               "point de contrôle daté d'après la date du jour")
    walk = _Walk(store, trusted_keys, checkpoint)
    failure = walk.take_seals(head, read_seals=since is None)
    if failure is not None:
        return failure
    if since is not None:
        walk.expected_seq, walk.prev = since[0] + 1, since[1]
    for name in store.partition_names():
        failure = walk.partition(name)
        if failure is not None:
            return failure
    return walk.finish(head)


class _Walk:
    """One pass over the chain: where it stands, and the seals still to meet."""

    def __init__(self, store: JournalStore, trusted_keys: Collection[bytes] | TrustedKeys | None,
                 checkpoint: Checkpoint | None) -> None:
        self.store = store
        self.trusted_keys = trusted_keys
        self.checkpoint = checkpoint
        self.cutoff = checkpoint.cutoff_ts if checkpoint else 0
        self.expected_seq = checkpoint.last_seq + 1 if checkpoint else 1
        self.prev = checkpoint.last_hash if checkpoint else GENESIS
        self.v2_from = store.v2_from
        self.sealed: dict[int, Seal] = {}
        self.seal_seqs: list[int] = []
        self.seal_index = 0
        self.next_seal = -1
        self.newest: Seal | None = None
        self.count = 0
        self.tomb_count = 0
        self.first_alert: tuple[int, str] | None = None

    # -- seals: signature, key, and what each one may still be compared with ---------------
    def seal_failure(self, seal: Seal, report: ChainReport) -> ChainReport:
        """A seal that contradicts the journal counts only if it is genuine."""
        problem = key_problem(self.trusted_keys, seal)
        if problem:
            return ChainReport(False, 0, seal.seq, problem)
        if not seal.is_valid():
            return ChainReport(False, 0, seal.seq, f"sceau du {_when(seal.sealed_ts)} invalide")
        return report

    def take_seals(self, head: Head, *, read_seals: bool) -> ChainReport | None:
        """Compare every seal with the head and the checkpoint. Only the newest seal's
        signature is needed when everything matches: it covers, through the chain, every
        entry before it; any seal that contradicts the journal is checked too."""
        seals: list[Seal] = []
        if read_seals:
            in_main, only_copied = self.store.seals_by_place()
            valid_copies = [seal for seal in only_copied if seal.is_valid()]
            if valid_copies:
                missing = min(valid_copies, key=lambda s: s.seq)
                return ChainReport(False, 0, missing.seq,
                                   f"le sceau du {_when(missing.sealed_ts)} manque dans la base principale : "
                                   "elle a été restaurée à un état antérieur")
            seals = sorted(in_main, key=lambda s: (s.seq, s.sealed_ts))
        for seal in seals:
            failure = self._take_seal(seal, head)
            if failure is not None:
                return failure
        if self.newest is not None:
            checked = self.seal_failure(self.newest, ChainReport(True, 0, None, ""))
            if not checked.ok:
                return checked
        self.seal_seqs = sorted(self.sealed)
        self.next_seal = self.seal_seqs[0] if self.seal_seqs else -1
        return None

    def _take_seal(self, seal: Seal, head: Head) -> ChainReport | None:
        if seal.seq > head.seq:
            return self.seal_failure(seal, ChainReport(
                False, 0, head.seq + 1, f"entrées scellées manquantes : le sceau du {_when(seal.sealed_ts)} "
                f"couvre jusqu'au n° {seal.seq} (journal tronqué ou restauré)"))
        newest = self.newest
        if newest is None or (seal.seq, seal.sealed_ts) > (newest.seq, newest.sealed_ts):
            self.newest = seal
        checkpoint = self.checkpoint
        if checkpoint is not None and seal.seq <= checkpoint.last_seq:
            if seal.entry_ts >= checkpoint.cutoff_ts or (
                    seal.seq == checkpoint.last_seq and seal.h != checkpoint.last_hash):
                return self.seal_failure(seal, ChainReport(
                    False, 0, seal.seq, f"entrées scellées (sceau du {_when(seal.sealed_ts)}) détruites "
                    "avant leurs six mois"))
            return None
        other = self.sealed.get(seal.seq)
        if other is not None and other.h != seal.h:
            return self.seal_failure(seal, self.seal_failure(other, ChainReport(
                False, 0, seal.seq, "deux sceaux contradictoires")))
        self.sealed[seal.seq] = seal
        return None

    def broken(self, seal_seq: int) -> ChainReport:
        seal = self.sealed[seal_seq]
        return self.seal_failure(seal, ChainReport(
            False, self.count, seal_seq, f"sceau du {_when(seal.sealed_ts)} rompu : les entrées jusqu'au "
            f"n° {seal_seq} ne sont plus celles qui ont été scellées"))

    def passed_seal(self, h: bytes) -> ChainReport | None:
        """The entry ``expected_seq`` (hash ``h``) is the next sealed one: it must match."""
        if self.sealed[self.next_seal].h != h:
            return self.broken(self.next_seal)
        self.seal_index += 1
        self.next_seal = self.seal_seqs[self.seal_index] if self.seal_index < len(self.seal_seqs) else -1
        return None

    # -- entries ------------------------------------------------------------------------------
    def tombstone(self, tombs: dict[int, tuple[int, bytes, bytes]]) -> ChainReport | None:
        """The entry ``expected_seq`` was expired by its own time: its tombstone takes its place."""
        tomb = tombs.pop(self.expected_seq)
        bad = _tombstone_problem(self.store, tomb, self.prev, self.expected_seq, self.cutoff, self.v2_from)
        if bad:
            return ChainReport(False, self.count, self.expected_seq, bad)
        self.prev = tomb[2]
        if self.expected_seq == self.next_seal:
            failure = self.passed_seal(self.prev)
            if failure is not None:
                return failure
        self.expected_seq += 1
        self.tomb_count += 1
        return None

    def partition(self, name: str) -> ChainReport | None:
        """Every entry of one month file, in order. The loop is the verification budget (SPEC
        §11): its state lives in locals, written back before any other method runs."""
        store = self.store
        conn = store.partition(name)
        month_end = partition_end(name)
        tombs = store.tombstones(conn, self.expected_seq, name)
        # SQLite builds each entry's « rest » (rest_of) as UTF-8 bytes: the loop below is the
        # verification budget (SPEC §11), and the detail is read only for an alert entry
        cursor = partition_rows(
            name, conn,
            "SELECT seq, ts, h, CASE WHEN action = ? THEN detail END, CAST(coalesce(user_id, '') || char(31) || "
            "profile || char(31) || coalesce(dossier_id, '') || char(31) || target || char(31) || action "
            "|| char(31) || detail AS BLOB) FROM journal WHERE seq >= ? ORDER BY seq",
            (ALERT_ACTION, self.expected_seq))
        copy = store._mac.keyed.copy
        sha256, to_bytes, v2_from = hashlib.sha256, int.to_bytes, self.v2_from
        prev, expected_seq, next_seal, count = self.prev, self.expected_seq, self.next_seal, self.count
        for seq, ts, h, alert, rest in cursor:
            if seq != expected_seq:
                self.prev, self.expected_seq, self.count = prev, expected_seq, count
                while self.expected_seq in tombs and self.expected_seq < seq:
                    failure = self.tombstone(tombs)
                    if failure is not None:
                        return failure
                prev, expected_seq, next_seal = self.prev, self.expected_seq, self.next_seal
                if seq != expected_seq:
                    bad_seq = expected_seq if seq > expected_seq else seq
                    return ChainReport(False, count, bad_seq, "entrée manquante ou déplacée")
            mac = copy()
            if seq >= v2_from:
                mac.update(prev + to_bytes(seq, 8, "big", signed=True) + to_bytes(ts, 8, "big", signed=True)
                           + sha256(rest).digest())
            else:
                mac.update(prev + to_bytes(seq, 8, "big") + f"{seq}\x1f{ts}\x1f".encode() + rest)
            candidate = mac.digest()
            if candidate != h:
                return ChainReport(False, count, seq, "entrée modifiée")
            if ts >= month_end:
                return ChainReport(False, count, seq, "entrée rangée dans un mauvais mois")
            if seq == next_seal:
                self.count = count
                failure = self.passed_seal(candidate)
                if failure is not None:
                    return failure
                next_seal = self.next_seal
            if alert is not None and self.first_alert is None:
                self.first_alert = (seq, alert)
            prev = candidate
            expected_seq += 1
            count += 1
        self.prev, self.expected_seq, self.count = prev, expected_seq, count
        while self.expected_seq in tombs:
            failure = self.tombstone(tombs)
            if failure is not None:
                return failure
        if tombs:
            return ChainReport(False, self.count, min(tombs), "entrée expirée hors de sa place")
        return None

    def finish(self, head: Head) -> ChainReport:
        """After the last partition: the outbox, the seals not met, the head."""
        count, expected_seq = self.count, self.expected_seq
        pending = self.store.main.execute("SELECT min(seq) FROM journal_outbox").fetchone()[0]
        if pending is not None:
            return ChainReport(False, count, int(pending),
                               "conflit entre la tête du journal et les partitions (entrées conservées à part)")
        if self.next_seal != -1:
            return self.broken(self.next_seal)
        if expected_seq - 1 < head.seq:
            return ChainReport(False, count, expected_seq, "fin du journal supprimée")
        if expected_seq - 1 > head.seq or (head.seq and self.prev != head.h):
            return ChainReport(False, count, head.seq + 1, "entrées ajoutées après la dernière connue")
        if self.first_alert is not None:
            return ChainReport(False, count, self.first_alert[0],
                               f"altération détectée par Sillage : {self.first_alert[1]}")
        newest = self.newest
        if newest is None:
            return ChainReport(True, count, None, "", self.tomb_count, None, None, head.seq)
        return ChainReport(True, count, None, "", self.tomb_count, newest.seq, newest.sealed_ts,
                           head.seq - newest.seq)


def _tombstone_problem(store: JournalStore, tomb: tuple[int, bytes, bytes], prev: bytes, seq: int,
                       cutoff: int, v2_from: int) -> str | None:
    ts, digest, h = tomb
    if ts >= cutoff:
        return "entrée supprimée avant ses six mois"
    if seq >= v2_from and store._mac.v2(prev, seq, ts, digest) != h:
        return "entrée expirée modifiée"
    return None
