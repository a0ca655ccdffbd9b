package routing

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

// whatsappQueue is a ring-all WhatsApp queue with the test agent timeout.
func whatsappQueue(id int64) Queue {
	return Queue{ID: id, Channel: WhatsApp, Strategy: RingAll, AgentTimeout: timeout}
}

func start(interaction, agent, queue int64) StartOutbound {
	return StartOutbound{InteractionID: interaction, AgentID: agent, QueueID: queue, Channel: WhatsApp}
}

func TestStartOutboundGivesTheAgentTheInteractionWithoutAnOffer(t *testing.T) {
	h := newHarness(t, whatsappQueue(1))
	h.login(1, in(1))
	h.login(2, in(1))
	effects, err := h.s.Apply(start(10, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(effects) != 1 || effects[0] != (Assigned{Interaction: 10, Queue: 1, Agent: 1, Outbound: true}) {
		t.Fatalf("effects %#v, want one outbound assignment to agent 1", effects)
	}
	it, ok := h.s.Interaction(10)
	if !ok || it.Status != StatusOwned || it.Owner != 1 || it.QueueID != 1 || it.Channel != WhatsApp || len(it.Offers) != 0 {
		t.Fatalf("interaction %+v (known %v), want owned by 1 in queue 1 with no offer", it, ok)
	}
	if w := h.s.Waiting(1); len(w) != 0 {
		t.Fatalf("waiting %v: a started conversation never waits", w)
	}
	if l := h.s.AgentLoad(1)[WhatsApp]; l.Owned != 1 {
		t.Fatalf("load %+v, want it counted as owned", l)
	}
	if len(h.offers(2)) != 0 {
		t.Fatalf("agent 2 was offered %v", h.offers(2))
	}
	h.expect("its owner closes it", h.do(Close{InteractionID: 10, By: "agent"}), "close 10")
	if l := h.s.AgentLoad(1)[WhatsApp]; l.Owned != 0 {
		t.Fatalf("load %+v after close, want freed", l)
	}
}

func TestStartOutboundCountsAgainstCapacityButIsNeverRefusedForIt(t *testing.T) {
	h := newHarness(t, whatsappQueue(1))
	h.login(1, in(1).withCapacity(WhatsApp, 1))
	h.expect("first", h.do(start(10, 1, 1)), "assign 10 1")
	h.expect("beyond capacity: still his", h.do(start(11, 1, 1)), "assign 11 1")
	if l := h.s.AgentLoad(1)[WhatsApp]; l.Owned != 2 {
		t.Fatalf("load %+v, want both counted", l)
	}
	h.expect("a customer writes: he is full", h.enqueue(1, 1))
	h.expect("one closed: still full", h.do(Close{InteractionID: 10}), "close 10")
	h.expect("both closed: room again", h.do(Close{InteractionID: 11}), "close 11", "offer 1 1")
}

func TestStartOutboundWithdrawsOffersThatNoLongerFit(t *testing.T) {
	h := newHarness(t, whatsappQueue(1))
	h.login(1, in(1).withCapacity(WhatsApp, 2))
	h.enqueue(1, 1)
	h.clk.Advance(time.Second)
	h.enqueue(2, 1)
	h.expect("both offered", h.do(Tick{}))
	if got := h.offers(1); len(got) != 2 {
		t.Fatalf("offers %v, want 2", got)
	}
	h.expect("his own conversation takes the newest offer's place",
		h.do(start(10, 1, 1)), "assign 10 1", "end 2 1 capacity")
	if l := h.s.AgentLoad(1)[WhatsApp]; l.Owned != 1 || l.Offered != 1 {
		t.Fatalf("load %+v, want 1 owned and 1 offered", l)
	}
	h.expect("the withdrawn one still rings for the others", h.login(2, in(1)), "offer 1 2", "offer 2 2")
}

func TestStartOutboundIsRefusedWithoutChange(t *testing.T) {
	h := newHarness(t, whatsappQueue(1), queue(2, RingAll))
	h.login(1, in(1))
	h.enqueue(5, 1)
	for _, tc := range []struct {
		cmd  Command
		want error
	}{
		{start(0, 1, 1), ErrInvalid},
		{start(5, 1, 1), ErrInteractionExists},
		{start(10, 1, 9), ErrUnknownQueue},
		{start(10, 1, 2), ErrChannelMismatch}, // queue 2 is a chat queue
		{start(10, 7, 1), ErrNotLoggedIn},
	} {
		h.fails(tc.cmd, tc.want)
	}
}

// TestStartOutboundReplaysFromTheLog: a restart rebuilds the owner and his
// load from the logged command, at its time.
func TestStartOutboundReplaysFromTheLog(t *testing.T) {
	clk := clock.NewFake(t0)
	s := New(clk, rand.NewPCG(1, 1))
	base := s.Snapshot()
	var log []LoggedCommand
	for _, cmd := range []Command{UpsertQueue{whatsappQueue(1)}, Login{AgentID: 1, AgentConfig: in(1)}, start(10, 1, 1)} {
		clk.Advance(time.Minute)
		if _, err := s.Apply(cmd); err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(LoggedCommand{At: clk.Now(), Command: cmd})
		if err != nil {
			t.Fatal(err)
		}
		var c LoggedCommand
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		log = append(log, c)
	}
	restored := New(clk, rand.NewPCG(1, 1))
	if err := restored.Restore(base); err != nil {
		t.Fatal(err)
	}
	for _, c := range log {
		if err := restored.Replay(c); err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
	}
	if owner, _ := restored.Owner(10); owner != 1 {
		t.Fatalf("owner after replay %d, want 1", owner)
	}
	if got, want := mustJSON(t, restored.Snapshot()), mustJSON(t, s.Snapshot()); got != want {
		t.Fatalf("replayed state differs:\n%s\n%s", got, want)
	}
}
