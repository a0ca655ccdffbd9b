// Package acd runs the routing engine for a site: it owns the routing
// state machine (internal/routing), feeds it the configuration and presence
// kept in the database, persists every decision in the transaction that
// records its events, arms the one timer the state asks for, and rebuilds
// the state at start so a restart loses no waiting interaction, offer or owner.
//
// A decision persists the command it applied, not the whole state (which
// costs O(agents + open interactions) to encode): the state is written only
// every Options.SnapshotEvery decisions or Options.SnapshotInterval, and at
// Stop, and a start replays the commands logged after the last snapshot.
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
	// SnapshotEvery is how many decisions are logged between two
	// snapshots of the routing state (0: DefaultSnapshotEvery). It bounds
	// both the replay at a start and the work of a rollback.
	SnapshotEvery int
	// SnapshotInterval is the longest time, by the clock, a decision may
	// follow the last snapshot without taking a new one
	// (0: DefaultSnapshotInterval).
	SnapshotInterval time.Duration
}

// The snapshot defaults: a snapshot of a large site (some 400 KB at 1,000
// agents and 2,000 open chats) every 500 decisions is a small part of the
// work, and a replay of 500 commands at a start takes milliseconds.
const (
	DefaultSnapshotEvery    = 500
	DefaultSnapshotInterval = time.Minute
)

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
	// base is the state as of the last snapshot taken (which includes the
	// logged commands up to baseID, and was taken at baseAt), and since the
	// commands saved after it: when a write fails, the state goes back to
	// base + since, so memory never runs ahead of the database.
	base   routing.Snapshot
	baseID int64
	baseAt time.Time
	since  []routing.LoggedCommand
	// lastID numbers the logged commands: the last number given.
	lastID int64
	// A snapshot is encoded and written outside the lock by one writer at
	// a time (writes waits for it): pending is the newest snapshot not yet
	// written (guarded by pendingMu), and persistedID the last command the
	// database's snapshot includes.
	pendingMu   sync.Mutex
	pending     *pendingSnapshot
	writing     bool // a writer is running (guarded by pendingMu)
	writes      sync.WaitGroup
	persistedID atomic.Int64
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
	// workers is working turned around: per queue, the logged-in agents
	// working it, in ID order (see QueueWorkers), republished with working.
	workers atomic.Pointer[map[int64][]int64]
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

// Stop disarms the timer and writes a snapshot of what the log holds
// beyond the last one (graceful shutdown), so the next start replays
// nothing.
func (e *Engine) Stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
	e.writes.Wait() // needs no lock: a write in flight finishes first
	if e.lastID > e.persistedID.Load() {
		e.base, e.baseID, e.baseAt, e.since = e.state.Snapshot(), e.lastID, e.clock.Now(), nil
		if err := e.writeSnapshot(context.Background(), e.base, e.baseID); err != nil {
			e.log.Error("acd: snapshot at stop (the next start replays the log)", "err", err)
		}
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
	// One time for the decision and its log entry (without the monotonic
	// reading, which the log cannot keep), so a replay decides the same.
	logged := routing.LoggedCommand{At: e.clock.Now().Round(0), Command: cmd}
	raw, err := json.Marshal(logged) // before Apply: a command the log cannot hold changes nothing
	if err != nil {
		return nil, err
	}
	effects, err := e.state.ApplyAt(logged.At, cmd)
	if err != nil {
		return nil, mapRoutingError(err) // refused: nothing changed, nothing to log
	}
	// A failed save does not give its number back: had its commit gone
	// through after all (a connection lost while committing), reusing the
	// number would refuse every later decision on the log's key.
	e.lastID++
	if err := e.save(ctx, effects, with, store.RouterCommand{ID: e.lastID, Command: raw}); err != nil {
		e.saveFailed()
		return nil, err
	}
	e.saved(logged, effects)
	return effects, nil
}

// saveFailed takes the state back to what the database holds after an
// applied decision could not be saved, and retries its timer later.
func (e *Engine) saveFailed() {
	e.rollback()
	e.failures++
	e.arm()
}

// saved keeps the books after a decision is saved: the commands since the
// snapshot, the timer, who works which queues.
func (e *Engine) saved(logged routing.LoggedCommand, effects []routing.Effect) {
	e.since = append(e.since, logged)
	e.failures = 0
	e.snapshotIfDue(logged.At)
	e.arm()
	if changesWhoWorks(logged.Command) {
		e.publishWorking()
	}
	if e.afterSave != nil {
		e.afterSave(effects)
	}
}

