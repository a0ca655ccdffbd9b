package acd

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// someDecisions makes a mix of decisions on a site of 3 agents: logins,
// chats offered (at random), accepted, rejected, one ringing out, one
// closed. It returns the chats the agents own.
func someDecisions(t *testing.T, s *testSite) map[int64]int64 {
	t.Helper()
	ctx := context.Background()
	s.loginAll(t)
	for range 5 {
		s.clk.Advance(2 * time.Second)
		s.create(t)
	}
	owned := map[int64]int64{}
	owned[s.agents[0]] = s.acceptOffer(t, s.agents[0])
	offers := s.engine.Agent(s.agents[1]).Offers
	if err := s.engine.Reject(ctx, offers[0].Interaction, s.agents[1]); err != nil {
		t.Fatal(err)
	}
	s.clk.Advance(31 * time.Second) // offers ring out (the timer's Tick), new ones are made
	owned[s.agents[1]] = s.acceptOffer(t, s.agents[1])
	if err := s.engine.Close(ctx, owned[s.agents[0]], s.agents[0]); err != nil {
		t.Fatal(err)
	}
	delete(owned, s.agents[0])
	return owned
}

func TestARestartAfterACrashReplaysTheDecisionsLoggedSinceTheSnapshot(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		s := newTestSite(t, d, 3, Options{})
		atStart := s.routerLog(t)
		if atStart.Snapshot == nil {
			t.Fatal("a start writes a snapshot before it logs anything")
		}
		owned := someDecisions(t, s)
		want := s.state(t)
		s.crash()

		l := s.routerLog(t)
		if l.Through != atStart.Through || int64(len(l.Commands)) != s.engine.lastID-l.Through || len(l.Commands) < 15 {
			t.Fatalf("the log holds %d commands after %d, want every decision since the start (%d)",
				len(l.Commands), l.Through, s.engine.lastID-l.Through)
		}
		for i, c := range l.Commands {
			if c.ID != l.Through+int64(i)+1 {
				t.Fatalf("command %d has id %d: the log has a gap", i, c.ID)
			}
		}
		if got := s.replayed(t); got != want {
			t.Fatalf("the replayed state differs from the one before the crash:\n%s\n%s", got, want)
		}
		s.start(t)
		if got := s.state(t); got != want {
			t.Fatalf("the state after the restart differs:\n%s\n%s", got, want)
		}
		// The restarted engine carries on from there, numbering its
		// commands after the replayed ones: the agent still owns his chat,
		// and closes it.
		if err := s.engine.Close(context.Background(), owned[s.agents[1]], s.agents[1]); err != nil {
			t.Fatal(err)
		}
		if load := s.engine.Agent(s.agents[1]).Load; load["chat"].Owned != 0 {
			t.Fatalf("load after the close %+v", load)
		}
		closed, err := s.db.Events(context.Background(), eventlog.Filter{SubjectType: "interaction",
			SubjectID: owned[s.agents[1]], Types: []eventlog.Type{"interaction.closed"}})
		if err != nil || len(closed) != 1 {
			t.Fatalf("close events %v, %v", closed, err)
		}
	})
}

func TestARestartAfterASnapshotReplaysOnlyTheCommandsAfterIt(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		s := newTestSite(t, d, 3, Options{SnapshotEvery: 4})
		someDecisions(t, s)
		s.engine.writes.Wait()
		l := s.routerLog(t)
		if l.Through == 0 || l.Through != s.engine.baseID || int64(len(l.Commands)) != s.engine.lastID-l.Through ||
			len(l.Commands) >= 4 {
			t.Fatalf("snapshot through %d with %d commands after it; the engine's last snapshot is through %d of %d",
				l.Through, len(l.Commands), s.engine.baseID, s.engine.lastID)
		}
		for _, c := range l.Commands {
			if c.ID <= l.Through {
				t.Fatalf("command %d is in the snapshot through %d but was not deleted", c.ID, l.Through)
			}
		}
		s.create(t) // one more after the snapshot, at least
		want := s.state(t)
		s.crash()
		if got := s.replayed(t); got != want {
			t.Fatalf("the replayed state differs from the one before the crash:\n%s\n%s", got, want)
		}
		s.start(t)
		if got := s.state(t); got != want {
			t.Fatalf("the state after the restart differs:\n%s\n%s", got, want)
		}
	})
}

func TestASnapshotIsTakenWhenTheLastOneIsOldByTheClock(t *testing.T) {
	s := newTestSite(t, store.SQLite, 2, Options{SnapshotEvery: 1000, SnapshotInterval: time.Minute})
	s.loginAll(t)
	s.create(t)
	s.engine.writes.Wait()
	before := s.routerLog(t)
	if len(before.Commands) == 0 {
		t.Fatal("no command logged")
	}
	s.clk.Advance(59 * time.Second)
	s.create(t)
	s.engine.writes.Wait()
	if l := s.routerLog(t); l.Through != before.Through {
		t.Fatalf("a snapshot after 59 s: through %d, was %d", l.Through, before.Through)
	}
	s.clk.Advance(time.Second)
	s.create(t)
	s.engine.writes.Wait()
	// The first decision at a minute (the offer ringing out, or the new
	// chat) took it.
	if l := s.routerLog(t); l.Through <= before.Through || l.Through != s.engine.baseID {
		t.Fatalf("no snapshot a minute after the last: through %d, was %d; the engine's is through %d", l.Through,
			before.Through, s.engine.baseID)
	}
}

