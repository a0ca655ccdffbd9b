-- +goose Up
-- "Last name is Rossi" in an advanced search, by name: the contacts of a
-- list with that last name, in name order, so a page stops after its rows.
-- Through the full-text index it read and sorted every Rossi and checked
-- each one's other conditions (6,700 contacts, 40–100 ms at 1,000,000).
CREATE INDEX contacts_list_last_name ON contacts (list_id, lower(last_name), name_sort, id);

-- +goose Down
DROP INDEX contacts_list_last_name;
