// Package bench is `switchboard bench`: a load generator that drives a
// Switchboard server through its public API and real protocols only — agents
// on the desktop WebSocket, customers on the chat widget's — and reports
// latencies, throughput, losses and the server's resource use, as a table
// and as JSON (docs/benchmarks.md keeps the latest figures).
//
// It starts the server itself, as a child process of the same binary on a
// temporary SQLite database, a PostgreSQL URL or a throwaway PostgreSQL
// cluster, or targets a running one given by --url.
package bench

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/switchboard-cc/switchboard/internal/testpg"
)

// Scenarios are the scenarios the bench knows.
var Scenarios = []string{"chat-steady", "ws-scale", "contacts"}

// Options are the settings of a bench.
type Options struct {
	Scenarios []string
	DBs       []string // sqlite (temporary), sqlite:PATH, postgres://…, testpg (throwaway cluster)
	// PGSharedBuffers is the testpg cluster's shared_buffers.
	PGSharedBuffers string

	URL           string // target this running server instead of starting one
	AdminUser     string
	AdminPassword string

	Duration         time.Duration // 0: the scenario's default
	Agents           int           // 0: the scenario's default
	QueueSize        int
	Rate             float64 // new chats per second
	MessagesRate     float64 // customer messages per second
	ChatLength       time.Duration
	AcceptDelay      time.Duration
	Grace            time.Duration
	LateLimit        time.Duration // after the grace, how long to wait at most for missing messages
	WhatsAppShare    float64       // chat-steady: the share of the queues on WhatsApp
	SetupConcurrency int

	ContactRows   int   // contacts: rows of the imported file (0: a million)
	Searches      int   // contacts: searches after the import (0: 2,000)
	SearchClients int   // contacts: clients searching at once
	Seed          int64 // contacts: the seed the file is made from
	ContactsReuse bool  // contacts: search the list an earlier run imported into this kept database

	JSON         string // write the results here
	Markdown     string // update the results section of this file
	CPUProfile   string // the server's CPU profile during the measured window
	MemProfile   string // the server's heap at the end of the measured window
	MutexProfile string // the server's lock contention during the measured window

	Command string    // the command line, for the record
	Out     io.Writer // progress and tables
}

// scenario defaults: the scale.
const (
	chatAgents    = 1000
	chatDuration  = 60 * time.Second
	socketAgents  = 5000
	socketHold    = 10 * time.Second
	benchRateMult = "100000" // --widget-rate-scale of the bench's server
)

// Command is `switchboard bench [flags]`.
func Command(args []string, stdout, stderr io.Writer) error {
	if IsChild() {
		if code := ChildMain(); code != 0 {
			return fmt.Errorf("bench server exited with %d", code)
		}
		return nil
	}
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	o.Out = stdout
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	_, err = Run(ctx, o)
	return err
}

