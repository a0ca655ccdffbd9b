package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/outbox"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

// desk is a WhatsApp interaction an agent owns, on a real database.
type desk struct {
	db    *store.DB
	clk   *clock.Fake
	agent int64
	queue int64
	it    int64
}

func newDesk(t *testing.T, d store.Dialect) *desk {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(t0)
	db := storetest.Open(t, d, clk)
	a := &staff.Agent{Principal: auth.Principal{Kind: auth.KindAgent, Username: "mario", FullName: "Mario"}}
	staff.DefaultAgentSettings(a)
	agent, err := db.CreateAgent(ctx, a, 0)
	if err != nil {
		t.Fatal(err)
	}
	q, err := db.CreateQueue(ctx, &staff.Queue{Name: "WhatsApp", Channel: staff.WhatsApp}, 0)
	if err != nil {
		t.Fatal(err)
	}
	it, err := db.CreateInteraction(ctx, "whatsapp", store.NewInteraction{QueueID: q.ID, Subject: "Order",
		ContactKey: "+393331234567"}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	owner := agent.ID
	if err := db.SaveRouting(ctx, store.RoutingBatch{
		Changes: []store.InteractionChange{{ID: it.ID, Status: "open", Owner: &owner}}}); err != nil {
		t.Fatal(err)
	}
	return &desk{db: db, clk: clk, agent: agent.ID, queue: q.ID, it: it.ID}
}

// otherConversation opens a second WhatsApp interaction the same agent
// owns, with another customer.
func (d *desk) otherConversation(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	it, err := d.db.CreateInteraction(ctx, "whatsapp", store.NewInteraction{QueueID: d.queue, Subject: "Refund",
		ContactKey: "+393331234567"}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	owner := d.agent
	if err := d.db.SaveRouting(ctx, store.RoutingBatch{
		Changes: []store.InteractionChange{{ID: it.ID, Status: "open", Owner: &owner}}}); err != nil {
		t.Fatal(err)
	}
	return it.ID
}

// send stores an agent's message with its outbox row, as the API does.
func (d *desk) send(t *testing.T, body string) *store.Message {
	t.Helper()
	m, err := d.db.SendQueued(context.Background(), d.it, d.agent, body, nil, outbox.Entry{Channel: "whatsapp"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Delivery != "pending" {
		t.Fatalf("a queued message is %q, want pending", m.Delivery)
	}
	return m
}

func (d *desk) message(t *testing.T, id int64) *store.Message {
	t.Helper()
	ms, err := d.db.Messages(context.Background(), d.it, id-1, 1)
	if err != nil || len(ms) != 1 {
		t.Fatalf("message %d: %v %v", id, ms, err)
	}
	return ms[0]
}

// provider is a scripted sender: it answers each try of a message with
// the next scripted error (nil once they run out) and counts the sends
// it accepted.
type provider struct {
	mu       sync.Mutex
	script   map[string][]error // by body
	tries    map[int64]int
	accepted map[int64]int
	order    []int64 // the messages accepted, in the order they were
}

func newProvider() *provider {
	return &provider{script: map[string][]error{}, tries: map[int64]int{}, accepted: map[int64]int{}}
}

func (p *provider) Send(_ context.Context, j outbox.Job) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tries[j.MessageID]++
	if s := p.script[j.Body]; len(s) > 0 {
		p.script[j.Body] = s[1:]
		return "", s[0]
	}
	if j.To != "+393331234567" {
		return "", &outbox.Rejected{Reason: "wrong number " + j.To}
	}
	p.accepted[j.MessageID]++
	p.order = append(p.order, j.MessageID)
	return fmt.Sprintf("wamid.%d", j.MessageID), nil
}

func (p *provider) counts(id int64) (tries, accepted int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tries[id], p.accepted[id]
}

// sentOrder is the messages the provider accepted, in order.
func (p *provider) sentOrder() []int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.order)
}

func startWorker(t *testing.T, d *desk, p *provider, opts outbox.Options) *outbox.Worker {
	t.Helper()
	w := outbox.NewWorker(d.db, map[string]outbox.Sender{"whatsapp": p}, d.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), opts)
	w.Start()
	t.Cleanup(w.Stop)
	return w
}

// eventually waits for the worker's goroutine to reach a state (the
// clock does not move while it waits).
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// sleepsUntil waits for the worker to be idle with its timer set at at.
func sleepsUntil(t *testing.T, w *outbox.Worker, at time.Time) {
	t.Helper()
	eventually(t, "the worker to sleep until "+at.Format(time.TimeOnly), func() bool {
		got, ok := w.WakesAt()
		return ok && got.Equal(at)
	})
}

