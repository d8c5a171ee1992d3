-- Schema step "documents": the documents given and sent (R-8.2, R-8.3, R-8.4).

-- Delivery record of information notices: what was given, when, to whom, by whom (R-8.2).
CREATE TABLE notice_deliveries (
    id           INTEGER PRIMARY KEY,
    dossier_id   INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    audience     TEXT NOT NULL CHECK (audience IN ('enfant-6-9', 'enfant-10-12', 'ado-13-15', 'ado-16-17',
                                                   'jeune-majeur', 'representant-legal', 'falc')),
    lang         TEXT NOT NULL CHECK (length(lang) BETWEEN 2 AND 8),
    text_version TEXT NOT NULL CHECK (length(text_version) BETWEEN 1 AND 20),
    delivered_on TEXT NOT NULL CHECK (delivered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    recipient    TEXT NOT NULL CHECK (length(recipient) BETWEEN 1 AND 150),
    delivered_by INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX notice_deliveries_dossier ON notice_deliveries (dossier_id, delivered_on);

-- Register of communications: every document that left the software, to whom and why (R-8.3, R-8.5).
CREATE TABLE communications (
    id         INTEGER PRIMARY KEY,
    dossier_id INTEGER REFERENCES dossiers(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('rapport_juge', 'statistiques', 'notice')),
    recipient  TEXT NOT NULL CHECK (length(recipient) BETWEEN 1 AND 200),
    purpose    TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 300),
    sections   TEXT NOT NULL DEFAULT '',
    encrypted  INTEGER NOT NULL DEFAULT 0 CHECK (encrypted IN (0, 1)),
    author_id  INTEGER REFERENCES users(id),
    sent_at    TEXT NOT NULL
);
CREATE INDEX communications_dossier ON communications (dossier_id, sent_at);
