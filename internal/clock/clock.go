// Package clock gives every timer and timestamp in Switchboard one injectable
// source of time, so tests drive time forward instead of sleeping.
package clock

import (
	"sort"
	"sync"
	"time"
)

// Clock is the source of time.
type Clock interface {
	Now() time.Time
	// AfterFunc runs f in its own goroutine once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer can be stopped before it fires.
type Timer interface {
	// Stop prevents the timer from firing; it reports whether it did.
	Stop() bool
}

// Real is the wall clock.
type Real struct{}

func (Real) Now() time.Time { return time.Now().UTC() }

func (Real) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Fake is a manually advanced clock for tests.
type Fake struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	seq    int
}

// NewFake returns a fake clock set at t.
func NewFake(t time.Time) *Fake { return &Fake{now: t.UTC()} }

func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

type fakeTimer struct {
	c       *Fake
	at      time.Time
	seq     int
	f       func()
	stopped bool
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

func (c *Fake) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &fakeTimer{c: c, at: c.now.Add(d), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves time forward by d and runs, synchronously and in due order,
// every timer that comes due.
func (c *Fake) Advance(d time.Duration) {
	c.mu.Lock()
	target := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		live := c.timers[:0]
		for _, t := range c.timers {
			if !t.stopped {
				live = append(live, t)
			}
		}
		c.timers = live
		sort.Slice(c.timers, func(i, j int) bool {
			if c.timers[i].at.Equal(c.timers[j].at) {
				return c.timers[i].seq < c.timers[j].seq
			}
			return c.timers[i].at.Before(c.timers[j].at)
		})
		var next *fakeTimer
		if len(c.timers) > 0 && !c.timers[0].at.After(target) {
			next = c.timers[0]
			c.timers = c.timers[1:]
		}
		if next == nil {
			c.now = target
			c.mu.Unlock()
			return
		}
		next.stopped = true
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.mu.Unlock()
		next.f()
	}
}

// Set moves the clock to t (forward only), firing due timers.
func (c *Fake) Set(t time.Time) { c.Advance(t.Sub(c.Now())) }

// Shifted is real time that can be moved forward: browser tests run the
// real binary (built with the e2e tag) on it, so the desktop ticks as usual
// while a test jumps over a two-minute offer timeout instead of waiting.
type Shifted struct {
	mu     sync.Mutex
	offset time.Duration
	timers map[*shiftedTimer]struct{}
}

// NewShifted returns a clock at real time.
func NewShifted() *Shifted { return &Shifted{timers: map[*shiftedTimer]struct{}{}} }

func (c *Shifted) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().UTC().Add(c.offset)
}

type shiftedTimer struct {
	c    *Shifted
	at   time.Time // in shifted time
	real *time.Timer
	once sync.Once
	f    func()
}

// fire runs the timer's function once, whether real time or a shift got there first.
func (t *shiftedTimer) fire() {
	t.c.mu.Lock()
	delete(t.c.timers, t)
	t.c.mu.Unlock()
	t.once.Do(t.f)
}

func (t *shiftedTimer) Stop() bool {
	t.c.mu.Lock()
	_, pending := t.c.timers[t]
	delete(t.c.timers, t)
	t.c.mu.Unlock()
	t.real.Stop()
	return pending
}

func (c *Shifted) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &shiftedTimer{c: c, at: time.Now().UTC().Add(c.offset).Add(d), f: f}
	c.timers[t] = struct{}{}
	t.real = time.AfterFunc(d, t.fire)
	return t
}

// Advance moves the clock forward by d and runs, in due order, the timers
// that came due.
func (c *Shifted) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	now := time.Now().UTC().Add(c.offset)
	var due []*shiftedTimer
	for t := range c.timers {
		if !t.at.After(now) {
			due = append(due, t)
		}
	}
	c.mu.Unlock()
	sort.Slice(due, func(i, j int) bool { return due[i].at.Before(due[j].at) })
	for _, t := range due {
		t.real.Stop()
		t.fire()
	}
}
