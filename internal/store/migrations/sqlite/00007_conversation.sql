-- +goose Up
-- The conversation of an interaction: its messages, internal notes, tags,
-- sub-status, disposition, and each principal's read mark.
ALTER TABLE interactions ADD COLUMN account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL;
-- Who the customer is, until the Contact Manager links a contact.
ALTER TABLE interactions ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN sub_status_id INTEGER REFERENCES sub_statuses (id) ON DELETE SET NULL;
ALTER TABLE interactions ADD COLUMN disposition_id INTEGER REFERENCES dispositions (id) ON DELETE SET NULL;
ALTER TABLE interactions ADD COLUMN disposition_note TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN last_message_at TIMESTAMP;
ALTER TABLE interactions ADD COLUMN last_message_direction TEXT CHECK (last_message_direction IN ('in', 'out'));
CREATE INDEX interactions_account ON interactions (account_id);

-- Messages exchanged with the customer: 'in' from the customer, 'out' from
-- an agent (author_id). provider_id is the channel provider's message id,
-- for de-duplication.
CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    direction      TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    author_id      INTEGER REFERENCES principals (id) ON DELETE SET NULL,
    body           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    delivery       TEXT NOT NULL DEFAULT 'sent' CHECK (delivery IN ('sent', 'delivered', 'read', 'failed')),
    provider_id    TEXT UNIQUE
);
CREATE INDEX messages_interaction ON messages (interaction_id, id);

-- Internal notes: seen by agents and supervisors, never sent to the customer.
CREATE TABLE interaction_notes (
    id             INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    author_id      INTEGER REFERENCES principals (id) ON DELETE SET NULL,
    body           TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX interaction_notes_interaction ON interaction_notes (interaction_id, id);

CREATE TABLE interaction_tags (
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    tag_id         INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, tag_id)
);
CREATE INDEX interaction_tags_tag ON interaction_tags (tag_id);

-- How far each principal has read an interaction's messages.
CREATE TABLE interaction_reads (
    interaction_id        INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    principal_id          INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    read_up_to_message_id INTEGER NOT NULL,
    PRIMARY KEY (interaction_id, principal_id)
);

-- +goose Down
DROP TABLE interaction_reads;
DROP TABLE interaction_tags;
DROP TABLE interaction_notes;
DROP TABLE messages;
DROP INDEX interactions_account;
ALTER TABLE interactions DROP COLUMN last_message_direction;
ALTER TABLE interactions DROP COLUMN last_message_at;
ALTER TABLE interactions DROP COLUMN disposition_note;
ALTER TABLE interactions DROP COLUMN disposition_id;
ALTER TABLE interactions DROP COLUMN sub_status_id;
ALTER TABLE interactions DROP COLUMN contact_name;
ALTER TABLE interactions DROP COLUMN account_id;
