-- +goose Up
-- Files exchanged in a conversation. They are kept in the database, like
-- avatars, so every node of a scaled-out site serves the same files and a
-- backup of the database is a backup of everything. interaction_id says who
-- may download one (whoever may see the interaction) even before or without
-- its message.
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL,
    data           BLOB NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX attachments_interaction ON attachments (interaction_id);

-- A message carries at most one file (its body is then an optional caption).
ALTER TABLE messages ADD COLUMN attachment_id INTEGER REFERENCES attachments (id) ON DELETE SET NULL;
CREATE INDEX messages_attachment ON messages (attachment_id);

-- +goose Down
DROP INDEX messages_attachment;
ALTER TABLE messages DROP COLUMN attachment_id;
DROP TABLE attachments;
