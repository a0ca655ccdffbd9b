// Package testpg runs the project's tests against a real PostgreSQL without
// Docker and without a pre-existing server: it initialises a throwaway
// cluster from the machine's PostgreSQL server binaries in a temporary
// directory, starts it on a free loopback port, and hands out one fresh
// database per test.
//
// Typical use, once per test package:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		testpg.StopShared()
//		os.Exit(code)
//	}
//
//	func TestSomething(t *testing.T) {
//		c, err := testpg.Shared()
//		if err != nil {
//			t.Fatal(err) // fail, never skip: a missing PostgreSQL is a broken setup
//		}
//		url := c.NewDatabase(t) // dropped again by t.Cleanup
//		...
//	}
//
// Environment:
//
//   - SWITCHBOARD_TEST_POSTGRES_URL: URL of an existing server with a superuser.
//     When set, no cluster is started; databases are created (and dropped) on
//     that server, and Stop leaves it alone.
//   - SWITCHBOARD_TEST_PG_BIN: directory holding initdb and pg_ctl. Otherwise
//     they are looked for via `pg_config --bindir`, then the newest
//     /usr/lib/postgresql/*/bin (Debian/Ubuntu layout), then initdb on PATH.
//
// The package is Linux/Unix only (it runs the server under another uid when
// the tests run as root).
package testpg

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// EnvURL names an existing server to use instead of starting a cluster.
	EnvURL = "SWITCHBOARD_TEST_POSTGRES_URL"
	// EnvBin names the directory holding initdb and pg_ctl.
	EnvBin = "SWITCHBOARD_TEST_PG_BIN"

	// dirPrefix names the temporary directories; it also lets Start recognise
	// (and reap) clusters left behind by test processes that died.
	dirPrefix = "switchboard-testpg-"
	// ownerFile holds the pid of the test process that owns a cluster directory.
	ownerFile = "owner.pid"

	startTimeout = 60 * time.Second // pg_ctl -w -t
	readyTimeout = 30 * time.Second // bounded pgx connect loop after pg_ctl returns
	stopTimeout  = 60 * time.Second
	sqlTimeout   = 60 * time.Second // CREATE/DROP DATABASE
	maxSockPath  = 107              // sun_path is 108 bytes including the NUL
)

// Cluster is a running throwaway PostgreSQL server, or a handle on the
// existing server named by SWITCHBOARD_TEST_POSTGRES_URL.
type Cluster struct {
	// external is set when the cluster is a server we did not start.
	external bool
	// base is the URL of the server; its path is replaced by URL(db).
	base *url.URL
	// adminURL is the database NewDatabase connects to for CREATE/DROP DATABASE.
	adminURL string

	// Only for clusters we started.
	binDir  string
	dir     string // temporary directory: data/, server.log, socket, owner.pid
	dataDir string
	logFile string
	port    int
	// cred is the identity initdb, pg_ctl and hence the server run as; nil
	// means the current user. Set when the tests run as root, because
	// PostgreSQL refuses to run as root.
	cred *syscall.Credential
	// sharedBuffers is the server's shared_buffers (Options).
	sharedBuffers string

	stopOnce sync.Once
	stopErr  error
}

// Start initialises a cluster in a fresh temporary directory on a free
// loopback port and starts it. If SWITCHBOARD_TEST_POSTGRES_URL is set it
// starts nothing and returns a Cluster for that server instead.
//
// The cluster is configured for speed, not safety: trust authentication
// (no passwords; the server listens on 127.0.0.1 and a private Unix socket
// directory only, so only local processes can reach it), and fsync,
// synchronous_commit and full_page_writes off, because the data is thrown
// away and a crash only costs a test run.
//
// Errors (including "PostgreSQL is not installed") are meant to fail the
// calling tests, not to skip them.
func Start() (*Cluster, error) { return StartWith(Options{}) }

