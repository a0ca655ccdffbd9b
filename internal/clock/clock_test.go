package clock

import (
	"strings"
	"testing"
	"time"
)

func TestFakeRunsDueTimersInOrderAndSkipsStopped(t *testing.T) {
	c := NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var got []string
	c.AfterFunc(3*time.Second, func() { got = append(got, "c") })
	c.AfterFunc(time.Second, func() { got = append(got, "a") })
	stopped := c.AfterFunc(2*time.Second, func() { got = append(got, "stopped") })
	c.AfterFunc(time.Second, func() {
		got = append(got, "b")
		// A timer armed by a timer fires in the same Advance when due.
		c.AfterFunc(time.Second, func() { got = append(got, "chained") })
	})
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop reports wrongly")
	}
	c.Advance(2500 * time.Millisecond)
	if want := "a b chained"; join(got) != want {
		t.Fatalf("got %q, want %q", join(got), want)
	}
	if !c.Now().Equal(time.Date(2026, 1, 1, 0, 0, 2, 500e6, time.UTC)) {
		t.Fatalf("now %v", c.Now())
	}
	c.Advance(time.Second)
	if join(got) != "a b chained c" {
		t.Fatalf("got %q", join(got))
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestShiftedRunsDueTimersOnAdvanceOnce(t *testing.T) {
	c := NewShifted()
	before := c.Now()
	var order []string
	c.AfterFunc(2*time.Hour, func() { order = append(order, "second") })
	c.AfterFunc(time.Hour, func() { order = append(order, "first") })
	stopped := c.AfterFunc(90*time.Minute, func() { order = append(order, "stopped") })
	if !stopped.Stop() {
		t.Fatal("Stop of a pending timer reported false")
	}
	c.AfterFunc(3*time.Hour, func() { order = append(order, "later") })
	c.Advance(150 * time.Minute)
	if got := strings.Join(order, ","); got != "first,second" {
		t.Fatalf("ran %q, want first,second", got)
	}
	if d := c.Now().Sub(before); d < 150*time.Minute || d > 151*time.Minute {
		t.Fatalf("now moved %v, want about 150m", d)
	}
	c.Advance(0) // nothing due again: each timer runs once
	if len(order) != 2 {
		t.Fatalf("timers ran again: %v", order)
	}
}
