package acd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/routing"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// testSite is a routing engine on a real, migrated database with one chat
// queue (30 s offers) and its agents (chat capacity 1 each, members of the
// queue).
type testSite struct {
	db     *store.DB
	clk    *clock.Fake
	log    *slog.Logger
	opts   Options
	engine *Engine
	queue  *staff.Queue
	agents []int64
}

func newTestSite(tb testing.TB, d store.Dialect, agents int, opts Options) *testSite {
	tb.Helper()
	// Random: a replay must also give the random source back.
	return newTestSiteWith(tb, d, staff.Random, agents, opts)
}

func newTestSiteWith(tb testing.TB, d store.Dialect, strategy staff.Strategy, agents int, opts Options) *testSite {
	tb.Helper()
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	s := &testSite{db: storetest.Open(tb, d, clk), clk: clk, log: slog.New(slog.NewTextHandler(io.Discard, nil)), opts: opts}
	q, err := s.db.CreateQueue(ctx, &staff.Queue{Name: "Support", Channel: staff.Chat, AgentTimeout: 30,
		Strategy: strategy}, 0)
	if err != nil {
		tb.Fatal(err)
	}
	s.queue = q
	for i := range agents {
		a := &staff.Agent{Principal: auth.Principal{Kind: auth.KindAgent, Username: fmt.Sprintf("agent%d", i),
			FullName: fmt.Sprintf("Agent %d", i)}}
		staff.DefaultAgentSettings(a)
		a.Channels[staff.Chat] = staff.ChannelSettings{Capacity: 1}
		created, err := s.db.CreateAgent(ctx, a, 0)
		if err != nil {
			tb.Fatal(err)
		}
		if err := s.db.SetQueueMember(ctx, q.ID, created.ID, true, 0, 0); err != nil {
			tb.Fatal(err)
		}
		s.agents = append(s.agents, created.ID)
	}
	s.start(tb)
	return s
}

// start builds an engine from what the database holds, as at a start.
func (s *testSite) start(tb testing.TB) *Engine {
	tb.Helper()
	e, err := New(context.Background(), s.db, s.clk, s.log, s.opts)
	if err != nil {
		tb.Fatal(err)
	}
	s.engine = e
	return e
}

// loginAll logs every agent in with his personal profile.
func (s *testSite) loginAll(tb testing.TB) {
	tb.Helper()
	for _, a := range s.agents {
		if _, err := s.engine.Login(context.Background(), a, nil); err != nil {
			tb.Fatal(err)
		}
	}
}

// create puts a new chat in the queue.
func (s *testSite) create(tb testing.TB) int64 {
	tb.Helper()
	it, err := s.engine.Create(context.Background(), s.queue.ID, "help", 0)
	if err != nil {
		tb.Fatal(err)
	}
	return it.ID
}

// acceptOffer has the agent accept his one pending offer.
func (s *testSite) acceptOffer(tb testing.TB, agent int64) int64 {
	tb.Helper()
	offers := s.engine.Agent(agent).Offers
	if len(offers) != 1 {
		tb.Fatalf("agent %d has offers %+v, want one", agent, offers)
	}
	if err := s.engine.Accept(context.Background(), offers[0].Interaction, agent); err != nil {
		tb.Fatal(err)
	}
	return offers[0].Interaction
}

// crash drops the engine as a dying process would: no snapshot at stop.
// Its timer is disarmed and a snapshot write in flight is waited for, so
// that the old engine cannot write after the new one starts.
func (s *testSite) crash() {
	e := s.engine
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
	e.writes.Wait()
}

// state is the engine's routing state as JSON, to compare states.
func (s *testSite) state(tb testing.TB) string {
	tb.Helper()
	s.engine.mu.Lock()
	defer s.engine.mu.Unlock()
	return stateJSON(tb, s.engine.state)
}

func stateJSON(tb testing.TB, st *routing.State) string {
	tb.Helper()
	data, err := json.Marshal(st.Snapshot())
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// routerLog is what the database holds for the router.
func (s *testSite) routerLog(tb testing.TB) *store.RouterLog {
	tb.Helper()
	l, err := s.db.RouterLog(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// replayed is the state the log gives back, before any reconciliation:
// the last snapshot and the commands logged after it.
func (s *testSite) replayed(tb testing.TB) string {
	tb.Helper()
	e := &Engine{db: s.db, clock: s.clk, log: s.log, opts: s.opts, state: routing.New(s.clk, rand.NewPCG(7, 7))}
	if err := e.replayLog(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return stateJSON(tb, e.state)
}
