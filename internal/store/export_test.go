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

// CheckpointsRun is how many background WAL checkpoints SQLite's
// checkpointer has run.
func (db *DB) CheckpointsRun() int64 { return db.checkpoints.ran.Load() }

// WALFrames checkpoints the WAL passively and says how many frames it
// held (SQLite's "log" column).
func (db *DB) WALFrames(ctx context.Context) (int64, error) {
	var busy, log, done int64
	err := db.sql.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &done)
	return log, err
}

// InTxWritingMuch is InTx for a transaction that marks itself as writing
// many pages, as an import's batch does.
func (db *DB) InTxWritingMuch(ctx context.Context, fn func(tx *Tx) error) error {
	return db.InTx(ctx, func(tx *Tx) error {
		tx.wroteMuch()
		return fn(tx)
	})
}

// ExecTx runs raw SQL in a transaction of the tests.
func (tx *Tx) ExecTx(ctx context.Context, q string, args ...any) error {
	_, err := tx.exec(ctx, q, args...)
	return err
}

// CachedStatements is how many statements SQLite's statement cache holds.
func (db *DB) CachedStatements() int64 { return db.stmtCount.Load() }

// QueryInt runs a query returning one integer, outside any transaction.
func (db *DB) QueryInt(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := db.queryRow(ctx, q, args...).Scan(&n)
	return n, err
}

// QueryIntTx runs a query returning one integer in the transaction.
func (tx *Tx) QueryIntTx(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, q, args...).Scan(&n)
	return n, err
}
