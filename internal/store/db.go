// Package store holds all of Switchboard's SQL, for SQLite (the embedded
// default) and PostgreSQL (production and scale-out). Queries are written once
// with ? placeholders where the two dialects agree; the few differences sit
// behind small dialect functions.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// Dialect is the SQL flavour of the database behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

//go:embed migrations
var migrations embed.FS

// DB is the database of one Switchboard site.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	clock   clock.Clock
	rebinds sync.Map // query text → dialect-specific text
	// stmts are SQLite's prepared statements by query text: modernc's
	// driver compiles a query at every call otherwise (15–23% of the
	// server's CPU under chat load, a fifth of a contact search's).
	// database/sql keeps each prepared on the connections it ran on and
	// reuses it in transactions there. PostgreSQL's driver (pgx) caches
	// statements itself.
	stmts     sync.Map // query text → *sql.Stmt
	stmtCount atomic.Int64

	// committed, when set, receives the events of each committed
	// transaction, in order (the realtime hub listens here).
	committed func([]eventlog.Event)
	// commitMu orders "commit, then publish" so listeners see events in
	// commit order.
	commitMu sync.Mutex
	// writer is SQLite's one write slot (see InTx).
	writer chan struct{}
	// checkpoints runs SQLite's WAL checkpoints outside the commits
	// (checkpoint.go); nil on PostgreSQL.
	checkpoints *checkpointer
	// searchWindow is how many of the newest contacts a PostgreSQL quick
	// search looks at first (0: firstWindow; see newestInWindows).
	searchWindow int64
}

// OnCommit sets the listener of committed events.
func (db *DB) OnCommit(fn func([]eventlog.Event)) { db.committed = fn }

// sqliteConns bounds SQLite's connection pool: readers run side by side
// in WAL mode, and writers queue (see InTx).
const sqliteConns = 16

// Open connects to a database given as sqlite:PATH or a postgres:// URL. It
// does not migrate; call Migrate.
func Open(ctx context.Context, url string, clk clock.Clock) (*DB, error) {
	if clk == nil {
		clk = clock.Real{}
	}
	db := &DB{clock: clk}
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			return nil, errors.New("store: sqlite: needs a path")
		}
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return nil, fmt.Errorf("store: %w", err)
			}
		}
		// WAL lets readers run beside the writer; IMMEDIATE transactions take
		// the write lock up front so two writers queue on busy_timeout instead
		// of failing on lock upgrade. A 64 MB page cache per connection and
		// statement journals in memory keep large lists (a million contacts,
		// their imports) off the disk's slow paths. Checkpoints are the
		// checkpointer's, not the commits' (checkpoint.go).
		dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)" +
			"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(0)" +
			"&_txlock=immediate&_time_format=sqlite"
		conn, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		// Keep the connections open: a new SQLite connection parses the
		// whole schema and applies the pragmas before its first query,
		// which database/sql's default of 2 idle connections made happen
		// for most queries under load.
		conn.SetMaxOpenConns(sqliteConns)
		conn.SetMaxIdleConns(sqliteConns)
		db.sql, db.dialect, db.writer = conn, SQLite, make(chan struct{}, 1)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		conn, err := sql.Open("pgx", url)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		conn.SetMaxOpenConns(32)
		conn.SetMaxIdleConns(16)
		db.sql, db.dialect = conn, Postgres
	default:
		return nil, errors.New("store: database URL must be sqlite:PATH or postgres://…")
	}
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.sql.PingContext(pingCtx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	if db.dialect == SQLite {
		db.checkpoints = startCheckpointer(db)
	}
	return db, nil
}

// Dialect tells which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Clock is the clock the store stamps rows with.
func (db *DB) Clock() clock.Clock { return db.clock }

