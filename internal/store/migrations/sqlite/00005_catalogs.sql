-- +goose Up
-- The admin catalogs agents use when handling interactions.

-- Tags categorise interactions and contacts.
CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    colour      TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags (lower(name));

-- Dispositions are the outcome labels set when closing an interaction:
-- global (account_id NULL) or, once channels exist, per account. The
-- channels migration adds the foreign key to accounts.
CREATE TABLE dispositions (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX dispositions_name ON dispositions (coalesce(account_id, 0), lower(name));

-- Canned answers: ready texts agents insert in replies, global or (later)
-- per account.
CREATE TABLE canned_answers (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX canned_answers_title ON canned_answers (coalesce(account_id, 0), lower(title));

-- Sub-statuses of an open interaction; "Pending" is built in.
CREATE TABLE sub_statuses (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    builtin     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX sub_statuses_name ON sub_statuses (lower(name));
INSERT INTO sub_statuses (name, description, builtin, created_at, updated_at)
VALUES ('Pending', 'Waiting for something before going on.', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- +goose Down
DROP TABLE sub_statuses;
DROP TABLE canned_answers;
DROP TABLE dispositions;
DROP TABLE tags;
