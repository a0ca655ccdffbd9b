package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The bench starts its server by running its own executable; under go test
// that is this test binary, which then serves instead of testing.
func TestMain(m *testing.M) {
	if IsChild() {
		os.Exit(ChildMain())
	}
	os.Exit(m.Run())
}

func durations(ms ...int) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m) * time.Millisecond
	}
	return out
}

func TestPercentilesAreNearestRankOfTheSortedSamples(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100 … 1, unsorted on purpose
	}
	cases := []struct {
		name          string
		samples       []int
		p50, p99, max float64
	}{
		{"one sample", []int{7}, 7, 7, 7},
		{"two samples", []int{9, 1}, 1, 9, 9},
		{"a hundred", hundred, 50, 99, 100},
		{"an outlier above p99", append(make([]int, 199), 5000), 0, 0, 5000},
	}
	for _, c := range cases {
		l := summarize(durations(c.samples...))
		if l.Count != len(c.samples) || l.P50 != c.p50 || l.P99 != c.p99 || l.Max != c.max {
			t.Errorf("%s: got %+v", c.name, l)
		}
	}
	if l := summarize(nil); l.Count != 0 || l.Max != 0 {
		t.Errorf("no samples: %+v", l)
	}
	var s Samples
	for _, d := range durations(3, 1, 2) {
		s.Add(d)
	}
	if l := s.Summary(); l.P50 != 2 || l.Mean != 2 || l.P95 != 3 {
		t.Errorf("samples: %+v", l)
	}
}

func TestLatenciesKeepMicroseconds(t *testing.T) {
	l := summarize([]time.Duration{1234567 * time.Nanosecond})
	if l.P50 != 1.235 {
		t.Fatalf("p50 %v ms", l.P50)
	}
}

func TestMessageTagsRoundTrip(t *testing.T) {
	if n, ok := parseTag(tag('c', 1234), 'c'); !ok || n != 1234 {
		t.Fatalf("c:1234 → %d %v", n, ok)
	}
	for _, bad := range []string{"a:12", "c:", "c12", "c:x", ""} {
		if _, ok := parseTag(bad, 'c'); ok {
			t.Errorf("%q parsed as a customer tag", bad)
		}
	}
}

func TestProcStatTimesAfterACommandNameWithSpaces(t *testing.T) {
	stat := "4242 (switch board) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 125 0 0 20 0 12 0 100 1000 200"
	got, err := statCPUSeconds(stat)
	if err != nil || got != 3.75 {
		t.Fatalf("got %v %v", got, err)
	}
	status := "Name:\tswitchboard\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n"
	if statusKB(status, "VmRSS:") != 102400 || statusKB(status, "VmHWM:") != 204800 || statusKB(status, "VmSwap:") != 0 {
		t.Fatal("status fields")
	}
}

func TestMetricsTextGivesTheUnlabelledSamples(t *testing.T) {
	text := `# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 12.5
go_memstats_heap_inuse_bytes 1.048576e+06
http_requests_total{code="200"} 7
`
	got := parseMetrics(strings.NewReader(text), "process_cpu_seconds_total", "go_memstats_heap_inuse_bytes", "absent")
	if got[0] != 12.5 || got[1] != 1<<20 || got[2] != 0 {
		t.Fatalf("got %v", got)
	}
}

func TestChatPacingGivesTheMessageRate(t *testing.T) {
	cases := []struct {
		rate, messages float64
		perChat        int
		interval       time.Duration
	}{
		{200, 1000, 5, 2 * time.Second}, // the scale over 10 s chats
		{10, 15, 2, 5 * time.Second},    // 1.5 rounds up
		{100, 0, 1, 10 * time.Second},   // every chat writes at least once
	}
	for _, c := range cases {
		p, err := planChat(Options{Rate: c.rate, MessagesRate: c.messages, ChatLength: 10 * time.Second,
			Duration: time.Minute, Grace: 4 * time.Second})
		if err != nil || p.perChat != c.perChat || p.interval != c.interval || p.replyByLimit != 2*time.Second {
			t.Errorf("%g chats/s, %g messages/s: %+v %v", c.rate, c.messages, p, err)
		}
	}
}

func TestFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string // in the error; "" for none
	}{
		{[]string{"--scenario", "chat-steady,ws-scale", "--db", "sqlite,testpg"}, ""},
		{[]string{"--scenario", "contacts", "--contacts", "10"}, "--contacts"},
		{[]string{"--scenario", "voice"}, "unknown scenario"},
		{[]string{"--url", "http://127.0.0.1:8080", "--admin-password", ""}, "--admin-password"},
		{[]string{"--url", "http://127.0.0.1:8080", "--admin-password", "x", "--cpuprofile", "cpu.out"}, "own server"},
		{[]string{"--db", "mysql://x"}, "--db"},
		{[]string{"--queue-size", "0"}, "--queue-size"},
		{[]string{"--whatsapp-share", "1.5"}, "--whatsapp-share"},
		{[]string{"--whatsapp-share", "-0.1"}, "--whatsapp-share"},
		{[]string{"--late-limit", "-1s"}, "--late-limit"},
	}
	for _, c := range cases {
		t.Setenv("SWITCHBOARD_ADMIN_PASSWORD", "")
		o, err := parseFlags(c.args, &bytes.Buffer{})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.args, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: want an error about %s, got %v", c.args, c.want, err)
		}
		if c.want == "" && (len(o.Scenarios) != 2 || len(o.DBs) != 2 || o.Command == "" || o.WhatsAppShare != 0.2 ||
			o.LateLimit != time.Minute) {
			t.Errorf("%v: parsed %+v", c.args, o)
		}
	}
}

func sampleReport() *Report {
	return &Report{Scenario: "chat-steady", Database: "sqlite", DBNote: "WAL", Target: "child process",
		Params:       Params{Agents: 1000, QueueSize: 10, ChatsPerSecond: 200, MessagesPerChat: 5, ChatLength: "10s", AcceptDelay: "200ms", Duration: "1m0s"},
		SetupSeconds: 150, RunSeconds: 60,
		Chat: &ChatResult{
			CustomerToAgent: Latency{Count: 60000, P50: 2.5, P95: 6, P99: 9.25, Max: 40, Target: 10},
			ChatToOffer:     Latency{Count: 12000, P50: 4, P95: 12, P99: 25, Max: 80, Target: 20},
			ChatsStarted:    12000, AcceptConflicts: 300,
			CustomerMessages: MessageCounts{Sent: 60000, Acked: 60000, Received: 60000},
		},
		Errors: map[string]int64{"accept 500 internal": 2},
		Server: ServerResult{Source: "/proc/<pid>", CPUSeconds: 80, CPUPercent: 133, PeakRSS: 300 << 20, PeakRSSFrom: "VmHWM"},
	}
}

