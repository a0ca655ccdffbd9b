package bench

import (
	"math"
	"slices"
	"sort"
	"sync"
	"time"
)

// Samples keeps every latency measured, so percentiles are exact (sorted
// samples, nearest rank) rather than estimated from buckets. A run stores a
// few hundred thousand at most: a few megabytes.
type Samples struct {
	mu sync.Mutex
	d  []time.Duration
}

// Add records one latency.
func (s *Samples) Add(d time.Duration) {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
}

// Latency summarises samples in milliseconds.
type Latency struct {
	Count  int     `json:"count"`
	P50    float64 `json:"p50_ms"`
	P95    float64 `json:"p95_ms"`
	P99    float64 `json:"p99_ms"`
	Max    float64 `json:"max_ms"`
	Mean   float64 `json:"mean_ms"`
	Target float64 `json:"target_p99_ms,omitempty"` // the goal for p99, when it sets one
}

// Summary sorts a copy of the samples and reads its percentiles.
func (s *Samples) Summary() Latency {
	s.mu.Lock()
	d := slices.Clone(s.d)
	s.mu.Unlock()
	return summarize(d)
}

func summarize(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	slices.Sort(d)
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return Latency{Count: len(d), P50: ms(percentile(d, 50)), P95: ms(percentile(d, 95)), P99: ms(percentile(d, 99)),
		Max: ms(d[len(d)-1]), Mean: ms(sum / time.Duration(len(d)))}
}

// percentile is the nearest-rank percentile of sorted samples: the
// smallest sample with at least p% of the samples at or below it.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// Errors counts failures by kind ("chat start: 429 rate_limited", …).
type Errors struct {
	mu sync.Mutex
	m  map[string]int64
}

// Add counts one failure of a kind.
func (e *Errors) Add(kind string) {
	e.mu.Lock()
	if e.m == nil {
		e.m = map[string]int64{}
	}
	e.m[kind]++
	e.mu.Unlock()
}

// Map returns the counts (nil when there were none).
func (e *Errors) Map() map[string]int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.m) == 0 {
		return nil
	}
	out := make(map[string]int64, len(e.m))
	for k, v := range e.m {
		out[k] = v
	}
	return out
}

// Total is the number of failures of every kind.
func (e *Errors) Total() int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	var n int64
	for _, v := range e.m {
		n += v
	}
	return n
}

// sortedKeys lists a map's keys in order, for stable output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
