package routing

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

// Rule 1: priority (higher first), then age, then ID.
func TestWaitingInteractionsAreDispatchedByPriorityThenAge(t *testing.T) {
	low, high := queue(1, Linear), queue(2, Linear)
	high.Priority = 5
	h := newHarness(t, low, high)
	h.do(Login{AgentID: 7, Paused: true, AgentConfig: in(1, 2).withCapacity(Chat, 1)})
	nine := 9
	h.enqueue(10, 1)
	h.clk.Advance(time.Second)
	h.do(Enqueue{InteractionID: 11, QueueID: 1, Priority: &nine}) // its own priority beats the queue's
	h.enqueue(12, 2)
	h.clk.Advance(time.Second)
	h.enqueue(16, 2) // same priority and age as 15: the lower ID goes first
	h.enqueue(15, 2)
	h.enqueue(13, 1)

	h.do(Resume{AgentID: 7})
	var served []int64
	for range 6 {
		offers := h.offers(7)
		if len(offers) != 1 {
			t.Fatalf("after %v: offers %v, want one", served, offers)
		}
		served = append(served, offers[0])
		h.do(Accept{InteractionID: offers[0], AgentID: 7})
		h.do(Close{InteractionID: offers[0]})
	}
	if want := []int64{11, 12, 15, 16, 10, 13}; !slices.Equal(served, want) {
		t.Fatalf("served %v, want %v", served, want)
	}
}

// Rule 2: who may be offered an interaction.
func TestOnlyEligibleAgentsAreOffered(t *testing.T) {
	whatsapp := queue(3, RingAll)
	whatsapp.Channel = WhatsApp
	for _, tc := range []struct {
		name  string
		setup func(h *harness)
		want  bool
	}{
		{"logged in, free, queue active", func(h *harness) { h.login(7, in(1)) }, true},
		{"logged out", func(h *harness) {}, false},
		{"paused", func(h *harness) { h.do(Login{AgentID: 7, Paused: true, AgentConfig: in(1)}) }, false},
		{"away", func(h *harness) { h.login(7, in(1)); h.do(Away{AgentID: 7}) }, false},
		{"queue not active", func(h *harness) { h.login(7, in(2)) }, false},
		{"capacity reserved by an offer", func(h *harness) {
			h.login(7, in(1).withCapacity(Chat, 1))
			h.enqueue(99, 1)
		}, false},
		{"capacity used on another channel only", func(h *harness) {
			h.login(7, in(1, 3).withCapacity(Chat, 1))
			h.enqueue(99, 3)
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, queue(1, RingAll), queue(2, RingAll), whatsapp)
			tc.setup(h)
			h.enqueue(1, 1)
			if got := slices.Contains(h.offers(7), 1); got != tc.want {
				t.Fatalf("offered: %v, want %v", got, tc.want)
			}
		})
	}
}

func TestQueueChangesReachTheNextDispatchAtOnce(t *testing.T) {
	// Dispatch looks at a queue's members only: every change of who works
	// a queue must show in the very next command.
	h := newHarness(t, queue(1, RingAll), queue(2, RingAll))
	h.login(7, in(2))
	h.login(8, in(1))
	h.expect("enqueue on 1", h.enqueue(1, 1), "offer 1 8")
	h.expect("7 gets queue 1", h.do(AddToQueue{AgentID: 7, QueueID: 1}), "offer 1 7")
	h.expect("8 loses queue 1", h.do(RemoveFromQueue{AgentID: 8, QueueID: 1}), "end 1 8 unassigned")
	h.expect("8 is given 1 and 2 again", h.do(UpdateAgent{AgentID: 8, AgentConfig: in(1, 2)}), "offer 1 8")
	h.expect("enqueue on 2", h.enqueue(2, 2), "offer 2 7", "offer 2 8")
	h.expect("7 logs out", h.do(Logout{AgentID: 7}), "end 1 7 logout", "end 2 7 logout")
	h.expect("9 logs in on 2", h.login(9, in(2)), "offer 2 9")
	snap := h.s.Snapshot()
	if err := h.s.Restore(snap); err != nil {
		t.Fatal(err)
	}
	h.expect("after a restore, 10 logs in on 1", h.login(10, in(1)), "offer 1 10")
}

func TestAgentHoldsOneOfferPerInteraction(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(7, in(1))
	h.expect("enqueue", h.enqueue(1, 1), "offer 1 7")
	h.expect("another agent logs in", h.login(8, in(1)), "offer 1 8")
	h.expect("tick before the expiry", h.advance(10*time.Second))
}

func TestRejectOrTimeoutKeepsAgentOutForAgentTimeout(t *testing.T) {
	for _, tc := range []struct {
		name     string
		end      func(h *harness) []string
		want     string
		reoffer  time.Duration // from t0
		endAfter time.Duration
	}{
		{"reject", func(h *harness) []string {
			h.clk.Advance(5 * time.Second)
			return h.do(Reject{InteractionID: 1, AgentID: 7})
		}, "end 1 7 rejected", 35 * time.Second, 5 * time.Second},
		{"timeout", func(h *harness) []string { return h.advance(timeout) }, "end 1 7 timeout", 60 * time.Second, timeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, queue(1, RingAll))
			h.login(7, in(1))
			h.enqueue(1, 1)
			h.expect("end", tc.end(h), tc.want)
			if at, ok := h.s.NextDeadline(); !ok || !at.Equal(t0.Add(tc.reoffer)) {
				t.Fatalf("next deadline %v %v, want the end of the exclusion %v", at, ok, t0.Add(tc.reoffer))
			}
			h.expect("just before the exclusion ends", h.advance(tc.reoffer-tc.endAfter-time.Second))
			h.expect("exclusion over", h.advance(time.Second), "offer 1 7")
		})
	}
}

