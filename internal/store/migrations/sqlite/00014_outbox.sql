-- +goose Up
-- The durable outbox (DESIGN.md §4.5): an agent's message for a channel
-- that delivers through a provider is stored with its outbox row in one
-- transaction, and a worker sends it, with retries and back-off. payload is
-- what the channel's sender needs beyond the message (a reply's context, a
-- template and its parameters), as JSON.
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    channel             TEXT NOT NULL,
    account_id          INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    message_id          INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    payload             TEXT NOT NULL DEFAULT '{}',
    state               TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMP NOT NULL,
    last_error          TEXT NOT NULL DEFAULT '',
    provider_message_id TEXT,
    lease_until         TIMESTAMP,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX outbox_message ON outbox (message_id);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- Why a message could not be delivered, in the provider's words, for the
-- agent (delivery 'failed').
ALTER TABLE messages ADD COLUMN delivery_error TEXT NOT NULL DEFAULT '';

-- Statuses a provider reported for an outbound message id we have not yet
-- recorded: the webhook can overtake the commit of the send's answer. They
-- are applied when the send is recorded, and swept after a day.
CREATE TABLE outbound_early_statuses (
    provider_message_id TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('sent', 'delivered', 'read', 'failed')),
    account_id          INTEGER,
    error_code          TEXT NOT NULL DEFAULT '',
    error_text          TEXT NOT NULL DEFAULT '',
    reported_at         TIMESTAMP NOT NULL,
    received_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (provider_message_id, state)
);

-- WhatsApp message templates of an account: synced from the provider
-- (Meta's message_templates; Twilio's Content API SID in provider_id) or
-- defined by an admin. body holds {{1}}, {{2}}… parameters.
CREATE TABLE whatsapp_templates (
    id                   INTEGER PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    language             TEXT NOT NULL,
    category             TEXT NOT NULL DEFAULT '',
    body                 TEXT NOT NULL,
    parameter_count      INTEGER NOT NULL DEFAULT 0,
    available_for_agents BOOLEAN NOT NULL DEFAULT FALSE,
    status               TEXT NOT NULL DEFAULT 'approved',
    provider_id          TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX whatsapp_templates_name ON whatsapp_templates (account_id, name, language);

-- +goose Down
DROP TABLE whatsapp_templates;
DROP TABLE outbound_early_statuses;
ALTER TABLE messages DROP COLUMN delivery_error;
DROP TABLE outbox;
