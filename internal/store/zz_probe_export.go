//go:build perfprobe

package store

import "context"

// ExecForProbe runs a statement (the perf probe's ANALYZE).
func (db *DB) ExecForProbe(ctx context.Context, q string) { _, _ = db.exec(ctx, q) }