func TestOnlyTheLowestPenaltyTierIsOffered(t *testing.T) {
	for _, tc := range []struct {
		strategy Strategy
		first    []string
	}{
		{RingAll, []string{"offer 1 2", "offer 1 3"}},
		{Linear, []string{"offer 1 2"}},
	} {
		t.Run(string(tc.strategy), func(t *testing.T) {
			h := newHarness(t, queue(1, tc.strategy))
			h.login(1, AgentConfig{ActiveQueues: map[int64]int{1: 1}})
			h.login(2, in(1))
			h.login(3, in(1))
			h.expect("enqueue", h.enqueue(1, 1), tc.first...)
			h.do(Reject{InteractionID: 1, AgentID: 2})
			h.do(Reject{InteractionID: 1, AgentID: 3})
			if got := h.offers(1); !slices.Equal(got, []int64{1}) {
				t.Fatalf("penalty 1 agent's offers %v once the better tier declined", got)
			}
		})
	}
}

// Rule 3: strategies.
func TestRingAllOffersEveryEligibleAgentAndFirstAcceptWins(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	for _, a := range []int64{1, 2, 3} {
		h.login(a, in(1))
	}
	h.expect("enqueue", h.enqueue(1, 1), "offer 1 1", "offer 1 2", "offer 1 3")
	h.expect("accept", h.do(Accept{InteractionID: 1, AgentID: 2}), "assign 1 2", "end 1 1 taken", "end 1 3 taken")
	h.fails(Accept{InteractionID: 1, AgentID: 3}, ErrNoLiveOffer)
}

func TestRingAllRejectOrTimeoutEndsOnlyThatOffer(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(1, in(1))
	h.login(2, in(1))
	h.enqueue(1, 1)
	h.clk.Advance(5 * time.Second)
	h.expect("reject", h.do(Reject{InteractionID: 1, AgentID: 1}), "end 1 1 rejected")
	h.expect("timeout", h.advance(25*time.Second), "end 1 2 timeout")
	if pos, ok := h.s.Position(1); !ok || pos != 1 {
		t.Fatalf("with no offer left it waits again: position %d %v", pos, ok)
	}
	h.expect("agent 1's exclusion ends first", h.advance(5*time.Second), "offer 1 1")
}

func TestRoundRobinStartsAfterTheLastAgentOfferedInTheQueue(t *testing.T) {
	h := newHarness(t, queue(1, RoundRobin), queue(2, RoundRobin))
	for _, a := range []int64{3, 1, 2} {
		h.login(a, in(1, 2))
	}
	var got []string
	for i := int64(1); i <= 4; i++ {
		got = append(got, h.enqueue(i, 1)...)
		h.acceptByHolder(i)
	}
	got = append(got, h.enqueue(5, 2)...) // queue 2 has its own memory
	h.expect("offers", got, "offer 1 1", "offer 2 2", "offer 3 3", "offer 4 1", "offer 5 1")
}

func TestLongestIdleOffersTheAgentIdleLongestOnTheChannel(t *testing.T) {
	h := newHarness(t, queue(1, LongestIdle))
	h.login(2, in(1))
	h.clk.Advance(5 * time.Second)
	h.login(3, in(1))
	h.clk.Advance(5 * time.Second)
	h.login(1, in(1))
	h.expect("idle since login", h.enqueue(1, 1), "offer 1 2")
	h.do(Accept{InteractionID: 1, AgentID: 2})
	h.expect("agent 2 is busy", h.enqueue(2, 1), "offer 2 3")
	h.do(Accept{InteractionID: 2, AgentID: 3})
	h.clk.Advance(time.Second)
	h.do(Close{InteractionID: 2}) // agent 3 idle again, but only since now
	h.expect("agent 1 idle since his login", h.enqueue(3, 1), "offer 3 1")
	h.do(Accept{InteractionID: 3, AgentID: 1})
	h.expect("busy agents come last", h.enqueue(4, 1), "offer 4 3")
}

func TestFewestHandledOffersTheAgentWhoAcceptedFewest(t *testing.T) {
	h := newHarness(t, queue(1, FewestHandled))
	for _, a := range []int64{1, 2, 3} {
		h.login(a, in(1))
	}
	var got []string
	for i := int64(1); i <= 4; i++ {
		got = append(got, h.enqueue(i, 1)...)
		h.acceptByHolder(i)
		h.do(Close{InteractionID: i})
	}
	h.expect("offers", got, "offer 1 1", "offer 2 2", "offer 3 3", "offer 4 1")
}

func TestRandomDrawsUniformlyFromTheSeededSource(t *testing.T) {
	run := func(seed uint64) []int64 {
		clk := clock.NewFake(t0)
		s := New(clk, rand.NewPCG(seed, seed))
		s.Apply(UpsertQueue{queue(1, Random)})
		for _, a := range []int64{1, 2, 3} {
			s.Apply(Login{AgentID: a, AgentConfig: in(1)})
		}
		var picks []int64
		for i := int64(1); i <= 600; i++ {
			effects, _ := s.Apply(Enqueue{InteractionID: i, QueueID: 1})
			o := effects[0].(Offered)
			picks = append(picks, o.Agent)
			s.Apply(Accept{InteractionID: i, AgentID: o.Agent})
			s.Apply(Close{InteractionID: i})
		}
		return picks
	}
	a, b := run(42), run(42)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed drew differently")
	}
	if slices.Equal(a, run(43)) {
		t.Fatal("another seed drew the same")
	}
	count := map[int64]int{}
	for _, p := range a {
		count[p]++
	}
	for _, agent := range []int64{1, 2, 3} {
		if count[agent] < 150 || count[agent] > 250 { // 200 expected; this is > 5 standard deviations
			t.Fatalf("draws per agent %v, want about 200 each", count)
		}
	}
}

