package acd

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/routing"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// rebuild restores the last saved state (the last snapshot, and the
// commands logged after it replayed at their times), then reconciles it
// with what the database says now (queues, who is logged in, open
// interactions), since presence and interactions are written just before
// the routing decision that follows them and a crash can fall in between.
func (e *Engine) rebuild(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.replayLog(ctx); err != nil {
		return err
	}
	// The replayed state is written as a snapshot at once, so the log
	// starts afresh and the random source's position is stored before any
	// command that draws from it is logged.
	e.base, e.baseID, e.baseAt, e.since = e.state.Snapshot(), e.lastID, e.clock.Now(), nil
	if err := e.writeSnapshot(ctx, e.base, e.baseID); err != nil {
		return err
	}
	queues, err := e.db.Queues(ctx, "")
	if err != nil {
		return err
	}
	// Move-to targets first, so every queue's target exists when it is set.
	for _, pass := range []bool{false, true} {
		for _, q := range queues {
			cfg := queueConfig(q)
			if !pass {
				cfg.MaxWaitAction, cfg.MoveToQueueID = routing.KeepWaiting, 0
				if _, known := e.state.Queue(q.ID); known {
					continue
				}
			}
			if _, err := e.applyLocked(ctx, routing.UpsertQueue{Queue: cfg}); err != nil {
				// A stored setting routing refuses must not stop the site from
				// starting: the queue keeps its interactions waiting instead.
				e.log.Error("acd: queue setting refused, keeping waiting", "queue", q.ID, "err", err)
				cfg.MaxWaitAction, cfg.MoveToQueueID = routing.KeepWaiting, 0
				if _, err := e.applyLocked(ctx, routing.UpsertQueue{Queue: cfg}); err != nil {
					return err
				}
			}
		}
	}
	present, err := e.db.Presences(ctx)
	if err != nil {
		return err
	}
	online := map[int64]bool{}
	for _, p := range present {
		online[p.AgentID] = true
		cfg, err := e.agentConfig(ctx, p.AgentID, p.ProfileID)
		if err != nil {
			return err
		}
		if _, in := e.state.Agent(p.AgentID); in {
			if _, err := e.applyLocked(ctx, routing.UpdateAgent{AgentID: p.AgentID, AgentConfig: cfg}); err != nil {
				return err
			}
			continue
		}
		if _, err := e.applyLocked(ctx, routing.Login{AgentID: p.AgentID, Paused: p.Paused, PauseReason: p.PauseReason,
			AgentConfig: cfg}); err != nil {
			return err
		}
	}
	for _, a := range e.state.AgentIDs() {
		if !online[a] {
			if _, err := e.applyLocked(ctx, routing.Logout{AgentID: a}); err != nil {
				return err
			}
		}
	}
	open, err := e.db.OpenInteractions(ctx)
	if err != nil {
		return err
	}
	for _, it := range open {
		if _, known := e.state.Interaction(it.ID); known || it.Status != "waiting" || it.QueueID == nil {
			continue
		}
		if _, err := e.applyLocked(ctx, routing.Enqueue{InteractionID: it.ID, QueueID: *it.QueueID}); err != nil {
			return err
		}
	}
	e.arm()
	e.publishWorking()
	return nil
}

// replayLog restores the last snapshot and replays the commands logged
// after it, in order, at their times.
func (e *Engine) replayLog(ctx context.Context) error {
	stored, err := e.db.RouterLog(ctx)
	if err != nil {
		return err
	}
	if stored.Snapshot != nil {
		var snap routing.Snapshot
		if err := json.Unmarshal(stored.Snapshot, &snap); err != nil {
			return fmt.Errorf("routing snapshot: %w", err)
		}
		if err := e.state.Restore(snap); err != nil {
			return err
		}
	}
	e.lastID = stored.Through
	for _, c := range stored.Commands {
		var logged routing.LoggedCommand
		if err := json.Unmarshal(c.Command, &logged); err != nil {
			return fmt.Errorf("routing command %d: %w", c.ID, err)
		}
		// Only applied commands are logged, so a refusal means this one
		// decides differently now; refused, it changed nothing, as a
		// refusal the first time would have: carry on and say so.
		if err := e.state.Replay(logged); err != nil {
			e.log.Error("acd: a logged routing command was refused on replay", "id", c.ID, "err", err)
		}
		e.lastID = c.ID
	}
	return nil
}

