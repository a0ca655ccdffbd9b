package acd

import (
	"context"
	"slices"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/store"
)

// The realtime hub asks QueueWorkers which desktops may see a queue's
// events, and each desktop's Works decides: they must name the same agents
// (paused ones included: a paused agent still sees his queues), or a
// desktop would miss events it may see.
func TestQueueWorkersAreTheAgentsWhoWorkTheQueue(t *testing.T) {
	ctx := context.Background()
	s := newTestSite(t, store.SQLite, 3, Options{})
	a, b, c := s.agents[0], s.agents[1], s.agents[2]
	agree := func(want ...int64) {
		t.Helper()
		if got := s.engine.QueueWorkers(s.queue.ID); !slices.Equal(got, want) {
			t.Fatalf("queue workers %v, want %v", got, want)
		}
		for _, id := range s.agents {
			if s.engine.Works(id, s.queue.ID) != slices.Contains(want, id) {
				t.Fatalf("Works(%d) disagrees with the queue workers %v", id, want)
			}
		}
	}
	agree()
	for _, id := range []int64{c, a} {
		if _, err := s.engine.Login(ctx, id, nil); err != nil {
			t.Fatal(err)
		}
	}
	agree(a, c)
	if _, err := s.engine.Pause(ctx, a, nil, a); err != nil {
		t.Fatal(err)
	}
	agree(a, c)
	if err := s.engine.Logout(ctx, c, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.engine.Login(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	agree(a, b)
	if got := s.engine.QueueWorkers(s.queue.ID + 1000); got != nil {
		t.Fatalf("a queue nobody works has workers %v", got)
	}
}
