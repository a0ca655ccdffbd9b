package routing

import "testing"

// Deadlines undone before they fall (offers taken or withdrawn) stay in the
// schedule until they come to the top; a long busy stretch must not let
// them pile up without bound, nor hide the deadlines that still hold.
func TestUndoneDeadlinesDoNotPileUpInTheSchedule(t *testing.T) {
	h := newHarness(t, queue(1, RingAll))
	h.login(1, in(1))
	h.login(2, in(1))
	h.enqueue(1, 1) // rings until t0 + timeout, all along
	for id := int64(2); id < 3000; id++ {
		h.enqueue(id, 1)               // two offers scheduled…
		h.do(Close{InteractionID: id}) // …and withdrawn at once
		if _, ok := h.s.NextDeadline(); !ok {
			t.Fatal("no next deadline while interaction 1 rings")
		}
	}
	if at, _ := h.s.NextDeadline(); !at.Equal(t0.Add(timeout)) {
		t.Fatalf("next deadline %v, want interaction 1's offers expiring at %v", at, t0.Add(timeout))
	}
	if n := len(h.s.schedule); n > 2*2+1024 {
		t.Fatalf("%d deadlines scheduled for 2 that hold", n)
	}
	h.expect("the offers that held ring out", h.advance(timeout), "end 1 1 timeout", "end 1 2 timeout")
	if at, _ := h.s.NextDeadline(); !at.Equal(t0.Add(2 * timeout)) {
		t.Fatalf("next deadline %v, want the exclusions ending at %v", at, t0.Add(2*timeout))
	}
	h.expect("offered again once the exclusions end", h.advance(timeout), "offer 1 1", "offer 1 2")
}
