package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of one scenario on one database.
type Report struct {
	Scenario string    `json:"scenario"`
	Database string    `json:"database"` // sqlite, postgresql, or the server's when given by --url
	DBNote   string    `json:"database_note,omitempty"`
	Target   string    `json:"target"` // how the server ran
	Started  time.Time `json:"started"`
	Params   Params    `json:"params"`

	SetupSeconds float64 `json:"setup_seconds"`
	RunSeconds   float64 `json:"run_seconds"` // the measured window (chat-steady: the drive and its grace)

	Chat     *ChatResult     `json:"chat,omitempty"`
	Sockets  *SocketResult   `json:"sockets,omitempty"`
	Contacts *ContactsResult `json:"contacts,omitempty"`

	Errors map[string]int64 `json:"errors"`
	Server ServerResult     `json:"server"`
	Load   LoadResult       `json:"load"`
}

// Params are the settings a run used.
type Params struct {
	Agents            int     `json:"agents"`
	QueueSize         int     `json:"agents_per_queue,omitempty"`
	ChatsPerSecond    float64 `json:"chats_per_second,omitempty"`
	MessagesPerSecond float64 `json:"messages_per_second,omitempty"`
	MessagesPerChat   int     `json:"messages_per_chat,omitempty"`
	ChatLength        string  `json:"chat_length,omitempty"`
	AcceptDelay       string  `json:"accept_delay,omitempty"`
	Duration          string  `json:"duration"`
	Grace             string  `json:"grace,omitempty"`
	LateLimit         string  `json:"late_limit,omitempty"`
	WhatsAppShare     float64 `json:"whatsapp_share,omitempty"`    // of the queues
	WhatsAppAccounts  int     `json:"whatsapp_accounts,omitempty"` // one per WhatsApp queue
	Queues            int     `json:"queues,omitempty"`
	Rows              int     `json:"rows,omitempty"` // contacts
	Searches          int     `json:"searches,omitempty"`
	SearchClients     int     `json:"search_clients,omitempty"`
	Seed              int64   `json:"seed,omitempty"`
}

// ChatResult is what chat-steady measured. Its own figures are the widget
// customers'; the WhatsApp customers' are in WhatsApp.
type ChatResult struct {
	CustomerToAgent  Latency `json:"customer_to_agent"`
	AgentToCustomer  Latency `json:"agent_to_customer"`
	ChatToOffer      Latency `json:"new_chat_to_offer"`
	AcceptToAssigned Latency `json:"accept_to_assigned"`

	ChatsStarted    int64 `json:"chats_started"`
	ChatsSkipped    int64 `json:"chats_skipped"` // not started: too many customers already waited for the server
	ChatsAssigned   int64 `json:"chats_assigned"`
	ChatsClosed     int64 `json:"chats_closed"`
	AcceptsSent     int64 `json:"accepts_sent"`
	AcceptConflicts int64 `json:"accept_conflicts"` // another agent of the ring was first: expected
	OffersWithdrawn int64 `json:"offers_withdrawn"` // taken before this agent clicked

	CustomerMessages MessageCounts `json:"customer_messages"`
	AgentMessages    MessageCounts `json:"agent_messages"`

	ChatsPerSecond                  float64 `json:"chats_per_second"`
	CustomerMessagesPerSecond       float64 `json:"customer_messages_per_second"`
	SteadyCustomerMessagesPerSecond float64 `json:"steady_customer_messages_per_second"`
	AgentMessagesPerSecond          float64 `json:"agent_messages_per_second"`
	DeskFrames                      int64   `json:"desk_frames"`   // frames all agent sockets received
	WidgetFrames                    int64   `json:"widget_frames"` // frames all customer sockets received

	// After the grace the bench listened this long for acknowledged
	// messages still missing (both channels); StillMissing were then lost.
	ListenedAfterGrace float64 `json:"listened_after_grace_seconds"`
	StillMissing       int64   `json:"still_missing"`

	WhatsApp *WhatsAppResult `json:"whatsapp,omitempty"`
}