// Options change how a started cluster runs.
type Options struct {
	// SharedBuffers is PostgreSQL's shared_buffers ("1GB"); "" is 128MB,
	// enough for the tests' small databases. The bench gives its cluster
	// what a dedicated database server would (see internal/bench).
	SharedBuffers string
}

// StartWith is Start with options (ignored for an external server).
func StartWith(o Options) (*Cluster, error) {
	if raw := os.Getenv(EnvURL); raw != "" {
		return external(raw)
	}

	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}

	// PostgreSQL refuses to run as root, so under root (CI containers, dev
	// VMs) the cluster is owned by and run as the `postgres` system user.
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("testpg: running as root, and PostgreSQL refuses to run as root, "+
				"but there is no `postgres` system user to run it as (%v); "+
				"installing PostgreSQL (apt-get install postgresql) creates it, or run the tests as a non-root user", err)
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("testpg: unexpected uid/gid %q/%q for user postgres", u.Uid, u.Gid)
		}
		// Groups is empty on purpose: drop root's supplementary groups.
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
	}

	parent, err := pickParentDir(cred)
	if err != nil {
		return nil, err
	}
	reapStale(parent)

	dir, err := os.MkdirTemp(parent, dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("testpg: create cluster directory: %w", err)
	}
	c := &Cluster{
		binDir:        binDir,
		dir:           dir,
		dataDir:       filepath.Join(dir, "data"),
		logFile:       filepath.Join(dir, "server.log"),
		cred:          cred,
		sharedBuffers: cmp.Or(o.SharedBuffers, "128MB"),
	}
	if err := c.prepare(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if err := c.initdb(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}

	// The port is chosen by binding 127.0.0.1:0 and closing the listener, so
	// another process can grab it before the server binds it. Retry once on
	// a fresh port if that happened.
	for attempt := 0; ; attempt++ {
		port, err := pickPort()
		if err != nil {
			_ = c.Stop()
			return nil, err
		}
		retry, err := c.start(port)
		if err == nil {
			break
		}
		if retry && attempt == 0 {
			continue
		}
		_ = c.Stop()
		return nil, err
	}
	if err := c.waitReady(); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

func external(raw string) (*Cluster, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return nil, fmt.Errorf("testpg: %s must be a postgres://user@host:port/db URL of a server with a superuser, got %q", EnvURL, raw)
	}
	return &Cluster{external: true, base: u, adminURL: raw}, nil
}

// prepare writes the owner pid and, under root, hands the directory to the
// server's user.
func (c *Cluster) prepare() error {
	pid := []byte(strconv.Itoa(os.Getpid()) + "\n")
	if err := os.WriteFile(filepath.Join(c.dir, ownerFile), pid, 0o644); err != nil {
		return fmt.Errorf("testpg: %w", err)
	}
	if c.cred == nil {
		return nil
	}
	err := filepath.WalkDir(c.dir, func(path string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(c.cred.Uid), int(c.cred.Gid))
	})
	if err != nil {
		return fmt.Errorf("testpg: hand cluster directory to user postgres: %w", err)
	}
	return nil
}

func (c *Cluster) initdb() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// -A trust: no passwords; see Start for why that is acceptable.
	// --no-sync: nothing needs to survive a crash.
	// --locale=C -E UTF8: same behaviour on every machine, English messages.
	out, err := c.command(ctx, "initdb",
		"-D", c.dataDir, "-A", "trust", "-U", "postgres",
		"--no-sync", "-E", "UTF8", "--locale=C").CombinedOutput()
	if err != nil {
		return fmt.Errorf("testpg: initdb failed: %v%s\n%s", err, c.credHint(err), tail(out, 40))
	}
	return nil
}