func TestStopWritesASnapshotSoTheNextStartReplaysNothing(t *testing.T) {
	s := newTestSite(t, store.SQLite, 3, Options{})
	someDecisions(t, s)
	want := s.state(t)
	s.engine.Stop()
	if l := s.routerLog(t); l.Through != s.engine.lastID || len(l.Commands) != 0 {
		t.Fatalf("after Stop: snapshot through %d of %d, %d commands left", l.Through, s.engine.lastID, len(l.Commands))
	}
	s.start(t)
	if got := s.state(t); got != want {
		t.Fatalf("the state after the restart differs:\n%s\n%s", got, want)
	}
}

// TestAFailedSaveRollsBackToWhatTheDatabaseHolds makes a decision's
// transaction fail (its extra write does) after some decisions since the
// last snapshot: memory goes back to the snapshot plus those decisions,
// and a crash then gives back the same state.
func TestAFailedSaveRollsBackToWhatTheDatabaseHolds(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		s := newTestSite(t, d, 3, Options{SnapshotEvery: 5})
		owned := someDecisions(t, s)
		s.create(t) // a random draw since the snapshot: the rollback must give the source's position back too
		if len(s.engine.since) == 0 {
			t.Fatal("want decisions since the last snapshot, to replay on rollback")
		}
		want, lastID := s.state(t), s.engine.lastID
		broken := errors.New("disk full")
		err := s.engine.CloseWith(ctx, owned[s.agents[1]], s.agents[1], func(context.Context, *store.Tx) error { return broken })
		if !errors.Is(err, broken) {
			t.Fatalf("close with a failing write: %v", err)
		}
		if got := s.state(t); got != want {
			t.Fatalf("memory ran ahead of the database:\n%s\n%s", got, want)
		}
		if s.engine.failures != 1 {
			t.Fatalf("failures %d", s.engine.failures)
		}
		if l := s.routerLog(t); l.Commands[len(l.Commands)-1].ID != lastID {
			t.Fatalf("the failed decision was logged: %+v", l.Commands[len(l.Commands)-1])
		}
		if s.engine.timer == nil {
			t.Fatal("the timer is not armed after the failure")
		}
		closed, _ := s.db.Events(ctx, eventlog.Filter{SubjectType: "interaction", SubjectID: owned[s.agents[1]],
			Types: []eventlog.Type{"interaction.closed"}})
		if len(closed) != 0 {
			t.Fatalf("the failed close left events %v", closed)
		}
		s.crash()
		if got := s.replayed(t); got != want {
			t.Fatalf("the database holds another state than memory:\n%s\n%s", got, want)
		}
		s.start(t)
		if err := s.engine.Close(ctx, owned[s.agents[1]], s.agents[1]); err != nil {
			t.Fatalf("the close again, after the restart: %v", err)
		}
	})
}

// TestTheEngineCarriesOnAfterAFailedSave: the next decision is saved and
// logged (the failed one's number is skipped), and the log still gives the
// state back.
func TestTheEngineCarriesOnAfterAFailedSave(t *testing.T) {
	ctx := context.Background()
	s := newTestSite(t, store.SQLite, 3, Options{})
	owned := someDecisions(t, s)
	failing := func(context.Context, *store.Tx) error { return errors.New("disk full") }
	if err := s.engine.CloseWith(ctx, owned[s.agents[1]], s.agents[1], failing); err == nil {
		t.Fatal("the close did not fail")
	}
	if err := s.engine.CloseWith(ctx, owned[s.agents[1]], s.agents[1], nil); err != nil {
		t.Fatal(err)
	}
	if s.engine.failures != 0 {
		t.Fatalf("failures %d after a saved decision", s.engine.failures)
	}
	if l := s.routerLog(t); l.Commands[len(l.Commands)-1].ID != s.engine.lastID {
		t.Fatalf("the last decision (%d) was not logged: %+v", s.engine.lastID, l.Commands[len(l.Commands)-1])
	}
	want := s.state(t)
	s.crash()
	if got := s.replayed(t); got != want {
		t.Fatalf("replayed:\n%s\n%s", got, want)
	}
}

// TestALoggedCommandRefusedOnReplayChangesNothing: only applied commands
// are logged, but should one be refused on replay (a bug, a hand-edited
// log), it is handled as a refusal: the state is unchanged and the start
// goes on.
func TestALoggedCommandRefusedOnReplayChangesNothing(t *testing.T) {
	s := newTestSite(t, store.SQLite, 2, Options{})
	s.loginAll(t)
	s.create(t)
	want := s.state(t)
	s.crash()
	bogus := store.RouterCommand{ID: s.engine.lastID + 1,
		Command: []byte(`{"type":"accept","at":"2026-11-21T09:00:00Z","command":{"interaction_id":999,"agent_id":1}}`)}
	if err := s.db.SaveRouting(context.Background(), store.RoutingBatch{Command: &bogus}); err != nil {
		t.Fatal(err)
	}
	if got := s.replayed(t); got != want {
		t.Fatalf("a refused command changed the state:\n%s\n%s", got, want)
	}
	s.start(t)
	if s.engine.lastID <= bogus.ID {
		t.Fatalf("the engine numbers from %d, at or before the logged %d", s.engine.lastID, bogus.ID)
	}
}

func TestAStartRefusesALogItCannotRead(t *testing.T) {
	s := newTestSite(t, store.SQLite, 1, Options{})
	s.crash()
	bad := store.RouterCommand{ID: s.engine.lastID + 1, Command: []byte(`{"type":"teleport","command":{}}`)}
	if err := s.db.SaveRouting(context.Background(), store.RoutingBatch{Command: &bad}); err != nil {
		t.Fatal(err)
	}
	if _, err := New(context.Background(), s.db, s.clk, s.log, s.opts); err == nil {
		t.Fatal("the engine started on a log it cannot read")
	}
}
