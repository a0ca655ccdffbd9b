-- +goose Up
-- SQLite's migration 00016 drops the trigger that fed its full-text index
-- row by row; PostgreSQL's index is a generated column's GIN index and
-- needs nothing. Kept so both dialects share their migration numbers.
SELECT 1;

-- +goose Down
SELECT 1;
