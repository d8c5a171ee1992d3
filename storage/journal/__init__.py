"""Storage of the access journal: month partitions, HMAC chain, checkpoints, seals (R-5.2 to R-5.7).

An entry is first written to ``journal_outbox`` in the main database, in the same
transaction as the change it records. ``flush`` later moves entries to their partition
file ``journal/AAAA-MM.db`` (idempotently: a crash between the two steps only leaves
entries to move again; an entry whose number already holds another entry is a conflict,
kept in the outbox and reported, never dropped).

Chain (v2): ``h_i = HMAC(K_audit, h_{i-1} ‖ seq ‖ ts ‖ SHA-256(rest of the entry))``, so an
entry recorded late with an earlier time (failed logins journaled at the next login) can be
expired by its own time: it leaves a tombstone (seq, ts, digest, h) that proves its time and
keeps the chain verifiable. Entries written before the v2 migration keep the v1 formula.

The head and the checkpoints are authenticated with a key derived from ``K_audit`` and
chained: each checkpoint's MAC covers the previous one's, the head's covers the latest
checkpoint's. A checkpoint is obeyed only if that chain is intact, its cutoff lies at least
six months before its creation, its creation is not later than the last trusted time of the
clock, and it removes only entries whose own time is older than its cutoff. Anything else is
an alert, and nothing is destroyed.

The package: ``records`` (entries, head, checkpoints, MACs, times), ``core`` (partitions,
outbox, head: writing), ``reading`` (checkpoint checks, queries, clock state), ``expiry``
(checkpoints that expire), ``seals`` (seal records, key lineage), ``store`` (``JournalStore``
with its seals), ``verify`` (``verify_chain``).
"""

from storage.journal.core import DamagedPartition
from storage.journal.records import (
    ALERT_ACTION,
    BACKWARD_TOLERANCE,
    COLUMNS,
    GENESIS,
    PARTITION_RE,
    RETENTION_MONTHS,
    TRUST_WINDOW,
    Alert,
    ChainReport,
    Checkpoint,
    ClockNotTrusted,
    EntryMac,
    Head,
    JournalIntegrityError,
    StoredEntry,
    canonical,
    chain_hash,
    checkpoint_mac,
    clean,
    from_micros,
    head_mac,
    months_before,
    partition_end,
    partition_of,
    rest_of,
    retention_limit,
    to_micros,
)
from storage.journal.seals import (
    SEAL_COLUMNS,
    SEALS_TABLE,
    SUCCESSION_TARGET,
    Seal,
    SealKey,
    TrustedKeys,
    key_problem,
    parse_succession,
    seal_anchor,
    seal_message,
    succession_detail,
)
from storage.journal.store import JournalStore
from storage.journal.verify import verify_chain

__all__ = [
    "ALERT_ACTION",
    "Alert",
    "BACKWARD_TOLERANCE",
    "COLUMNS",
    "ChainReport",
    "Checkpoint",
    "ClockNotTrusted",
    "DamagedPartition",
    "EntryMac",
    "GENESIS",
    "Head",
    "JournalIntegrityError",
    "JournalStore",
    "PARTITION_RE",
    "RETENTION_MONTHS",
    "SEALS_TABLE",
    "SEAL_COLUMNS",
    "SUCCESSION_TARGET",
    "Seal",
    "SealKey",
    "StoredEntry",
    "TRUST_WINDOW",
    "TrustedKeys",
    "canonical",
    "chain_hash",
    "checkpoint_mac",
    "clean",
    "from_micros",
    "head_mac",
    "key_problem",
    "months_before",
    "parse_succession",
    "partition_end",
    "partition_of",
    "rest_of",
    "retention_limit",
    "seal_anchor",
    "seal_message",
    "succession_detail",
    "to_micros",
    "verify_chain",
]
