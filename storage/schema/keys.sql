-- Step 4 -> 5 (issue 10, R-2.2, R-2.8): account key pairs and key grants.
-- The key-slot file (keyslots.json) is a copy of these two tables, readable before login;
-- the database is authoritative: recovery rebuilds the file from here, never from the disk.

CREATE TABLE key_slots (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    slot_id     TEXT NOT NULL UNIQUE,
    lookup      TEXT NOT NULL UNIQUE,
    -- 'x25519': the account's private key wrapped under its password;
    -- 'legacy': the DMK itself wrapped under the password (format 1, until the next login)
    kind        TEXT NOT NULL CHECK (kind IN ('x25519', 'legacy')),
    kdf_t       INTEGER NOT NULL,
    kdf_m       INTEGER NOT NULL,
    kdf_p       INTEGER NOT NULL,
    salt        BLOB NOT NULL,
    nonce       BLOB NOT NULL,
    wrapped     BLOB NOT NULL,
    public_key  BLOB NOT NULL DEFAULT x''
);

-- A key sealed (HPKE) to an account's public key: the DMK for every active account, the
-- journal sealing key for `direction` accounts only.
CREATE TABLE key_grants (
    user_id   INTEGER NOT NULL REFERENCES users(id),
    key_name  TEXT NOT NULL CHECK (key_name IN ('dmk', 'journal_seal')),
    key_id    TEXT NOT NULL,
    sealed    BLOB NOT NULL,
    PRIMARY KEY (user_id, key_name)
) WITHOUT ROWID;

-- Public halves of the journal sealing keys (R-5.6), current and retired, so that seals made
-- with an earlier key still verify. key_id is the hex of the Ed25519 public key.
CREATE TABLE journal_seal_keys (
    key_id      TEXT PRIMARY KEY,
    public_key  BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    reason      TEXT NOT NULL DEFAULT '',
    retired_at  TEXT
);
