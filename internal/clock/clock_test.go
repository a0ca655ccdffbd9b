package clock

import (
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