// start runs pg_ctl start on port. retry reports whether the failure looks
// like the port having been taken in the meantime.
func (c *Cluster) start(port int) (retry bool, err error) {
	offset := fileSize(c.logFile)
	opts := strings.Join([]string{
		"-p", strconv.Itoa(port),
		// Unix socket in our private directory, so nothing clashes with a
		// system server's /var/run/postgresql.
		"-k", shellQuote(c.dir),
		// TCP on loopback only: with trust auth, never listen on a network.
		"-c", "listen_addresses=127.0.0.1",
		// Throwaway data: durability buys nothing and costs a lot.
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		// Parallel tests each hold connections.
		"-c", "max_connections=200",
		"-c", "shared_buffers=" + c.sharedBuffers,
	}, " ")

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout+30*time.Second)
	defer cancel()
	out, err := c.command(ctx, "pg_ctl",
		"-w", "-t", strconv.Itoa(int(startTimeout/time.Second)),
		"-D", c.dataDir, "-l", c.logFile, "-o", opts, "start").CombinedOutput()
	if err == nil {
		c.port = port
		c.base = &url.URL{Scheme: "postgres", User: url.User("postgres"), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))}
		c.adminURL = c.URL("postgres")
		return false, nil
	}
	log := readFrom(c.logFile, offset)
	retry = strings.Contains(log, "Address already in use") ||
		strings.Contains(log, "could not create any TCP/IP sockets")
	// If pg_ctl timed out the server may still be coming up; stop it
	// before a retry reuses the data directory.
	if retry {
		_ = c.pgCtlStop()
	}
	return retry, fmt.Errorf("testpg: pg_ctl start (port %d) failed: %v%s\n%s\n--- server log (tail) ---\n%s",
		port, err, c.credHint(err), strings.TrimSpace(string(out)), tail([]byte(log), 40))
}

// waitReady polls until the server accepts a connection. pg_ctl -w already
// waits for the server to report ready, so this normally succeeds at once.
func (c *Cluster) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, c.adminURL)
		if err == nil {
			err = conn.Ping(ctx)
			_ = conn.Close(ctx)
		}
		cancel()
		if err == nil {
			return nil
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("testpg: server on port %d did not accept connections within %s: %v\n--- server log (tail) ---\n%s",
		c.port, readyTimeout, lastErr, tail([]byte(readFrom(c.logFile, 0)), 40))
}

// Stop stops the server (immediate mode: nothing needs to be flushed) and
// removes its directory. It does nothing to an external server. It is safe
// to call more than once; later calls return the first call's result.
func (c *Cluster) Stop() error {
	if c == nil || c.external {
		return nil
	}
	c.stopOnce.Do(func() {
		err := c.pgCtlStop()
		if rmErr := os.RemoveAll(c.dir); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("testpg: remove %s: %w", c.dir, rmErr))
		}
		c.stopErr = err
	})
	return c.stopErr
}

func (c *Cluster) pgCtlStop() error {
	// No postmaster.pid: the server is not running (never started, or
	// already stopped), and pg_ctl stop would only complain.
	if _, err := os.Stat(filepath.Join(c.dataDir, "postmaster.pid")); err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout+30*time.Second)
	defer cancel()
	out, err := c.command(ctx, "pg_ctl", "-D", c.dataDir, "-m", "immediate",
		"-w", "-t", strconv.Itoa(int(stopTimeout/time.Second)), "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("testpg: pg_ctl stop failed: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// URL returns a postgres:// URL for database db on this cluster, e.g.
// postgres://postgres@127.0.0.1:PORT/db?sslmode=disable.
func (c *Cluster) URL(db string) string {
	u := *c.base
	u.Path = "/" + db
	u.RawPath = ""
	if !c.external {
		u.RawQuery = "sslmode=disable"
	}
	return u.String()
}

var (
	dbCounter atomic.Uint64
	// procTag keeps names unique across test processes sharing one external
	// server (go test runs packages in parallel).
	procTag = func() string {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	}()
)

// NewDatabase creates a new empty database with a unique name derived from
// the test's name and returns its URL. t.Cleanup drops it WITH (FORCE), so
// connections the test forgot to close do not block the drop. It calls
// t.Fatal if the database cannot be created.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	name := databaseName(t.Name(), dbCounter.Add(1))
	if err := c.exec("CREATE DATABASE " + pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("testpg: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// Not t.Context(): it is already cancelled when cleanups run.
		if err := c.exec("DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"); err != nil {
			t.Errorf("testpg: drop database %s: %v", name, err)
		}
	})
	return c.URL(name)
}