func parseFlags(args []string, stderr io.Writer) (Options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `switchboard bench — load a Switchboard server and report latencies, throughput and resources

Usage: switchboard bench [flags]

Scenarios:
  chat-steady  agents on desktop sockets, customers on the widget and on WhatsApp (--whatsapp-share of the
               queues: signed Meta webhooks in, the agents' answers out through the server's outbox to a
               fake Graph API in the bench): chats at --rate/s, messages at --messages-rate/s
  ws-scale     idle agent desktop sockets (default 5,000): server memory per socket
  contacts     a CSV import of --contacts rows (default 1,000,000) into a new list, then --searches quick
               searches and list filters from --search-clients clients, every answer checked

The bench starts its own server as a child process (server CPU and peak RSS
from /proc), with --widget-rate-scale=`+benchRateMult+` and a high --login-rate, as
every customer comes from one address. With --url it drives a running server
instead: start that with SWITCHBOARD_WIDGET_RATE_SCALE=`+benchRateMult+` and
SWITCHBOARD_LOGIN_RATE=1000000, or its rate limits will refuse the load.

Flags:
`)
		fs.PrintDefaults()
	}
	var o Options
	var scenarios, dbs string
	fs.StringVar(&scenarios, "scenario", "chat-steady", "scenarios to run, comma-separated: "+strings.Join(Scenarios, ", "))
	fs.StringVar(&dbs, "db", "sqlite", "databases to run on, comma-separated: sqlite (a temporary file), sqlite:PATH, a postgres:// URL, or testpg (a throwaway PostgreSQL cluster from the machine's binaries)")
	fs.StringVar(&o.PGSharedBuffers, "pg-shared-buffers", "2GB", "with --db testpg: the cluster's shared_buffers, as a server dedicated to the database would have (a 1,000,000-contact database is about 1.8 GB)")
	fs.StringVar(&o.URL, "url", "", "drive this running server (http://host:port) instead of starting one; needs --admin-password")
	fs.StringVar(&o.AdminUser, "admin-user", "admin", "with --url: the admin's username")
	fs.StringVar(&o.AdminPassword, "admin-password", os.Getenv("SWITCHBOARD_ADMIN_PASSWORD"), "with --url: the admin's password (default SWITCHBOARD_ADMIN_PASSWORD)")
	fs.DurationVar(&o.Duration, "duration", 0, "measured time: chat-steady drives chats this long (default 60s), ws-scale holds its sockets this long (default 10s)")
	fs.IntVar(&o.Agents, "agents", 0, "agents (default 1000 for chat-steady, 5000 for ws-scale)")
	fs.IntVar(&o.QueueSize, "queue-size", 10, "agents per ring-all queue (one chat website per queue)")
	fs.Float64Var(&o.Rate, "rate", 200, "chat-steady: new chats per second")
	fs.Float64Var(&o.MessagesRate, "messages-rate", 1000, "chat-steady: customer messages per second (agents answer each one)")
	fs.DurationVar(&o.ChatLength, "chat-length", 10*time.Second, "chat-steady: how long a customer takes to write his messages")
	fs.DurationVar(&o.AcceptDelay, "accept-delay", 200*time.Millisecond, "chat-steady: an agent clicks accept after a random wait up to this")
	fs.DurationVar(&o.Grace, "grace", 5*time.Second, "after the drive, how long in-flight messages may still arrive in time")
	fs.DurationVar(&o.LateLimit, "late-limit", 60*time.Second, "after the grace, listen at most this long (less once none is missing) for acknowledged messages still missing: those arriving then count as late, those that never do as lost")
	fs.Float64Var(&o.WhatsAppShare, "whatsapp-share", 0.2, "chat-steady: the share of the queues (0 to 1) that serve WhatsApp customers through a Meta account instead of a chat website; 0.2 makes every fifth queue WhatsApp")
	fs.IntVar(&o.SetupConcurrency, "setup-concurrency", 4, "agents created and signed in at once (each costs two argon2 hashes)")
	fs.IntVar(&o.ContactRows, "contacts", 0, "contacts: rows of the imported CSV file (default 1000000)")
	fs.IntVar(&o.Searches, "searches", 0, "contacts: searches after the import (default 2000)")
	fs.IntVar(&o.SearchClients, "search-clients", 4, "contacts: clients searching at once")
	fs.BoolVar(&o.ContactsReuse, "contacts-reuse", false, "contacts: on a kept database (sqlite:PATH or a postgres:// URL) search the list an earlier run with --contacts-reuse imported the same file into, instead of importing it again")
	fs.Int64Var(&o.Seed, "seed", 1, "contacts: the seed the CSV file is made from (the same seed, the same file)")
	fs.StringVar(&o.JSON, "json", "", "write the results as JSON to this file")
	fs.StringVar(&o.Markdown, "markdown", "", "update the results section of this Markdown file (docs/benchmarks.md)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write the server's CPU profile over the measured window to this file (own server only)")
	fs.StringVar(&o.MemProfile, "memprofile", "", "write the server's heap profile at the end of the measured window to this file (own server only)")
	fs.StringVar(&o.MutexProfile, "mutexprofile", "", "write the server's lock contention over the measured window to this file (own server only)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	o.Scenarios, o.DBs = splitList(scenarios), splitList(dbs)
	o.Command = "switchboard bench " + quoteArgs(args)
	return o, o.validate()
}