func TestLinearAlwaysStartsFromTheTop(t *testing.T) {
	h := newHarness(t, queue(1, Linear))
	for _, a := range []int64{3, 2, 1} {
		h.login(a, in(1))
	}
	h.expect("first", h.enqueue(1, 1), "offer 1 1")
	h.do(Accept{InteractionID: 1, AgentID: 1})
	h.do(Close{InteractionID: 1})
	h.expect("again from the top", h.enqueue(2, 1), "offer 2 1")
}

func TestSingleOfferStrategiesMoveToTheNextAgentOnRejectOrTimeout(t *testing.T) {
	for _, strategy := range []Strategy{RoundRobin, LongestIdle, FewestHandled, Random, Linear} {
		for _, end := range []string{"rejected", "timeout"} {
			t.Run(string(strategy)+"/"+end, func(t *testing.T) {
				h := newHarness(t, queue(1, strategy))
				h.login(1, in(1))
				h.login(2, in(1))
				effects := h.enqueue(1, 1)
				if len(effects) != 1 {
					t.Fatalf("one agent at a time: %v", effects)
				}
				first := int64(1)
				if effects[0] == "offer 1 2" {
					first = 2
				}
				if end == "rejected" {
					effects = h.do(Reject{InteractionID: 1, AgentID: first})
				} else {
					effects = h.advance(timeout)
				}
				h.expect("next", effects, fmt.Sprintf("end 1 %d %s", first, end), fmt.Sprintf("offer 1 %d", 3-first))
			})
		}
	}
}

// An auto-answer at once withdraws the other offers of its interaction; the
// capacity this frees must serve interactions the dispatch already passed.
func TestCapacityFreedDuringDispatchIsUsedAtOnce(t *testing.T) {
	urgent := queue(2, RingAll)
	urgent.Priority = 1
	h := newHarness(t, queue(1, RingAll), urgent)
	h.login(1, in(1, 2).withCapacity(Chat, 1))
	h.expect("agent 1 is now full", h.enqueue(1, 1), "offer 1 1")
	h.expect("the urgent one waits", h.enqueue(2, 2))
	h.expect("an auto-answering agent takes 1", h.login(2, in(1).withAutoAnswer(Chat, 0)),
		"offer 1 2", "assign 1 2 auto", "end 1 1 taken", "offer 2 1")
}

// Rule 4: accept.
func TestAcceptingADeadOfferFailsAndChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		agent int64
		setup func(h *harness)
	}{
		{"never offered", 9, func(h *harness) { h.login(9, in(2)) }},
		{"past its expiry, before the tick", 7, func(h *harness) { h.clk.Advance(timeout) }},
		{"timed out", 7, func(h *harness) { h.advance(timeout) }},
		{"taken by another agent", 7, func(h *harness) { h.do(Accept{InteractionID: 1, AgentID: 8}) }},
		{"rejected", 7, func(h *harness) { h.do(Reject{InteractionID: 1, AgentID: 7}) }},
		{"withdrawn by pause", 7, func(h *harness) { h.do(Pause{AgentID: 7}) }},
		{"interaction closed", 7, func(h *harness) { h.do(Close{InteractionID: 1}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, queue(1, RingAll), queue(2, RingAll))
			h.login(7, in(1, 2))
			h.login(8, in(1, 2))
			h.enqueue(1, 1)
			tc.setup(h)
			h.fails(Accept{InteractionID: 1, AgentID: tc.agent}, ErrNoLiveOffer)
			h.fails(Reject{InteractionID: 1, AgentID: tc.agent}, ErrNoLiveOffer)
		})
	}
}

// Rule 5: reject and timeout.
func TestRejectEndsTheOfferAndDispatchContinues(t *testing.T) {
	h := newHarness(t, queue(1, Linear))
	h.login(1, in(1))
	h.login(2, in(1))
	h.enqueue(1, 1)
	h.expect("reject", h.do(Reject{InteractionID: 1, AgentID: 1}), "end 1 1 rejected", "offer 1 2")
}

func TestOfferTimesOutOnTheTickAtItsExpiry(t *testing.T) {
	h := newHarness(t, queue(1, Linear))
	h.login(1, in(1))
	h.login(2, in(1))
	h.enqueue(1, 1)
	if o := h.s.Offers(1); len(o) != 1 || !o[0].ExpiresAt.Equal(t0.Add(timeout)) {
		t.Fatalf("offers %+v, want one expiring after the agent timeout", o)
	}
	h.expect("before", h.advance(timeout-time.Second))
	h.expect("at the expiry", h.advance(time.Second), "end 1 1 timeout", "offer 1 2")
}

// Rule 6: auto-answer.
func TestAutoAnswer(t *testing.T) {
	for _, tc := range []struct {
		name  string
		delay time.Duration
		now   []string // effects of the enqueue
		after []string // effects of the tick 5 s later
	}{
		{"at once", 0, []string{"offer 1 1", "assign 1 1 auto"}, nil},
		{"after its delay", 5 * time.Second, []string{"offer 1 1"}, []string{"assign 1 1 auto"}},
		{"never past the agent timeout", timeout + time.Second, []string{"offer 1 1"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, queue(1, Linear))
			h.login(1, in(1).withAutoAnswer(Chat, tc.delay))
			h.expect("enqueue", h.enqueue(1, 1), tc.now...)
			h.expect("4 s", h.advance(4*time.Second))
			h.expect("5 s", h.advance(time.Second), tc.after...)
		})
	}
}

func TestAutoAnswerInRingAllTakesTheInteractionFromTheOthers(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(1, in(1))
	h.login(2, in(1).withAutoAnswer(Chat, 3*time.Second))
	h.enqueue(1, 1)
	h.expect("auto-answer", h.advance(3*time.Second), "assign 1 2 auto", "end 1 1 taken")
}

