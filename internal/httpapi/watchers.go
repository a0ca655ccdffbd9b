package httpapi

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

// Who is watching an interaction now. A screen that opens an interaction
// calls POST .../watch, again every 30 seconds while it stays open, and
// DELETE .../watch when it closes; a watch nobody renews lapses after
// watchTTL, so a closed laptop does not watch for ever.

const watchTTL = 60 * time.Second

// watchTimers holds, per watch this node recorded, the timer that sweeps
// it once it lapses (renewing restarts it). Watches recorded by other
// nodes are swept by theirs; a lapsed watch shows for no one meanwhile.
type watchTimers struct {
	mu sync.Mutex
	m  map[watchKey]*watchTimer
}

type watchKey struct{ interaction, principal int64 }

type watchTimer struct{ t clock.Timer }

func (s *Server) watchInteraction(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	me := callerFrom(r.Context()).ID()
	if _, err := s.db.Watch(r.Context(), it.ID, me, watchTTL); err != nil {
		return err
	}
	s.sweepWatchAfter(watchKey{it.ID, me}, watchTTL)
	watching, err := s.db.Watchers(r.Context(), it.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"watching": watching, "expires_in_seconds": int(watchTTL.Seconds())})
	return nil
}

func (s *Server) unwatchInteraction(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	me := callerFrom(r.Context()).ID()
	s.watchTimers.stop(watchKey{it.ID, me})
	if _, err := s.db.Unwatch(r.Context(), it.ID, me); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sweepWatchAfter (re)starts the timer that expires a watch.
func (s *Server) sweepWatchAfter(k watchKey, d time.Duration) {
	wt := &watchTimer{}
	s.watchTimers.mu.Lock()
	defer s.watchTimers.mu.Unlock()
	if s.watchTimers.m == nil {
		s.watchTimers.m = map[watchKey]*watchTimer{}
	}
	if old := s.watchTimers.m[k]; old != nil {
		old.t.Stop()
	}
	s.watchTimers.m[k] = wt
	wt.t = s.clock.AfterFunc(d, func() {
		s.watchTimers.mu.Lock()
		if s.watchTimers.m[k] == wt {
			delete(s.watchTimers.m, k)
		}
		s.watchTimers.mu.Unlock()
		s.expireWatches()
	})
}

func (wt *watchTimers) stop(k watchKey) {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	if t := wt.m[k]; t != nil {
		t.t.Stop()
		delete(wt.m, k)
	}
}

// expireWatches sweeps every lapsed watch (its events reach the lists).
func (s *Server) expireWatches() {
	select {
	case <-s.closing:
		return
	default:
	}
	if _, err := s.db.ExpireWatches(context.Background()); err != nil {
		s.log.Warn("watch sweep", "err", err)
	}
}
