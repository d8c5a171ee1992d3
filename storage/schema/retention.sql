-- Retention of dossiers (SPEC §6, R-6.1 to R-6.5): durations per measure type, decisions,
-- and the record of purges (kept without any name: only ids, dates, who, why).

CREATE TABLE retention_durations (
    measure_type  TEXT PRIMARY KEY,
    years         INTEGER NOT NULL CHECK (years BETWEEN 1 AND 30),
    justification TEXT NOT NULL CHECK (length(justification) BETWEEN 20 AND 500),
    set_by        INTEGER REFERENCES users(id),
    set_at        TEXT NOT NULL
) WITHOUT ROWID;

-- Decisions and proposals on one dossier. They go with the dossier when it is purged.
CREATE TABLE retention_decisions (
    id          INTEGER PRIMARY KEY,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('postpone', 'legal_hold', 'archive',
                                              'propose_purge', 'propose_death', 'lift_hold')),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    until_on    TEXT CHECK (until_on IS NULL OR until_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    decided_by  INTEGER REFERENCES users(id),
    decided_at  TEXT NOT NULL,
    -- a proposal is settled when the direction decides (or the decision is replaced)
    settled_at  TEXT
);
CREATE INDEX retention_decisions_dossier ON retention_decisions (dossier_id, id);

-- What was purged, when, by whom and why: no name, no number, no value (R-6.5).
CREATE TABLE retention_purges (
    id           INTEGER PRIMARY KEY,
    dossier_id   INTEGER NOT NULL,
    cause        TEXT NOT NULL CHECK (cause IN ('retention', 'death', 'erasure', 'archive_end')),
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    decided_by   INTEGER REFERENCES users(id),
    purged_at    TEXT NOT NULL,
    rows_deleted INTEGER NOT NULL
);
