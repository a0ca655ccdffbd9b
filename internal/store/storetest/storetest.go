// Package storetest opens real, migrated databases for tests in other
// packages: a fresh SQLite file, or a fresh database on the throwaway
// PostgreSQL cluster of internal/testpg.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/testpg"
)

// Main runs a package's tests and then stops the shared PostgreSQL cluster.
// Use it as: func TestMain(m *testing.M) { storetest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	testpg.StopShared()
	os.Exit(code)
}

// URL returns the URL of a new empty database of the dialect.
func URL(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "switchboard.db")
	}
	c, err := testpg.Shared()
	if err != nil {
		t.Fatalf("PostgreSQL for tests: %v", err)
	}
	return c.NewDatabase(t)
}

// Open returns a migrated database of the dialect, closed at the test's end.
func Open(t testing.TB, d store.Dialect, clk clock.Clock) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), URL(t, d), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// Dialects runs fn as a sub-test on each dialect.
func Dialects(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}