func (o *Options) validate() error {
	if len(o.Scenarios) == 0 {
		return errors.New("bench: no --scenario")
	}
	for _, s := range o.Scenarios {
		if !slices.Contains(Scenarios, s) {
			return fmt.Errorf("bench: unknown scenario %q (known: %s)", s, strings.Join(Scenarios, ", "))
		}
	}
	if o.URL != "" {
		if o.AdminPassword == "" {
			return errors.New("bench: --url needs --admin-password (or SWITCHBOARD_ADMIN_PASSWORD)")
		}
		if o.CPUProfile != "" || o.MemProfile != "" || o.MutexProfile != "" {
			return errors.New("bench: --cpuprofile, --memprofile and --mutexprofile need the bench's own server (no --url)")
		}
		o.DBs = []string{"url"}
	}
	for _, db := range o.DBs {
		if db != "sqlite" && db != "testpg" && db != "url" && !strings.HasPrefix(db, "sqlite:") &&
			!strings.HasPrefix(db, "postgres://") && !strings.HasPrefix(db, "postgresql://") {
			return fmt.Errorf("bench: --db %q: want sqlite, sqlite:PATH, a postgres:// URL or testpg", db)
		}
	}
	switch {
	case o.QueueSize < 1:
		return errors.New("bench: --queue-size must be at least 1")
	case o.Agents < 0 || o.Duration < 0 || o.Grace < 0 || o.AcceptDelay < 0 || o.LateLimit < 0:
		return errors.New("bench: --agents, --duration, --grace, --late-limit and --accept-delay cannot be negative")
	case o.WhatsAppShare < 0 || o.WhatsAppShare > 1:
		return errors.New("bench: --whatsapp-share must be between 0 and 1")
	case o.Rate <= 0 || o.MessagesRate < 0:
		return errors.New("bench: --rate must be above 0 and --messages-rate at least 0")
	case o.ChatLength <= 0:
		return errors.New("bench: --chat-length must be above 0")
	case o.ContactRows < 0 || (o.ContactRows > 0 && o.ContactRows < 1000) || o.Searches < 0 || o.SearchClients < 0:
		return errors.New("bench: --contacts must be 0 (the default) or at least 1000, --searches and --search-clients at least 0")
	}
	o.SetupConcurrency = max(o.SetupConcurrency, 1)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func quoteArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'$&|;<>()*?") {
			a = strconv.Quote(a)
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// Run runs every scenario on every database, one after the other, each on
// a fresh server, and writes the JSON and Markdown files asked for.
func Run(ctx context.Context, o Options) (*Results, error) {
	if o.Out == nil {
		o.Out = io.Discard
	}
	res := &Results{Command: o.Command, Machine: thisMachine(time.Now())}
	for _, sc := range o.Scenarios {
		for _, db := range o.DBs {
			fmt.Fprintf(o.Out, "\n-- %s on %s\n", sc, db)
			rep, err := runOne(ctx, o, sc, db)
			if err != nil {
				return res, fmt.Errorf("%s on %s: %w", sc, db, err)
			}
			rep.WriteText(o.Out)
			res.Runs = append(res.Runs, rep)
		}
	}
	if o.JSON != "" {
		if err := writeJSON(o.JSON, res); err != nil {
			return res, err
		}
	}
	if o.Markdown != "" {
		if err := updateMarkdown(o.Markdown, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// runOne runs one scenario on one database.
func runOne(ctx context.Context, o Options, scenario, db string) (*Report, error) {
	hc := newHTTPClient()
	defer hc.CloseIdleConnections()
	rep := &Report{Scenario: scenario, Started: time.Now().UTC()}
	t, adminPassword, cleanup, err := startTarget(ctx, o, db, hc, rep)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := cleanup(); err != nil {
			fmt.Fprintln(o.Out, "  stopping the server:", err)
		}
	}()
	admin, err := signIn(ctx, hc, t.URL(), o.AdminUser, adminPassword, "")
	if err != nil {
		return nil, err
	}
	prof := profilePaths(o, scenario, db)
	var errs Errors
	if scenario == "contacts" {
		// No agents: the admin imports and searches.
		if err := contactsScenario(ctx, o, t, admin, prof, rep, &errs); err != nil {
			return nil, err
		}
		rep.Errors = errs.Map()
		rep.logCounts(t)
		return rep, nil
	}
	agents, duration := o.Agents, o.Duration
	if agents == 0 {
		agents = map[string]int{"chat-steady": chatAgents, "ws-scale": socketAgents}[scenario]
	}
	if duration == 0 {
		duration = map[string]time.Duration{"chat-steady": chatDuration, "ws-scale": socketHold}[scenario]
	}
	rep.Params = Params{Agents: agents, Duration: duration.String()}

	setupStart := time.Now()
	fmt.Fprintf(o.Out, "  set-up: %d agents in ring-all queues of %d, through the API\n", agents, o.QueueSize)
	plan := setupPlan{prefix: runPrefix(), agents: agents, queueSize: o.QueueSize,
		ownServer: o.URL == "", concurrency: o.SetupConcurrency, progress: o.Out}
	if scenario == "chat-steady" && o.WhatsAppShare > 0 {
		// The accounts' API address is this fake, so it runs before set-up.
		g, err := startFakeGraph(hc, t.URL(), &errs)
		if err != nil {
			return nil, fmt.Errorf("fake Graph API: %w", err)
		}
		defer g.stop()
		plan.graph, plan.whatsappShare = g, o.WhatsAppShare
	}
	st, err := setUp(ctx, t.URL(), admin, plan)
	if err != nil {
		return nil, err
	}
	rep.SetupSeconds = time.Since(setupStart).Seconds()

	switch scenario {
	case "chat-steady":
		err = chatSteady(ctx, o, t, hc, st, plan, duration, prof, rep, &errs)
	case "ws-scale":
		err = wsScale(ctx, o, t, st, duration, prof, rep, &errs)
	}
	if err != nil {
		return nil, err
	}
	rep.Errors = errs.Map()
	rep.logCounts(t)
	return rep, nil
}

// logCounts adds what the bench's own server logged.
func (rep *Report) logCounts(t target) {
	if lt, ok := t.(*child); ok {
		sv := &rep.Server
		sv.LogWarnings, sv.LogErrors, sv.LogAbandoned, sv.FirstErrors = lt.stderr.counts()
	}
}

func chatSteady(ctx context.Context, o Options, t target, hc *http.Client, st *site, sp setupPlan, duration time.Duration,
	prof profiles, rep *Report, errs *Errors) error {
	oo := o
	oo.Duration = duration
	plan, err := planChat(oo)
	if err != nil {
		return err
	}
	rep.Params.QueueSize, rep.Params.ChatsPerSecond, rep.Params.MessagesPerSecond = o.QueueSize, o.Rate, o.MessagesRate
	rep.Params.MessagesPerChat, rep.Params.ChatLength = plan.perChat, o.ChatLength.String()
	rep.Params.AcceptDelay, rep.Params.Grace, rep.Params.LateLimit = o.AcceptDelay.String(), o.Grace.String(), o.LateLimit.String()
	rep.Params.Queues, rep.Params.WhatsAppShare, rep.Params.WhatsAppAccounts = len(st.entries), o.WhatsAppShare, st.whatsappAccounts()

	r := newChatRun(plan, t.URL(), hc, errs)
	if sp.graph != nil && st.whatsappAccounts() > 0 {
		r.wa = newWAState(sp.graph, sp.prefix)
		sp.graph.setSink(r)
	}
	desks := make([]*desk, len(st.agents))
	err = parallel(ctx, len(st.agents), 50, func(ctx context.Context, i int) error {
		conn, err := openDesk(ctx, st.agents[i])
		if err != nil {
			return fmt.Errorf("desktop socket of %s: %w", st.agents[i].Username, err)
		}
		desks[i] = newDesk(r, st.agents[i], conn)
		return nil
	})
	defer func() {
		for _, d := range desks {
			if d != nil {
				d.conn.CloseNow()
			}
		}
	}()
	if err != nil {
		return err
	}
	for _, d := range desks {
		r.desks[d.a.ID] = d
	}
	fmt.Fprintf(o.Out, "  driving: %g chats/s (%d of %d queues on WhatsApp), %d messages each over %s, for %s (+%s grace)\n",
		plan.rate, st.whatsappAccounts(), len(st.entries), plan.perChat, o.ChatLength, plan.duration, plan.grace)
	w, err := openWindow(ctx, t, prof)
	if err != nil {
		return err
	}
	r.started = w.start
	r.graceEnd = r.started.Add(plan.duration + plan.grace)
	drive, stopDrive := context.WithDeadline(ctx, r.started.Add(plan.duration))
	defer stopDrive()
	run, stopRun := context.WithDeadline(ctx, r.graceEnd)
	defer stopRun()
	// The sockets are read on after the grace, for late messages.
	listen, stopListening := context.WithCancel(ctx)
	defer stopListening()
	replyBy := r.started.Add(plan.duration + plan.replyByLimit)
	var readers, customers sync.WaitGroup
	for _, d := range desks {
		readers.Add(1)
		go func() {
			defer readers.Done()
			d.read(listen, run, replyBy)
		}()
	}
	r.driveChats(drive, run, listen, st.entries, &customers)
	<-run.Done()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := w.close(ctx, rep, prof); err != nil {
		return err
	}
	r.listenForLate(ctx, stopListening)
	readers.Wait() // their reads end with listen
	customers.Wait()
	if sp.graph != nil {
		sp.graph.stop() // its status webhooks under way end here
	}
	rep.Chat = r.result(plan.duration)
	return nil
}

func wsScale(ctx context.Context, o Options, t target, st *site, hold time.Duration, prof profiles,
	rep *Report, errs *Errors) error {
	fmt.Fprintf(o.Out, "  opening %d desktop sockets, then holding them %s\n", len(st.agents), hold)
	w, err := openWindow(ctx, t, prof)
	if err != nil {
		return err
	}
	res, closeAll, err := socketsPhase(ctx, t, w.u0, st.agents, hold, 50, errs)
	if err != nil {
		return err
	}
	defer closeAll() // after the window: the heap profile shows the sockets
	rep.Sockets = res
	return w.close(ctx, rep, prof)
}

// runPrefix makes this run's names unique, so runs can share a database.
func runPrefix() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return "bench" + hex.EncodeToString(b)
}

// profiles are the files a run writes its server's profiles to ("": none).
type profiles struct{ cpu, mem, mutex string }

// profilePaths names the profiles of one run: the given names, with the
// scenario and database added when there are several runs.
func profilePaths(o Options, scenario, db string) profiles {
	name := func(p string) string {
		if p == "" || len(o.Scenarios)*len(o.DBs) == 1 {
			return p
		}
		kind := db
		if strings.HasPrefix(db, "sqlite:") {
			kind = "sqlite"
		} else if strings.HasPrefix(db, "postgres") {
			kind = "postgres"
		}
		ext := filepath.Ext(p)
		return strings.TrimSuffix(p, ext) + "-" + scenario + "-" + kind + ext
	}
	return profiles{name(o.CPUProfile), name(o.MemProfile), name(o.MutexProfile)}
}

// startTarget starts the bench's server on a database (or takes the
// --url one) and returns it with the admin's password and how to stop it.
func startTarget(ctx context.Context, o Options, db string, hc *http.Client, rep *Report) (target, string, func() error, error) {
	if db == "url" {
		rep.Database, rep.Target = "url", "a running server at "+o.URL+" (figures from its /metrics)"
		return &remote{url: strings.TrimRight(o.URL, "/"), hc: hc}, o.AdminPassword, func() error { return nil }, nil
	}
	var stops []func() error
	stop := func() error {
		var errs []error
		for i := len(stops) - 1; i >= 0; i-- {
			errs = append(errs, stops[i]())
		}
		return errors.Join(errs...)
	}
	url := db
	switch {
	case db == "sqlite" || strings.HasPrefix(db, "sqlite:"):
		rep.Database = "sqlite"
		rep.DBNote = "SQLite in WAL mode, synchronous=NORMAL (no fsync per commit), on the local disk"
		if db == "sqlite" {
			dir, err := os.MkdirTemp("", "switchboard-bench-")
			if err != nil {
				return nil, "", nil, err
			}
			stops = append(stops, func() error { return os.RemoveAll(dir) })
			url = "sqlite:" + filepath.Join(dir, "bench.db")
		}
	case db == "testpg":
		rep.Database = "postgresql"
		fmt.Fprintln(o.Out, "  starting a throwaway PostgreSQL cluster")
		c, err := testpg.StartWith(testpg.Options{SharedBuffers: o.PGSharedBuffers})
		if err != nil {
			return nil, "", nil, err
		}
		stops = append(stops, c.Stop)
		url = c.URL("postgres")
		rep.DBNote = "a throwaway PostgreSQL cluster (internal/testpg) on the same machine: fsync, synchronous_commit " +
			"and full_page_writes off, shared_buffers " + cmp.Or(o.PGSharedBuffers, "128MB") + "; its CPU counts as other load"
	default:
		rep.Database = "postgresql"
		rep.DBNote = "PostgreSQL at the given URL"
	}
	password := "Bench-Admin-" + runPrefix()
	if o.ContactsReuse {
		password = keptAdminPassword // the admin made by the run that imported
	}
	fmt.Fprintln(o.Out, "  starting the server (a child process of this binary)")
	c, err := startChild(ctx, hc, map[string]string{
		"SWITCHBOARD_DB": url, "SWITCHBOARD_ADMIN_PASSWORD": password, "SWITCHBOARD_LOG_LEVEL": "warn",
		"SWITCHBOARD_LOGIN_RATE": "1000000", "SWITCHBOARD_WIDGET_RATE_SCALE": benchRateMult,
	})
	if err != nil {
		_ = stop()
		return nil, "", nil, err
	}
	stops = append(stops, c.Close)
	rep.Target = "child process (switchboard bench's own server; CPU and RSS from /proc)"
	return c, password, stop, nil
}

// ---- the measured window

// window measures the server and the machine between open and close.
type window struct {
	t       target
	start   time.Time
	u0      usage
	busy0   float64
	total0  float64
	self0   float64
	load0   string
	peakOK  bool
	maxRSS  chan int64
	stopRSS chan struct{}
}

// openWindow reads the starting figures, starts a new peak-RSS window and
// the CPU profile (when asked).
func openWindow(ctx context.Context, t target, prof profiles) (*window, error) {
	w := &window{t: t, load0: loadAvg(), maxRSS: make(chan int64, 1), stopRSS: make(chan struct{})}
	// What set-up left (the password hashes' memory) is returned first, so
	// the window's peak is the run's own.
	if err := settle(ctx, t); err != nil {
		return nil, err
	}
	if prof.cpu != "" {
		if err := t.control("cpuprofile " + absPath(prof.cpu)); err != nil {
			return nil, err
		}
	}
	if prof.mutex != "" {
		if err := t.control("mutexprofile"); err != nil {
			return nil, err
		}
	}
	u, err := t.usage(ctx)
	if err != nil {
		return nil, err
	}
	w.u0, w.peakOK = u, t.resetPeak()
	w.busy0, w.total0 = machineCPU()
	w.self0 = selfCPU()
	w.start = time.Now()
	go w.sampleRSS(ctx)
	return w, nil
}

// sampleRSS keeps the highest RSS seen, for servers whose peak cannot be
// read directly.
func (w *window) sampleRSS(ctx context.Context) {
	var peak int64
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-w.stopRSS:
			w.maxRSS <- peak
			return
		case <-t.C:
			if u, err := w.t.usage(ctx); err == nil {
				peak = max(peak, u.RSS)
			}
		}
	}
}

