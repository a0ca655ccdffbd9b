-- +goose Up
-- PostgreSQL's migration 00015 indexes custom field values for its
-- planner; SQLite's plans (the list walked in order, each contact's values
-- read by its primary key) need no new index. Kept so both dialects share
-- their migration numbers.
SELECT 1;

-- +goose Down
SELECT 1;
