package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// SQLite's statements are prepared once per query text and reused, inside
// transactions and out, through schema changes; past the cache's bound a
// query still runs, compiled at the call.
func TestSQLiteReusesPreparedStatementsAndStaysCorrect(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, clock.NewFake(t0))
	if err := db.Exec(ctx, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const count = `SELECT count(*) FROM notes WHERE body <> ?`
	base := db.CachedStatements()
	for i := range 5 {
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.ExecTx(ctx, `INSERT INTO notes (body) VALUES (?)`, fmt.Sprint("note ", i)); err != nil {
				return err
			}
			// Inside the transaction the statement sees its own write.
			n, err := tx.QueryIntTx(ctx, count, "")
			if err == nil && n != int64(i+1) {
				err = fmt.Errorf("in the transaction %d notes, want %d", n, i+1)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.QueryInt(ctx, count, ""); err != nil || n != int64(i+1) {
			t.Fatalf("after commit %d: %d notes (%v)", i, n, err)
		}
	}
	if got := db.CachedStatements() - base; got != 2 {
		t.Fatalf("%d statements cached for 2 query texts", got)
	}

	// A rolled-back write is not seen through the cached statement.
	_ = db.InTx(ctx, func(tx *store.Tx) error {
		_ = tx.ExecTx(ctx, `INSERT INTO notes (body) VALUES (?)`, "gone")
		return fmt.Errorf("roll back")
	})
	if n, err := db.QueryInt(ctx, count, ""); err != nil || n != 5 {
		t.Fatalf("after a rollback: %d notes (%v)", n, err)
	}

	// The schema changes under a cached statement: it is compiled again.
	const lastBody = `SELECT * FROM notes ORDER BY id DESC LIMIT 1`
	if n, err := db.QueryInt(ctx, `SELECT count(*) FROM (`+lastBody+`)`); err != nil || n != 1 {
		t.Fatalf("before the change: %d (%v)", n, err)
	}
	if err := db.Exec(ctx, `ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 7`); err != nil {
		t.Fatal(err)
	}
	if n, err := db.QueryInt(ctx, `SELECT pinned FROM notes WHERE body <> ? ORDER BY id DESC LIMIT 1`, ""); err != nil || n != 7 {
		t.Fatalf("after the change: %d (%v)", n, err)
	}

	// Past the bound queries still run, uncached.
	for i := range 1100 {
		if n, err := db.QueryInt(ctx, fmt.Sprintf(`SELECT count(*) + %d FROM notes`, i)); err != nil || n != int64(5+i) {
			t.Fatalf("query %d: %d (%v)", i, n, err)
		}
	}
	if got := db.CachedStatements(); got != 1000 {
		t.Fatalf("the cache holds %d statements, want its bound 1000", got)
	}
	// A query that does not compile fails when run, with SQLite's words.
	if _, err := db.QueryInt(ctx, `SELECT nothing FROM nowhere`); err == nil {
		t.Fatal("a bad query ran")
	}
}
