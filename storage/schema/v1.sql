-- Sillage main database, schema version 1.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE units (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(login) BETWEEN 2 AND 40),
    display_name         TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
    profile              TEXT NOT NULL CHECK (profile IN ('educateur', 'soignant', 'chef_service',
                             'direction', 'secretariat', 'admin_technique', 'archiviste')),
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    locked               INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    otp_expires_at       TEXT,
    charter_accepted_at  TEXT,
    created_at           TEXT NOT NULL,
    last_login_at        TEXT
);

CREATE TABLE user_units (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (user_id, unit_id)
) WITHOUT ROWID;

CREATE TABLE habilitation_reviews (
    id          INTEGER PRIMARY KEY,
    signed_by   INTEGER NOT NULL REFERENCES users(id),
    signed_at   TEXT NOT NULL,
    account_count INTEGER NOT NULL
);

-- Mirror of the form catalogue (resources/forms), refreshed at every start, so that the
-- database itself refuses values outside the vocabularies (R-4.2).
CREATE TABLE catalogue_fields (
    category_id TEXT NOT NULL,
    field_id    TEXT NOT NULL,
    type        TEXT NOT NULL,
    vocabulary  TEXT,
    PRIMARY KEY (category_id, field_id)
) WITHOUT ROWID;

CREATE TABLE vocabulary_items (
    vocabulary_id TEXT NOT NULL,
    code          TEXT NOT NULL,
    retired       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vocabulary_id, code)
) WITHOUT ROWID;

CREATE TABLE dossiers (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 20),
    last_name       TEXT NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    first_names     TEXT NOT NULL CHECK (length(first_names) BETWEEN 1 AND 100),
    birth_date      TEXT CHECK (birth_date IS NULL OR birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    referent_id     INTEGER REFERENCES users(id),
    status          TEXT NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active', 'closed', 'archive', 'legal_hold', 'restricted')),
    status_reason   TEXT,
    opened_on       TEXT NOT NULL,
    closed_on       TEXT,
    last_contact_on TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX dossiers_name ON dossiers (last_name COLLATE NOCASE, first_names COLLATE NOCASE);
CREATE INDEX dossiers_unit ON dossiers (unit_id, status);

-- Single-record categories: one value per (dossier, category, field); JSON text.
CREATE TABLE field_values (
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    category_id TEXT NOT NULL,
    field_id    TEXT NOT NULL,
    value       TEXT NOT NULL CHECK (json_valid(value)),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (dossier_id, category_id, field_id),
    FOREIGN KEY (category_id, field_id) REFERENCES catalogue_fields(category_id, field_id)
) WITHOUT ROWID;

-- Repeating categories (measures, follow-up entries, people involved).
CREATE TABLE records (
    id          INTEGER PRIMARY KEY,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    category_id TEXT NOT NULL,
    record_date TEXT,
    deadline    TEXT,
    author_id   INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX records_dossier ON records (dossier_id, category_id, record_date);

CREATE TABLE record_values (
    record_id   INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    category_id TEXT NOT NULL,
    field_id    TEXT NOT NULL,
    value       TEXT NOT NULL CHECK (json_valid(value)),
    PRIMARY KEY (record_id, field_id),
    FOREIGN KEY (category_id, field_id) REFERENCES catalogue_fields(category_id, field_id)
) WITHOUT ROWID;

CREATE TABLE consents (
    id            INTEGER PRIMARY KEY,
    dossier_id    INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    consent_type  TEXT NOT NULL,
    given_by      TEXT NOT NULL CHECK (length(given_by) BETWEEN 1 AND 120),
    given_by_role TEXT NOT NULL CHECK (given_by_role IN ('jeune', 'representant_legal')),
    form          TEXT NOT NULL CHECK (form IN ('ecrit', 'oral')),
    scope         TEXT NOT NULL DEFAULT '' CHECK (length(scope) <= 300),
    state         TEXT NOT NULL CHECK (state IN ('requested', 'given', 'refused', 'withdrawn')),
    recorded_on   TEXT NOT NULL,
    withdrawn_on  TEXT,
    recorded_by   INTEGER REFERENCES users(id)
);
CREATE INDEX consents_dossier ON consents (dossier_id, consent_type);

-- Journal: entries are written here in the same transaction as the change they record
-- (R-5.2), then moved to their month partition file (journal/AAAA-MM.db).
CREATE TABLE journal_outbox (
    seq        INTEGER PRIMARY KEY,
    partition  TEXT NOT NULL,
    ts         INTEGER NOT NULL,
    user_id    INTEGER,
    profile    TEXT NOT NULL,
    dossier_id INTEGER,
    target     TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    h          BLOB NOT NULL
);

CREATE TABLE journal_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    seq       INTEGER NOT NULL,
    h         BLOB NOT NULL,
    partition TEXT NOT NULL,
    last_ts   INTEGER NOT NULL
);

CREATE TABLE journal_checkpoints (
    id          INTEGER PRIMARY KEY,
    first_seq   INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    count       INTEGER NOT NULL,
    last_hash   BLOB NOT NULL,
    cutoff_ts   INTEGER NOT NULL,
    created_ts  INTEGER NOT NULL,
    partitions  TEXT NOT NULL
);

-- The database itself refuses values outside the catalogue (R-4.2): the triggers of
-- field_values and record_values are generated from storage/schema/value_checks.py by the
-- step to version 7 (storage/schema/migrations.py), which every database goes through.
