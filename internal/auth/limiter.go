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
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buckets) > 10000 {
		l.forgetIdle(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
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
