-- Journal integrity against an insider and the clock (issue 11, R-5.4, R-5.6, R-5.7).
-- The head and checkpoints carry a MAC (key derived from the DMK) and are chained; the head
-- keeps the newest entry's time and the last time the clock was trusted; alerts are recorded.
ALTER TABLE journal_head ADD COLUMN max_ts INTEGER;
ALTER TABLE journal_head ADD COLUMN trusted_ts INTEGER;
ALTER TABLE journal_head ADD COLUMN ckpt_mac BLOB;
ALTER TABLE journal_head ADD COLUMN mac BLOB;
ALTER TABLE journal_checkpoints ADD COLUMN mac BLOB;

CREATE TABLE journal_alerts (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL,
    after_seq  INTEGER NOT NULL,
    ts         INTEGER NOT NULL
);

-- Seals of the head by the journal sealing key (R-5.6): no personal data.
CREATE TABLE journal_seals (
    id         INTEGER PRIMARY KEY,
    seq        INTEGER NOT NULL,
    h          BLOB NOT NULL,
    entry_ts   INTEGER NOT NULL,
    sealed_ts  INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    public_key BLOB NOT NULL,
    signature  BLOB NOT NULL
);

-- Entries already written keep the v1 chain formula; later ones use v2.
INSERT INTO meta (key, value)
SELECT 'journal_chain_v2_from',
       CAST(max(coalesce((SELECT seq FROM journal_head), 0),
                coalesce((SELECT max(seq) FROM journal_outbox), 0)) + 1 AS TEXT);
