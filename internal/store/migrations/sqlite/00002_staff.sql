-- +goose Up
CREATE TABLE agents (
    principal_id        INTEGER PRIMARY KEY REFERENCES principals (id) ON DELETE CASCADE,
    alias               TEXT NOT NULL DEFAULT '',
    typology            TEXT NOT NULL DEFAULT 'external' CHECK (typology IN ('external', 'webrtc', 'phonebar')),
    phone               TEXT NOT NULL DEFAULT '',
    extension           TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    login_in_pause      BOOLEAN NOT NULL DEFAULT FALSE,
    mask_sensitive_data BOOLEAN NOT NULL DEFAULT FALSE,
    perm_messenger       BOOLEAN NOT NULL DEFAULT TRUE,
    perm_messenger_sound BOOLEAN NOT NULL DEFAULT TRUE,
    perm_download_attachments BOOLEAN NOT NULL DEFAULT FALSE,
    perm_download_transcripts BOOLEAN NOT NULL DEFAULT FALSE,
    sidebar             TEXT NOT NULL DEFAULT '[]',
    client_log_enabled  BOOLEAN NOT NULL DEFAULT FALSE,
    client_log_level    TEXT NOT NULL DEFAULT 'ERROR' CHECK (client_log_level IN ('ERROR', 'WARNING', 'INFO', 'DEBUG'))
);
-- Extensions stay taken by deleted members until they are purged, like usernames.
CREATE UNIQUE INDEX agents_extension ON agents (extension);

CREATE TABLE agent_channels (
    principal_id      INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    channel           TEXT NOT NULL CHECK (channel IN ('chat', 'whatsapp', 'sms', 'email', 'openchannel', 'fax')),
    capacity          INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    auto_answer       BOOLEAN NOT NULL DEFAULT FALSE,
    auto_answer_delay INTEGER NOT NULL DEFAULT 0 CHECK (auto_answer_delay >= 0),
    advanced_search   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (principal_id, channel)
);

CREATE TABLE avatars (
    principal_id INTEGER PRIMARY KEY REFERENCES principals (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    image        BLOB NOT NULL,
    thumbnail    BLOB NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE client_logs (
    id           INTEGER PRIMARY KEY,
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    at           TIMESTAMP NOT NULL,
    level        TEXT NOT NULL,
    message      TEXT NOT NULL
);
CREATE INDEX client_logs_principal ON client_logs (principal_id, id);

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX teams_name ON teams (lower(name));

CREATE TABLE team_members (
    team_id      INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, principal_id)
);
CREATE INDEX team_members_principal ON team_members (principal_id);

-- Queues get their routing settings with the routing engine; staff
-- administration needs their names, channels and members.
CREATE TABLE queues (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('chat', 'whatsapp', 'sms', 'email', 'openchannel', 'fax', 'voice')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX queues_name ON queues (lower(name));

CREATE TABLE queue_members (
    queue_id     INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    PRIMARY KEY (queue_id, principal_id)
);
CREATE INDEX queue_members_principal ON queue_members (principal_id);

CREATE TABLE team_queues (
    team_id  INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, queue_id)
);

CREATE TABLE user_profiles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    rights      TEXT NOT NULL DEFAULT '{}',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX user_profiles_name ON user_profiles (lower(name));

CREATE TABLE user_profile_queues (
    profile_id INTEGER NOT NULL REFERENCES user_profiles (id) ON DELETE CASCADE,
    queue_id   INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, queue_id)
);

ALTER TABLE principals ADD COLUMN user_profile_id INTEGER REFERENCES user_profiles (id);

-- +goose Down
ALTER TABLE principals DROP COLUMN user_profile_id;
DROP TABLE user_profile_queues;
DROP TABLE user_profiles;
DROP TABLE team_queues;
DROP TABLE queue_members;
DROP TABLE queues;
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE client_logs;
DROP TABLE avatars;
DROP TABLE agent_channels;
DROP TABLE agents;