func TestFailingSendsAreRetriedWithBackoffAndSentOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, dialect store.Dialect) {
		d := newDesk(t, dialect)
		p := newProvider()
		p.script["Your order left today"] = []error{errors.New("provider: 500"), errors.New("provider: 503"), context.DeadlineExceeded}
		w := startWorker(t, d, p, outbox.Options{FirstRetry: 5 * time.Second, MaxRetryWait: time.Minute})
		m := d.send(t, "Your order left today")
		w.Wake()

		// 5 s, 10 s, 20 s: the waits double.
		at := t0
		for i, wait := range []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second} {
			at = at.Add(wait)
			sleepsUntil(t, w, at)
			if tries, _ := p.counts(m.ID); tries != i+1 {
				t.Fatalf("before retry %d: %d tries", i+1, tries)
			}
			if got := d.message(t, m.ID); got.Delivery != "pending" {
				t.Fatalf("while retrying the message is %q", got.Delivery)
			}
			d.clk.Advance(wait)
		}
		eventually(t, "the send", func() bool { _, ok := p.counts(m.ID); return ok == 1 })
		eventually(t, "the message to be sent", func() bool { return d.message(t, m.ID).Delivery == "sent" })
		e, err := d.db.OutboxOf(context.Background(), m.ID)
		if err != nil || e.State != "sent" || e.Attempts != 4 || e.ProviderMessageID != fmt.Sprintf("wamid.%d", m.ID) {
			t.Fatalf("outbox row %+v, %v", e, err)
		}
		// Nothing more goes out, however long we wait.
		d.clk.Advance(time.Hour)
		if tries, accepted := p.counts(m.ID); tries != 4 || accepted != 1 {
			t.Fatalf("tries %d, accepted %d", tries, accepted)
		}
	})
}

func TestAMessageWaitingForItsRetryHoldsBackTheLaterOnesOfItsConversation(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, dialect store.Dialect) {
		d := newDesk(t, dialect)
		other := d.otherConversation(t)
		p := newProvider()
		p.script["Your order left today"] = []error{errors.New("provider: 503")}
		w := startWorker(t, d, p, outbox.Options{FirstRetry: 5 * time.Second, Idle: time.Hour})
		first := d.send(t, "Your order left today")
		second := d.send(t, "It arrives on Monday")
		elsewhere, err := d.db.SendQueued(context.Background(), other, d.agent, "Hello Anna", nil, outbox.Entry{Channel: "whatsapp"})
		if err != nil {
			t.Fatal(err)
		}
		w.Wake()

		// The first failed and waits 5 s; the second waits with it, the
		// other conversation's message is not held.
		sleepsUntil(t, w, t0.Add(5*time.Second))
		if tries, _ := p.counts(second.ID); tries != 0 {
			t.Fatal("a later message overtook one waiting for its retry")
		}
		if _, a := p.counts(elsewhere.ID); a != 1 {
			t.Fatal("another conversation's message was held back")
		}
		d.clk.Advance(5 * time.Second)
		eventually(t, "both sent", func() bool { _, a := p.counts(second.ID); return a == 1 })
		if got, want := p.sentOrder(), []int64{elsewhere.ID, first.ID, second.ID}; !slices.Equal(got, want) {
			t.Fatalf("sent in the order %v, want %v", got, want)
		}

		// A message that fails for good does not hold the later ones.
		p.script["Sorry"] = []error{&outbox.Rejected{Reason: "(#131026) Message undeliverable"}}
		third, fourth := d.send(t, "Sorry"), d.send(t, "Call us")
		w.Wake()
		eventually(t, "the later message", func() bool { _, a := p.counts(fourth.ID); return a == 1 })
		if got := d.message(t, third.ID); got.Delivery != "failed" {
			t.Fatalf("the refused message is %q", got.Delivery)
		}
	})
}

func TestARefusedSendFailsAtOnceWithTheProvidersWords(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, dialect store.Dialect) {
		d := newDesk(t, dialect)
		p := newProvider()
		p.script["Hi"] = []error{&outbox.Rejected{Reason: "(#131026) Message undeliverable"}}
		w := startWorker(t, d, p, outbox.Options{})
		m := d.send(t, "Hi")
		w.Wake()
		eventually(t, "the failure", func() bool { return d.message(t, m.ID).Delivery == "failed" })
		got := d.message(t, m.ID)
		if got.DeliveryError != "(#131026) Message undeliverable" {
			t.Fatalf("delivery error %q", got.DeliveryError)
		}
		d.clk.Advance(time.Hour)
		if tries, _ := p.counts(m.ID); tries != 1 {
			t.Fatalf("a refused message was tried %d times", tries)
		}
		// The desks hear it with the reason.
		evs, err := d.db.Events(context.Background(), eventlog.Filter{Types: []eventlog.Type{eventlog.MessageDelivery}})
		if err != nil || len(evs) != 1 {
			t.Fatalf("delivery events %v, %v", evs, err)
		}
		var data map[string]any
		if err := json.Unmarshal(evs[0].Data, &data); err != nil || data["delivery"] != "failed" ||
			data["delivery_error"] != "(#131026) Message undeliverable" || data["message_id"] != float64(m.ID) {
			t.Fatalf("delivery event %s, %v", evs[0].Data, err)
		}
	})
}

