package routing

import (
	"maps"
	"slices"
	"time"
)

// Command is one input to the state machine. Every command validates all of
// its input before it changes anything, which is what lets Apply promise
// that an error leaves the state as it was. Commands are logged as JSON
// (commandlog.go): their field names are a stored format.
type Command interface {
	apply(s *State) error
}

// UpsertQueue creates or replaces a queue. New settings apply to decisions
// from now on: offers already ringing keep their expiry. A queue's channel
// may change only while nothing refers to it, since its interactions and
// the queues that move into it are on its channel.
type UpsertQueue struct {
	Queue Queue `json:"queue"`
}

// RemoveQueue deletes a queue. It is refused while an open interaction is
// in it or being transferred to it, or another queue moves into it.
type RemoveQueue struct {
	QueueID int64 `json:"queue_id"`
}

// Login brings an agent into routing, paused or not.
type Login struct {
	AgentID     int64  `json:"agent_id"`
	Paused      bool   `json:"paused,omitempty"`
	PauseReason string `json:"pause_reason,omitempty"`
	AgentConfig
}

// Logout takes an agent out of routing and withdraws his offers. The
// interactions he owns stay his, unless Requeue puts them back in their
// queues.
type Logout struct {
	AgentID int64 `json:"agent_id"`
	Requeue bool  `json:"requeue,omitempty"`
}

// Pause stops new offers to an agent and withdraws his queue offers; what he
// owns stays his. A direct transfer offer (a colleague asked him by name)
// stays: a direct transfer may be made to a paused agent, so pausing must
// not undo it. Pausing again changes only the reason.
type Pause struct {
	AgentID int64  `json:"agent_id"`
	Reason  string `json:"reason,omitempty"`
}

// Resume ends a pause.
type Resume struct {
	AgentID int64 `json:"agent_id"`
}

// Away marks an agent whose sockets are all gone: like a pause for offers
// (all of them, direct transfers included, since nobody is there to answer),
// without touching his pause state.
type Away struct {
	AgentID int64 `json:"agent_id"`
}

// Back undoes Away.
type Back struct {
	AgentID int64 `json:"agent_id"`
}

// UpdateAgent replaces an agent's active queues, capacity and auto-answer
// (a profile change, a settings change). Offers he may no longer hold are
// withdrawn; what he owns stays his even above a lowered capacity. A new
// auto-answer applies to offers made from now on.
type UpdateAgent struct {
	AgentID int64 `json:"agent_id"`
	AgentConfig
}

// AddToQueue makes a queue active for a logged-in agent (a supervisor's
// run-time assignment), or changes his penalty in it.
type AddToQueue struct {
	AgentID int64 `json:"agent_id"`
	QueueID int64 `json:"queue_id"`
	Penalty int   `json:"penalty,omitempty"`
}

// RemoveFromQueue makes a queue inactive for a logged-in agent.
type RemoveFromQueue struct {
	AgentID int64 `json:"agent_id"`
	QueueID int64 `json:"queue_id"`
}

// Enqueue puts a new interaction into a queue. Priority overrides the
// queue's priority for this interaction.
type Enqueue struct {
	InteractionID int64 `json:"interaction_id"`
	QueueID       int64 `json:"queue_id"`
	Priority      *int  `json:"priority,omitempty"`
}

// Accept is an agent taking an interaction he is being offered.
type Accept struct {
	InteractionID int64 `json:"interaction_id"`
	AgentID       int64 `json:"agent_id"`
}

// Reject is an agent declining an offer.
type Reject struct {
	InteractionID int64 `json:"interaction_id"`
	AgentID       int64 `json:"agent_id"`
}

// Close ends an interaction, waiting or owned (its agent or the customer
// closed it). By says who, for the record ("agent", "customer"; "" when
// the system did).
type Close struct {
	InteractionID int64  `json:"interaction_id"`
	By            string `json:"by,omitempty"`
}

// Transfer is the owner (By) handing an interaction to one agent (ToAgent)
// or to a queue (ToQueue), ringing until Timeout (0: DefaultTransferTimeout).
// He keeps it until someone accepts.
type Transfer struct {
	InteractionID int64         `json:"interaction_id"`
	By            int64         `json:"by"`
	ToAgent       int64         `json:"to_agent,omitempty"`
	ToQueue       int64         `json:"to_queue,omitempty"`
	Timeout       time.Duration `json:"timeout,omitempty"`
}