// Rule 7: pause and away.
func TestPauseWithdrawsOffersButKeepsOwnedInteractions(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(1, in(1))
	h.enqueue(1, 1)
	h.do(Accept{InteractionID: 1, AgentID: 1})
	h.enqueue(2, 1)
	h.expect("pause", h.do(Pause{AgentID: 1, Reason: "lunch"}), "end 2 1 paused")
	if owner, _ := h.s.Owner(1); owner != 1 {
		t.Fatalf("owner %d after pause", owner)
	}
	h.expect("no offers while paused", h.enqueue(3, 1))
	h.expect("resume", h.do(Resume{AgentID: 1}), "offer 2 1", "offer 3 1")
}

func TestLoginInPauseIsLoginWithoutOffers(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.enqueue(1, 1)
	h.expect("login paused", h.do(Login{AgentID: 1, Paused: true, PauseReason: "briefing", AgentConfig: in(1)}))
	if a, _ := h.s.Agent(1); !a.Paused || a.PauseReason != "briefing" {
		t.Fatalf("agent %+v", a)
	}
	h.expect("resume", h.do(Resume{AgentID: 1}), "offer 1 1")
}

func TestAwayWithdrawsOffersWithoutTouchingThePause(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(1, in(1))
	h.enqueue(1, 1)
	h.expect("away", h.do(Away{AgentID: 1}), "end 1 1 away")
	h.expect("no offers while away", h.enqueue(2, 1))
	h.expect("back", h.do(Back{AgentID: 1}), "offer 1 1", "offer 2 1")

	h.do(Pause{AgentID: 1, Reason: "lunch"})
	h.do(Away{AgentID: 1})
	h.expect("back, still paused", h.do(Back{AgentID: 1}))
	if a, _ := h.s.Agent(1); !a.Paused || a.PauseReason != "lunch" {
		t.Fatalf("away changed the pause: %+v", a)
	}
}

// Rule 8: logout.
func TestLogoutWithdrawsOffersAndKeepsOwnedInteractions(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(1, in(1))
	h.enqueue(1, 1)
	h.do(Accept{InteractionID: 1, AgentID: 1})
	h.enqueue(2, 1)
	h.expect("logout", h.do(Logout{AgentID: 1}), "end 2 1 logout")
	if owner, _ := h.s.Owner(1); owner != 1 {
		t.Fatalf("owner %d after logout", owner)
	}
	h.login(1, in(1).withCapacity(Chat, 1))
	if load := h.s.AgentLoad(1)[Chat]; load.Owned != 1 || load.Offered != 0 {
		t.Fatalf("back with load %+v: what he kept still counts", load)
	}
}

func TestLogoutWithRequeuePutsOwnedInteractionsBackInTheirPlace(t *testing.T) {
	h := newHarness(t, queue(1, Linear))
	h.login(1, in(1).withCapacity(Chat, 1))
	h.enqueue(1, 1)
	h.do(Accept{InteractionID: 1, AgentID: 1})
	h.clk.Advance(time.Minute)
	h.enqueue(2, 1)
	h.clk.Advance(time.Minute)
	h.expect("logout", h.do(Logout{AgentID: 1, Requeue: true}), "requeue 1 1")
	if got := h.s.Waiting(1); !slices.Equal(got, []int64{1, 2}) {
		t.Fatalf("waiting %v: the requeued interaction keeps its age", got)
	}
	if it, _ := h.s.Interaction(1); !it.EnqueuedAt.Equal(t0) || !it.WaitingSince.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("requeued %+v", it)
	}
	h.expect("another agent", h.login(2, in(1).withCapacity(Chat, 1)), "offer 1 2")
}

// Rule 9: max wait.
func TestMaxWait(t *testing.T) {
	for _, tc := range []struct {
		action MaxWaitAction
		want   []string
	}{
		{KeepWaiting, nil},
		{MoveToQueue, []string{"end 1 7 moved", "move 1 1>2"}},
		{CloseUnmanaged, []string{"end 1 7 closed", "unmanaged 1"}},
	} {
		t.Run(string(tc.action), func(t *testing.T) {
			q := queue(1, RingAll)
			q.AgentTimeout = 2 * time.Minute // still ringing when max wait strikes
			q.MaxWait, q.MaxWaitAction = time.Minute, tc.action
			if tc.action == MoveToQueue {
				q.MoveToQueueID = 2
			}
			h := newHarness(t, queue(2, RingAll), q)
			h.login(7, in(1))
			h.enqueue(1, 1)
			h.expect("before", h.advance(time.Minute-time.Second))
			h.expect("max wait", h.advance(time.Second), tc.want...)
			it, ok := h.s.Interaction(1)
			switch tc.action {
			case KeepWaiting:
				if !ok || it.QueueID != 1 || len(it.Offers) != 1 {
					t.Fatalf("kept: %+v", it)
				}
			case MoveToQueue:
				if !ok || it.QueueID != 2 || !it.EnqueuedAt.Equal(t0.Add(time.Minute)) {
					t.Fatalf("moved: %+v, want queue 2 with its age restarted", it)
				}
			case CloseUnmanaged:
				if ok {
					t.Fatalf("still in routing: %+v", it)
				}
			}
		})
	}
}

