package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The server under load. When the bench starts it itself, it runs as a
// child process of the same binary (see child.go): the server's CPU seconds
// and peak RSS are then read from /proc/<pid> and count the server alone,
// not the load generator beside it. Given --url, the bench measures what the
// server's /metrics tells (process_cpu_seconds_total, resident memory
// sampled during the run).

// usage is the server process's resource use at one moment.
type usage struct {
	CPUSeconds float64 // user + system since the process started
	RSS        int64   // resident set size, bytes
	PeakRSS    int64   // VmHWM since the last resetPeak, bytes (0: unknown)
	HeapInuse  int64   // Go heap in use (go_memstats_heap_inuse_bytes)
	StackInuse int64   // goroutine stacks (go_memstats_stack_inuse_bytes)
}

// target is a server the bench drives.
type target interface {
	URL() string
	// usage reads the server's resource use now.
	usage(ctx context.Context) (usage, error)
	// resetPeak starts a new peak-RSS window; false when it cannot.
	resetPeak() bool
	// control sends a command to a server the bench started (profiles,
	// returning freed memory to the OS); errNoControl for others.
	control(cmd string) error
	Close() error
}

var errNoControl = errors.New("bench: the server is not the bench's own child process")

// ---- a server given by --url

type remote struct {
	url string
	hc  *http.Client
}

func (r *remote) URL() string { return r.url }

func (r *remote) usage(ctx context.Context) (usage, error) { return scrapeMetrics(ctx, r.hc, r.url) }

func (r *remote) resetPeak() bool { return false }

func (r *remote) control(string) error { return errNoControl }

func (r *remote) Close() error { return nil }

// scrapeMetrics reads the process and Go memory figures of /metrics.
func scrapeMetrics(ctx context.Context, hc *http.Client, base string) (usage, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	if err != nil {
		return usage{}, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return usage{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return usage{}, fmt.Errorf("bench: GET /metrics: %s", resp.Status)
	}
	vals := parseMetrics(resp.Body, "process_cpu_seconds_total", "process_resident_memory_bytes",
		"go_memstats_heap_inuse_bytes", "go_memstats_stack_inuse_bytes")
	return usage{CPUSeconds: vals[0], RSS: int64(vals[1]), HeapInuse: int64(vals[2]), StackInuse: int64(vals[3])}, nil
}

// parseMetrics reads the values of unlabelled samples from the Prometheus
// text format, in the order of names (0 when absent).
func parseMetrics(r io.Reader, names ...string) []float64 {
	out := make([]float64, len(names))
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		for i, n := range names {
			if name == n {
				out[i], _ = strconv.ParseFloat(strings.TrimSpace(value), 64)
			}
		}
	}
	return out
}

// ---- the bench's own server, a child process

// child is a Switchboard server running as a child process (childMain).
type child struct {
	cmd    *exec.Cmd
	url    string
	hc     *http.Client
	stdin  io.WriteCloser
	lines  chan string // the child's answers on its standard output
	stderr *logTail
	done   chan struct{}
	err    error // the process's exit, once done is closed
	mu     sync.Mutex
}

// startChild runs this binary as a server with the given SWITCHBOARD_*
// settings (and none from the environment, so a run does not depend on
// the shell it starts from).
func startChild(ctx context.Context, hc *http.Client, settings map[string]string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("bench: find own binary: %w", err)
	}
	cmd := exec.Command(exe, "bench")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SWITCHBOARD_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, childEnv+"=1")
	for k, v := range settings {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, hc: hc, stdin: stdin, lines: make(chan string, 16), stderr: &logTail{}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start server: %w", err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
	}()
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	select {
	case line, ok := <-c.lines:
		url, ready := strings.CutPrefix(line, "ready ")
		if !ok || !ready {
			c.Close()
			return nil, fmt.Errorf("bench: the server did not start: %q\n%s", line, c.stderr.String())
		}
		c.url = url
	case <-time.After(5 * time.Minute): // migrations on a slow disk
		c.Close()
		return nil, fmt.Errorf("bench: the server did not start in 5 minutes\n%s", c.stderr.String())
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
	return c, nil
}

func (c *child) URL() string { return c.url }

func (c *child) usage(ctx context.Context) (usage, error) {
	pid := c.cmd.Process.Pid
	u, err := procUsage(pid)
	if err != nil {
		return u, err
	}
	m, err := scrapeMetrics(ctx, c.hc, c.url)
	if err == nil {
		u.HeapInuse, u.StackInuse = m.HeapInuse, m.StackInuse
	}
	return u, nil
}

