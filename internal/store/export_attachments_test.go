package store

import "context"

// CountRows counts a table's rows, for tests that check nothing was stored
// half-way.
func (db *DB) CountRows(ctx context.Context, table string) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n)
	return n, err
}
