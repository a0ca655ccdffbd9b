-- +goose Up
-- Accounts are the channel entry points (a chat website, a WhatsApp number,
-- an SMS number, an email mailbox, an open-channel integration, a fax
-- line). Each kind keeps its own settings in a table of its own; chat
-- websites come first.
CREATE TABLE accounts (
    id                    INTEGER PRIMARY KEY,
    channel               TEXT NOT NULL CHECK (channel IN ('chat', 'whatsapp', 'sms', 'email', 'openchannel', 'fax')),
    name                  TEXT NOT NULL,
    enabled               BOOLEAN NOT NULL DEFAULT TRUE,
    queue_id              INTEGER REFERENCES queues (id) ON DELETE SET NULL,
    default_list_id       INTEGER REFERENCES lists (id) ON DELETE SET NULL,
    mandatory_disposition BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX accounts_name ON accounts (lower(name));
CREATE INDEX accounts_channel ON accounts (channel);

-- The settings of a chat website: its widget key (in the snippet), the
-- origins allowed to load the widget, its look, its forms (JSON arrays of
-- fields) and its attachments.
CREATE TABLE website_settings (
    account_id          INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    widget_key          TEXT NOT NULL UNIQUE,
    allowed_origins     TEXT NOT NULL DEFAULT '[]',
    title               TEXT NOT NULL,
    colour              TEXT NOT NULL,
    online_form         TEXT NOT NULL DEFAULT '[]',
    offline_form        TEXT NOT NULL DEFAULT '[]',
    offline_message     TEXT NOT NULL DEFAULT '',
    attachments_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    max_attachment_mb   INTEGER NOT NULL DEFAULT 10 CHECK (max_attachment_mb BETWEEN 1 AND 25)
);

-- dispositions.account_id and canned_answers.account_id now name accounts.
-- SQLite cannot add a foreign key to an existing table: the store checks
-- that the account exists and deletes an account's entries with it.
CREATE INDEX dispositions_account ON dispositions (account_id);
CREATE INDEX canned_answers_account ON canned_answers (account_id);

-- +goose Down
DROP INDEX canned_answers_account;
DROP INDEX dispositions_account;
DROP TABLE website_settings;
DROP TABLE accounts;
