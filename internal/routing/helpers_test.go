package routing

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

const timeout = 30 * time.Second // the agent timeout of the test queues

// harness drives one State with a fake clock; its helpers fail the test on
// an unexpected error, so a test reads as the story it tells.
type harness struct {
	t   *testing.T
	clk *clock.Fake
	s   *State
}

func newHarness(t *testing.T, queues ...Queue) *harness {
	t.Helper()
	clk := clock.NewFake(t0)
	h := &harness{t: t, clk: clk, s: New(clk, rand.NewPCG(1, 1))}
	for _, q := range queues {
		h.do(UpsertQueue{q})
	}
	return h
}

// queue is a chat queue with the test agent timeout.
func queue(id int64, strategy Strategy) Queue {
	return Queue{ID: id, Channel: Chat, Strategy: strategy, AgentTimeout: timeout}
}

// in is an agent configuration with the queues active at penalty 0.
func in(queues ...int64) AgentConfig {
	c := AgentConfig{ActiveQueues: map[int64]int{}}
	for _, q := range queues {
		c.ActiveQueues[q] = 0
	}
	return c
}

func (c AgentConfig) withCapacity(ch Channel, n int) AgentConfig {
	c.Capacity = map[Channel]int{ch: n}
	return c
}

func (c AgentConfig) withAutoAnswer(ch Channel, d time.Duration) AgentConfig {
	c.AutoAnswer = map[Channel]time.Duration{ch: d}
	return c
}

func (h *harness) do(cmd Command) []string {
	h.t.Helper()
	effects, err := h.s.Apply(cmd)
	if err != nil {
		h.t.Fatalf("%T%+v: %v", cmd, cmd, err)
	}
	return describe(effects)
}

func (h *harness) login(agent int64, c AgentConfig) []string {
	h.t.Helper()
	return h.do(Login{AgentID: agent, AgentConfig: c})
}

func (h *harness) enqueue(interaction, queue int64) []string {
	h.t.Helper()
	return h.do(Enqueue{InteractionID: interaction, QueueID: queue})
}

// advance moves the clock on and ticks, as the owner's timer would.
func (h *harness) advance(d time.Duration) []string {
	h.t.Helper()
	h.clk.Advance(d)
	return h.do(Tick{})
}

// fails applies a command that must fail with want and change nothing.
func (h *harness) fails(cmd Command, want error) {
	h.t.Helper()
	before := mustJSON(h.t, h.s.Snapshot())
	effects, err := h.s.Apply(cmd)
	if !errors.Is(err, want) {
		h.t.Fatalf("%T%+v: got error %v, want %v", cmd, cmd, err, want)
	}
	if effects != nil {
		h.t.Fatalf("%T%+v failed but returned effects %v", cmd, cmd, describe(effects))
	}
	if after := mustJSON(h.t, h.s.Snapshot()); after != before {
		h.t.Fatalf("%T%+v failed but changed the state:\n%s\n%s", cmd, cmd, before, after)
	}
}

func (h *harness) offers(agent int64) []int64 {
	var ids []int64
	for _, o := range h.s.Offers(agent) {
		ids = append(ids, o.Interaction)
	}
	return ids
}

func (h *harness) expect(step string, got []string, want ...string) {
	h.t.Helper()
	if !slices.Equal(got, want) {
		h.t.Fatalf("%s:\n got  %q\n want %q", step, got, want)
	}
}

// describe renders effects compactly: "offer 1 2" is interaction 1 offered
// to agent 2.
func describe(effects []Effect) []string {
	var out []string
	for _, e := range effects {
		var s string
		switch e := e.(type) {
		case Offered:
			s = fmt.Sprintf("offer %d %d", e.Interaction, e.Agent)
			if e.Transfer {
				s += " transfer"
			}
		case OfferEnded:
			s = fmt.Sprintf("end %d %d %s", e.Interaction, e.Agent, e.Reason)
			if e.Transfer {
				s += " transfer"
			}
		case Assigned:
			s = fmt.Sprintf("assign %d %d", e.Interaction, e.Agent)
			if e.Auto {
				s += " auto"
			}
		case TransferAccepted:
			s = fmt.Sprintf("transfer %d %d>%d", e.Interaction, e.From, e.To)
			if e.Auto {
				s += " auto"
			}
		case TransferReturned:
			s = fmt.Sprintf("return %d %d", e.Interaction, e.Owner)
		case Moved:
			s = fmt.Sprintf("move %d %d>%d", e.Interaction, e.From, e.To)
		case ClosedUnmanaged:
			s = fmt.Sprintf("unmanaged %d", e.Interaction)
		case Requeued:
			s = fmt.Sprintf("requeue %d %d", e.Interaction, e.From)
		case Closed:
			s = fmt.Sprintf("close %d", e.Interaction)
		default:
			s = fmt.Sprintf("%T", e)
		}
		out = append(out, s)
	}
	return out
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// acceptByHolder accepts an interaction for the one agent it is offered to.
func (h *harness) acceptByHolder(interaction int64) {
	h.t.Helper()
	it, _ := h.s.Interaction(interaction)
	if len(it.Offers) != 1 {
		h.t.Fatalf("interaction %d has offers %v, want one", interaction, it.Offers)
	}
	for agent := range it.Offers {
		h.do(Accept{InteractionID: interaction, AgentID: agent})
	}
}
