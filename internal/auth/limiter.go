package auth

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

// Limiter is a token bucket per key (an IP address, a username), driven by
// the injected clock. Idle keys are forgotten so the map stays small.
type Limiter struct {
	mu      sync.Mutex
	clock   clock.Clock
	every   time.Duration
	burst   int
	buckets map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewLimiter allows burst events at once, then one per every.
func NewLimiter(clk clock.Clock, every time.Duration, burst int) *Limiter {
	return &Limiter{clock: clk, every: every, burst: burst, buckets: map[string]*bucket{}}
}

// Allow spends one token of key's bucket, reporting whether there was one.
func (l *Limiter) Allow(key string) bool {
	ok, _ := l.Take(key)
	return ok
}

// Take is Allow that, when the bucket is empty, also tells how long until
// the next token (for a Retry-After).
func (l *Limiter) Take(key string) (ok bool, retryAfter time.Duration) {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buckets) > 10000 {
		l.forgetIdle(now)
	}
	b, found := l.buckets[key]
	if !found {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() { // burst 0: never
		return false, l.every
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // refused: the token stays for whoever waits
		return false, d
	}
	return true, 0
}

// forgetIdle drops buckets that have refilled completely.
func (l *Limiter) forgetIdle(now time.Time) {
	full := l.every * time.Duration(l.burst)
	for k, b := range l.buckets {
		if now.Sub(b.seen) > full {
			delete(l.buckets, k)
		}
	}
}
