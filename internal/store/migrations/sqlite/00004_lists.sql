-- +goose Up
-- Contact lists; the Contact Manager gives them custom fields and contacts.
CREATE TABLE lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX lists_name ON lists (lower(name));

-- The lists a user profile may see and use.
CREATE TABLE user_profile_lists (
    profile_id INTEGER NOT NULL REFERENCES user_profiles (id) ON DELETE CASCADE,
    list_id    INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, list_id)
);

-- +goose Down
DROP TABLE user_profile_lists;
DROP TABLE lists;
