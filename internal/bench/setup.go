package bench

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// benchOrigin is the pseudo-origin of the bench's customers: the website
// it creates allows it, as a real site allows its own pages.
const benchOrigin = "https://customers.bench.example"

// The bench's agents sign in with these; a server whose security suite is
// on makes them change the first for the second, as a new agent would.
const (
	agentFirstPassword = "Bench-First-1"
	agentPassword      = "Bench-Agent-2"
)

// website is a chat website of the bench, on its own ring-all queue.
type website struct {
	ID      int64
	Key     string
	QueueID int64
}

// benchAgent is an agent account the bench created and signed in.
type benchAgent struct {
	ID       int64
	Username string
	Queue    int64
	s        *session
}

// entryPoint is where the bench's customers come in: a queue's chat
// website, or its WhatsApp account.
type entryPoint struct {
	website  *website
	whatsapp *waAccount
}

func (e entryPoint) queueID() int64 {
	if e.whatsapp != nil {
		return e.whatsapp.QueueID
	}
	return e.website.QueueID
}

// site is what set-up made: queues with their websites or WhatsApp
// accounts (one entry point each, in queue order), and agents signed in
// and logged into routing.
type site struct {
	admin   *session
	entries []entryPoint
	agents  []*benchAgent
}

// whatsappAccounts counts the entry points on WhatsApp.
func (st *site) whatsappAccounts() int {
	n := 0
	for _, e := range st.entries {
		if e.whatsapp != nil {
			n++
		}
	}
	return n
}

// setupPlan says what to create.
type setupPlan struct {
	prefix      string // makes usernames and names unique per run
	agents      int
	queueSize   int  // agents per ring-all queue
	ownServer   bool // the bench started the server: it may change its settings
	concurrency int
	progress    io.Writer
	// whatsappShare is the share of the queues that serve WhatsApp (a
	// Meta account whose API is graph, the bench's fake Graph API) instead
	// of a chat website.
	whatsappShare float64
	graph         *fakeGraph
}

// isWhatsAppQueue spreads a share of the queues evenly over WhatsApp:
// queue i is WhatsApp when the running count of share×queues steps up at
// it (0.2: the 5th, 10th, … queue).
func isWhatsAppQueue(i int, share float64) bool {
	return int(float64(i+1)*share+1e-9) > int(float64(i)*share+1e-9)
}

// setUp creates the scenario's queues, websites and agents through the
// public API as an admin would, then signs every agent in and logs him into
// routing, as his desktop does.
func setUp(ctx context.Context, base string, admin *session, p setupPlan) (*site, error) {
	st := &site{admin: admin}
	if p.ownServer {
		// The bench's own throwaway site: new agents need no forced first
		// password change (three argon2 hashes less per agent), which
		// touches nothing the run measures.
		var sec map[string]any
		if err := admin.call(ctx, "GET", "/api/v1/settings/security", nil, &sec); err != nil {
			return nil, fmt.Errorf("read security settings: %w", err)
		}
		sec["enabled"] = false
		if err := admin.call(ctx, "PUT", "/api/v1/settings/security", sec, nil); err != nil {
			return nil, fmt.Errorf("security settings: %w", err)
		}
	}
	queues := (p.agents + p.queueSize - 1) / p.queueSize
	for i := range queues {
		channel := "chat"
		if p.graph != nil && isWhatsAppQueue(i, p.whatsappShare) {
			channel = "whatsapp"
		}
		var q struct {
			ID int64 `json:"id"`
		}
		if err := admin.call(ctx, "POST", "/api/v1/queues", map[string]any{
			"name": fmt.Sprintf("%s %s %d", p.prefix, channel, i+1), "channel": channel, "strategy": "ring_all", "agent_timeout": 60,
		}, &q); err != nil {
			return nil, fmt.Errorf("create queue: %w", err)
		}
		if channel == "whatsapp" {
			a, err := createWhatsAppAccount(ctx, admin, p.prefix, i, q.ID, p.graph)
			if err != nil {
				return nil, err
			}
			st.entries = append(st.entries, entryPoint{whatsapp: a})
			continue
		}
		var w struct {
			ID  int64  `json:"id"`
			Key string `json:"widget_key"`
		}
		if err := admin.call(ctx, "POST", "/api/v1/websites", map[string]any{
			"name": fmt.Sprintf("%s site %d", p.prefix, i+1), "queue_id": q.ID, "allowed_origins": []string{benchOrigin},
		}, &w); err != nil {
			return nil, fmt.Errorf("create website: %w", err)
		}
		st.entries = append(st.entries, entryPoint{website: &website{ID: w.ID, Key: w.Key, QueueID: q.ID}})
	}
	st.agents = make([]*benchAgent, p.agents)
	var done atomic.Int64
	stopProgress := reportProgress(p.progress, "agents created and signed in", &done, int64(p.agents))
	defer stopProgress()
	err := parallel(ctx, p.agents, p.concurrency, func(ctx context.Context, i int) error {
		a, err := createAgent(ctx, base, admin, p.prefix, i, st.entries[i/p.queueSize].queueID())
		if err != nil {
			return err
		}
		st.agents[i] = a
		done.Add(1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// createAgent creates one agent in a queue, signs him in (changing the
// first password when the server asks) and logs him into routing with his
// personal profile.
func createAgent(ctx context.Context, base string, admin *session, prefix string, i int, queueID int64) (*benchAgent, error) {
	username := prefix + ".a" + strconv.Itoa(i+1)
	var a struct {
		ID int64 `json:"id"`
	}
	if err := admin.call(ctx, "POST", "/api/v1/agents", map[string]any{
		"username": username, "full_name": fmt.Sprintf("Agent%d Bench", i+1), "password": agentFirstPassword,
		"queue_ids": []int64{queueID},
	}, &a); err != nil {
		return nil, fmt.Errorf("create agent %s: %w", username, err)
	}
	s, err := signIn(ctx, admin.hc, base, username, agentFirstPassword, agentPassword)
	if err != nil {
		return nil, err
	}
	if err := s.call(ctx, "POST", "/api/v1/me/login", map[string]any{"profile_id": nil}, nil); err != nil {
		return nil, fmt.Errorf("routing login of %s: %w", username, err)
	}
	return &benchAgent{ID: a.ID, Username: username, Queue: queueID, s: s}, nil
}

// parallel runs fn for 0..n-1 with at most limit at once; the first error
// stops it.
func parallel(ctx context.Context, n, limit int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	next := make(chan int)
	for range max(1, min(limit, n)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return first
}

// reportProgress prints done/total every few seconds until stopped.
func reportProgress(w io.Writer, what string, done *atomic.Int64, total int64) (stop func()) {
	if w == nil {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				fmt.Fprintf(w, "  %d/%d %s\n", done.Load(), total, what)
			}
		}
	}()
	return func() { close(quit); <-finished }
}