// StartOutbound is an agent starting a conversation himself (a WhatsApp
// message he sends to a number): the interaction enters routing already
// his, in its queue (for reporting), without being offered. It counts
// against his capacity on the channel but is never refused for it — the
// reference does not limit what an agent starts — and the offers he holds
// there beyond his capacity are withdrawn, so accepting one never adds
// to what he started. Channel must be the queue's: it is stated so the log
// says what the agent asked for, and a queue changed since is refused.
type StartOutbound struct {
	InteractionID int64   `json:"interaction_id"`
	AgentID       int64   `json:"agent_id"`
	QueueID       int64   `json:"queue_id"`
	Channel       Channel `json:"channel"`
}

// Tick processes every deadline that has come (offers ringing out,
// auto-answers, max waits), in the order they fell due.
type Tick struct{}

func (c UpsertQueue) apply(s *State) error {
	q := c.Queue
	if q.Strategy == "" {
		q.Strategy = RingAll
	}
	if q.MaxWaitAction == "" {
		q.MaxWaitAction = KeepWaiting
	}
	if q.MaxWaitAction != MoveToQueue {
		q.MoveToQueueID = 0
	}
	if err := validateQueue(q, s.queues); err != nil {
		return err
	}
	if old := s.queues[q.ID]; old != nil && old.Channel != q.Channel {
		if err := s.checkQueueUnused(q.ID); err != nil {
			return err
		}
	}
	s.queues[q.ID] = &q
	for _, it := range s.beingRouted { // their max wait may have changed
		if it.QueueID == q.ID {
			s.scheduleMaxWait(it)
		}
	}
	return nil
}

// validateQueue checks a queue against the others (the state's, or those of
// a snapshot being restored).
func validateQueue(q Queue, queues map[int64]*Queue) error {
	switch {
	case q.ID <= 0:
		return errorf(ErrInvalid, "queue id %d", q.ID)
	case !q.Channel.valid():
		return errorf(ErrInvalid, "queue %d: channel %q", q.ID, q.Channel)
	case !slices.Contains(Strategies, q.Strategy):
		return errorf(ErrInvalid, "queue %d: strategy %q", q.ID, q.Strategy)
	case q.AgentTimeout <= 0:
		return errorf(ErrInvalid, "queue %d: agent timeout must be positive", q.ID)
	case q.MaxWait < 0:
		return errorf(ErrInvalid, "queue %d: negative max wait", q.ID)
	}
	switch q.MaxWaitAction {
	case KeepWaiting, CloseUnmanaged:
	case MoveToQueue:
		to := queues[q.MoveToQueueID]
		switch {
		case q.MoveToQueueID == q.ID:
			return errorf(ErrInvalid, "queue %d moves into itself", q.ID)
		case to == nil:
			return errorf(ErrUnknownQueue, "queue %d moves into queue %d", q.ID, q.MoveToQueueID)
		case to.Channel != q.Channel:
			return errorf(ErrChannelMismatch, "queue %d (%s) moves into queue %d (%s)", q.ID, q.Channel, to.ID, to.Channel)
		}
	default:
		return errorf(ErrInvalid, "queue %d: max wait action %q", q.ID, q.MaxWaitAction)
	}
	return nil
}

// checkQueueUnused refuses when an open interaction is in the queue or
// being transferred to it, or another queue moves into it.
func (s *State) checkQueueUnused(id int64) error {
	for _, it := range s.sortedInteractions() {
		if it.QueueID == id || (it.Transfer != nil && it.Transfer.ToQueue == id) {
			return errorf(ErrQueueInUse, "queue %d has interaction %d", id, it.ID)
		}
	}
	for _, qid := range slices.Sorted(maps.Keys(s.queues)) {
		if q := s.queues[qid]; q.MaxWaitAction == MoveToQueue && q.MoveToQueueID == id {
			return errorf(ErrQueueInUse, "queue %d moves into queue %d", q.ID, id)
		}
	}
	return nil
}

func (c RemoveQueue) apply(s *State) error {
	if s.queues[c.QueueID] == nil {
		return errorf(ErrUnknownQueue, "queue %d", c.QueueID)
	}
	if err := s.checkQueueUnused(c.QueueID); err != nil {
		return err
	}
	delete(s.queues, c.QueueID)
	delete(s.roundRobin, c.QueueID)
	delete(s.acceptWaits, c.QueueID)
	return nil
}

