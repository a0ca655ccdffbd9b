package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// SQLite's commits no longer checkpoint the WAL themselves; the
// checkpointer does it beside them, at once after a commit that wrote much
// and every so many small commits. Without it (wal_autocheckpoint is off)
// the WAL would only grow.
func TestSQLiteCheckpointsTheWALBesideTheCommits(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, clock.NewFake(t0))
	if err := db.Exec(ctx, `CREATE TABLE bulk (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}

	// A large transaction (some 2,500 pages of 4 KiB) is followed by a
	// checkpoint at once.
	before := db.CheckpointsRun()
	body := strings.Repeat("x", 1000)
	if err := db.InTxWritingMuch(ctx, func(tx *store.Tx) error {
		for range 10000 {
			if err := tx.ExecTx(ctx, `INSERT INTO bulk (body) VALUES (?)`, body); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	waitFor("the checkpoint after a large commit", func() bool { return db.CheckpointsRun() > before })

	// Folded back: the next commit starts the WAL over, so it holds a few
	// frames, not the thousands the large one wrote.
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.ExecTx(ctx, `INSERT INTO bulk (body) VALUES ('small')`) }); err != nil {
		t.Fatal(err)
	}
	if frames, err := db.WALFrames(ctx); err != nil || frames > 100 {
		t.Fatalf("the WAL holds %d frames after the checkpoint (%v)", frames, err)
	}

	// Small commits are checkpointed every so many.
	before = db.CheckpointsRun()
	for i := range 300 {
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.ExecTx(ctx, `INSERT INTO bulk (body) VALUES (?)`, i)
		}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor("a checkpoint among small commits", func() bool { return db.CheckpointsRun() > before })
}

// A database may be closed twice (the application and its test both do).
func TestClosingASQLiteDatabaseTwiceIsHarmless(t *testing.T) {
	db := storetest.Open(t, store.SQLite, clock.NewFake(t0))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	_ = db.Close() // database/sql says it is closed already; no panic
}