// A max wait set or shortened while interactions wait applies to them,
// counted from the start of their wait.
func TestMaxWaitChangedWhileWaitingAppliesToTheWaitingOnes(t *testing.T) {
	q := queue(1, RingAll)
	h := newHarness(t, q)
	h.enqueue(1, 1)
	h.expect("no max wait yet", h.advance(time.Minute))
	q.MaxWait, q.MaxWaitAction = 3*time.Minute, CloseUnmanaged
	h.do(UpsertQueue{Queue: q})
	if at, ok := h.s.NextDeadline(); !ok || !at.Equal(t0.Add(3*time.Minute)) {
		t.Fatalf("next deadline %v (%v), want the max wait 3 minutes after the enqueue", at, ok)
	}
	q.MaxWait = 2 * time.Minute
	h.do(UpsertQueue{Queue: q})
	h.expect("before the shortened max wait", h.advance(time.Minute-time.Second))
	h.expect("at the shortened max wait", h.advance(time.Second), "unmanaged 1")
}

// Rule 10: close.
func TestCloseWithdrawsOffersFreesCapacityAndDispatches(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(1, in(1).withCapacity(Chat, 1))
	h.login(2, in(1).withCapacity(Chat, 1))
	h.enqueue(1, 1)
	h.do(Accept{InteractionID: 1, AgentID: 1})
	h.enqueue(2, 1)
	h.enqueue(3, 1)
	h.expect("closing an offered interaction", h.do(Close{InteractionID: 2}), "end 2 2 closed", "close 2", "offer 3 2")
	h.expect("closing an owned interaction frees its agent", h.do(Close{InteractionID: 1}), "close 1", "offer 3 1")
	h.enqueue(4, 1)
	h.expect("both agents free again", h.do(Close{InteractionID: 3}), "end 3 1 closed", "end 3 2 closed", "close 3", "offer 4 1", "offer 4 2")
	h.fails(Close{InteractionID: 3}, ErrUnknownInteraction)
}

func TestAPendingTransferEndsWithItsInteraction(t *testing.T) {
	for _, tc := range []struct {
		cmd  Command
		want []string
	}{
		{Close{InteractionID: 1}, []string{"end 1 2 closed transfer", "close 1"}},
		{Logout{AgentID: 1, Requeue: true}, []string{"end 1 2 requeued transfer", "requeue 1 1"}},
	} {
		t.Run(fmt.Sprintf("%T", tc.cmd), func(t *testing.T) {
			h := transferHarness(t)
			h.login(2, in())
			h.do(Transfer{InteractionID: 1, By: 1, ToAgent: 2})
			h.expect("end", h.do(tc.cmd), tc.want...)
			if len(h.s.Offers(2)) != 0 {
				t.Fatal("the transfer offer outlived it")
			}
		})
	}
}

// Rule 11: transfer.
func transferHarness(t *testing.T) *harness {
	h := newHarness(t, queue(1, Linear), queue(2, RingAll))
	h.login(1, in(1))
	h.enqueue(1, 1)
	h.do(Accept{InteractionID: 1, AgentID: 1})
	return h
}

func TestTransferToAnAgentChangesTheOwnerWhenHeAccepts(t *testing.T) {
	h := transferHarness(t)
	h.login(2, in())
	h.expect("transfer", h.do(Transfer{InteractionID: 1, By: 1, ToAgent: 2}), "offer 1 2 transfer")
	if o := h.s.Offers(2); len(o) != 1 || !o[0].ExpiresAt.Equal(t0.Add(DefaultTransferTimeout)) {
		t.Fatalf("offers %+v, want one for the default transfer timeout", o)
	}
	if owner, _ := h.s.Owner(1); owner != 1 {
		t.Fatalf("owner %d while the transfer rings", owner)
	}
	h.expect("accept", h.do(Accept{InteractionID: 1, AgentID: 2}), "transfer 1 1>2")
	if l := h.s.AgentLoad(1)[Chat]; l.Owned != 0 {
		t.Fatalf("the old owner still holds %+v", l)
	}
}

func TestTransferIsRefusedUnlessTheOwnerAsksForAnAvailableTarget(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(h *harness)
		cmd   Transfer
		want  error
	}{
		{"target logged out", func(h *harness) {}, Transfer{InteractionID: 1, By: 1, ToAgent: 2}, ErrUnavailable},
		{"target away", func(h *harness) { h.login(2, in()); h.do(Away{AgentID: 2}) },
			Transfer{InteractionID: 1, By: 1, ToAgent: 2}, ErrUnavailable},
		{"target full", func(h *harness) { h.login(2, in(2).withCapacity(Chat, 1)); h.enqueue(2, 2) },
			Transfer{InteractionID: 1, By: 1, ToAgent: 2}, ErrUnavailable},
		{"queue with nobody eligible but the owner", func(h *harness) {
			h.do(AddToQueue{AgentID: 1, QueueID: 2})
			h.do(Login{AgentID: 2, Paused: true, AgentConfig: in(2)})
		}, Transfer{InteractionID: 1, By: 1, ToQueue: 2}, ErrUnavailable},
		{"not the owner", func(h *harness) { h.login(2, in()) }, Transfer{InteractionID: 1, By: 2, ToAgent: 1}, ErrNotOwner},
		{"to himself", func(h *harness) {}, Transfer{InteractionID: 1, By: 1, ToAgent: 1}, ErrInvalid},
		{"two targets", func(h *harness) { h.login(2, in(2)) }, Transfer{InteractionID: 1, By: 1, ToAgent: 2, ToQueue: 2}, ErrInvalid},
		{"already pending", func(h *harness) {
			h.login(2, in())
			h.login(3, in())
			h.do(Transfer{InteractionID: 1, By: 1, ToAgent: 3})
		}, Transfer{InteractionID: 1, By: 1, ToAgent: 2}, ErrTransferPending},
		{"unknown queue", func(h *harness) {}, Transfer{InteractionID: 1, By: 1, ToQueue: 9}, ErrUnknownQueue},
		{"queue on another channel", func(h *harness) {
			h.do(UpsertQueue{Queue{ID: 9, Channel: Email, AgentTimeout: timeout}})
		}, Transfer{InteractionID: 1, By: 1, ToQueue: 9}, ErrChannelMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := transferHarness(t)
			tc.setup(h)
			h.fails(tc.cmd, tc.want)
		})
	}
}

