package store

import (
	"context"

	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// Exec runs raw SQL, for tests that check what the schema itself refuses.
func (db *DB) Exec(ctx context.Context, q string, args ...any) error {
	_, err := db.exec(ctx, q, args...)
	return err
}

// AppendEvent lets the tests record an event inside a transaction of theirs.
func (tx *Tx) AppendEvent(ctx context.Context, ev eventlog.Event) error {
	return tx.appendEvent(ctx, ev)
}