// WhatsAppResult is what chat-steady measured of its WhatsApp customers:
// they write by signed webhooks, and the agents' answers reach them when
// the server's outbox sends them to the bench's fake Graph API.
type WhatsAppResult struct {
	CustomerToAgent     Latency `json:"customer_to_agent"`         // webhook POST sent → message event on an agent's socket
	ConversationToOffer Latency `json:"new_conversation_to_offer"` // first webhook POST sent → first offer
	AgentToGraph        Latency `json:"agent_to_graph_api"`        // agent's POST sent → the fake Graph API receives it

	ConversationsStarted  int64 `json:"conversations_started"`  // first message answered 200
	ConversationsAssigned int64 `json:"conversations_assigned"` // accepted by an agent
	ConversationsClosed   int64 `json:"conversations_closed"`   // closed by the agent once every answer arrived

	CustomerMessages MessageCounts `json:"customer_messages"`
	AgentMessages    MessageCounts `json:"agent_messages"` // duplicated: the Graph API got one again after answering it

	WebhooksPosted   int64 `json:"message_webhooks_posted"`
	WebhooksRefused  int64 `json:"message_webhooks_refused"` // answered other than 2xx (also in errors)
	GraphSends       int64 `json:"graph_sends_received"`
	GraphRetries     int64 `json:"graph_retries"` // sent again after an answer the server did not get: not duplicates
	StatusesPosted   int64 `json:"status_webhooks_posted"`
	StatusesAnswered int64 `json:"status_webhooks_answered"` // 2xx
	StatusesRefused  int64 `json:"status_webhooks_refused"`  // also in errors

	ConversationsPerSecond          float64 `json:"conversations_per_second"`
	CustomerMessagesPerSecond       float64 `json:"customer_messages_per_second"`
	SteadyCustomerMessagesPerSecond float64 `json:"steady_customer_messages_per_second"`
	AgentMessagesPerSecond          float64 `json:"agent_messages_per_second"`
}

// MessageCounts follow the messages of one direction.
type MessageCounts struct {
	Sent       int64 `json:"sent"`
	Acked      int64 `json:"acknowledged"`
	Received   int64 `json:"received"`   // within the grace
	Late       int64 `json:"late"`       // received only after the grace, while the bench listened on
	Lost       int64 `json:"lost"`       // acknowledged, never received
	Duplicates int64 `json:"duplicates"` // received more than once
	Unacked    int64 `json:"unacknowledged"`
	// LateLatency is send → arrival of the late ones.
	LateLatency *Latency `json:"late_latency,omitempty"`
}

// SocketResult is what ws-scale measured.
type SocketResult struct {
	Sockets        int     `json:"sockets"`
	Opened         int     `json:"opened"`
	Dial           Latency `json:"dial"`
	RSSBefore      int64   `json:"rss_before_bytes"`
	RSSAfter       int64   `json:"rss_after_bytes"`
	BytesPerSocket float64 `json:"rss_bytes_per_socket"`
	HeapBefore     int64   `json:"heap_before_bytes"`
	HeapAfter      int64   `json:"heap_after_bytes"`
	StackBefore    int64   `json:"stack_before_bytes"`
	StackAfter     int64   `json:"stack_after_bytes"`
	HeapPerSocket  float64 `json:"heap_and_stack_bytes_per_socket"`
}

// ServerResult is the server's resource use during the measured window.
type ServerResult struct {
	Source       string   `json:"source"` // /proc of the child process, or /metrics
	CPUSeconds   float64  `json:"cpu_seconds"`
	CPUPercent   float64  `json:"cpu_percent"` // of one core
	PeakRSS      int64    `json:"peak_rss_bytes"`
	PeakRSSFrom  string   `json:"peak_rss_source"`
	RSSEnd       int64    `json:"rss_end_bytes"`
	HeapInuseEnd int64    `json:"heap_inuse_end_bytes"`
	LogWarnings  int      `json:"log_warnings"`
	LogErrors    int      `json:"log_errors"`
	LogAbandoned int      `json:"log_errors_abandoned"` // of the errors: requests the bench gave up at the end
	FirstErrors  []string `json:"first_log_errors,omitempty"`
}

