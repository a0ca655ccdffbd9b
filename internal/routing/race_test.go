//go:build race

package routing

// raceEnabled: the race detector slows the property test about tenfold, and
// the state has a single goroutine for it to watch, so the race build runs
// fewer sequences.
const raceEnabled = true
