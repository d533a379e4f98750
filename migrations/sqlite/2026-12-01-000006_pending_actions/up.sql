-- Act first, confirm by e-mail: actions of visitors (co-sign, raise, …) kept until the link in
-- the e-mail confirms them, and the page a sign-in link brings the person back to.
-- Keep equivalent to ../../postgres/2026-12-01-000006_pending_actions/up.sql (a test compares them).

CREATE TABLE pending_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    email TEXT NOT NULL,
    display_name TEXT,
    language TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX pending_actions_expires_idx ON pending_actions (expires_at);

ALTER TABLE sign_in_links ADD COLUMN return_path TEXT;