func (c AgentConfig) validate() error {
	for ch, n := range c.Capacity {
		if !ch.valid() || n < 0 {
			return errorf(ErrInvalid, "capacity %d on channel %q", n, ch)
		}
	}
	for ch, d := range c.AutoAnswer {
		if !ch.valid() || d < 0 {
			return errorf(ErrInvalid, "auto-answer delay %v on channel %q", d, ch)
		}
	}
	return nil
}

// clone copies the maps, so that the caller's maps never alias the state's.
func (c AgentConfig) clone() AgentConfig {
	return AgentConfig{
		ActiveQueues: maps.Clone(c.ActiveQueues),
		Capacity:     maps.Clone(c.Capacity),
		AutoAnswer:   maps.Clone(c.AutoAnswer),
	}
}

func (c Login) apply(s *State) error {
	if c.AgentID <= 0 {
		return errorf(ErrInvalid, "agent id %d", c.AgentID)
	}
	if s.agents[c.AgentID] != nil {
		return errorf(ErrLoggedIn, "agent %d", c.AgentID)
	}
	if err := c.AgentConfig.validate(); err != nil {
		return err
	}
	a := &Agent{ID: c.AgentID, AgentConfig: c.AgentConfig.clone(), Paused: c.Paused, LoggedInAt: s.now}
	if c.Paused {
		a.PauseReason = c.PauseReason
	}
	s.agents[a.ID] = a
	i, _ := slices.BinarySearch(s.agentIDs, a.ID)
	s.agentIDs = slices.Insert(s.agentIDs, i, a.ID)
	s.members = nil
	return nil
}

func (c Logout) apply(s *State) error {
	a, err := s.agent(c.AgentID)
	if err != nil {
		return err
	}
	s.withdrawAgentOffers(a.ID, ReasonLogout, nil)
	if c.Requeue {
		for _, it := range s.sortedInteractions() {
			if it.Owner == a.ID {
				s.requeue(it)
			}
		}
	}
	delete(s.agents, a.ID)
	i, _ := slices.BinarySearch(s.agentIDs, a.ID)
	s.agentIDs = slices.Delete(s.agentIDs, i, i+1)
	s.members = nil
	return nil
}

// requeue puts an owned interaction back in its queue as waiting, keeping
// its EnqueuedAt so it does not lose its place, but starting a new wait so
// that max wait does not close at once what an agent was handling.
func (s *State) requeue(it *Interaction) {
	from := it.Owner
	if it.Transfer != nil {
		s.withdrawAll(it, ReasonRequeued)
		it.Transfer = nil
	}
	s.setOwner(it, 0)
	it.Status = StatusWaiting
	it.WaitingSince = s.now
	s.track(it)
	s.scheduleMaxWait(it)
	s.emit(Requeued{Interaction: it.ID, Queue: it.QueueID, From: from})
}

func (c Pause) apply(s *State) error {
	a, err := s.agent(c.AgentID)
	if err != nil {
		return err
	}
	a.Paused, a.PauseReason = true, c.Reason
	s.withdrawAgentOffers(a.ID, ReasonPaused, func(it *Interaction, _ Offer) bool {
		return it.Transfer != nil && it.Transfer.ToAgent == a.ID
	})
	return nil
}

func (c Resume) apply(s *State) error {
	a, err := s.agent(c.AgentID)
	if err != nil {
		return err
	}
	a.Paused, a.PauseReason = false, ""
	return nil
}

func (c Away) apply(s *State) error {
	a, err := s.agent(c.AgentID)
	if err != nil {
		return err
	}
	a.Away = true
	s.withdrawAgentOffers(a.ID, ReasonAway, nil)
	return nil
}

func (c Back) apply(s *State) error {
	a, err := s.agent(c.AgentID)
	if err != nil {
		return err
	}
	a.Away = false
	return nil
}

func (c UpdateAgent) apply(s *State) error {
	a, err := s.agent(c.AgentID)
	if err != nil {
		return err
	}
	if err := c.AgentConfig.validate(); err != nil {
		return err
	}
	a.AgentConfig = c.AgentConfig.clone()
	s.members = nil
	s.revalidateOffers(a)
	return nil
}

