-- +goose Up
-- New contacts enter the full-text index by the statement that creates
-- them (store: indexNewContacts), no longer by a trigger: a trigger on
-- contacts made SQLite keep a statement journal (a copy of every page a
-- statement touches, to undo it half-way) for every insert, and fed the
-- index one row at a time; an import now fills it once per batch. The
-- update and delete triggers stay.
DROP TRIGGER contacts_fts_insert;

-- +goose Down
-- +goose StatementBegin
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, first_name, last_name, company, email)
    VALUES (new.id, new.first_name, new.last_name, new.company, new.email);
END;
-- +goose StatementEnd