// close reads the ending figures into the report and writes the profiles.
func (w *window) close(ctx context.Context, rep *Report, prof profiles) error {
	u, err := w.t.usage(ctx)
	if err != nil {
		return err
	}
	busy, total := machineCPU()
	self := selfCPU()
	secs := time.Since(w.start).Seconds()
	rep.RunSeconds = round1(secs)
	close(w.stopRSS)
	sampled := <-w.maxRSS
	sv := &rep.Server
	sv.Source = "/proc/<pid>"
	if _, ok := w.t.(*remote); ok {
		sv.Source = "/metrics"
	}
	sv.CPUSeconds = round1(u.CPUSeconds - w.u0.CPUSeconds)
	if secs > 0 {
		sv.CPUPercent = round1(100 * (u.CPUSeconds - w.u0.CPUSeconds) / secs)
	}
	sv.RSSEnd, sv.HeapInuseEnd = u.RSS, u.HeapInuse
	sv.PeakRSS, sv.PeakRSSFrom = max(sampled, u.RSS), "sampled every 0.5 s"
	if w.peakOK && u.PeakRSS > 0 {
		sv.PeakRSS, sv.PeakRSSFrom = u.PeakRSS, "VmHWM over the window"
	}
	l := &rep.Load
	l.MachineBusySeconds, l.MachineCPUSeconds = round1(busy-w.busy0), round1(total-w.total0)
	l.BenchCPUSeconds = round1(self - w.self0)
	l.OtherCPUSeconds = round1(max(0, l.MachineBusySeconds-l.BenchCPUSeconds-sv.CPUSeconds))
	l.LoadAvgStart, l.LoadAvgEnd = w.load0, loadAvg()
	if err := w.t.control("stopcpuprofile"); err != nil && !errors.Is(err, errNoControl) {
		return err
	}
	if prof.mem != "" {
		if err := w.t.control("heapprofile " + absPath(prof.mem)); err != nil {
			return err
		}
	}
	if prof.mutex != "" {
		if err := w.t.control("mutexprofile " + absPath(prof.mutex)); err != nil {
			return err
		}
	}
	return nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