// resetPeak clears the process's VmHWM (Linux: writing 5 to clear_refs).
func (c *child) resetPeak() bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", c.cmd.Process.Pid), []byte("5"), 0) == nil
}

// control sends one command line and waits for its answer.
func (c *child) control(cmd string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintln(c.stdin, cmd); err != nil {
		return fmt.Errorf("bench: server command %q: %w", cmd, err)
	}
	select {
	case line, ok := <-c.lines:
		if !ok {
			return fmt.Errorf("bench: server command %q: the server exited\n%s", cmd, c.stderr.String())
		}
		if line != "ok" {
			return fmt.Errorf("bench: server command %q: %s", cmd, line)
		}
		return nil
	case <-time.After(2 * time.Minute):
		return fmt.Errorf("bench: server command %q: no answer", cmd)
	}
}

// Close asks the server to shut down (end of its standard input) and
// kills it if it has not within half a minute.
func (c *child) Close() error {
	c.stdin.Close()
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
		return errors.New("bench: the server did not stop in 30 s; killed")
	}
	var exit *exec.ExitError
	if c.err != nil && !errors.As(c.err, &exit) {
		return c.err
	}
	if exit != nil {
		return fmt.Errorf("bench: the server exited with %v\n%s", c.err, c.stderr.String())
	}
	return nil
}

// logTail keeps the end of the server's log and counts its warnings and
// errors (the child logs at warn level).
type logTail struct {
	mu       sync.Mutex
	buf      []byte
	warnings int
	errors   int
	// abandoned counts the errors that are requests the bench gave up at
	// the end of a run (the server logs a cancelled request as an error).
	abandoned int
	first     []string // the first few other errors, for the report
	partial   []byte
}

const logTailBytes = 16 << 10

func (l *logTail) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	if len(l.buf) > 2*logTailBytes {
		l.buf = append([]byte(nil), l.buf[len(l.buf)-logTailBytes:]...)
	}
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		line := l.partial[:i]
		switch {
		case bytes.Contains(line, []byte("level=ERROR")):
			l.errors++
			if bytes.Contains(line, []byte("context canceled")) {
				l.abandoned++
			} else if len(l.first) < 3 {
				l.first = append(l.first, string(line))
			}
		case bytes.Contains(line, []byte("level=WARN")):
			l.warnings++
		}
		l.partial = l.partial[i+1:]
	}
	l.partial = append([]byte(nil), l.partial...)
	return len(p), nil
}

func (l *logTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buf
	if len(b) > logTailBytes {
		b = b[len(b)-logTailBytes:]
	}
	return string(b)
}

func (l *logTail) counts() (warnings, errors, abandoned int, first []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.warnings, l.errors, l.abandoned, append([]string(nil), l.first...)
}

// ---- /proc

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// procUsage reads a process's CPU time, RSS and peak RSS from /proc.
func procUsage(pid int) (usage, error) {
	var u usage
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, err
	}
	u.CPUSeconds, err = statCPUSeconds(string(stat))
	if err != nil {
		return u, err
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	u.RSS, u.PeakRSS = statusKB(string(status), "VmRSS:")*1024, statusKB(string(status), "VmHWM:")*1024
	return u, nil
}

// statCPUSeconds reads utime + stime from a /proc/<pid>/stat line. The
// command name (field 2) may hold spaces, so fields are counted after its
// closing parenthesis: state is field 3, utime 14 and stime 15.
func statCPUSeconds(stat string) (float64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("bench: unreadable /proc stat")
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0, errors.New("bench: short /proc stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("bench: unreadable /proc stat times")
	}
	return float64(utime+stime) / clockTicks, nil
}

// statusKB reads a "Name:   123 kB" line of /proc/<pid>/status.
func statusKB(status, name string) int64 {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// machineCPU reads the machine's busy and total CPU seconds from /proc/stat
// (all CPUs together), to tell how much else ran during a run.
func machineCPU() (busy, total float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0
	}
	var sum, idle int64
	for i, s := range f[1:] {
		n, _ := strconv.ParseInt(s, 10, 64)
		if i >= 8 { // guest times are already counted in user
			break
		}
		sum += n
		if i == 3 || i == 4 { // idle, iowait
			idle += n
		}
	}
	return float64(sum-idle) / clockTicks, float64(sum) / clockTicks
}

// selfCPU is the bench process's own CPU seconds.
func selfCPU() float64 {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	s, _ := statCPUSeconds(string(b))
	return s
}
