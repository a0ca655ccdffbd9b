// Package acd runs the routing engine for a site: it owns the routing
// state machine (internal/routing), feeds it the configuration and presence
// kept in the database, persists every decision in the transaction that
// records its events, arms the one timer the state asks for, and rebuilds
// the state at start so a restart loses no waiting interaction, offer or owner.
package acd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/routing"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// Options tune the engine.
type Options struct {
	// RequeueOnLogout puts an agent's open interactions back in their
	// queues when he logs out; otherwise he keeps them.
	RequeueOnLogout bool
}

// Engine is the single writer of the routing state: every command runs
// under its lock, in order, and is persisted before the next one starts.
type Engine struct {
	mu    sync.Mutex
	state *routing.State
	db    *store.DB
	clock clock.Clock
	log   *slog.Logger
	opts  Options
	timer clock.Timer
	// saved is the last snapshot written, to roll the state back when a
	// write fails, so memory never runs ahead of the database.
	saved routing.Snapshot
	// failures counts decisions in a row that could not be saved; the
	// timer backs off so a failing database is not hammered.
	failures int
	// afterSave, when set, runs after each decision is saved (tests).
	afterSave func([]routing.Effect)
	// working is, per logged-in agent, his active queues, republished after
	// each decision. The realtime hub reads it while a decision is being
	// committed, so it must not need the engine's lock.
	working atomic.Pointer[map[int64]map[int64]int]
	// staffed is the set of queues with an available agent (see Staffed),
	// republished with working.
	staffed atomic.Pointer[map[int64]bool]
}

// New builds an engine and rebuilds its state from the database.
func New(ctx context.Context, db *store.DB, clk clock.Clock, log *slog.Logger, opts Options) (*Engine, error) {
	e := &Engine{db: db, clock: clk, log: log, opts: opts,
		state: routing.New(clk, rand.NewPCG(uint64(clk.Now().UnixNano()), 0x5eed))}
	if err := e.rebuild(ctx); err != nil {
		return nil, fmt.Errorf("acd: rebuild: %w", err)
	}
	return e, nil
}

// Stop disarms the timer (graceful shutdown).
func (e *Engine) Stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
}

// apply runs one command and persists its effects; with pre set, pre runs
// first inside the lock (to read configuration consistently).
func (e *Engine) apply(ctx context.Context, cmd routing.Command) ([]routing.Effect, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.applyLocked(ctx, cmd)
}

func (e *Engine) applyLocked(ctx context.Context, cmd routing.Command) ([]routing.Effect, error) {
	return e.applyLockedWith(ctx, cmd, nil)
}

// applyLockedWith is applyLocked that also runs with (when set) in the
// decision's transaction: if the command is refused or saving fails,
// nothing with wrote stays.
func (e *Engine) applyLockedWith(ctx context.Context, cmd routing.Command, with store.TxFunc) ([]routing.Effect, error) {
	effects, err := e.state.Apply(cmd)
	if err != nil {
		return nil, mapRoutingError(err)
	}
	if err := e.save(ctx, effects, with); err != nil {
		// Memory must not run ahead of the database: go back to what is saved.
		if rerr := e.state.Restore(e.saved); rerr != nil {
			e.log.Error("acd: cannot roll back routing state", "err", rerr)
		}
		e.failures++
		e.arm()
		return nil, err
	}
	e.failures = 0
	e.arm()
	e.publishWorking()
	if e.afterSave != nil {
		e.afterSave(effects)
	}
	return effects, nil
}

// publishWorking republishes who works which queues.
func (e *Engine) publishWorking() {
	m := map[int64]map[int64]int{}
	staffed := map[int64]bool{}
	for _, a := range e.saved.Agents {
		m[a.ID] = a.ActiveQueues
		if !a.Paused && !a.Away {
			for q := range a.ActiveQueues {
				staffed[q] = true
			}
		}
	}
	e.working.Store(&m)
	e.staffed.Store(&staffed)
}

// save writes a decision: its events, the interaction rows it changed and
// the new snapshot, in one transaction.
func (e *Engine) save(ctx context.Context, effects []routing.Effect, with store.TxFunc) error {
	snap := e.state.Snapshot()
	raw, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	batch := store.RoutingBatch{Snapshot: raw, With: with}
	for _, ef := range effects {
		ev, change := describe(ef)
		batch.Events = append(batch.Events, ev)
		if change != nil {
			batch.Changes = append(batch.Changes, *change)
		}
	}
	if err := e.db.SaveRouting(context.WithoutCancel(ctx), batch); err != nil {
		return err
	}
	e.saved = snap
	return nil
}

// arm sets the one timer for the state's next deadline.
func (e *Engine) arm() {
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
	at, ok := e.state.NextDeadline()
	if !ok {
		return
	}
	d := max(at.Sub(e.clock.Now()), 0)
	if e.failures > 0 { // the last save failed: retry later, not at once
		d = max(d, min(time.Second<<min(e.failures, 6), time.Minute))
	}
	e.timer = e.clock.AfterFunc(d, func() {
		if _, err := e.apply(context.Background(), routing.Tick{}); err != nil {
			e.log.Error("acd: tick", "err", err)
		}
	})
}

