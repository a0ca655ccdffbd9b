package acd

import (
	"context"
	"errors"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func TestAStartedConversationIsTheAgentsAtOnceAndSurvivesACrash(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := newTestSite(t, d, 2, Options{})
		s.loginAll(t)
		me := s.agents[0]
		it, err := s.engine.StartOutbound(ctx, me, store.NewInteraction{QueueID: s.queue.ID, ContactKey: "+393470001111"}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if it.Status != "open" || it.OwnerID == nil || *it.OwnerID != me || it.FirstAgentID == nil || *it.QueueID != s.queue.ID {
			t.Fatalf("started interaction %+v, want open, his, in the queue", it)
		}
		if load := s.engine.Agent(me).Load["chat"]; load.Owned != 1 {
			t.Fatalf("load %+v, want it counted", load)
		}
		if offers := s.engine.Agent(s.agents[1]).Offers; len(offers) != 0 {
			t.Fatalf("the other agent was offered %+v", offers)
		}
		want := s.state(t)
		s.crash()
		s.start(t)
		if got := s.state(t); got != want {
			t.Fatalf("the state after the restart differs:\n%s\n%s", got, want)
		}
		if err := s.engine.Close(ctx, it.ID, me); err != nil {
			t.Fatalf("its owner closes it after the restart: %v", err)
		}
	})
}

func TestARefusedStartStoresNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := newTestSite(t, d, 2, Options{})
		if _, err := s.engine.Login(ctx, s.agents[0], nil); err != nil {
			t.Fatal(err)
		}
		before, logBefore := s.state(t), len(s.routerLog(t).Commands)
		busy := apperr.New(apperr.Conflict, "whatsapp.busy_with_agent", "Agent 1")
		failing := errors.New("disk full")
		for name, tc := range map[string]struct {
			agent int64
			check store.TxFunc
			after func(int64) store.TxFunc
			want  func(error) bool
		}{
			"the check refuses": {s.agents[0], func(context.Context, *store.Tx) error { return busy },
				nil, func(err error) bool { return errors.Is(err, busy) }},
			"the agent is not logged in": {s.agents[1], nil, nil,
				func(err error) bool { return apperr.Is(err, apperr.Conflict) }},
			"the first message cannot be stored": {s.agents[0], nil,
				func(int64) store.TxFunc { return func(context.Context, *store.Tx) error { return failing } },
				func(err error) bool { return err != nil }},
		} {
			_, err := s.engine.StartOutbound(ctx, tc.agent, store.NewInteraction{QueueID: s.queue.ID}, tc.check, tc.after)
			if !tc.want(err) {
				t.Fatalf("%s: error %v", name, err)
			}
			open, err := s.db.OpenInteractions(ctx)
			if err != nil || len(open) != 0 {
				t.Fatalf("%s: interactions stored %v (%v)", name, open, err)
			}
			if got := s.state(t); got != before {
				t.Fatalf("%s: routing changed:\n%s\n%s", name, got, before)
			}
			if n := len(s.routerLog(t).Commands); n != logBefore {
				t.Fatalf("%s: %d commands logged, want %d", name, n, logBefore)
			}
		}
		// After the refusals the engine carries on.
		if _, err := s.engine.StartOutbound(ctx, s.agents[0], store.NewInteraction{QueueID: s.queue.ID}, nil, nil); err != nil {
			t.Fatal(err)
		}
	})
}