// LoadResult tells what else used the machine during the window: the
// bench itself (the load generator shares the cores) and other processes.
type LoadResult struct {
	MachineBusySeconds float64 `json:"machine_busy_cpu_seconds"`
	MachineCPUSeconds  float64 `json:"machine_cpu_seconds"` // cores × window
	BenchCPUSeconds    float64 `json:"bench_cpu_seconds"`
	OtherCPUSeconds    float64 `json:"other_cpu_seconds"` // busy − bench − server: other processes (PostgreSQL's own included)
	LoadAvgStart       string  `json:"loadavg_start"`
	LoadAvgEnd         string  `json:"loadavg_end"`
}

// Machine describes where the bench ran.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpu_model"`
	MemoryMiB int64  `json:"memory_mib"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	Date      string `json:"date"`
}

// thisMachine reads nproc, the CPU model and the memory from /proc.
func thisMachine(now time.Time) Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH,
		Date: now.UTC().Format("2006-01-02 15:04 UTC")}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.MemoryMiB = statusKB(string(b), "MemTotal:") / 1024
	}
	return m
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// Results is the JSON file a bench writes: the machine, the command and
// every run.
type Results struct {
	Command string    `json:"command"`
	Machine Machine   `json:"machine"`
	Runs    []*Report `json:"runs"`
}

func writeJSON(path string, res *Results) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ---- the terminal table

// WriteText prints a report for the terminal.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "\n== %s on %s (%s)\n", r.Scenario, r.Database, r.Target)
	if r.DBNote != "" {
		fmt.Fprintf(w, "   %s\n", r.DBNote)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range r.rows() {
		fmt.Fprintf(tw, "   %s\t%s\n", row[0], row[1])
	}
	tw.Flush()
}

// rows are the report's lines as (label, value), shared by the terminal
// and the Markdown table.
func (r *Report) rows() [][2]string {
	var rows [][2]string
	add := func(label, format string, args ...any) {
		rows = append(rows, [2]string{label, fmt.Sprintf(format, args...)})
	}
	p := r.Params
	switch {
	case r.Chat != nil:
		load := fmt.Sprintf("%d agents (ring-all queues of %d), %g chats/s × %d messages over %s, accept within %s",
			p.Agents, p.QueueSize, p.ChatsPerSecond, p.MessagesPerChat, p.ChatLength, p.AcceptDelay)
		if p.WhatsAppAccounts > 0 {
			load += fmt.Sprintf("; %d of %d queues on WhatsApp (Meta webhooks, the bench's fake Graph API), the rest on the widget",
				p.WhatsAppAccounts, p.Queues)
		}
		add("load", "%s", load)
	case r.Sockets != nil:
		add("load", "%d idle agent desktop sockets", p.Agents)
	case r.Contacts != nil:
		add("load", "CSV import of %d rows into a new list (2 custom fields), then %d searches from %d clients (seed %d)",
			p.Rows, p.Searches, p.SearchClients, p.Seed)
	}
	add("set-up / measured", "%.0f s / %.0f s", r.SetupSeconds, r.RunSeconds)
	if c := r.Chat; c != nil {
		add("customer → agent", "%s", latencyCell(c.CustomerToAgent))
		add("new chat → offer", "%s", latencyCell(c.ChatToOffer))
		add("accept → assigned", "%s", latencyCell(c.AcceptToAssigned))
		add("agent → customer", "%s", latencyCell(c.AgentToCustomer))
		add("throughput", "%.1f chats/s; customer msgs %.1f/s (steady %.1f/s); agent msgs %.1f/s",
			c.ChatsPerSecond, c.CustomerMessagesPerSecond, c.SteadyCustomerMessagesPerSecond, c.AgentMessagesPerSecond)
		chats := fmt.Sprintf("%d started, %d assigned, %d ended by the customer", c.ChatsStarted, c.ChatsAssigned, c.ChatsClosed)
		if c.ChatsSkipped > 0 {
			chats += fmt.Sprintf("; %d not started, the server being %d s of new chats behind", c.ChatsSkipped, backlogSeconds)
		}
		add("chats", "%s", chats)
		add("accepts", "%d sent, %d conflicts (ring-all race, expected), %d offers withdrawn before the click",
			c.AcceptsSent, c.AcceptConflicts, c.OffersWithdrawn)
		add("customer messages", "%s", countsCell(c.CustomerMessages))
		add("agent messages", "%s", countsCell(c.AgentMessages))
		add("frames received", "%d on agent sockets, %d on customer sockets", c.DeskFrames, c.WidgetFrames)
		if wa := c.WhatsApp; wa != nil {
			wa.rows(add)
		}
		listened := "not needed: nothing was missing at the end of the grace"
		switch {
		case c.StillMissing > 0:
			listened = fmt.Sprintf("%.1f s, then stopped (--late-limit %s) with %d still missing: lost", c.ListenedAfterGrace,
				p.LateLimit, c.StillMissing)
		case c.lateMessages() > 0:
			listened = fmt.Sprintf("%.1f s, until every acknowledged message had arrived (%d late)", c.ListenedAfterGrace,
				c.lateMessages())
		}
		add("listened after the grace", "%s", listened)
		if chats := c.ChatsStarted + c.whatsappConversations(); chats > 0 {
			add("server CPU per chat", "%.1f ms (a chat: %d customer messages, as many answers, its offers and accept)",
				1000*r.Server.CPUSeconds/float64(chats), p.MessagesPerChat)
		}
	}
	if s := r.Sockets; s != nil {
		add("sockets", "%d of %d open; dial %s", s.Opened, s.Sockets, latencyCell(s.Dial))
		add("RSS", "%s before, %s after: %s per socket", mib(s.RSSBefore), mib(s.RSSAfter), kib(s.BytesPerSocket))
		add("Go heap + stacks", "%s before, %s after: %s per socket", mib(s.HeapBefore+s.StackBefore),
			mib(s.HeapAfter+s.StackAfter), kib(s.HeapPerSocket))
	}
	if r.Contacts != nil {
		r.Contacts.rows(add)
	}
	add("errors", "%s", errorsCell(r.Errors))
	sv := r.Server
	add("server CPU", "%.1f s (%.0f%% of a core) [%s]", sv.CPUSeconds, sv.CPUPercent, sv.Source)
	add("server memory", "peak RSS %s [%s], RSS at end %s, Go heap at end %s", mib(sv.PeakRSS), sv.PeakRSSFrom,
		mib(sv.RSSEnd), mib(sv.HeapInuseEnd))
	if sv.LogErrors+sv.LogWarnings > 0 {
		line := fmt.Sprintf("%d errors, %d warnings", sv.LogErrors, sv.LogWarnings)
		if sv.LogAbandoned > 0 {
			line = fmt.Sprintf("%d errors (%d of them requests the bench gave up when the run ended), %d warnings",
				sv.LogErrors, sv.LogAbandoned, sv.LogWarnings)
		}
		add("server log", "%s", line)
	}
	for _, e := range sv.FirstErrors {
		add("server error", "%s", e)
	}
	l := r.Load
	add("machine", "%.0f of %.0f CPU-seconds busy: server %.0f, bench client %.0f, other %.0f; load %s → %s",
		l.MachineBusySeconds, l.MachineCPUSeconds, sv.CPUSeconds, l.BenchCPUSeconds, l.OtherCPUSeconds,
		l.LoadAvgStart, l.LoadAvgEnd)
	return rows
}

func latencyCell(l Latency) string {
	if l.Count == 0 {
		return "no samples"
	}
	s := fmt.Sprintf("p50 %s, p95 %s, p99 %s, max %s ms (n=%d)", num(l.P50), num(l.P95), num(l.P99), num(l.Max), l.Count)
	if l.Target > 0 {
		verdict := "met"
		if l.P99 >= l.Target {
			verdict = "missed"
		}
		s += fmt.Sprintf("; goal p99 < %g ms %s", l.Target, verdict)
	}
	return s
}

func countsCell(c MessageCounts) string {
	s := fmt.Sprintf("%d sent, %d acknowledged, %d received, late %d, lost %d, duplicated %d, unacknowledged %d",
		c.Sent, c.Acked, c.Received, c.Late, c.Lost, c.Duplicates, c.Unacked)
	if l := c.LateLatency; l != nil && l.Count > 0 {
		s += fmt.Sprintf(" (the late ones arrived p50 %s, max %s ms after sending)", num(l.P50), num(l.Max))
	}
	return s
}

// lateMessages counts the late messages of both channels, both ways.
func (c *ChatResult) lateMessages() int64 {
	n := c.CustomerMessages.Late + c.AgentMessages.Late
	if wa := c.WhatsApp; wa != nil {
		n += wa.CustomerMessages.Late + wa.AgentMessages.Late
	}
	return n
}

func (c *ChatResult) whatsappConversations() int64 {
	if c.WhatsApp == nil {
		return 0
	}
	return c.WhatsApp.ConversationsStarted
}

// rows are the WhatsApp lines of a chat-steady report.
func (wa *WhatsAppResult) rows(add func(label, format string, args ...any)) {
	add("WhatsApp customer → agent", "%s", latencyCell(wa.CustomerToAgent))
	add("WhatsApp new conversation → offer", "%s", latencyCell(wa.ConversationToOffer))
	add("WhatsApp agent → Graph API", "%s", latencyCell(wa.AgentToGraph))
	add("WhatsApp throughput", "%.1f conversations/s; customer msgs %.1f/s (steady %.1f/s); agent msgs %.1f/s",
		wa.ConversationsPerSecond, wa.CustomerMessagesPerSecond, wa.SteadyCustomerMessagesPerSecond, wa.AgentMessagesPerSecond)
	add("WhatsApp conversations", "%d started, %d assigned, %d closed by the agent after the last answer",
		wa.ConversationsStarted, wa.ConversationsAssigned, wa.ConversationsClosed)
	add("WhatsApp customer messages", "%s", countsCell(wa.CustomerMessages))
	add("WhatsApp agent messages", "%s; Graph API got %d sends, %d of them the outbox's retries",
		countsCell(wa.AgentMessages), wa.GraphSends, wa.GraphRetries)
	add("WhatsApp webhooks", "%d messages posted (%d refused); %d status callbacks posted, %d answered 2xx, %d refused",
		wa.WebhooksPosted, wa.WebhooksRefused, wa.StatusesPosted, wa.StatusesAnswered, wa.StatusesRefused)
}

func errorsCell(m map[string]int64) string {
	if len(m) == 0 {
		return "none"
	}
	return errKinds(m)
}

// num prints a millisecond figure with sensible precision.
func num(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func mib(b int64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

func kib(b float64) string { return fmt.Sprintf("%.1f KiB", b/1024) }

// ---- docs/benchmarks.md

// The generated part of docs/benchmarks.md lies between these markers; the
// rest of the file (analysis, profiles) is written by hand and kept. Inside
// it, each scenario has its own block, so a run of one scenario replaces
// its table and keeps the others'.
const (
	markdownBegin = "<!-- bench:results:begin (written by switchboard bench --markdown; edit outside) -->"
	markdownEnd   = "<!-- bench:results:end -->"
	blockBegin    = "<!-- bench:scenario "
	blockEnd      = "<!-- bench:scenario:end -->"
)

// markdownBlocks renders one block per scenario of the results: the
// command, the date and the machine, then a table with a column per
// database.
func markdownBlocks(res *Results) (names []string, blocks map[string]string) {
	byScenario := map[string][]*Report{}
	for _, r := range res.Runs {
		if byScenario[r.Scenario] == nil {
			names = append(names, r.Scenario)
		}
		byScenario[r.Scenario] = append(byScenario[r.Scenario], r)
	}
	blocks = map[string]string{}
	for _, sc := range names {
		blocks[sc] = markdownBlock(res, sc, byScenario[sc])
	}
	return names, blocks
}

func markdownBlock(res *Results, scenario string, runs []*Report) string {
	var b strings.Builder
	m := res.Machine
	fmt.Fprintf(&b, "%s%s -->\n### %s\n\n", blockBegin, scenario, scenario)
	fmt.Fprintf(&b, "%s, produced by:\n\n```sh\n%s\n```\n\n", m.Date, res.Command)
	fmt.Fprintf(&b, "Machine: %d CPUs (`nproc`), %s, %d MiB RAM, %s, %s.\n\n", m.CPUs, m.CPUModel, m.MemoryMiB,
		m.GoVersion, m.OS)
	b.WriteString("|  |")
	for _, r := range runs {
		fmt.Fprintf(&b, " %s |", r.Database)
	}
	b.WriteString("\n| --- |")
	for range runs {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	// Rows by label, in the order they first appear: runs may differ
	// (one has server errors to show, say).
	var labels []string
	cells := make([]map[string]string, len(runs))
	for i, r := range runs {
		cells[i] = map[string]string{}
		for _, row := range r.rows() {
			if _, seen := cells[i][row[0]]; seen {
				cells[i][row[0]] += "<br>" + row[1]
				continue
			}
			if !slices.Contains(labels, row[0]) {
				labels = append(labels, row[0])
			}
			cells[i][row[0]] = row[1]
		}
	}
	for _, label := range labels {
		fmt.Fprintf(&b, "| %s |", label)
		for i := range runs {
			fmt.Fprintf(&b, " %s |", strings.ReplaceAll(cells[i][label], "|", "\\|"))
		}
		b.WriteString("\n")
	}
	for _, r := range runs {
		if r.DBNote != "" {
			fmt.Fprintf(&b, "\n%s: %s\n", r.Database, r.DBNote)
		}
	}
	b.WriteString(blockEnd + "\n")
	return b.String()
}

// existingBlocks reads the scenario blocks of a results section, in order.
func existingBlocks(section string) (names []string, blocks map[string]string) {
	blocks = map[string]string{}
	for {
		i := strings.Index(section, blockBegin)
		if i < 0 {
			return names, blocks
		}
		j := strings.Index(section[i:], blockEnd)
		if j < 0 {
			return names, blocks
		}
		block := section[i : i+j+len(blockEnd)]
		name, _, _ := strings.Cut(strings.TrimPrefix(block, blockBegin), " ")
		names = append(names, name)
		blocks[name] = block + "\n"
		section = section[i+j+len(blockEnd):]
	}
}

// updateMarkdown writes the results into a Markdown file's generated
// section (appending one when there is none): the scenarios that ran
// replace their blocks, the others' stay.
func updateMarkdown(path string, res *Results) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(old)
	i, j := strings.Index(text, markdownBegin), strings.Index(text, markdownEnd)
	names, blocks := []string(nil), map[string]string{}
	if i >= 0 && j > i {
		names, blocks = existingBlocks(text[i:j])
	}
	newNames, newBlocks := markdownBlocks(res)
	for _, n := range newNames {
		if _, had := blocks[n]; !had {
			names = append(names, n)
		}
		blocks[n] = newBlocks[n]
	}
	var b strings.Builder
	b.WriteString(markdownBegin + "\n")
	for k, n := range names {
		if k > 0 {
			b.WriteString("\n")
		}
		b.WriteString(blocks[n])
	}
	b.WriteString(markdownEnd)
	switch {
	case i >= 0 && j > i:
		text = text[:i] + b.String() + text[j+len(markdownEnd):]
	case text == "":
		text = "# Benchmarks\n\n" + b.String() + "\n"
	default:
		text = strings.TrimRight(text, "\n") + "\n\n" + b.String() + "\n"
	}
	return os.WriteFile(path, []byte(text), 0o644)
}
