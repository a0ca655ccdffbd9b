package store

import "context"

// Exec runs raw SQL, for tests that check what the schema itself refuses.
func (db *DB) Exec(ctx context.Context, q string, args ...any) error {
	_, err := db.exec(ctx, q, args...)
	return err
}
