-- Register of the persons' rights requests (SPEC §7, R-7.1; REF 64-66). A purge keeps the
-- request as proof it was handled, without the dossier link or the requester's name.
CREATE TABLE rights_requests (
    id               INTEGER PRIMARY KEY,
    dossier_id       INTEGER REFERENCES dossiers(id) ON DELETE SET NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'restriction',
                                                   'portability', 'objection', 'consent_withdrawal')),
    requester        TEXT NOT NULL CHECK (length(requester) BETWEEN 1 AND 120),
    requester_role   TEXT NOT NULL CHECK (requester_role IN ('jeune', 'representant_legal',
                                                             'mandataire', 'autre')),
    received_on      TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    due_on           TEXT NOT NULL CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    extended_on      TEXT,
    extension_reason TEXT CHECK (extension_reason IS NULL OR length(extension_reason) <= 500),
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'refused')),
    answered_on      TEXT,
    answer           TEXT CHECK (answer IS NULL OR length(answer) <= 500),
    recorded_by      INTEGER REFERENCES users(id),
    created_at       TEXT NOT NULL
);
CREATE INDEX rights_requests_open ON rights_requests (status, due_on);
CREATE INDEX rights_requests_dossier ON rights_requests (dossier_id);