// Close closes the database; on SQLite it first folds the WAL back into the
// main file so a clean stop leaves one file behind.
func (db *DB) Close() error {
	if db.checkpoints != nil {
		db.checkpoints.close()
	}
	if db.dialect == SQLite {
		_, _ = db.sql.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	return db.sql.Close()
}

// Ping checks the database answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Migrate applies every pending migration of this dialect.
func (db *DB) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	gd := goose.DialectSQLite3
	if db.dialect == Postgres {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, db.sql, sub)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// MigrationVersion returns the current schema version.
func (db *DB) MigrationVersion(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT max(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v)
	return v.Int64, err
}

// rebind turns ? placeholders into $1, $2… for PostgreSQL.
func (db *DB) rebind(q string) string {
	if db.dialect != Postgres {
		return q
	}
	if v, ok := db.rebinds.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	db.rebinds.Store(q, out)
	return out
}

// Tx is a transaction with the time fixed once at its start, so every row it
// writes carries the same "now".
type Tx struct {
	tx     *sql.Tx
	conn   *sql.Conn // the transaction's connection, when asked for (inTx): for the driver's own calls, as COPY
	db     *DB
	now    time.Time
	events []eventlog.Event // appended in this transaction, published after commit
	large  bool             // it writes many pages (wroteMuch)
}

// Now is the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := tx.db.stmt(ctx, q); st != nil {
		return tx.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, tx.db.rebind(q), args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := tx.db.stmt(ctx, q); st != nil {
		return tx.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, tx.db.rebind(q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := tx.db.stmt(ctx, q); st != nil {
		return tx.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, tx.db.rebind(q), args...)
}

// maxStmts bounds the statement cache: queries built with a varying
// number of placeholders beyond it are compiled at each call, as before.
const maxStmts = 1000

// stmt is the cached prepared statement of q on SQLite; nil (run q as
// text) on PostgreSQL, when the cache is full, or when q does not prepare
// (its error then comes from running it).
func (db *DB) stmt(ctx context.Context, q string) *sql.Stmt {
	if db.dialect != SQLite {
		return nil
	}
	if v, ok := db.stmts.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if db.stmtCount.Load() >= maxStmts {
		return nil
	}
	st, err := db.sql.PrepareContext(context.WithoutCancel(ctx), q)
	if err != nil {
		return nil
	}
	if v, loaded := db.stmts.LoadOrStore(q, st); loaded {
		_ = st.Close()
		return v.(*sql.Stmt)
	}
	db.stmtCount.Add(1)
	return st
}

// prepare prepares a statement run many times in the transaction (bulk
// writes), closed with it.
func (tx *Tx) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, tx.db.rebind(q))
}

// sqliteBusyWait is how long a SQLite writer waits for its turn, as the
// busy_timeout pragma does for writers outside InTx.
const sqliteBusyWait = 10 * time.Second

// InTx runs fn in a transaction, committing when it returns nil.
//
// On SQLite, where one transaction writes at a time, writers queue here for
// the write slot rather than in SQLite's busy handler, which polls with
// sleeps of up to 100 ms: under load a waiting writer slept while the lock
// was free, and commits came seconds late.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.inTx(ctx, false, fn)
}

// inTx is InTx, with ownConn the transaction also holds its connection
// (Tx.conn) for what database/sql cannot say, as PostgreSQL's COPY.
func (db *DB) inTx(ctx context.Context, ownConn bool, fn func(tx *Tx) error) error {
	release, err := db.writeSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	var conn *sql.Conn
	if ownConn {
		c, err := db.sql.Conn(ctx)
		if err != nil {
			return fmt.Errorf("store: begin: %w", mapError(err))
		}
		defer c.Close()
		conn = c
	}
	var stx *sql.Tx
	if conn != nil {
		stx, err = conn.BeginTx(ctx, nil)
	} else {
		stx, err = db.sql.BeginTx(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("store: begin: %w", mapError(err))
	}
	tx := &Tx{tx: stx, conn: conn, db: db, now: db.clock.Now().UTC()}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return mapError(err)
	}
	if len(tx.events) == 0 {
		if err := stx.Commit(); err != nil {
			return fmt.Errorf("store: commit: %w", mapError(err))
		}
		db.afterCommit(tx)
		return nil
	}
	// Events get their ids, commit and are published in one order.
	db.commitMu.Lock()
	defer db.commitMu.Unlock()
	if err := tx.writeEvents(ctx); err != nil {
		_ = stx.Rollback()
		return mapError(err)
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", mapError(err))
	}
	db.afterCommit(tx)
	if db.committed != nil {
		db.committed(tx.events)
	}
	return nil
}

// afterCommit tells SQLite's checkpointer of a commit.
func (db *DB) afterCommit(tx *Tx) {
	if db.checkpoints != nil {
		db.checkpoints.committed(tx.large)
	}
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := db.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.sql.QueryContext(ctx, db.rebind(q), args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := db.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.sql.QueryRowContext(ctx, db.rebind(q), args...)
}

// exec runs a statement on its own (autocommit). On SQLite the statements
// run this way write (a session's last use, a sweep), so they queue for the
// write slot like transactions: in SQLite's busy handler they could wait
// out its whole timeout while an import's batches took the lock back to
// back, and fail "database is locked".
func (db *DB) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	release, err := db.writeSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if st := db.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return db.sql.ExecContext(ctx, db.rebind(q), args...)
}

// writeSlot waits for SQLite's one write slot (nothing to wait for on
// PostgreSQL) and returns its release.
func (db *DB) writeSlot(ctx context.Context) (release func(), err error) {
	if db.writer == nil {
		return func() {}, nil
	}
	wait := time.NewTimer(sqliteBusyWait)
	defer wait.Stop()
	select {
	case db.writer <- struct{}{}:
		return func() { <-db.writer }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("store: begin: %w", ctx.Err())
	case <-wait.C:
		return nil, errors.New("store: begin: the database is busy")
	}
}

// likePattern makes a case-insensitive substring pattern for q, escaping the
// LIKE wildcards the user typed.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(q)) + "%"
}