// Login signs an agent into routing with an agent profile (nil: Personal).
func (e *Engine) Login(ctx context.Context, agentID int64, profileID *int64) (*store.Presence, error) {
	a, err := e.db.Agent(ctx, agentID)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	// The database checks the profile first: a refused login changes nothing.
	p, err := e.db.Login(ctx, agentID, profileID, a.LoginInPause)
	if err != nil {
		return nil, err
	}
	if _, in := e.state.Agent(agentID); in {
		if _, err := e.applyLocked(ctx, routing.Logout{AgentID: agentID}); err != nil {
			return nil, err
		}
	}
	cfg, err := e.agentConfig(ctx, agentID, profileID)
	if err != nil {
		return nil, err
	}
	if _, err := e.applyLocked(ctx, routing.Login{AgentID: agentID, Paused: a.LoginInPause, AgentConfig: cfg}); err != nil {
		return nil, err
	}
	return p, nil
}

// ChangeProfile switches a logged-in agent to another profile at once.
func (e *Engine) ChangeProfile(ctx context.Context, agentID int64, profileID *int64) (*store.Presence, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.db.ChangeProfile(ctx, agentID, profileID)
	if err != nil {
		return nil, err
	}
	cfg, err := e.agentConfig(ctx, agentID, profileID)
	if err != nil {
		return nil, err
	}
	if _, err := e.applyLocked(ctx, routing.UpdateAgent{AgentID: agentID, AgentConfig: cfg}); err != nil {
		return nil, err
	}
	return p, nil
}

// Logout signs an agent out of routing (actor: himself or a supervisor).
func (e *Engine) Logout(ctx context.Context, agentID, actor int64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.db.Logout(ctx, agentID, actor); err != nil {
		return err
	}
	_, err := e.applyLocked(ctx, routing.Logout{AgentID: agentID, Requeue: e.opts.RequeueOnLogout})
	if apperr.Is(err, apperr.Conflict) { // not in routing: nothing to undo
		return nil
	}
	return err
}

// Pause pauses an agent with a reason (nil: the default pause).
func (e *Engine) Pause(ctx context.Context, agentID int64, reasonID *int64, actor int64) (*store.Presence, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.db.SetPause(ctx, agentID, true, reasonID, actor)
	if err != nil {
		return nil, err
	}
	if _, err := e.applyLocked(ctx, routing.Pause{AgentID: agentID, Reason: p.PauseReason}); err != nil {
		return nil, err
	}
	return p, nil
}

// Resume ends an agent's pause.
func (e *Engine) Resume(ctx context.Context, agentID, actor int64) (*store.Presence, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.db.SetPause(ctx, agentID, false, nil, actor)
	if err != nil {
		return nil, err
	}
	if _, err := e.applyLocked(ctx, routing.Resume{AgentID: agentID}); err != nil {
		return nil, err
	}
	return p, nil
}

// Away and Back follow the agent's realtime sockets.
func (e *Engine) Away(agentID int64) { e.presenceSignal(routing.Away{AgentID: agentID}) }

// Back is an agent's first socket coming back.
func (e *Engine) Back(agentID int64) { e.presenceSignal(routing.Back{AgentID: agentID}) }

func (e *Engine) presenceSignal(cmd routing.Command) {
	if _, err := e.apply(context.Background(), cmd); err != nil && !apperr.Is(err, apperr.Conflict) {
		e.log.Error("acd: presence signal", "err", err)
	}
}