func TestEveryTryFailingGivesUpAfterMaxAttempts(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, dialect store.Dialect) {
		d := newDesk(t, dialect)
		p := newProvider()
		p.script["Hi"] = []error{errors.New("500 one"), errors.New("500 two"), errors.New("500 three")}
		w := startWorker(t, d, p, outbox.Options{FirstRetry: time.Second, MaxAttempts: 3})
		m := d.send(t, "Hi")
		w.Wake()
		sleepsUntil(t, w, t0.Add(time.Second))
		d.clk.Advance(time.Second)
		sleepsUntil(t, w, t0.Add(3*time.Second))
		d.clk.Advance(2 * time.Second)
		eventually(t, "giving up", func() bool { return d.message(t, m.ID).Delivery == "failed" })
		if got := d.message(t, m.ID); got.DeliveryError != "500 three" {
			t.Fatalf("delivery error %q", got.DeliveryError)
		}
		if tries, accepted := p.counts(m.ID); tries != 3 || accepted != 0 {
			t.Fatalf("tries %d accepted %d", tries, accepted)
		}
	})
}

func TestARestartSendsWhatWasLeftExactlyOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, dialect store.Dialect) {
		ctx := context.Background()
		d := newDesk(t, dialect)
		first, second, third := d.send(t, "one"), d.send(t, "two"), d.send(t, "three")
		// A worker claimed "one" and died before the provider answered.
		claimed, err := d.db.ClaimOutbox(ctx, 2*time.Minute, 1)
		if err != nil || len(claimed) != 1 || claimed[0].MessageID != first.ID || claimed[0].To != "+393331234567" {
			t.Fatalf("claim %+v, %v", claimed, err)
		}
		if got := d.message(t, first.ID); got.Delivery != "pending" {
			t.Fatalf("a message being sent is %q", got.Delivery)
		}

		// The new process sends "one" once its lease has run out, and
		// only then the two written after it: the customer reads them in
		// order.
		p := newProvider()
		w := startWorker(t, d, p, outbox.Options{Idle: time.Hour})
		sleepsUntil(t, w, t0.Add(2*time.Minute))
		for _, m := range []*store.Message{first, second, third} {
			if tries, _ := p.counts(m.ID); tries != 0 {
				t.Fatalf("%q was sent while the message before it was leased", m.Body)
			}
		}
		d.clk.Advance(2 * time.Minute)
		eventually(t, "every message", func() bool {
			_, a := p.counts(first.ID)
			_, b := p.counts(second.ID)
			_, c := p.counts(third.ID)
			return a == 1 && b == 1 && c == 1
		})
		eventually(t, "all recorded", func() bool { return d.message(t, third.ID).Delivery == "sent" })
		if got := p.sentOrder(); !slices.Equal(got, []int64{first.ID, second.ID, third.ID}) {
			t.Fatalf("sent in the order %v, want %v", got, []int64{first.ID, second.ID, third.ID})
		}

		// Another restart sends nothing again.
		w.Stop()
		p2 := newProvider()
		w2 := startWorker(t, d, p2, outbox.Options{Idle: time.Hour})
		sleepsUntil(t, w2, d.clk.Now().Add(time.Hour)) // idle: nothing due
		for _, m := range []*store.Message{first, second, third} {
			if tries, _ := p2.counts(m.ID); tries != 0 {
				t.Fatalf("message %q sent again after a restart", m.Body)
			}
			if _, accepted := p.counts(m.ID); accepted != 1 {
				t.Fatalf("message %q accepted %d times", m.Body, accepted)
			}
		}
	})
}

func TestTwoWorkersOnOneDatabaseSendEachMessageOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, dialect store.Dialect) {
		d := newDesk(t, dialect)
		var ms []*store.Message
		for i := range 20 {
			ms = append(ms, d.send(t, fmt.Sprintf("message %d", i)))
		}
		p := newProvider()
		w1 := startWorker(t, d, p, outbox.Options{Batch: 3})
		w2 := startWorker(t, d, p, outbox.Options{Batch: 3})
		w1.Wake()
		w2.Wake()
		eventually(t, "every message", func() bool {
			for _, m := range ms {
				if _, a := p.counts(m.ID); a != 1 {
					return false
				}
			}
			return true
		})
		for _, m := range ms {
			if tries, _ := p.counts(m.ID); tries != 1 {
				t.Fatalf("%q tried %d times", m.Body, tries)
			}
		}
	})
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: 5 * time.Second, 2: 10 * time.Second, 4: 40 * time.Second, 9: time.Minute} {
		if got := outbox.Backoff(attempt, 5*time.Second, time.Minute); got != want {
			t.Errorf("attempt %d: %v, want %v", attempt, got, want)
		}
	}
}