func TestTransferToAPausedAgentRingsThroughHisPause(t *testing.T) {
	h := transferHarness(t)
	h.do(Login{AgentID: 2, Paused: true, AgentConfig: in()})
	h.expect("transfer", h.do(Transfer{InteractionID: 1, By: 1, ToAgent: 2}), "offer 1 2 transfer")
	h.expect("pausing again keeps it", h.do(Pause{AgentID: 2, Reason: "still"}))
	h.expect("away ends it", h.do(Away{AgentID: 2}), "end 1 2 away transfer", "return 1 1")
}

func TestTransferToAQueueRingsEveryEligibleAgentButTheOwner(t *testing.T) {
	h := transferHarness(t)
	h.do(AddToQueue{AgentID: 1, QueueID: 2})
	h.login(2, in(2))
	h.login(3, in(2))
	h.expect("transfer", h.do(Transfer{InteractionID: 1, By: 1, ToQueue: 2, Timeout: time.Minute}),
		"offer 1 2 transfer", "offer 1 3 transfer")
	h.expect("reject", h.do(Reject{InteractionID: 1, AgentID: 2}), "end 1 2 rejected transfer")
	h.expect("a newly available agent joins", h.login(4, in(2)), "offer 1 4 transfer")
	h.expect("accept", h.do(Accept{InteractionID: 1, AgentID: 3}), "transfer 1 1>3", "end 1 4 taken transfer")
	if it, _ := h.s.Interaction(1); it.QueueID != 2 || it.Owner != 3 {
		t.Fatalf("after a queue transfer: %+v", it)
	}
}

func TestTransferReturnsToTheOwnerWhenNobodyAccepts(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(h *harness) []string
		want []string
	}{
		{"deadline", func(h *harness) []string {
			h.expect("before", h.advance(time.Minute-time.Second))
			return h.advance(time.Second)
		}, []string{"end 1 2 timeout transfer", "end 1 3 timeout transfer", "return 1 1"}},
		{"every target rejects", func(h *harness) []string {
			h.do(Reject{InteractionID: 1, AgentID: 2})
			return h.do(Reject{InteractionID: 1, AgentID: 3})
		}, []string{"end 1 3 rejected transfer", "return 1 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := transferHarness(t)
			h.login(2, in(2))
			h.login(3, in(2))
			h.do(Transfer{InteractionID: 1, By: 1, ToQueue: 2, Timeout: time.Minute})
			h.expect("end", tc.end(h), tc.want...)
			if it, _ := h.s.Interaction(1); it.Owner != 1 || it.Transfer != nil || it.QueueID != 1 {
				t.Fatalf("after the return: %+v", it)
			}
			if at, ok := h.s.NextDeadline(); ok {
				t.Fatalf("deadline %v left", at)
			}
		})
	}
}

// Rule 12: membership, capacity and profile changes.
func TestActiveQueueChangesWithdrawOffersNoLongerValid(t *testing.T) {
	for _, tc := range []struct {
		name string
		cmd  Command
	}{
		{"profile change", UpdateAgent{AgentID: 1, AgentConfig: in(2)}},
		{"supervisor removal", RemoveFromQueue{AgentID: 1, QueueID: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, queue(1, RingAll), queue(2, RingAll))
			h.login(1, in(1, 2))
			h.enqueue(1, 1)
			h.enqueue(2, 2)
			h.expect("change", h.do(tc.cmd), "end 1 1 unassigned")
			if got := h.offers(1); !slices.Equal(got, []int64{2}) {
				t.Fatalf("offers %v", got)
			}
		})
	}
}

func TestAgentAddedToAQueueGetsItsWaitingInteractionsAtOnce(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(1, in())
	h.enqueue(1, 1)
	h.expect("added", h.do(AddToQueue{AgentID: 1, QueueID: 1, Penalty: 2}), "offer 1 1")
}

func TestLoweringCapacityKeepsOwnedInteractionsAndStopsOffers(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(1, in(1).withCapacity(Chat, 4))
	for i := int64(1); i <= 4; i++ {
		h.enqueue(i, 1)
	}
	h.do(Accept{InteractionID: 1, AgentID: 1})
	h.do(Accept{InteractionID: 2, AgentID: 1})
	h.clk.Advance(time.Second)
	h.expect("lowered to 3", h.do(UpdateAgent{AgentID: 1, AgentConfig: in(1).withCapacity(Chat, 3)}), "end 4 1 capacity")
	h.expect("lowered to 1", h.do(UpdateAgent{AgentID: 1, AgentConfig: in(1).withCapacity(Chat, 1)}), "end 3 1 capacity")
	if l := h.s.AgentLoad(1)[Chat]; l.Owned != 2 || l.Offered != 0 {
		t.Fatalf("load %+v: owned interactions are never taken away", l)
	}
	h.expect("still one too many", h.do(Close{InteractionID: 1}), "close 1")
	h.expect("room again", h.do(Close{InteractionID: 2}), "close 2", "offer 3 1")
}