// RefreshAgent re-reads a logged-in agent's queues and capacity after a
// configuration change (membership, profile content, channel settings).
func (e *Engine) RefreshAgent(ctx context.Context, agentID int64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, in := e.state.Agent(agentID); !in {
		return nil
	}
	p, err := e.db.PresenceOf(ctx, agentID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	cfg, err := e.agentConfig(ctx, agentID, p.ProfileID)
	if err != nil {
		return err
	}
	_, err = e.applyLocked(ctx, routing.UpdateAgent{AgentID: agentID, AgentConfig: cfg})
	return err
}

// RefreshAll re-reads every logged-in agent (a team or profile changed).
func (e *Engine) RefreshAll(ctx context.Context) error {
	for _, a := range e.LoggedIn() {
		if err := e.RefreshAgent(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// RefreshQueue applies a queue's new settings, or its removal.
func (e *Engine) RefreshQueue(ctx context.Context, queueID int64) error {
	q, err := e.db.Queue(ctx, queueID)
	e.mu.Lock()
	defer e.mu.Unlock()
	if apperr.Is(err, apperr.NotFound) {
		if _, known := e.state.Queue(queueID); known {
			_, err = e.applyLocked(ctx, routing.RemoveQueue{QueueID: queueID})
		} else {
			err = nil
		}
		return err
	}
	if err != nil {
		return err
	}
	_, err = e.applyLocked(ctx, routing.UpsertQueue{Queue: queueConfig(q)})
	return err
}

// RefreshQueues makes routing's queues match the database: settings first
// (so links to a deleted queue go), then removals.
func (e *Engine) RefreshQueues(ctx context.Context) error {
	queues, err := e.db.Queues(ctx, "")
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	live := map[int64]bool{}
	for _, q := range queues {
		live[q.ID] = true
		if _, err := e.applyLocked(ctx, routing.UpsertQueue{Queue: queueConfig(q)}); err != nil {
			return err
		}
	}
	for _, q := range e.state.QueueIDs() {
		if !live[q] {
			if _, err := e.applyLocked(ctx, routing.RemoveQueue{QueueID: q}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Create stores a new interaction and puts it in its queue.
func (e *Engine) Create(ctx context.Context, queueID int64, subject string, actor int64) (*store.Interaction, error) {
	return e.CreateWith(ctx, store.NewInteraction{QueueID: queueID, Subject: subject}, actor)
}

// CreateWith stores a new interaction (with its account, contact name and
// first inbound message when given) and puts it in its queue.
func (e *Engine) CreateWith(ctx context.Context, in store.NewInteraction, actor int64) (*store.Interaction, error) {
	queueID := in.QueueID
	q, err := e.db.Queue(ctx, queueID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("queue_id", "queue.unknown")
	}
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	it, err := e.db.CreateInteraction(ctx, string(q.Channel), in, q.Priority, actor)
	if err != nil {
		return nil, err
	}
	if _, err := e.applyLocked(ctx, routing.Enqueue{InteractionID: it.ID, QueueID: q.ID}); err != nil {
		return nil, err
	}
	return e.db.Interaction(ctx, it.ID)
}

// Accept is an agent taking an offered interaction.
func (e *Engine) Accept(ctx context.Context, interactionID, agentID int64) error {
	_, err := e.apply(ctx, routing.Accept{InteractionID: interactionID, AgentID: agentID})
	return err
}

// Reject is an agent declining an offer.
func (e *Engine) Reject(ctx context.Context, interactionID, agentID int64) error {
	_, err := e.apply(ctx, routing.Reject{InteractionID: interactionID, AgentID: agentID})
	return err
}

// Close ends an interaction. Only its owner may close an owned one; a
// waiting one is closed by the system (the customer left).
func (e *Engine) Close(ctx context.Context, interactionID, agentID int64) error {
	return e.CloseWith(ctx, interactionID, agentID, nil)
}

// CloseWith is Close that also writes with (a disposition, say) in the
// close's transaction: a refused close writes nothing. A close by an agent
// is recorded as his (by "agent" in the event, and on a website chat).
func (e *Engine) CloseWith(ctx context.Context, interactionID, agentID int64, with store.TxFunc) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	by := ""
	if agentID != 0 {
		if owner, ok := e.state.Owner(interactionID); !ok || owner != agentID {
			return apperr.New(apperr.Forbidden, "interaction.not_owner")
		}
		by, with = "agent", store.Both(with, store.ChatClosedBy(interactionID, "agent"))
	}
	_, err := e.applyLockedWith(ctx, routing.Close{InteractionID: interactionID, By: by}, with)
	return err
}

// CloseByCustomer ends an interaction because the customer left it (the
// chat widget's "end chat"), waiting or owned: its owner's capacity is
// freed, the event says by "customer", and so does the chat. An interaction
// already closed is a conflict.
func (e *Engine) CloseByCustomer(ctx context.Context, interactionID int64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, err := e.applyLockedWith(ctx, routing.Close{InteractionID: interactionID, By: "customer"},
		store.ChatClosedBy(interactionID, "customer"))
	if apperr.Is(err, apperr.NotFound) { // no longer in routing: closed already
		return apperr.New(apperr.Conflict, "interaction.closed")
	}
	return err
}

// Transfer hands an owned interaction to an agent or a queue.
func (e *Engine) Transfer(ctx context.Context, interactionID, by, toAgent, toQueue int64, timeout time.Duration) error {
	if (toAgent == 0) == (toQueue == 0) {
		return apperr.Field("to", "transfer.target")
	}
	_, err := e.apply(ctx, routing.Transfer{InteractionID: interactionID, By: by, ToAgent: toAgent, ToQueue: toQueue,
		Timeout: timeout})
	return err
}

// Staffed reports whether a queue has someone to answer now: at least one
// agent working it who is logged in, not paused and not away (his screens
// gone). It takes no lock (see Engine.staffed), so a public page may ask
// as often as it likes.
func (e *Engine) Staffed(queueID int64) bool {
	m := e.staffed.Load()
	return m != nil && (*m)[queueID]
}

// LoggedIn lists the agents in routing.
func (e *Engine) LoggedIn() []int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.state.AgentIDs()
}

// ActiveQueues are a logged-in agent's active queues with his penalties
// (nil when he is not logged in). It takes no lock (see Engine.working), so
// a request's access check never waits for a routing decision; the map is
// shared: read it only.
func (e *Engine) ActiveQueues(agentID int64) map[int64]int {
	m := e.working.Load()
	if m == nil {
		return nil
	}
	return (*m)[agentID]
}

// Works reports whether a logged-in agent works a queue now. It takes no
// lock (see Engine.working), so the realtime hub may call it at any time.
func (e *Engine) Works(agentID, queueID int64) bool {
	m := e.working.Load()
	if m == nil {
		return false
	}
	_, works := (*m)[agentID][queueID]
	return works
}

// QueueWorkers lists the logged-in agents who work a queue now (those for
// whom Works is true), in ID order. It takes no lock, so the realtime hub
// may ask for each event it delivers; the slice is shared: read it only.
func (e *Engine) QueueWorkers(queueID int64) []int64 {
	m := e.workers.Load()
	if m == nil {
		return nil
	}
	return (*m)[queueID]
}

// AgentView is what a desktop shows of its agent's routing.
type AgentView struct {
	LoggedIn     bool                             `json:"logged_in"`
	Paused       bool                             `json:"paused"`
	Away         bool                             `json:"away"`
	ActiveQueues map[int64]int                    `json:"active_queues"`
	Offers       []routing.AgentOffer             `json:"offers"`
	Load         map[routing.Channel]routing.Load `json:"load"`
}

// Agent returns an agent's routing view.
func (e *Engine) Agent(agentID int64) AgentView {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, ok := e.state.Agent(agentID)
	if !ok {
		return AgentView{ActiveQueues: map[int64]int{}, Offers: []routing.AgentOffer{}}
	}
	offers := e.state.Offers(agentID)
	if offers == nil {
		offers = []routing.AgentOffer{}
	}
	return AgentView{LoggedIn: true, Paused: a.Paused, Away: a.Away, ActiveQueues: a.ActiveQueues, Offers: offers,
		Load: e.state.AgentLoad(agentID)}
}

// QueueView is a queue's live state.
type QueueView struct {
	QueueID       int64   `json:"queue_id"`
	Waiting       []int64 `json:"waiting"`
	EstimatedWait float64 `json:"estimated_wait_seconds"`
	// LongestWaitingSince is when the longest wait now in the queue began
	// (nil: none waits): the supervisor's "longest wait" counts from it.
	LongestWaitingSince *time.Time `json:"longest_waiting_since"`
}

// Queue returns a queue's waiting interactions, estimated wait and longest
// wait.
func (e *Engine) Queue(queueID int64) QueueView {
	e.mu.Lock()
	defer e.mu.Unlock()
	w, since := e.state.Line(queueID)
	view := QueueView{QueueID: queueID, Waiting: w, EstimatedWait: e.state.EstimatedWait(queueID).Seconds()}
	if !since.IsZero() {
		since = since.UTC()
		view.LongestWaitingSince = &since
	}
	return view
}

// Position returns a waiting interaction's place in its queue (1 = next)
// and its estimated wait.
func (e *Engine) Position(interactionID int64) (int, time.Duration, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	pos, ok := e.state.Position(interactionID)
	if !ok {
		return 0, 0, false
	}
	wait, _ := e.state.EstimatedWaitFor(interactionID)
	return pos, wait, true
}
