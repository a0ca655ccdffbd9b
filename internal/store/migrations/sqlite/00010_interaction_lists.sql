-- +goose Up
-- The channels' interaction lists: who the customer is within an account
-- (the conversation several interactions share), the sort keys the lists
-- page through by keyset, full-text search over subjects, contacts and
-- messages, and who is watching an interaction now.

-- contact_key names the customer within the account (a chat visitor's email
-- or session, a phone number, a mailbox): the interactions of one account
-- with one contact key are one conversation. '' is unknown.
ALTER TABLE interactions ADD COLUMN contact_key TEXT NOT NULL DEFAULT '';
CREATE INDEX interactions_conversation ON interactions (account_id, contact_key, status);

-- Sort keys that are never NULL, so keyset pagination compares plain
-- values: an interaction without messages sorts by when it started.
ALTER TABLE interactions ADD COLUMN last_activity_at TIMESTAMP GENERATED ALWAYS AS (coalesce(last_message_at, created_at)) VIRTUAL;
ALTER TABLE interactions ADD COLUMN subject_sort TEXT GENERATED ALWAYS AS (lower(subject)) VIRTUAL;

-- One index per sort within a channel (the lists are per channel), and the
-- default sort across channels (the supervisors' list).
CREATE INDEX interactions_list_activity ON interactions (channel, last_activity_at, id);
CREATE INDEX interactions_list_created ON interactions (channel, created_at, id);
CREATE INDEX interactions_list_subject ON interactions (channel, subject_sort, id);
CREATE INDEX interactions_list_status ON interactions (channel, status, id);
-- The lists' most common filter (open, closed) with their default sort.
CREATE INDEX interactions_list_status_activity ON interactions (channel, status, last_activity_at, id);
CREATE INDEX interactions_list_id ON interactions (channel, id);
CREATE INDEX interactions_activity ON interactions (last_activity_at, id);

-- Full-text search: FTS5 indexes over the rows' own text, kept in step by
-- triggers so the code that writes messages need not know about them.
CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='messages', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE interactions_fts USING fts5(subject, contact_name, contact_key, content='interactions',
    content_rowid='id', tokenize='unicode61 remove_diacritics 2');
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
INSERT INTO interactions_fts (interactions_fts) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions BEGIN
    INSERT INTO interactions_fts (rowid, subject, contact_name, contact_key)
    VALUES (new.id, new.subject, new.contact_name, new.contact_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER interactions_fts_delete AFTER DELETE ON interactions BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, subject, contact_name, contact_key)
    VALUES ('delete', old.id, old.subject, old.contact_name, old.contact_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER interactions_fts_update AFTER UPDATE OF subject, contact_name, contact_key ON interactions BEGIN
    INSERT INTO interactions_fts (interactions_fts, rowid, subject, contact_name, contact_key)
    VALUES ('delete', old.id, old.subject, old.contact_name, old.contact_key);
    INSERT INTO interactions_fts (rowid, subject, contact_name, contact_key)
    VALUES (new.id, new.subject, new.contact_name, new.contact_key);
END;
-- +goose StatementEnd

-- Who has an interaction open on screen, until when (each screen renews
-- its watch; a watch not renewed expires). In the database so every node
-- agrees.
CREATE TABLE interaction_watchers (
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    principal_id   INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    until          TIMESTAMP NOT NULL,
    PRIMARY KEY (interaction_id, principal_id)
);
CREATE INDEX interaction_watchers_until ON interaction_watchers (until);

-- +goose Down
DROP TABLE interaction_watchers;
DROP TRIGGER interactions_fts_update;
DROP TRIGGER interactions_fts_delete;
DROP TRIGGER interactions_fts_insert;
DROP TRIGGER messages_fts_update;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_insert;
DROP TABLE interactions_fts;
DROP TABLE messages_fts;
DROP INDEX interactions_activity;
DROP INDEX interactions_list_id;
DROP INDEX interactions_list_status_activity;
DROP INDEX interactions_list_status;
DROP INDEX interactions_list_subject;
DROP INDEX interactions_list_created;
DROP INDEX interactions_list_activity;
ALTER TABLE interactions DROP COLUMN subject_sort;
ALTER TABLE interactions DROP COLUMN last_activity_at;
DROP INDEX interactions_conversation;
ALTER TABLE interactions DROP COLUMN contact_key;
