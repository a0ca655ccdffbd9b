package acd

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// BenchmarkRoutingDecisions measures routing decisions per second on SQLite
// with every agent busy: each round is three decisions (an agent closes his
// chat, a new chat arrives, he accepts the chat he is offered: the oldest
// waiting one), so the state keeps its size. With no chat waiting it
// measures mostly what a decision costs to persist; with chats waiting,
// dispatch's look at each of them for a free agent adds to it.
func BenchmarkRoutingDecisions(b *testing.B) {
	for _, size := range []struct{ agents, waiting int }{{1000, 0}, {200, 400}} {
		b.Run(fmt.Sprintf("agents=%d,waiting=%d", size.agents, size.waiting), func(b *testing.B) {
			benchmarkRoutingDecisions(b, size.agents, size.waiting)
		})
	}
}

func benchmarkRoutingDecisions(b *testing.B, agents, waiting int) {
	s := newTestSiteWith(b, store.SQLite, staff.RingAll, agents, Options{})
	s.loginAll(b)
	owned := map[int64]int64{} // agent → the chat he has
	for _, a := range s.agents {
		s.create(b)
		owned[a] = s.acceptOffer(b, a)
	}
	for range waiting {
		s.create(b)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		a := s.agents[i%agents]
		if err := s.engine.Close(ctx, owned[a], a); err != nil {
			b.Fatal(err)
		}
		s.create(b)
		owned[a] = s.acceptOffer(b, a)
	}
	b.ReportMetric(float64(3*b.N)/b.Elapsed().Seconds(), "decisions/s")
}

// BenchmarkSnapshot measures what a snapshot costs at 1,000 agents each
// with a chat: the copy taken under the engine's lock, and the encoding
// done outside it.
func BenchmarkSnapshot(b *testing.B) {
	s := newTestSiteWith(b, store.SQLite, staff.RingAll, 1000, Options{})
	s.loginAll(b)
	for _, a := range s.agents {
		s.create(b)
		s.acceptOffer(b, a)
	}
	b.Run("copy under the lock", func(b *testing.B) {
		for b.Loop() {
			s.engine.state.Snapshot()
		}
	})
	b.Run("encode outside it", func(b *testing.B) {
		snap := s.engine.state.Snapshot()
		var size int
		for b.Loop() {
			data, err := json.Marshal(snap)
			if err != nil {
				b.Fatal(err)
			}
			size = len(data)
		}
		b.ReportMetric(float64(size), "bytes")
	})
}
