package testpg

import (
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

func shared(t *testing.T) *Cluster {
	t.Helper()
	c, err := Shared()
	if err != nil {
		t.Fatal(err) // never skip: missing PostgreSQL is a broken setup
	}
	return c
}

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func dbName(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func TestDatabasesAreIsolated(t *testing.T) {
	t.Parallel()
	c := shared(t)
	ctx := t.Context()

	urls := []string{c.NewDatabase(t), c.NewDatabase(t)}
	if urls[0] == urls[1] {
		t.Fatalf("NewDatabase returned the same URL twice: %s", urls[0])
	}
	for i, u := range urls {
		conn := connect(t, u)
		if _, err := conn.Exec(ctx, `CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)`); err != nil {
			t.Fatalf("db %d: create table: %v", i, err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO items VALUES ($1, $2)`, i, "row-"+dbName(t, u)); err != nil {
			t.Fatalf("db %d: insert: %v", i, err)
		}
	}
	// Read back only after both were written: each database must see its own
	// row and nothing from the other.
	for i, u := range urls {
		conn := connect(t, u)
		rows, err := conn.Query(ctx, `SELECT id, label FROM items ORDER BY id`)
		if err != nil {
			t.Fatalf("db %d: select: %v", i, err)
		}
		type item struct {
			ID    int
			Label string
		}
		got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[item])
		if err != nil {
			t.Fatalf("db %d: collect: %v", i, err)
		}
		want := item{ID: i, Label: "row-" + dbName(t, u)}
		if len(got) != 1 || got[0] != want {
			t.Errorf("db %d: got rows %+v, want exactly [%+v]", i, got, want)
		}
	}
}

func TestDatabaseDroppedOnCleanup(t *testing.T) {
	t.Parallel()
	c := shared(t)

	var name string
	var leftOpen *pgx.Conn
	t.Cleanup(func() {
		if leftOpen != nil {
			_ = leftOpen.Close(context.Background())
		}
	})
	t.Run("uses database", func(t *testing.T) {
		u := c.NewDatabase(t)
		name = dbName(t, u)
		// Leave a connection open past the sub-test's end: the cleanup's
		// DROP DATABASE ... WITH (FORCE) must not be blocked by it.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		leftOpen = conn
		if _, err := conn.Exec(ctx, `CREATE TABLE t (x int)`); err != nil {
			t.Fatal(err)
		}
	})
	if t.Failed() || name == "" {
		t.FailNow()
	}

	admin := connect(t, c.URL("postgres"))
	var n int
	if err := admin.QueryRow(t.Context(), `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after the sub-test's cleanup", name)
	}
}

func TestURLFormat(t *testing.T) {
	t.Parallel()
	c := shared(t)
	if c.external {
		t.Logf("using %s; skipping the local URL format check", EnvURL)
		return
	}
	want := "postgres://postgres@127.0.0.1:" + itoa(c.port) + "/some_db?sslmode=disable"
	if got := c.URL("some_db"); got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

// TestStartStop starts a second, private cluster to check that Stop shuts
// the server down, removes its directory, and is safe to call twice.
func TestStartStop(t *testing.T) {
	t.Parallel()
	c, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = c.Stop()
		}
	})
	conn := connect(t, c.URL("postgres"))
	var one int
	if err := conn.QueryRow(t.Context(), `SELECT 1`).Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1: %v, %d", err, one)
	}
	_ = conn.Close(context.Background())

	if err := c.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	stopped = true
	if err := c.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if c.external {
		return
	}
	if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
		t.Errorf("cluster directory %s still exists after Stop (stat err %v)", c.dir, err)
	}
	if nc, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", itoa(c.port)), time.Second); err == nil {
		nc.Close()
		t.Errorf("port %d still accepts connections after Stop", c.port)
	}
}

// TestPortTaken simulates another process grabbing the chosen port before
// the server binds it. Not parallel: it swaps the package's port picker.
func TestPortTaken(t *testing.T) {
	if os.Getenv(EnvURL) != "" {
		t.Logf("using %s; no cluster is started", EnvURL)
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().(*net.TCPAddr).Port
	t.Cleanup(func() { pickPort = freePort })

	t.Run("retried on another port", func(t *testing.T) {
		calls := 0
		pickPort = func() (int, error) {
			calls++
			if calls == 1 {
				return taken, nil
			}
			return freePort()
		}
		c, err := Start()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Stop()
		if calls != 2 || c.port == taken {
			t.Errorf("port picked %d times, running on %d (taken: %d); want a retry on another port", calls, c.port, taken)
		}
		connect(t, c.URL("postgres"))
	})

	t.Run("error includes server log", func(t *testing.T) {
		pickPort = func() (int, error) { return taken, nil }
		c, err := Start()
		if err == nil {
			c.Stop()
			t.Fatal("Start succeeded on a taken port")
		}
		if !strings.Contains(err.Error(), "server log") || !strings.Contains(err.Error(), "could not") {
			t.Errorf("error lacks the server log tail: %v", err)
		}
		t.Logf("error (expected):\n%v", err)
	})
}

func TestReapStale(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	// A directory whose owner process is gone is removed...
	dead := filepath.Join(parent, dirPrefix+"dead")
	if err := os.MkdirAll(filepath.Join(dead, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	// pid 2^22+1 is above the default pid_max on 64-bit Linux, so not a live process.
	if err := os.WriteFile(filepath.Join(dead, ownerFile), []byte("4194305\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// ...one owned by a live process (us) is kept, and so is one without owner.pid.
	live := filepath.Join(parent, dirPrefix+"live")
	unknown := filepath.Join(parent, dirPrefix+"unknown")
	for _, d := range []string{live, unknown} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(live, ownerFile), []byte(itoa(os.Getpid())+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	reapStale(parent)

	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("stale directory not removed (stat err %v)", err)
	}
	for _, d := range []string{live, unknown} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s removed: %v", d, err)
		}
	}
}

func TestDatabaseName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, prefix string }{
		{"TestFoo", "t_testfoo_"},
		{"TestFoo/sub case#01", "t_testfoo_sub_case_01_"},
		{"//", "t_db_"},
		{strings.Repeat("TestVeryLongName", 10), "t_testverylongnametestverylongname_"},
	} {
		got := databaseName(tc.in, 12345)
		if !strings.HasPrefix(got, tc.prefix) || !strings.HasSuffix(got, "_"+procTag+"_12345") {
			t.Errorf("databaseName(%q) = %q, want %q...%q", tc.in, got, tc.prefix, "_"+procTag+"_12345")
		}
		if len(got) > 63 {
			t.Errorf("databaseName(%q) = %q is %d bytes, over PostgreSQL's 63", tc.in, got, len(got))
		}
	}
}

func TestFindBinDirEnvOverride(t *testing.T) {
	t.Setenv(EnvBin, t.TempDir())
	if _, err := findBinDir(); err == nil || !strings.Contains(err.Error(), EnvBin) {
		t.Errorf("findBinDir with an empty %s: err = %v, want an error naming the variable", EnvBin, err)
	}
}

func TestVersionLess(t *testing.T) {
	t.Parallel()
	if !versionLess("9.6", "15") || versionLess("16", "15") || !versionLess("15", "16") {
		t.Error("versionLess orders versions wrongly")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