func (c *Cluster) exec(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), sqlTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// databaseName returns t_<sanitised test name>_<process tag>_<n>, well within
// PostgreSQL's 63-byte identifier limit.
func databaseName(testName string, n uint64) string {
	var b strings.Builder
	underscore := true // suppress leading and repeated underscores
	for _, r := range strings.ToLower(testName) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			underscore = false
		} else if !underscore {
			b.WriteByte('_')
			underscore = true
		}
	}
	s := b.String()
	if len(s) > 32 {
		s = s[:32]
	}
	s = strings.Trim(s, "_")
	if s == "" {
		s = "db"
	}
	return fmt.Sprintf("t_%s_%s_%d", s, procTag, n)
}

var (
	sharedOnce    sync.Once
	sharedMu      sync.Mutex
	sharedCluster *Cluster
	sharedErr     error
)

// Shared returns a cluster started once per process (on first use) and
// shared by all tests in the package. The package's TestMain must call
// StopShared after m.Run, or the server outlives the test binary (Start
// reaps such leftovers on the next run, but do not rely on it).
func Shared() (*Cluster, error) {
	sharedOnce.Do(func() {
		c, err := Start()
		sharedMu.Lock()
		sharedCluster, sharedErr = c, err
		sharedMu.Unlock()
	})
	sharedMu.Lock()
	defer sharedMu.Unlock()
	return sharedCluster, sharedErr
}

// StopShared stops the cluster started by Shared, if any. Errors are printed
// to stderr, since there is no test left to fail.
func StopShared() {
	sharedMu.Lock()
	c := sharedCluster
	sharedMu.Unlock()
	if c == nil {
		return
	}
	if err := c.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

// command builds an exec.Cmd for one of the PostgreSQL binaries, run as the
// cluster's user, from the cluster directory (the server's user may not be
// able to enter our working directory), with a clean environment: PG*
// variables (PGDATA, PGPORT, ...) must not leak in, and LC_ALL=C keeps
// messages in English so failures can be recognised.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, name), args...)
	cmd.Dir = c.dir
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "PG") || strings.HasPrefix(k, "LC_") || k == "LANG" || k == "LANGUAGE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "LC_ALL=C")
	if c.cred != nil {
		env = append(env, "HOME="+c.dir, "USER=postgres", "LOGNAME=postgres")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	cmd.Env = env
	return cmd
}

func (c *Cluster) credHint(err error) string {
	if c.cred != nil && errors.Is(err, syscall.EPERM) {
		return " (running as root but not allowed to switch to user postgres; " +
			"run the tests as a non-root user, or set " + EnvURL + ")"
	}
	return ""
}