// describe turns an effect into its event and the row change it implies.
func describe(ef routing.Effect) (eventlog.Event, *store.InteractionChange) {
	data, _ := json.Marshal(ef)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	var id int64
	var change *store.InteractionChange
	own := func(a int64) *int64 { return &a }
	switch x := ef.(type) {
	case routing.Offered:
		id = x.Interaction
		m["private"] = true // an offer is for its agent (and supervisors), not his queue mates
	case routing.OfferEnded:
		id = x.Interaction
		m["private"] = true
	case routing.Assigned:
		id = x.Interaction
		change = &store.InteractionChange{ID: id, Status: "open", Owner: own(x.Agent)}
	case routing.TransferAccepted:
		id = x.Interaction
		change = &store.InteractionChange{ID: id, Owner: own(x.To), QueueID: x.Queue}
	case routing.TransferReturned:
		id = x.Interaction
	case routing.Moved:
		id = x.Interaction
		change = &store.InteractionChange{ID: id, QueueID: x.To, Requeued: true}
	case routing.ClosedUnmanaged:
		id = x.Interaction
		change = &store.InteractionChange{ID: id, Status: "closed_unmanaged"}
	case routing.Requeued:
		id = x.Interaction
		change = &store.InteractionChange{ID: id, Status: "waiting", Owner: own(0)}
	case routing.Closed:
		id = x.Interaction
		change = &store.InteractionChange{ID: id, Status: "closed"}
	}
	return eventlog.Event{Type: eventlog.Type(ef.Kind()), SubjectType: "interaction", SubjectID: &id,
		Data: eventlog.Data(m)}, change
}

// mapRoutingError turns routing's refusals into client errors.
func mapRoutingError(err error) error {
	switch {
	case errors.Is(err, routing.ErrNoLiveOffer):
		return apperr.New(apperr.Conflict, "offer.gone")
	case errors.Is(err, routing.ErrNotOwner):
		return apperr.New(apperr.Forbidden, "interaction.not_owner")
	case errors.Is(err, routing.ErrTransferPending):
		return apperr.New(apperr.Conflict, "transfer.pending")
	case errors.Is(err, routing.ErrUnavailable):
		return apperr.New(apperr.Conflict, "transfer.unavailable")
	case errors.Is(err, routing.ErrNotLoggedIn):
		return apperr.New(apperr.Conflict, "agent.not_logged_in")
	case errors.Is(err, routing.ErrUnknownInteraction):
		return apperr.New(apperr.NotFound, "error.not_found")
	case errors.Is(err, routing.ErrUnknownQueue):
		return apperr.Field("queue_id", "queue.unknown")
	case errors.Is(err, routing.ErrQueueInUse):
		return apperr.New(apperr.Conflict, "queue.in_use", 1)
	case errors.Is(err, routing.ErrChannelMismatch):
		return apperr.Field("queue_id", "queue.channel_mismatch")
	case errors.Is(err, routing.ErrInvalid):
		return apperr.New(apperr.Invalid, "routing.invalid")
	}
	return err
}

// queueConfig converts a stored queue into routing's view of it.
func queueConfig(q *staff.Queue) routing.Queue {
	out := routing.Queue{ID: q.ID, Channel: routing.Channel(q.Channel), Strategy: routing.Strategy(q.Strategy),
		AgentTimeout: time.Duration(q.AgentTimeout) * time.Second, Priority: q.Priority,
		MaxWait: time.Duration(q.MaxWait) * time.Second, MaxWaitAction: routing.MaxWaitAction(q.MaxWaitAction)}
	if q.MaxWaitAction == staff.MoveToQueue && q.MaxWaitQueueID != nil {
		out.MoveToQueueID = *q.MaxWaitQueueID
	} else if q.MaxWaitAction == staff.MoveToQueue {
		out.MaxWaitAction = routing.KeepWaiting
	}
	return out
}

// agentConfig reads what routing needs of an agent: his active queues for a
// profile, and his capacity and auto-answer per channel.
func (e *Engine) agentConfig(ctx context.Context, agentID int64, profileID *int64) (routing.AgentConfig, error) {
	active, err := e.db.ActiveQueues(ctx, agentID, profileID)
	if err != nil {
		return routing.AgentConfig{}, err
	}
	a, err := e.db.Agent(ctx, agentID)
	if err != nil {
		return routing.AgentConfig{}, err
	}
	cfg := routing.AgentConfig{ActiveQueues: active, Capacity: map[routing.Channel]int{},
		AutoAnswer: map[routing.Channel]time.Duration{}}
	for ch, s := range a.Channels {
		if s.Capacity > 0 {
			cfg.Capacity[routing.Channel(ch)] = s.Capacity
		}
		if s.AutoAnswer {
			cfg.AutoAnswer[routing.Channel(ch)] = time.Duration(s.AutoAnswerDelay) * time.Second
		}
	}
	return cfg, nil
}