func (c AddToQueue) apply(s *State) error {
	a, err := s.agent(c.AgentID)
	if err != nil {
		return err
	}
	if c.QueueID <= 0 {
		return errorf(ErrInvalid, "queue id %d", c.QueueID)
	}
	active := maps.Clone(a.ActiveQueues)
	if active == nil {
		active = map[int64]int{}
	}
	active[c.QueueID] = c.Penalty
	a.ActiveQueues = active
	s.members = nil
	return nil
}

func (c RemoveFromQueue) apply(s *State) error {
	a, err := s.agent(c.AgentID)
	if err != nil {
		return err
	}
	active := maps.Clone(a.ActiveQueues)
	delete(active, c.QueueID)
	a.ActiveQueues = active
	s.members = nil
	s.revalidateOffers(a)
	return nil
}

// revalidateOffers withdraws the offers an agent may no longer hold after
// his configuration changed: queue offers (and queue transfer offers) of
// queues no longer active for him, then, channel by channel, the newest
// offers until his load fits a lowered capacity. Owned interactions are
// never taken away.
func (s *State) revalidateOffers(a *Agent) {
	s.withdrawAgentOffers(a.ID, ReasonUnassigned, func(it *Interaction, o Offer) bool {
		q := it.QueueID
		if o.Transfer {
			if it.Transfer.ToAgent != 0 {
				return true // a direct transfer does not depend on queues
			}
			q = it.Transfer.ToQueue
		}
		_, ok := a.ActiveQueues[q]
		return ok
	})
	for _, ch := range Channels {
		s.fitOffersToCapacity(a, ch)
	}
}

// fitOffersToCapacity withdraws an agent's newest offers on ch until his
// load fits his capacity there, or no offer is left.
func (s *State) fitOffersToCapacity(a *Agent, ch Channel) {
	limit := a.Capacity[ch]
	for l := s.loadOf(a.ID, ch); limit > 0 && l.Offered > 0 && l.Owned+l.Offered > limit; l = s.loadOf(a.ID, ch) {
		s.endOffer(s.newestOffer(a.ID, ch), a.ID, ReasonCapacity)
	}
}

// newestOffer is the interaction of the agent's most recent offer on ch.
func (s *State) newestOffer(agentID int64, ch Channel) *Interaction {
	var newest *Interaction
	var at time.Time
	for _, it := range s.sortedBeingRouted() {
		o, ok := it.Offers[agentID]
		if ok && it.Channel == ch && (newest == nil || !o.OfferedAt.Before(at)) {
			newest, at = it, o.OfferedAt
		}
	}
	return newest
}

// newInteractionQueue checks that a new interaction's id is free and its
// queue known, and returns the queue.
func (s *State) newInteractionQueue(interactionID, queueID int64) (*Queue, error) {
	q := s.queues[queueID]
	switch {
	case interactionID <= 0:
		return nil, errorf(ErrInvalid, "interaction id %d", interactionID)
	case s.interactions[interactionID] != nil:
		return nil, errorf(ErrInteractionExists, "interaction %d", interactionID)
	case q == nil:
		return nil, errorf(ErrUnknownQueue, "queue %d", queueID)
	}
	return q, nil
}

func (c Enqueue) apply(s *State) error {
	q, err := s.newInteractionQueue(c.InteractionID, c.QueueID)
	if err != nil {
		return err
	}
	it := &Interaction{ID: c.InteractionID, QueueID: q.ID, Channel: q.Channel,
		EnqueuedAt: s.now, WaitingSince: s.now, Status: StatusWaiting}
	if c.Priority != nil {
		p := *c.Priority
		it.Priority = &p
	}
	s.interactions[it.ID] = it
	s.track(it)
	s.scheduleMaxWait(it)
	return nil
}

// liveOffer finds an offer that is still ringing: one past its expiry is
// dead for the agent even before the Tick that ends it.
func (s *State) liveOffer(interactionID, agentID int64) (*Interaction, Offer, error) {
	it := s.interactions[interactionID]
	if it != nil {
		if o, ok := it.Offers[agentID]; ok && s.now.Before(o.ExpiresAt) {
			return it, o, nil
		}
	}
	return nil, Offer{}, errorf(ErrNoLiveOffer, "interaction %d, agent %d", interactionID, agentID)
}

