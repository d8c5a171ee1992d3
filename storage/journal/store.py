"""The journal store with its seals (R-5.6)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from storage.connection import transaction
from storage.journal.expiry import JournalExpiry
from storage.journal.seals import (
    SEAL_COLUMNS,
    SEALS_TABLE,
    SUCCESSION_TARGET,
    Seal,
    SealKey,
    TrustedKeys,
    key_problem,
    parse_succession,
    seal_message,
)
from storage.journal.verify import verify_chain


class JournalStore(JournalExpiry):
    """The partition files of one workspace plus the outbox and head in the main database."""

    # -- seals (R-5.6) ---------------------------------------------------------------------
    @staticmethod
    def _seal_of(row: Any) -> Seal:
        return Seal(int(row[0]), bytes(row[1]), int(row[2]), int(row[3]), str(row[4]), bytes(row[5]),
                    bytes(row[6]))

    def seals(self) -> list[Seal]:
        """Every seal found: the main database's and the copies kept in the partitions."""
        main, only_in_partitions = self.seals_by_place()
        return sorted([*main, *only_in_partitions], key=lambda s: (s.seq, s.sealed_ts))

    def seals_by_place(self) -> tuple[list[Seal], list[Seal]]:
        """The main database's seals, and the seals found only as copies in the partitions
        (a seal is written to the main database first: a copy alone means it was rolled back)."""
        found: dict[tuple[int, bytes], Seal] = {}
        for row in self.main.execute(f"SELECT {SEAL_COLUMNS} FROM journal_seals"):
            seal = self._seal_of(row)
            found[(seal.seq, seal.signature)] = seal
        extra: dict[tuple[int, bytes], Seal] = {}
        for name in self.partition_names():
            conn = self.partition(name)
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seals'").fetchone():
                for row in conn.execute(f"SELECT {SEAL_COLUMNS} FROM seals"):
                    seal = self._seal_of(row)
                    if (seal.seq, seal.signature) not in found:
                        extra[(seal.seq, seal.signature)] = seal
        return list(found.values()), list(extra.values())

    def latest_seal(self) -> Seal | None:
        row = self.main.execute(
            f"SELECT {SEAL_COLUMNS} FROM journal_seals ORDER BY seq DESC, sealed_ts DESC LIMIT 1"
        ).fetchone()
        return None if row is None else self._seal_of(row)

    def succession_of(self, key: bytes, from_month: str = "") -> tuple[int, bytes | None] | None:
        """(entry number, previous key) of the first entry recording ``key`` as a new sealing
        key, searched in the partitions from ``from_month`` (AAAA-MM) on: an entry is never
        filed before the month of its own time, but may be filed later (recorded late, it
        goes to the head's month). Call ``flush`` first."""
        prefix = f"clé de scellement du journal : nouvelle {key.hex()},%"
        for name in self.partition_names():
            if name < from_month:
                continue
            row = self.partition(name).execute(
                "SELECT seq, detail FROM journal WHERE target = ? AND detail LIKE ? ORDER BY seq LIMIT 1",
                (SUCCESSION_TARGET, prefix)).fetchone()
            parsed = None if row is None else parse_succession(str(row[1]))
            if parsed is not None and parsed[0] == key:
                return int(row[0]), parsed[1]
        return None

    def newest_valid_seal_by(self, public_key: bytes) -> int | None:
        """The entry number of the newest seal with an authentic signature by ``public_key``."""
        for row in self.main.execute(
                f"SELECT {SEAL_COLUMNS} FROM journal_seals WHERE public_key = ? ORDER BY seq DESC", (public_key,)):
            seal = self._seal_of(row)
            if seal.is_valid():
                return seal.seq
        return None

    def lineage(self, anchor: bytes, created: Mapping[bytes, str]) -> dict[bytes, int | None]:
        """The keys whose seals count (R-5.6): ``anchor`` (the key pinned in the director's own
        grant), then each predecessor named by the first succession entry of a trusted key —
        an entry that key has itself sealed since, so that an insider cannot append one — each
        bounded to the entries before its succession. Until the anchor has sealed once (just
        after a renewal), its succession after the latest seal counts. ``created``: the month
        (AAAA-MM) each key was made, where its succession is looked for first (a locator only:
        a wrong month finds nothing, and nothing more is trusted)."""
        self.flush()
        trusted: dict[bytes, int | None] = {anchor: None}
        current, bound = anchor, None
        latest = self.latest_seal()
        while True:
            link = self.succession_of(current, created.get(current, ""))
            if link is None:
                return trusted
            seq, old = link
            if old is None or old in trusted:
                return trusted
            sealed_by_current = self.newest_valid_seal_by(current)
            first_seal = (current == anchor and sealed_by_current is None
                          and seq > (latest.seq if latest else 0))
            if not first_seal and (sealed_by_current is None or sealed_by_current < seq):
                return trusted
            bound = seq - 1 if bound is None else min(bound, seq - 1)
            trusted[old] = bound
            current = old

    def seal(self, key: SealKey, now_ts: int, reason: str, trusted: TrustedKeys | None = None) -> Seal | None:
        """Sign the head (seq, hash, time) with the journal sealing key (R-5.6).

        Never seals a journal whose head, checkpoints or entries since the previous seal do not
        authenticate. Returns None when nothing was sealed."""
        self.flush()
        head = self.head_state()
        if head.seq == 0 or self.check_head() or self.outbox_size():
            return None
        checkpoint, problem = self.check_checkpoints(head)
        if problem:
            return None
        public = key.public_bytes()
        last = self.latest_seal()
        if last is not None and last.seq == head.seq and last.h == head.h and last.public_key == public:
            return last
        if last is not None and not last.is_valid():
            self.alert("sceau", f"Scellement refusé : le sceau n° {last.seq} n'est pas authentique.")
            return None
        untrusted = None if last is None else key_problem(trusted, last)
        if untrusted:
            self.alert("sceau", f"Scellement refusé : {untrusted} (n° {last.seq if last else 0}).")
            return None
        # The entries since the previous seal must still chain from it; a first seal signs the
        # journal as it stands (only ``journal verify`` reads everything, off the login path).
        report = None
        if last is not None and (checkpoint is None or last.seq > checkpoint.last_seq):
            report = verify_chain(self, since=(last.seq, last.h))
        elif last is not None:
            report = verify_chain(self)
        if report is not None and not report.ok:
            self.alert("sceau", f"Scellement refusé : {report.reason} (n° {report.first_bad_seq}).")
            return None
        message = seal_message(head.seq, head.h, head.last_ts, now_ts)
        seal = Seal(head.seq, head.h, head.last_ts, now_ts, reason, public, key.sign(message))
        values = (seal.seq, seal.h, seal.entry_ts, seal.sealed_ts, seal.reason, seal.public_key, seal.signature)
        with transaction(self.main):
            self.main.execute(f"INSERT INTO journal_seals ({SEAL_COLUMNS}) VALUES (?,?,?,?,?,?,?)", values)
        if head.partition:
            conn = self.partition(head.partition, create=True)
            with transaction(conn, self.path_of(head.partition)):
                conn.execute(SEALS_TABLE)
                conn.execute(f"INSERT OR IGNORE INTO seals ({SEAL_COLUMNS}) VALUES (?,?,?,?,?,?,?)", values)
        return seal
