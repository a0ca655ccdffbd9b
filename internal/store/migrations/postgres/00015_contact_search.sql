-- +goose Up
-- Custom field values by field and value (case-blind, as an advanced
-- search compares text and select values): a condition on a rare value
-- finds its contacts here, and the index's statistics tell the planner how
-- common a value is — without them it took every value for rare and
-- gathered all of a common one ("segment equals gold": a quarter of a
-- million contacts, 5 s) instead of walking the list in order.
CREATE INDEX contact_values_field_value ON contact_values (field_id, lower(value));

-- +goose Down
DROP INDEX contact_values_field_value;