func (c Accept) apply(s *State) error {
	it, _, err := s.liveOffer(c.InteractionID, c.AgentID)
	if err != nil {
		return err
	}
	s.accept(it, c.AgentID, false)
	return nil
}

func (c Reject) apply(s *State) error {
	it, _, err := s.liveOffer(c.InteractionID, c.AgentID)
	if err != nil {
		return err
	}
	s.decline(it, c.AgentID, ReasonRejected)
	return nil
}

func (c Close) apply(s *State) error {
	it := s.interactions[c.InteractionID]
	if it == nil {
		return errorf(ErrUnknownInteraction, "interaction %d", c.InteractionID)
	}
	owner := it.Owner
	s.remove(it, ReasonClosed)
	s.emit(Closed{Interaction: it.ID, Queue: it.QueueID, Owner: owner, By: c.By})
	return nil
}

// remove takes an interaction out of routing: its offers end with reason,
// its owner's capacity is freed.
func (s *State) remove(it *Interaction, reason EndReason) {
	s.withdrawAll(it, reason)
	s.setOwner(it, 0)
	delete(s.interactions, it.ID)
	delete(s.beingRouted, it.ID)
}

func (c Transfer) apply(s *State) error {
	it := s.interactions[c.InteractionID]
	switch {
	case it == nil:
		return errorf(ErrUnknownInteraction, "interaction %d", c.InteractionID)
	case it.Status != StatusOwned || it.Owner != c.By:
		return errorf(ErrNotOwner, "interaction %d, agent %d", it.ID, c.By)
	case it.Transfer != nil:
		return errorf(ErrTransferPending, "interaction %d", it.ID)
	case (c.ToAgent == 0) == (c.ToQueue == 0), c.Timeout < 0, c.ToAgent == c.By:
		return errorf(ErrInvalid, "transfer of interaction %d: one target, not the owner, and a non-negative timeout", it.ID)
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = DefaultTransferTimeout
	}
	deadline := s.now.Add(timeout)
	if c.ToAgent != 0 {
		// Pause does not matter: a colleague asked for this agent by name.
		a := s.agents[c.ToAgent]
		if a == nil || a.Away || !s.hasRoom(a, it.Channel) {
			return errorf(ErrUnavailable, "agent %d for interaction %d", c.ToAgent, it.ID)
		}
		it.Transfer = &PendingTransfer{ToAgent: a.ID, RequestedAt: s.now, Deadline: deadline}
		s.track(it)
		s.offer(it, a, deadline, true)
		s.autoAcceptDue(it)
		return nil
	}
	q := s.queues[c.ToQueue]
	if q == nil {
		return errorf(ErrUnknownQueue, "queue %d", c.ToQueue)
	}
	if q.Channel != it.Channel {
		return errorf(ErrChannelMismatch, "interaction %d (%s) to queue %d (%s)", it.ID, it.Channel, q.ID, q.Channel)
	}
	cands := s.eligible(it, q.ID, func(id int64) bool { return id == it.Owner })
	if len(cands) == 0 {
		return errorf(ErrUnavailable, "queue %d for interaction %d", q.ID, it.ID)
	}
	it.Transfer = &PendingTransfer{ToQueue: q.ID, RequestedAt: s.now, Deadline: deadline}
	s.track(it)
	s.ringAll(it, q.ID, cands, deadline, true)
	s.autoAcceptDue(it)
	return nil
}

func (c StartOutbound) apply(s *State) error {
	q, err := s.newInteractionQueue(c.InteractionID, c.QueueID)
	if err != nil {
		return err
	}
	if q.Channel != c.Channel {
		return errorf(ErrChannelMismatch, "interaction %d (%s) in queue %d (%s)", c.InteractionID, c.Channel, q.ID, q.Channel)
	}
	a, err := s.agent(c.AgentID)
	if err != nil {
		return err
	}
	it := &Interaction{ID: c.InteractionID, QueueID: q.ID, Channel: q.Channel, EnqueuedAt: s.now, Status: StatusOwned}
	s.interactions[it.ID] = it
	s.setOwner(it, a.ID)
	s.emit(Assigned{Interaction: it.ID, Queue: q.ID, Agent: a.ID, Outbound: true})
	s.fitOffersToCapacity(a, it.Channel)
	return nil
}

func (Tick) apply(s *State) error {
	s.processDue()
	return nil
}
