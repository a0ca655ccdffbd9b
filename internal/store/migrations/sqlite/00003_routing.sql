-- +goose Up
ALTER TABLE queues ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE queues ADD COLUMN strategy TEXT NOT NULL DEFAULT 'ring_all'
    CHECK (strategy IN ('ring_all', 'round_robin', 'longest_idle', 'fewest_handled', 'random', 'linear'));
ALTER TABLE queues ADD COLUMN agent_timeout_seconds INTEGER NOT NULL DEFAULT 60 CHECK (agent_timeout_seconds > 0);
ALTER TABLE queues ADD COLUMN max_wait_seconds INTEGER NOT NULL DEFAULT 0 CHECK (max_wait_seconds >= 0);
ALTER TABLE queues ADD COLUMN max_wait_action TEXT NOT NULL DEFAULT 'keep'
    CHECK (max_wait_action IN ('keep', 'move', 'close_unmanaged'));
ALTER TABLE queues ADD COLUMN max_wait_queue_id INTEGER REFERENCES queues (id) ON DELETE SET NULL;
ALTER TABLE queues ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queue_members ADD COLUMN penalty INTEGER NOT NULL DEFAULT 0 CHECK (penalty >= 0);

CREATE TABLE agent_profiles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX agent_profiles_name ON agent_profiles (lower(name));

CREATE TABLE agent_profile_agents (
    profile_id   INTEGER NOT NULL REFERENCES agent_profiles (id) ON DELETE CASCADE,
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, principal_id)
);
CREATE INDEX agent_profile_agents_principal ON agent_profile_agents (principal_id);

CREATE TABLE agent_profile_queues (
    profile_id INTEGER NOT NULL REFERENCES agent_profiles (id) ON DELETE CASCADE,
    queue_id   INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    penalty    INTEGER NOT NULL DEFAULT 0 CHECK (penalty >= 0),
    PRIMARY KEY (profile_id, queue_id)
);

CREATE TABLE pause_reasons (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX pause_reasons_name ON pause_reasons (lower(name));

-- The presence of logged-in agents: what the router is rebuilt from.
CREATE TABLE agent_presence (
    principal_id    INTEGER PRIMARY KEY REFERENCES principals (id) ON DELETE CASCADE,
    logged_in_at    TIMESTAMP NOT NULL,
    profile_id      INTEGER REFERENCES agent_profiles (id) ON DELETE SET NULL,
    paused          BOOLEAN NOT NULL DEFAULT FALSE,
    pause_reason_id INTEGER REFERENCES pause_reasons (id) ON DELETE SET NULL,
    paused_at       TIMESTAMP
);

-- One row per login segment; data3/data4 hold the agent profile (id, name),
-- NULL for the Personal profile, as the reference's report_member does.
CREATE TABLE report_member (
    id       INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL,
    enter_at TIMESTAMP NOT NULL,
    exit_at  TIMESTAMP,
    data3    TEXT,
    data4    TEXT
);
CREATE INDEX report_member_agent ON report_member (agent_id, id);

CREATE TABLE interactions (
    id             INTEGER PRIMARY KEY,
    channel        TEXT NOT NULL,
    queue_id       INTEGER REFERENCES queues (id) ON DELETE SET NULL,
    subject        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'open', 'closed', 'closed_unmanaged')),
    owner_id       INTEGER REFERENCES principals (id) ON DELETE SET NULL,
    first_agent_id INTEGER REFERENCES principals (id) ON DELETE SET NULL,
    priority       INTEGER NOT NULL DEFAULT 0,
    enqueued_at    TIMESTAMP NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    closed_at      TIMESTAMP
);
CREATE INDEX interactions_status ON interactions (status, id);
CREATE INDEX interactions_owner ON interactions (owner_id, status);

-- The router's whole state (waiting interactions, offers, transfers,
-- round-robin memory) as one snapshot, written in the transaction of each
-- decision, so a restart loses no waiting interaction, offer or owner.
CREATE TABLE router_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    snapshot   TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE router_state;
DROP TABLE interactions;
DROP TABLE report_member;
DROP TABLE agent_presence;
DROP TABLE pause_reasons;
DROP TABLE agent_profile_queues;
DROP TABLE agent_profile_agents;
DROP TABLE agent_profiles;
ALTER TABLE queue_members DROP COLUMN penalty;
ALTER TABLE queues DROP COLUMN priority;
ALTER TABLE queues DROP COLUMN max_wait_queue_id;
ALTER TABLE queues DROP COLUMN max_wait_action;
ALTER TABLE queues DROP COLUMN max_wait_seconds;
ALTER TABLE queues DROP COLUMN agent_timeout_seconds;
ALTER TABLE queues DROP COLUMN strategy;
ALTER TABLE queues DROP COLUMN description;
