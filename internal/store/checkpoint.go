package store

import (
	"context"
	"sync"
	"sync/atomic"
)

// SQLite's WAL checkpoints run beside the writers, not inside them.
//
// By default SQLite folds the WAL back into the database file (a
// checkpoint) inside the commit that takes the WAL past 1,000 pages, on the
// committing connection — while that transaction still holds the one write
// slot (InTx), so every other writer waits for the copy and its fsync. A
// contacts import paid 4–7 s of its 1,000,000 rows there. The connections
// run with wal_autocheckpoint off, and a checkpointer goroutine on its own
// connection runs PASSIVE checkpoints (which never block a writer or a
// reader) after every checkpointEvery commits, or at once after a commit
// that wrote much (Tx.wroteMuch).

// checkpointEvery is how many commits go between two checkpoints: small
// commits write a few pages each, so about as often as SQLite's own
// 1,000-page rule.
const checkpointEvery = 128

// checkpointer runs the background checkpoints of one SQLite database.
type checkpointer struct {
	db      *DB
	commits atomic.Int64
	wake    chan struct{}
	stop    chan struct{}
	stopped sync.Once
	done    sync.WaitGroup
	ran     atomic.Int64 // checkpoints run (tests watch it)
}

func startCheckpointer(db *DB) *checkpointer {
	c := &checkpointer{db: db, wake: make(chan struct{}, 1), stop: make(chan struct{})}
	c.done.Add(1)
	go c.run()
	return c
}

// committed counts a commit and wakes the checkpointer when one is due.
func (c *checkpointer) committed(wroteMuch bool) {
	if n := c.commits.Add(1); wroteMuch || n%checkpointEvery == 0 {
		select {
		case c.wake <- struct{}{}:
		default: // one is already due
		}
	}
}

func (c *checkpointer) run() {
	defer c.done.Done()
	for {
		select {
		case <-c.stop:
			return
		case <-c.wake:
		}
		// A failed checkpoint leaves the WAL as it is; the next one copies
		// what this one did not.
		if _, err := c.db.sql.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)"); err == nil {
			c.ran.Add(1)
		}
	}
}

// close stops the checkpointer (the database's Close then checkpoints the
// whole WAL itself); closing twice is harmless, as closing a database is.
func (c *checkpointer) close() {
	c.stopped.Do(func() { close(c.stop) })
	c.done.Wait()
}

// wroteMuch marks a transaction that writes many pages (an import's
// batch): its commit is followed by a checkpoint at once, so the WAL does
// not grow by several batches before it is folded back.
func (tx *Tx) wroteMuch() { tx.large = true }
