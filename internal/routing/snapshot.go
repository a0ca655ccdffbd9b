package routing

import (
	"encoding"
	"maps"
	"slices"
	"time"
)

// Snapshot is the whole routing state as a plain value that encodes to JSON
// and back without loss: the owner stores it with each decision and
// restores it at start. Slices are in ID order and empty maps are nil, so
// that equal states give equal snapshots.
type Snapshot struct {
	Queues       []Queue       `json:"queues"`
	Agents       []Agent       `json:"agents"`
	Interactions []Interaction `json:"interactions"`
	// RoundRobin is, per queue, the last agent it offered to.
	RoundRobin map[int64]int64 `json:"round_robin,omitempty"`
	// AcceptWaits is, per queue, the recent times-to-accept, oldest first.
	AcceptWaits map[int64][]time.Duration `json:"accept_waits,omitempty"`
	// Rand is the position of the random source, when it can tell it.
	Rand []byte `json:"rand,omitempty"`
}

// Snapshot returns a deep copy of the state.
func (s *State) Snapshot() Snapshot {
	snap := Snapshot{RoundRobin: cloneMap(s.roundRobin)}
	for _, id := range slices.Sorted(maps.Keys(s.queues)) {
		snap.Queues = append(snap.Queues, *s.queues[id])
	}
	for _, id := range s.agentIDs {
		snap.Agents = append(snap.Agents, copyAgent(s.agents[id]))
	}
	for _, it := range s.sortedInteractions() {
		snap.Interactions = append(snap.Interactions, copyInteraction(it))
	}
	for q, w := range s.acceptWaits {
		if len(w) > 0 {
			if snap.AcceptWaits == nil {
				snap.AcceptWaits = map[int64][]time.Duration{}
			}
			snap.AcceptWaits[q] = slices.Clone(w)
		}
	}
	if m, ok := s.src.(encoding.BinaryMarshaler); ok {
		snap.Rand, _ = m.MarshalBinary() // the sources of math/rand/v2 never fail
	}
	return snap
}

// Restore replaces the state with a snapshot, after checking that it is
// consistent (queues, owners and offers refer to what exists, offers match
// the interaction's status); on error the state is unchanged. Restore does
// not act on deadlines that passed while the state was down: send a Tick
// next.
func (s *State) Restore(snap Snapshot) error {
	n := &State{clk: s.clk, src: s.src, rnd: s.rnd}
	n.reset()
	for _, q := range snap.Queues {
		if n.queues[q.ID] != nil {
			return errorf(ErrInvalid, "snapshot: queue %d twice", q.ID)
		}
		n.queues[q.ID] = &q
	}
	for _, q := range n.queues {
		if err := validateQueue(*q, n.queues); err != nil {
			return errorf(ErrInvalid, "snapshot: %v", err)
		}
	}
	for _, a := range snap.Agents {
		if a.ID <= 0 || n.agents[a.ID] != nil {
			return errorf(ErrInvalid, "snapshot: agent %d", a.ID)
		}
		if err := a.AgentConfig.validate(); err != nil {
			return errorf(ErrInvalid, "snapshot: agent %d: %v", a.ID, err)
		}
		c := copyAgent(&a)
		n.agents[c.ID] = &c
	}
	n.agentIDs = slices.Sorted(maps.Keys(n.agents))
	for _, it := range snap.Interactions {
		if err := n.checkInteraction(&it); err != nil {
			return errorf(ErrInvalid, "snapshot: interaction %d: %v", it.ID, err)
		}
		c := copyInteraction(&it)
		n.interactions[c.ID] = &c
		n.track(&c)
		if c.Owner != 0 {
			n.addLoad(c.Owner, c.Channel, 1, 0)
		}
		for id := range c.Offers {
			n.addLoad(id, c.Channel, 0, 1)
		}
	}
	n.roundRobin = cloneMap(snap.RoundRobin)
	if n.roundRobin == nil {
		n.roundRobin = map[int64]int64{}
	}
	for q, w := range snap.AcceptWaits {
		if len(w) > 0 {
			n.acceptWaits[q] = slices.Clone(w)
		}
	}
	if len(snap.Rand) > 0 {
		u, ok := s.src.(encoding.BinaryUnmarshaler)
		if !ok {
			return errorf(ErrInvalid, "snapshot: the random source cannot be restored")
		}
		if err := u.UnmarshalBinary(snap.Rand); err != nil {
			return errorf(ErrInvalid, "snapshot: random source: %v", err)
		}
	}
	n.rebuildSchedule()
	*s = *n
	return nil
}

// checkInteraction checks an interaction of a snapshot against the queues
// and agents already restored.
func (s *State) checkInteraction(it *Interaction) error {
	q := s.queues[it.QueueID]
	switch {
	case it.ID <= 0 || s.interactions[it.ID] != nil:
		return errorf(ErrInvalid, "duplicate or invalid id")
	case q == nil:
		return errorf(ErrUnknownQueue, "queue %d", it.QueueID)
	case it.Channel != q.Channel:
		return errorf(ErrChannelMismatch, "channel %s in queue %d", it.Channel, q.ID)
	}
	for id, o := range it.Offers {
		if s.agents[id] == nil {
			return errorf(ErrNotLoggedIn, "offer to agent %d", id)
		}
		if o.Transfer != (it.Status == StatusOwned) {
			return errorf(ErrInvalid, "offer to agent %d does not match status %s", id, it.Status)
		}
	}
	switch it.Status {
	case StatusWaiting:
		if it.Owner != 0 || it.Transfer != nil {
			return errorf(ErrInvalid, "waiting with an owner or a transfer")
		}
	case StatusOwned:
		if it.Owner == 0 {
			return errorf(ErrInvalid, "owned without an owner")
		}
		if tr := it.Transfer; tr != nil {
			to := s.queues[tr.ToQueue]
			_, toAgentOffered := it.Offers[tr.ToAgent]
			switch {
			case len(it.Offers) == 0:
				return errorf(ErrInvalid, "transfer without offers")
			case (tr.ToAgent == 0) == (tr.ToQueue == 0):
				return errorf(ErrInvalid, "transfer needs one target")
			case tr.ToQueue != 0 && (to == nil || to.Channel != it.Channel):
				return errorf(ErrUnknownQueue, "transfer to queue %d", tr.ToQueue)
			case tr.ToAgent != 0 && (len(it.Offers) != 1 || !toAgentOffered):
				return errorf(ErrInvalid, "transfer to agent %d offered elsewhere", tr.ToAgent)
			}
		} else if len(it.Offers) > 0 {
			return errorf(ErrInvalid, "offers without a transfer")
		}
	default:
		return errorf(ErrInvalid, "status %q", it.Status)
	}
	return nil
}

// cloneMap copies a map, nil when empty, so that snapshots of equal states
// are equal whatever maps were emptied on the way.
func cloneMap[M ~map[K]V, K comparable, V any](m M) M {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

func copyAgent(a *Agent) Agent {
	c := *a
	c.ActiveQueues = cloneMap(a.ActiveQueues)
	c.Capacity = cloneMap(a.Capacity)
	c.AutoAnswer = cloneMap(a.AutoAnswer)
	c.IdleSince = cloneMap(a.IdleSince)
	return c
}

func copyInteraction(it *Interaction) Interaction {
	c := *it
	if it.Priority != nil {
		p := *it.Priority
		c.Priority = &p
	}
	c.Offers = cloneMap(it.Offers)
	c.Excluded = cloneMap(it.Excluded)
	if it.Transfer != nil {
		t := *it.Transfer
		t.Declined = cloneMap(it.Transfer.Declined)
		c.Transfer = &t
	}
	return c
}