func TestReportTableSaysWhatWasMeasured(t *testing.T) {
	var b bytes.Buffer
	sampleReport().WriteText(&b)
	out := b.String()
	for _, want := range []string{
		"== chat-steady on sqlite (child process)",
		"customer → agent", "p50 2.50, p95 6.00, p99 9.25, max 40.0 ms (n=60000); goal p99 < 10 ms met",
		"new chat → offer", "goal p99 < 20 ms missed",
		"accept → assigned", "no samples",
		"300 conflicts (ring-all race, expected)",
		"lost 0, duplicated 0",
		"accept 500 internal ×2",
		"80.0 s (133% of a core)", "peak RSS 300 MiB [VmHWM]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestMarkdownKeepsTheHandWrittenTextAndTheOtherScenarios(t *testing.T) {
	path := filepath.Join(t.TempDir(), "benchmarks.md")
	machine := Machine{CPUs: 2, CPUModel: "AMD EPYC", MemoryMiB: 23000, GoVersion: "go1.26", Date: "2026-01-01 09:00 UTC"}
	pg := sampleReport()
	pg.Database = "postgresql"
	sockets := &Report{Scenario: "ws-scale", Database: "sqlite", Params: Params{Agents: 5000},
		Sockets: &SocketResult{Sockets: 5000, Opened: 5000, RSSBefore: 50 << 20, RSSAfter: 270 << 20, BytesPerSocket: 46000}}
	first := &Results{Command: "switchboard bench --scenario chat-steady,ws-scale", Machine: machine,
		Runs: []*Report{sampleReport(), pg, sockets}}
	hand := "# Benchmarks\n\nWritten by hand.\n\n" + markdownBegin + "\nNot run yet.\n" + markdownEnd + "\n\n## Profiles\n\nAlso by hand.\n"
	if err := os.WriteFile(path, []byte(hand), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := updateMarkdown(path, first); err != nil {
		t.Fatal(err)
	}
	// A later run of one scenario replaces its block only.
	machine.Date = "2026-02-02 10:00 UTC"
	again := sampleReport()
	again.Chat.CustomerToAgent.P50 = 1.25
	if err := updateMarkdown(path, &Results{Command: "switchboard bench --scenario chat-steady", Machine: machine,
		Runs: []*Report{again}}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	md := string(b)
	for _, want := range []string{"Written by hand.", "## Profiles\n\nAlso by hand.",
		"### chat-steady\n\n2026-02-02 10:00 UTC, produced by:\n\n```sh\nswitchboard bench --scenario chat-steady\n```",
		"2 CPUs (`nproc`), AMD EPYC", "|  | sqlite |\n", "| customer → agent | p50 1.25",
		"### ws-scale\n\n2026-01-01 09:00 UTC", "| RSS | 50 MiB before, 270 MiB after: 44.9 KiB per socket |"} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in\n%s", want, md)
		}
	}
	if strings.Contains(md, "Not run yet") || strings.Count(md, markdownBegin) != 1 || strings.Count(md, "### chat-steady") != 1 ||
		strings.Index(md, "### chat-steady") > strings.Index(md, "### ws-scale") {
		t.Errorf("blocks:\n%s", md)
	}
}

// TestSmallRunOnSQLite runs both scenarios for real at a tiny scale: the
// server as a child process, agents and customers over the real sockets,
// one of the two queues on WhatsApp.
func TestSmallRunOnSQLite(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	o := Options{Scenarios: []string{"chat-steady", "ws-scale"}, DBs: []string{"sqlite"}, AdminUser: "admin",
		Agents: 4, QueueSize: 2, Rate: 5, MessagesRate: 15, ChatLength: 600 * time.Millisecond,
		AcceptDelay: 50 * time.Millisecond, Duration: 2 * time.Second, Grace: time.Second, SetupConcurrency: 4,
		LateLimit: 20 * time.Second, WhatsAppShare: 0.5,
		JSON: filepath.Join(dir, "bench.json"), Markdown: filepath.Join(dir, "benchmarks.md"),
		CPUProfile: filepath.Join(dir, "cpu.pprof"), Command: "test", Out: &out}
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(res.Runs) != 2 {
		t.Fatalf("runs: %d", len(res.Runs))
	}
	chat, sockets := res.Runs[0], res.Runs[1]
	c := chat.Chat
	if c == nil || c.ChatsStarted < 5 || c.ChatsAssigned != c.ChatsStarted || c.CustomerToAgent.Count == 0 ||
		c.AgentToCustomer.Count == 0 || c.ChatToOffer.Count == 0 || c.AcceptToAssigned.Count == 0 {
		t.Fatalf("chat results %+v\n%s", c, out.String())
	}
	wa := c.WhatsApp
	if wa == nil || chat.Params.WhatsAppAccounts != 1 || wa.ConversationsStarted < 2 ||
		wa.ConversationsAssigned != wa.ConversationsStarted || wa.CustomerToAgent.Count == 0 ||
		wa.ConversationToOffer.Count != int(wa.ConversationsStarted) || wa.AgentToGraph.Count == 0 {
		t.Fatalf("WhatsApp results %+v\n%s", wa, out.String())
	}
	if wa.WebhooksRefused != 0 || wa.StatusesPosted == 0 || wa.StatusesAnswered != wa.StatusesPosted ||
		wa.GraphSends != wa.AgentMessages.Received+wa.AgentMessages.Late || wa.GraphRetries != 0 {
		t.Errorf("WhatsApp webhooks and sends %+v", wa)
	}
	for _, m := range []MessageCounts{c.CustomerMessages, c.AgentMessages, wa.CustomerMessages, wa.AgentMessages} {
		if m.Sent == 0 || m.Lost != 0 || m.Duplicates != 0 || m.Acked != m.Sent {
			t.Errorf("messages %+v", m)
		}
	}
	if len(chat.Errors) != 0 || len(sockets.Errors) != 0 {
		t.Errorf("errors: %v, %v", chat.Errors, sockets.Errors)
	}
	if chat.Server.CPUSeconds <= 0 || chat.Server.PeakRSS <= 0 {
		t.Errorf("server figures %+v", chat.Server)
	}
	if s := sockets.Sockets; s == nil || s.Opened != 4 || s.RSSAfter == 0 || s.HeapAfter == 0 {
		t.Errorf("sockets %+v", s)
	}
	for _, f := range []string{"bench.json", "benchmarks.md", "cpu-chat-steady-sqlite.pprof", "cpu-ws-scale-sqlite.pprof"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}