// Rule 13: queue changes.
func TestQueueChangesApplyToFutureDecisions(t *testing.T) {
	h := newHarness(t, queue(1, Linear), queue(2, Linear))
	h.login(1, in(1, 2).withCapacity(Chat, 1))
	h.enqueue(1, 1)
	for _, c := range []Enqueue{{InteractionID: 2, QueueID: 1}, {InteractionID: 3, QueueID: 1}, {InteractionID: 4, QueueID: 2}} {
		h.clk.Advance(time.Second)
		h.do(c)
	}
	longer := queue(1, Linear)
	longer.AgentTimeout = time.Minute
	h.expect("upsert", h.do(UpsertQueue{longer}))
	h.expect("the ringing offer keeps its expiry", h.advance(timeout-3*time.Second), "end 1 1 timeout", "offer 2 1")
	if o := h.s.Offers(1); !o[0].ExpiresAt.Equal(h.clk.Now().Add(time.Minute)) {
		t.Fatalf("new offer %+v, want the new timeout", o[0])
	}
	urgent := queue(2, Linear)
	urgent.Priority = 1
	h.do(UpsertQueue{urgent})
	h.expect("the new priority puts 4 before the older 3", h.do(Reject{InteractionID: 2, AgentID: 1}), "end 2 1 rejected", "offer 4 1")
}

func TestQueueRemovalIsRefusedWhileInUse(t *testing.T) {
	mover := queue(3, RingAll)
	mover.MaxWait, mover.MaxWaitAction, mover.MoveToQueueID = time.Minute, MoveToQueue, 2
	h := newHarness(t, queue(1, RingAll), queue(2, RingAll), mover)
	h.enqueue(1, 1)
	h.fails(RemoveQueue{QueueID: 1}, ErrQueueInUse)
	h.fails(RemoveQueue{QueueID: 2}, ErrQueueInUse) // queue 3 moves into it
	moved := queue(1, RingAll)
	moved.Channel = Email
	h.fails(UpsertQueue{moved}, ErrQueueInUse)
	h.do(Close{InteractionID: 1})
	h.do(RemoveQueue{QueueID: 1})
	h.fails(RemoveQueue{QueueID: 1}, ErrUnknownQueue)
	h.fails(Enqueue{InteractionID: 2, QueueID: 1}, ErrUnknownQueue)
}

func TestQueueSettingsAreValidated(t *testing.T) {
	bad := func(change func(q *Queue)) Queue {
		q := queue(5, RingAll)
		change(&q)
		return q
	}
	h := newHarness(t, queue(1, RingAll))
	for _, tc := range []struct {
		q    Queue
		want error
	}{
		{bad(func(q *Queue) { q.ID = 0 }), ErrInvalid},
		{bad(func(q *Queue) { q.Channel = "pigeon" }), ErrInvalid},
		{bad(func(q *Queue) { q.Strategy = "lottery" }), ErrInvalid},
		{bad(func(q *Queue) { q.AgentTimeout = 0 }), ErrInvalid},
		{bad(func(q *Queue) { q.MaxWaitAction = MoveToQueue; q.MoveToQueueID = 5 }), ErrInvalid},
		{bad(func(q *Queue) { q.MaxWaitAction = MoveToQueue; q.MoveToQueueID = 9 }), ErrUnknownQueue},
		{bad(func(q *Queue) { q.MaxWaitAction = MoveToQueue; q.MoveToQueueID = 1; q.Channel = SMS }), ErrChannelMismatch},
	} {
		h.fails(UpsertQueue{tc.q}, tc.want)
	}
}

// Rule 14: position and estimated wait.
func TestPositionAndEstimatedWait(t *testing.T) {
	h := newHarness(t, queue(1, Linear))
	if w := h.s.EstimatedWait(1); w != 0 {
		t.Fatalf("estimate %v with no history, want 0", w)
	}
	h.login(1, in(1).withCapacity(Chat, 1))
	h.enqueue(1, 1)
	h.clk.Advance(10 * time.Second)
	h.do(Accept{InteractionID: 1, AgentID: 1}) // waited 10 s
	h.enqueue(2, 1)
	h.enqueue(3, 1)
	h.do(Close{InteractionID: 1})
	h.clk.Advance(20 * time.Second)
	h.do(Accept{InteractionID: 2, AgentID: 1}) // waited 20 s: the mean is 15 s
	h.enqueue(4, 1)
	for id, want := range map[int64]int{3: 1, 4: 2} {
		if pos, ok := h.s.Position(id); !ok || pos != want {
			t.Fatalf("position of %d: %d %v, want %d", id, pos, ok, want)
		}
	}
	if _, ok := h.s.Position(2); ok {
		t.Fatal("an owned interaction has a position")
	}
	if w, _ := h.s.EstimatedWaitFor(4); w != 30*time.Second {
		t.Fatalf("estimate for position 2: %v, want 30s", w)
	}
	if w := h.s.EstimatedWait(1); w != 45*time.Second {
		t.Fatalf("estimate for a newcomer (position 3): %v, want 45s", w)
	}
}

func TestNextDeadlineIsTheEarliestThatMatters(t *testing.T) {
	q := queue(1, Linear)
	q.MaxWait, q.MaxWaitAction = 20*time.Second, CloseUnmanaged
	h := newHarness(t, q)
	if _, ok := h.s.NextDeadline(); ok {
		t.Fatal("a deadline in an empty state")
	}
	h.login(1, in(1).withAutoAnswer(Chat, 25*time.Second))
	h.enqueue(1, 1)
	if at, _ := h.s.NextDeadline(); !at.Equal(t0.Add(20 * time.Second)) {
		t.Fatalf("deadline %v, want the max wait", at)
	}
	keep := queue(1, Linear)
	keep.MaxWait = 20 * time.Second // keep: no deadline of its own
	h.do(UpsertQueue{keep})
	if at, _ := h.s.NextDeadline(); !at.Equal(t0.Add(25 * time.Second)) {
		t.Fatalf("deadline %v, want the auto-answer", at)
	}
}

