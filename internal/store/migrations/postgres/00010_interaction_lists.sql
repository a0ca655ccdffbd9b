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
ALTER TABLE interactions ADD COLUMN last_activity_at TIMESTAMPTZ GENERATED ALWAYS AS (COALESCE(last_message_at, created_at)) STORED;
ALTER TABLE interactions ADD COLUMN subject_sort TEXT GENERATED ALWAYS AS (lower(subject)) STORED;

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

-- Full-text search: GIN indexes over the rows' own text, so they stay in
-- step without triggers. The store's queries repeat these expressions
-- exactly (see store.searchIDs). 'simple' does not stem: it fits any
-- language the customers write in.
CREATE INDEX messages_search ON messages USING GIN (to_tsvector('simple', body));
CREATE INDEX interactions_search ON interactions
    USING GIN (to_tsvector('simple', subject || ' ' || contact_name || ' ' || contact_key));

-- Who has an interaction open on screen, until when (each screen renews
-- its watch; a watch not renewed expires). In the database so every node
-- agrees.
CREATE TABLE interaction_watchers (
    interaction_id BIGINT NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    principal_id   BIGINT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    until          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (interaction_id, principal_id)
);
CREATE INDEX interaction_watchers_until ON interaction_watchers (until);

-- +goose Down
DROP TABLE interaction_watchers;
DROP INDEX interactions_search;
DROP INDEX messages_search;
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