// findBinDir locates the directory holding initdb and pg_ctl.
func findBinDir() (string, error) {
	if d := os.Getenv(EnvBin); d != "" {
		if hasServerBinaries(d) {
			return d, nil
		}
		return "", fmt.Errorf("testpg: %s=%q does not contain initdb and pg_ctl", EnvBin, d)
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if d := strings.TrimSpace(string(out)); hasServerBinaries(d) {
			return d, nil
		}
	}
	if d := newestDebianBinDir(); d != "" {
		return d, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if p, err := filepath.EvalSymlinks(p); err == nil && hasServerBinaries(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
	}
	return "", errors.New("testpg: PostgreSQL server binaries (initdb, pg_ctl) not found. " +
		"Install PostgreSQL (Debian/Ubuntu: apt-get install postgresql), " +
		"or set " + EnvBin + " to the directory holding initdb and pg_ctl, " +
		"or set " + EnvURL + " to the URL of an existing server with a superuser")
}

func hasServerBinaries(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// newestDebianBinDir returns the highest-versioned /usr/lib/postgresql/*/bin
// that holds the server binaries.
func newestDebianBinDir() string {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(matches, func(i, j int) bool {
		return versionLess(filepath.Base(filepath.Dir(matches[j])), filepath.Base(filepath.Dir(matches[i])))
	})
	for _, d := range matches {
		if hasServerBinaries(d) {
			return d
		}
	}
	return ""
}

// versionLess compares dotted numeric versions ("9.6" < "15").
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return a < b
}

// pickParentDir returns a directory for the cluster's temporary directory:
// os.TempDir() if the server's user can reach it and the Unix socket path
// fits, else the first of /tmp, /var/tmp, /dev/shm that does.
func pickParentDir(cred *syscall.Credential) (string, error) {
	// Longest socket path: <parent>/switchboard-testpg-<10 digits>/.s.PGSQL.65535
	fits := func(d string) bool {
		return len(d)+len("/"+dirPrefix+"0123456789/.s.PGSQL.65535") <= maxSockPath
	}
	var tried []string
	for _, d := range []string{os.TempDir(), "/tmp", "/var/tmp", "/dev/shm"} {
		d = filepath.Clean(d)
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			continue
		}
		if fits(d) && traversable(d, cred) {
			return d, nil
		}
		tried = append(tried, d)
	}
	return "", fmt.Errorf("testpg: no temporary directory usable for the cluster (tried %s): "+
		"it must be reachable by the server's user and short enough for a Unix socket path; "+
		"set TMPDIR to such a directory", strings.Join(tried, ", "))
}

// traversable reports whether dir and all its parents can be entered by the
// user in cred (nil: the current user, which created or chose them).
func traversable(dir string, cred *syscall.Credential) bool {
	if cred == nil {
		return true
	}
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return false
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return false
		}
		mode := fi.Mode().Perm()
		switch {
		case st.Uid == cred.Uid:
			if mode&0o100 == 0 {
				return false
			}
		case st.Gid == cred.Gid:
			if mode&0o010 == 0 {
				return false
			}
		default:
			if mode&0o001 == 0 {
				return false
			}
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

// reapStale stops and removes clusters under parent whose owning test
// process is gone (killed by a timeout panic, Ctrl-C, ...), so a crashed
// run does not leave servers running forever. Failures are ignored: this is
// best-effort housekeeping.
func reapStale(parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), dirPrefix) {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		owner, err := readPid(filepath.Join(dir, ownerFile))
		if err != nil || processAlive(owner) {
			continue // not ours to judge, or still in use
		}
		dataDir := filepath.Join(dir, "data")
		if pm, err := readPid(filepath.Join(dataDir, "postmaster.pid")); err == nil && processAlive(pm) {
			// Only signal the pid if it really is this cluster's postmaster
			// (pids get reused, e.g. after a reboot).
			cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pm))
			if err != nil || !strings.Contains(string(cmdline), dataDir) {
				continue
			}
			_ = syscall.Kill(pm, syscall.SIGQUIT) // immediate shutdown
			for i := 0; i < 100 && processAlive(pm) && !isZombie(pm); i++ {
				time.Sleep(50 * time.Millisecond)
			}
		}
		_ = os.RemoveAll(dir)
	}
}

func readPid(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("bad pid in %s", path)
	}
	return pid, nil
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func isZombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// Format: pid (comm) state ...; comm may contain spaces or parentheses.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] == 'Z'
	}
	return false
}

// pickPort is replaced in tests to simulate a port taken between
// freePort and the server binding it.
var pickPort = freePort

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testpg: find a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	return port, nil
}

// shellQuote quotes s for the shell command line pg_ctl builds from -o.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func readFrom(path string, offset int64) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return ""
	}
	b, _ := io.ReadAll(f)
	return string(b)
}

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