func TestErrorsLeaveTheStateUnchanged(t *testing.T) {
	h := transferHarness(t)
	for _, tc := range []struct {
		cmd  Command
		want error
	}{
		{nil, ErrInvalid},
		{Login{AgentID: 1}, ErrLoggedIn},
		{Login{AgentID: 0}, ErrInvalid},
		{Login{AgentID: 5, AgentConfig: in().withCapacity(Chat, -1)}, ErrInvalid},
		{UpdateAgent{AgentID: 1, AgentConfig: in().withAutoAnswer("pigeon", 0)}, ErrInvalid},
		{Pause{AgentID: 9}, ErrNotLoggedIn},
		{Logout{AgentID: 9}, ErrNotLoggedIn},
		{Enqueue{InteractionID: 1, QueueID: 1}, ErrInteractionExists},
		{Enqueue{InteractionID: 2, QueueID: 9}, ErrUnknownQueue},
		{Close{InteractionID: 9}, ErrUnknownInteraction},
		{Transfer{InteractionID: 9, By: 1, ToAgent: 2}, ErrUnknownInteraction},
	} {
		h.fails(tc.cmd, tc.want)
	}
}

// Rule 15: snapshot and restore.
func TestRestoreContinuesExactlyAsTheOriginal(t *testing.T) {
	first := []Command{
		UpsertQueue{queue(1, Random)}, UpsertQueue{queue(2, RoundRobin)}, UpsertQueue{queue(3, RingAll)},
		Login{AgentID: 1, AgentConfig: in(1, 2, 3)}, Login{AgentID: 2, AgentConfig: in(1, 2, 3)},
		Login{AgentID: 3, AgentConfig: in(1, 2, 3).withAutoAnswer(Chat, 10*time.Second)},
		Enqueue{InteractionID: 1, QueueID: 1}, Enqueue{InteractionID: 2, QueueID: 2}, Enqueue{InteractionID: 3, QueueID: 3},
		Reject{InteractionID: 3, AgentID: 1},
	}
	rest := []Command{
		Tick{}, Enqueue{InteractionID: 4, QueueID: 1}, Enqueue{InteractionID: 5, QueueID: 2},
		Tick{}, Enqueue{InteractionID: 6, QueueID: 1}, Enqueue{InteractionID: 7, QueueID: 1}, Tick{},
	}
	clk := clock.NewFake(t0)
	a := New(clk, rand.NewPCG(7, 7))
	for _, c := range first {
		if _, err := a.Apply(c); err != nil {
			t.Fatalf("%T: %v", c, err)
		}
	}
	snap := mustJSON(t, a.Snapshot())
	var decoded Snapshot
	if err := jsonUnmarshal(snap, &decoded); err != nil {
		t.Fatal(err)
	}
	b := New(clk, rand.NewPCG(0, 0)) // another seed: the snapshot carries the position
	if err := b.Restore(decoded); err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, b.Snapshot()); got != snap {
		t.Fatalf("restored state differs:\n%s\n%s", snap, got)
	}
	for i, c := range rest {
		if i%3 == 0 {
			clk.Advance(7 * time.Second)
		}
		ea, errA := a.Apply(c)
		eb, errB := b.Apply(c)
		if errA != nil || errB != nil || mustJSON(t, ea) != mustJSON(t, eb) {
			t.Fatalf("step %d %T: original %v %v, restored %v %v", i, c, describe(ea), errA, describe(eb), errB)
		}
	}
	if mustJSON(t, a.Snapshot()) != mustJSON(t, b.Snapshot()) {
		t.Fatal("states diverged")
	}
}

func TestRestoreRefusesAnInconsistentSnapshot(t *testing.T) {
	h := transferHarness(t)
	h.login(2, in(2))
	h.do(Transfer{InteractionID: 1, By: 1, ToQueue: 2})
	good := h.s.Snapshot()
	for _, tc := range []struct {
		name    string
		corrupt func(s *Snapshot)
	}{
		{"interaction in an unknown queue", func(s *Snapshot) { s.Interactions[0].QueueID = 9 }},
		{"offer to a logged-out agent", func(s *Snapshot) { s.Agents = s.Agents[:1] }},
		{"waiting with an owner", func(s *Snapshot) { s.Interactions[0].Status, s.Interactions[0].Transfer = StatusWaiting, nil }},
		{"owned without owner", func(s *Snapshot) { s.Interactions[0].Owner = 0 }},
		{"duplicate queue", func(s *Snapshot) { s.Queues = append(s.Queues, s.Queues[0]) }},
		{"bad random state", func(s *Snapshot) { s.Rand = []byte("x") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var bad Snapshot
			if err := jsonUnmarshal(mustJSON(t, good), &bad); err != nil {
				t.Fatal(err)
			}
			tc.corrupt(&bad)
			before := mustJSON(t, h.s.Snapshot())
			if err := h.s.Restore(bad); !errors.Is(err, ErrInvalid) {
				t.Fatalf("restore: %v, want ErrInvalid", err)
			}
			if mustJSON(t, h.s.Snapshot()) != before {
				t.Fatal("a refused restore changed the state")
			}
		})
	}
}

func TestSnapshotAndViewsAreCopies(t *testing.T) {
	h := transferHarness(t)
	h.login(2, in(1))
	h.do(Transfer{InteractionID: 1, By: 1, ToAgent: 2})
	before := mustJSON(t, h.s.Snapshot())
	snap := h.s.Snapshot()
	snap.Agents[0].ActiveQueues[1] = 9
	snap.Interactions[0].Offers[2] = Offer{}
	snap.Interactions[0].Transfer.ToAgent = 9
	it, _ := h.s.Interaction(1)
	it.Offers[3] = Offer{}
	a, _ := h.s.Agent(1)
	a.ActiveQueues[5] = 0
	h.s.AgentLoad(2)[Chat] = Load{Owned: 9}
	if mustJSON(t, h.s.Snapshot()) != before {
		t.Fatal("changing a snapshot or a view changed the state")
	}
}
