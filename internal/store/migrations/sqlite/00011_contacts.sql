-- +goose Up
-- The Contact Manager: contacts in lists, each list with its custom
-- fields; the lists each agent may use; the channel identities that let an
-- inbound interaction find its contact; tags; who managed which contact
-- (My Contacts); merges; CSV imports.

-- Which lists an agent may use: 'read' (search and open its contacts) or
-- 'edit' (also create, change, merge and copy them). Users see the lists of
-- their user profile (user_profile_lists), admins all.
CREATE TABLE list_agents (
    list_id      INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    access       TEXT NOT NULL DEFAULT 'read' CHECK (access IN ('read', 'edit')),
    PRIMARY KEY (list_id, principal_id)
) WITHOUT ROWID;
CREATE INDEX list_agents_principal ON list_agents (principal_id);

-- A list's custom fields, in their order. key names a field in the API
-- and in CSV mappings; options are a select's choices (a JSON array).
CREATE TABLE list_fields (
    id         INTEGER PRIMARY KEY,
    list_id    INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    label      TEXT NOT NULL,
    type       TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'select', 'checkbox')),
    required   BOOLEAN NOT NULL DEFAULT FALSE,
    options    TEXT NOT NULL DEFAULT '[]',
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX list_fields_key ON list_fields (list_id, key);

-- Contacts. Phone numbers are stored in E.164 (+393331234567) and emails
-- in lowercase, so a number or an address matches however it was typed.
CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY,
    list_id    INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    first_name TEXT NOT NULL DEFAULT '',
    last_name  TEXT NOT NULL DEFAULT '',
    company    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    mobile     TEXT NOT NULL DEFAULT '',
    fax        TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES principals (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- The lists' order (never NULL, so keyset pagination compares plain values).
    name_sort  TEXT GENERATED ALWAYS AS (lower(trim(first_name || ' ' || last_name))) VIRTUAL
);
CREATE INDEX contacts_list_name ON contacts (list_id, name_sort, id);
CREATE INDEX contacts_name ON contacts (name_sort, id);
-- Lookups by number and address (quick search, inbound matching, import
-- de-duplication); partial, as most contacts lack one or the other.
CREATE INDEX contacts_phone ON contacts (phone) WHERE phone <> '';
CREATE INDEX contacts_mobile ON contacts (mobile) WHERE mobile <> '';
CREATE INDEX contacts_email ON contacts (email) WHERE email <> '';

-- Full-text search over names, company and email, kept in step by triggers.
-- Prefix indexes for 2- and 3-letter starts keep a search for "ma" or
-- "ros" from merging the lists of every word that begins so.
CREATE VIRTUAL TABLE contacts_fts USING fts5(first_name, last_name, company, email, content='contacts',
    content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
-- +goose StatementBegin
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, first_name, last_name, company, email)
    VALUES (new.id, new.first_name, new.last_name, new.company, new.email);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, first_name, last_name, company, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.company, old.email);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF first_name, last_name, company, email ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, first_name, last_name, company, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.company, old.email);
    INSERT INTO contacts_fts (rowid, first_name, last_name, company, email)
    VALUES (new.id, new.first_name, new.last_name, new.company, new.email);
END;
-- +goose StatementEnd

-- Custom field values, as text (numbers in canonical form, dates as
-- YYYY-MM-DD, checkboxes as true/false).
CREATE TABLE contact_values (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    field_id   INTEGER NOT NULL REFERENCES list_fields (id) ON DELETE CASCADE,
    value      TEXT NOT NULL,
    PRIMARY KEY (contact_id, field_id)
) WITHOUT ROWID;

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags (tag_id, contact_id);

-- The channel identities of a contact (a WhatsApp id, a phone number, an
-- email address, a chat visitor, an open-channel handle), normalised; one
-- identity belongs to one contact, so an inbound interaction finds exactly
-- one.
CREATE TABLE contact_identities (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('whatsapp', 'phone', 'email', 'chat', 'openchannel')),
    value      TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX contact_identities_contact ON contact_identities (contact_id);

-- Who managed a contact (edited it, or served one of its interactions): an
-- agent's My Contacts.
CREATE TABLE contact_managers (
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    managed_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (principal_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_managers_contact ON contact_managers (contact_id);

-- Merges: the contact that was merged (deleted) as it was, into which one.
CREATE TABLE contact_merges (
    id          INTEGER PRIMARY KEY,
    survivor_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
    merged_id   INTEGER NOT NULL,
    merged      TEXT NOT NULL,
    actor_id    INTEGER REFERENCES principals (id) ON DELETE SET NULL,
    merged_at   TIMESTAMP NOT NULL
);
CREATE INDEX contact_merges_survivor ON contact_merges (survivor_id);

-- CSV imports, run in the background, and the rows they rejected with why
-- (a JSON object: field → {key, args}).
CREATE TABLE contact_imports (
    id           INTEGER PRIMARY KEY,
    list_id      INTEGER REFERENCES lists (id) ON DELETE SET NULL,
    principal_id INTEGER REFERENCES principals (id) ON DELETE SET NULL,
    filename     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    total        INTEGER NOT NULL DEFAULT 0,
    processed    INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    -- Moved on by every batch: a running import not moved for minutes was
    -- interrupted (its node stopped).
    updated_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP
);
CREATE TABLE contact_import_rejects (
    import_id INTEGER NOT NULL REFERENCES contact_imports (id) ON DELETE CASCADE,
    line      INTEGER NOT NULL,
    reasons   TEXT NOT NULL,
    PRIMARY KEY (import_id, line)
) WITHOUT ROWID;

-- Each interaction's contact, and the contact-manager trigger of an
-- account: create a contact for an unknown subject in its default list.
ALTER TABLE interactions ADD COLUMN contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL;
CREATE INDEX interactions_contact ON interactions (contact_id, created_at, id);
ALTER TABLE accounts ADD COLUMN create_contacts BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE accounts DROP COLUMN create_contacts;
DROP INDEX interactions_contact;
ALTER TABLE interactions DROP COLUMN contact_id;
DROP TABLE contact_import_rejects;
DROP TABLE contact_imports;
DROP TABLE contact_merges;
DROP TABLE contact_managers;
DROP TABLE contact_identities;
DROP TABLE contact_tags;
DROP TABLE contact_values;
DROP TRIGGER contacts_fts_update;
DROP TRIGGER contacts_fts_delete;
DROP TRIGGER contacts_fts_insert;
DROP TABLE contacts_fts;
DROP TABLE contacts;
DROP TABLE list_fields;
DROP TABLE list_agents;