// rollback takes the state back to what the database holds after a write
// failed: the last snapshot, and the commands saved since replayed on it.
func (e *Engine) rollback() {
	if err := e.state.Restore(e.base); err != nil {
		e.log.Error("acd: cannot roll back routing state", "err", err)
		return
	}
	for _, c := range e.since {
		if err := e.state.Replay(c); err != nil {
			e.log.Error("acd: a saved command was refused rolling back", "command", fmt.Sprintf("%T", c.Command), "err", err)
		}
	}
}

// snapshotIfDue takes a snapshot after SnapshotEvery decisions, or when
// the last one is SnapshotInterval old. Copying the state happens under the
// lock (the state is not safe to read concurrently); encoding and writing
// it do not: a routing decision waits for neither.
func (e *Engine) snapshotIfDue(now time.Time) {
	every, interval := e.opts.SnapshotEvery, e.opts.SnapshotInterval
	if every <= 0 {
		every = DefaultSnapshotEvery
	}
	if interval <= 0 {
		interval = DefaultSnapshotInterval
	}
	if len(e.since) < every && now.Sub(e.baseAt) < interval {
		return
	}
	e.base, e.baseID, e.baseAt, e.since = e.state.Snapshot(), e.lastID, now, nil
	e.pendingMu.Lock()
	defer e.pendingMu.Unlock()
	// A snapshot still waiting to be written is superseded by this one.
	e.pending = &pendingSnapshot{snap: e.base, through: e.baseID}
	if !e.writing {
		e.writing = true
		e.writes.Add(1)
		go e.writePending()
	}
}

// pendingSnapshot is a snapshot taken and not yet written.
type pendingSnapshot struct {
	snap    routing.Snapshot // shared with e.base: read only
	through int64
}

// writePending writes the pending snapshots until there is none.
func (e *Engine) writePending() {
	defer e.writes.Done()
	for {
		e.pendingMu.Lock()
		p := e.pending
		e.pending = nil
		if p == nil {
			e.writing = false
			e.pendingMu.Unlock()
			return
		}
		e.pendingMu.Unlock()
		if err := e.writeSnapshot(context.Background(), p.snap, p.through); err != nil {
			e.log.Error("acd: snapshot (the log keeps the commands)", "err", err)
		}
	}
}

// writeSnapshot stores a snapshot that includes the logged commands up to
// through, and deletes those commands from the log.
func (e *Engine) writeSnapshot(ctx context.Context, snap routing.Snapshot, through int64) error {
	raw, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	if err := e.db.SaveRouterSnapshot(ctx, raw, through); err != nil {
		return err
	}
	e.persistedID.Store(through) // writes are one at a time, in order
	return nil
}

// changesWhoWorks says whether a command may change an agent's queues,
// pause or presence, which publishWorking copies; unknown commands may.
func changesWhoWorks(cmd routing.Command) bool {
	switch cmd.(type) {
	case routing.Enqueue, routing.Accept, routing.Reject, routing.Close, routing.Transfer, routing.Tick,
		routing.UpsertQueue, routing.RemoveQueue, routing.StartOutbound:
		return false
	}
	return true
}

// publishWorking republishes who works which queues.
func (e *Engine) publishWorking() {
	m := map[int64]map[int64]int{}
	staffed := map[int64]bool{}
	workers := map[int64][]int64{}
	for _, id := range e.state.AgentIDs() {
		a, _ := e.state.Agent(id) // a copy: the published maps are never written
		m[a.ID] = a.ActiveQueues
		for q := range a.ActiveQueues {
			workers[q] = append(workers[q], a.ID) // AgentIDs is in ID order
			if !a.Paused && !a.Away {
				staffed[q] = true
			}
		}
	}
	e.working.Store(&m)
	e.staffed.Store(&staffed)
	e.workers.Store(&workers)
}

// save writes a decision: its events, the interaction rows it changed and
// the command it applied, in one transaction.
func (e *Engine) save(ctx context.Context, effects []routing.Effect, with store.TxFunc, cmd store.RouterCommand) error {
	return e.db.SaveRouting(context.WithoutCancel(ctx), routingBatch(effects, with, cmd))
}

// routingBatch is what a decision writes: its effects' events and row
// changes, with, and its command.
func routingBatch(effects []routing.Effect, with store.TxFunc, cmd store.RouterCommand) store.RoutingBatch {
	batch := store.RoutingBatch{Command: &cmd, With: with}
	for _, ef := range effects {
		ev, change := describe(ef)
		batch.Events = append(batch.Events, ev)
		if change != nil {
			batch.Changes = append(batch.Changes, *change)
		}
	}
	return batch
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
