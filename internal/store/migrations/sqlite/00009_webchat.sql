-- +goose Up
-- A website chat: the interaction a widget started, the hash of the token
-- that lets the customer's browser back in (none for an offline message,
-- which has no conversation), the form he filled (a JSON array of
-- {name, label, value} in the form's order), the page origin it came from,
-- and who ended it.
CREATE TABLE chat_sessions (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    interaction_id INTEGER NOT NULL UNIQUE REFERENCES interactions (id) ON DELETE CASCADE,
    token_hash     TEXT UNIQUE,
    offline        BOOLEAN NOT NULL DEFAULT FALSE,
    form           TEXT NOT NULL DEFAULT '[]',
    origin         TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    closed_by      TEXT CHECK (closed_by IN ('customer', 'agent'))
);
CREATE INDEX chat_sessions_account ON chat_sessions (account_id);

-- +goose Down
DROP TABLE chat_sessions;
