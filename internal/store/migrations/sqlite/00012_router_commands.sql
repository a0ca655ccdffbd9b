-- +goose Up
-- The router persists commands, not states: each routing decision appends
-- the command it applied (JSON with its type and the time it was applied
-- at) in the decision's transaction, and router_state's snapshot is written
-- only now and then, with the id of the last command it includes; the
-- commands up to it are deleted with it. A start restores the snapshot and
-- replays the commands after it, in id order. The router assigns the ids
-- itself (one writer at a time), so a second writer would fail on the key.
CREATE TABLE router_commands (
    id      INTEGER PRIMARY KEY,
    command TEXT NOT NULL
);
ALTER TABLE router_state ADD COLUMN last_command_id INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE router_state DROP COLUMN last_command_id;
DROP TABLE router_commands;
