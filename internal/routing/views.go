package routing

import (
	"cmp"
	"maps"
	"slices"
	"sort"
	"time"
)

// Read-only views for the API and the realtime dashboard. They return
// copies: changing them does not change the state.

// Queue returns a queue's settings.
func (s *State) Queue(id int64) (Queue, bool) {
	q := s.queues[id]
	if q == nil {
		return Queue{}, false
	}
	return *q, true
}

// AgentIDs lists the logged-in agents in ID order; unlike Snapshot it
// copies nothing else, so it is cheap enough for a request.
func (s *State) AgentIDs() []int64 { return slices.Clone(s.agentIDs) }

// QueueIDs lists the queues in ID order.
func (s *State) QueueIDs() []int64 { return slices.Sorted(maps.Keys(s.queues)) }

// Agent returns a logged-in agent.
func (s *State) Agent(id int64) (Agent, bool) {
	a := s.agents[id]
	if a == nil {
		return Agent{}, false
	}
	return copyAgent(a), true
}

// Interaction returns an interaction routing holds (waiting or owned).
func (s *State) Interaction(id int64) (Interaction, bool) {
	it := s.interactions[id]
	if it == nil {
		return Interaction{}, false
	}
	return copyInteraction(it), true
}

// Owner returns who owns an interaction; false when nobody does.
func (s *State) Owner(interactionID int64) (int64, bool) {
	it := s.interactions[interactionID]
	if it == nil || it.Owner == 0 {
		return 0, false
	}
	return it.Owner, true
}

// Waiting lists a queue's waiting interactions (being offered or not) in
// dispatch order.
func (s *State) Waiting(queueID int64) []int64 {
	ids, _ := s.Line(queueID)
	return ids
}

// Line is a queue's waiting interactions in the order they will be served
// (see Waiting) and when the longest current wait among them began (an
// interaction's WaitingSince: a requeued one waits anew; zero when nothing
// waits), in one pass over the interactions being routed.
func (s *State) Line(queueID int64) (ids []int64, longestSince time.Time) {
	var list []*Interaction
	for _, it := range s.beingRouted {
		if it.Status == StatusWaiting && it.QueueID == queueID {
			list = append(list, it)
			if longestSince.IsZero() || it.WaitingSince.Before(longestSince) {
				longestSince = it.WaitingSince
			}
		}
	}
	sort.Slice(list, func(i, j int) bool { return s.before(list[i], list[j]) })
	ids = make([]int64, len(list))
	for i, it := range list {
		ids[i] = it.ID
	}
	return ids, longestSince
}

// Position is a waiting interaction's place in its queue, 1 for the next
// to be served; false when it is not waiting.
func (s *State) Position(interactionID int64) (int, bool) {
	it := s.interactions[interactionID]
	if it == nil || it.Status != StatusWaiting {
		return 0, false
	}
	for i, id := range s.Waiting(it.QueueID) {
		if id == interactionID {
			return i + 1, true
		}
	}
	return 0, false
}

// EstimatedWait is how long an interaction arriving now in the queue should
// expect to wait: the mean time-to-accept (from the start of the wait to the
// accept) of the queue's last 20 accepted interactions, times the position
// it would take. It is deliberately simple: it needs no model of handling
// times, reacts within 20 accepts, and errs long on long queues (the recent
// waits already include some queueing). 0 when the queue has no accepts yet.
func (s *State) EstimatedWait(queueID int64) time.Duration {
	return s.meanAcceptWait(queueID) * time.Duration(len(s.Waiting(queueID))+1)
}

// EstimatedWaitFor is EstimatedWait for a waiting interaction at its
// current position.
func (s *State) EstimatedWaitFor(interactionID int64) (time.Duration, bool) {
	pos, ok := s.Position(interactionID)
	if !ok {
		return 0, false
	}
	return s.meanAcceptWait(s.interactions[interactionID].QueueID) * time.Duration(pos), true
}

func (s *State) meanAcceptWait(queueID int64) time.Duration {
	w := s.acceptWaits[queueID]
	if len(w) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range w {
		sum += d
	}
	return sum / time.Duration(len(w))
}

// AgentLoad is what an agent holds per channel (owned and offered), logged
// in or not: interactions kept at logout still count when he comes back.
func (s *State) AgentLoad(agentID int64) map[Channel]Load {
	return maps.Clone(s.load[agentID])
}

// AgentOffer is an offer pending to an agent.
type AgentOffer struct {
	Interaction int64   `json:"interaction_id"`
	Queue       int64   `json:"queue_id"` // for a queue transfer, the target queue
	Channel     Channel `json:"channel"`
	Offer
}

// Offers lists an agent's pending offers, by interaction ID. Desktops ask
// for it on every request, so it looks only at the interactions being
// routed (offers live on no other) and sorts only the agent's offers.
func (s *State) Offers(agentID int64) []AgentOffer {
	var out []AgentOffer
	for _, it := range s.beingRouted {
		o, ok := it.Offers[agentID]
		if !ok {
			continue
		}
		q := it.QueueID
		if o.Transfer && it.Transfer.ToQueue != 0 {
			q = it.Transfer.ToQueue
		}
		out = append(out, AgentOffer{Interaction: it.ID, Queue: q, Channel: it.Channel, Offer: o})
	}
	slices.SortFunc(out, func(a, b AgentOffer) int { return cmp.Compare(a.Interaction, b.Interaction) })
	return out
}
