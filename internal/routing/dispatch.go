package routing

import (
	"maps"
	"slices"
	"sort"
	"time"
)

// dispatch offers every waiting interaction, and every pending queue
// transfer, to the agents its queue's strategy picks, in dispatch order so
// that higher priority and older interactions get free capacity first.
//
// An accept during a pass (auto-answer at once) withdraws the interaction's
// other offers and may free its previous owner, so capacity that an earlier
// interaction of the pass could not get may now be free: the pass is run
// again until one makes no accept. Each accept takes one interaction out of
// the line, so this ends.
func (s *State) dispatch() {
	s.purgeExclusions()
	for {
		s.accepted = false
		clear(s.noRoom) // each pass looks at the state as it is now
		for _, it := range s.dispatchOrder() {
			switch {
			case it.Status == StatusWaiting:
				s.dispatchWaiting(it)
			case it.Transfer != nil:
				s.dispatchTransfer(it)
			}
		}
		if !s.accepted {
			return
		}
	}
}

// dispatchOrder lists the waiting interactions and those with a pending
// transfer, in dispatch order.
func (s *State) dispatchOrder() []*Interaction {
	list := make([]*Interaction, 0, len(s.beingRouted))
	for _, it := range s.beingRouted {
		list = append(list, it)
	}
	sort.Slice(list, func(i, j int) bool { return s.before(list[i], list[j]) })
	return list
}

// purgeExclusions forgets exclusions that have run out, so that the
// snapshot and NextDeadline only carry those that still matter. Only
// waiting interactions have exclusions (an accept clears them).
func (s *State) purgeExclusions() {
	for _, it := range s.beingRouted {
		if it.Excluded == nil {
			continue
		}
		maps.DeleteFunc(it.Excluded, func(_ int64, until time.Time) bool { return !s.now.Before(until) })
		if len(it.Excluded) == 0 {
			it.Excluded = nil
		}
	}
}

func (s *State) dispatchWaiting(it *Interaction) {
	q := s.queues[it.QueueID]
	if q.Strategy != RingAll && len(it.Offers) > 0 {
		return // single-offer strategies ring one agent at a time
	}
	cands := s.eligible(it, q.ID, func(id int64) bool {
		until, ok := it.Excluded[id]
		return ok && s.now.Before(until)
	})
	if len(cands) == 0 {
		return
	}
	expires := s.now.Add(q.AgentTimeout)
	if q.Strategy == RingAll {
		s.ringAll(it, q.ID, cands, expires, false)
	} else {
		s.offer(it, s.pick(q, it.Channel, cands), expires, false)
	}
	s.autoAcceptDue(it)
}

// dispatchTransfer rings a queue transfer to agents who became eligible
// while it rings, and hands the interaction back to its owner once no offer
// of the transfer is left.
func (s *State) dispatchTransfer(it *Interaction) {
	tr := it.Transfer
	if tr.ToQueue != 0 && s.now.Before(tr.Deadline) {
		cands := s.eligible(it, tr.ToQueue, func(id int64) bool { return id == it.Owner || tr.Declined[id] })
		if len(cands) > 0 {
			s.ringAll(it, tr.ToQueue, cands, tr.Deadline, true)
			s.autoAcceptDue(it)
		}
	}
	if it.Transfer != nil && len(it.Offers) == 0 {
		it.Transfer = nil
		s.track(it)
		s.emit(TransferReturned{Interaction: it.ID, Owner: it.Owner})
	}
}

// candidate is an eligible agent with his penalty in the queue.
type candidate struct {
	agent   *Agent
	penalty int
}

// eligible lists, by penalty then ID, the agents who may be offered it from
// the queue: logged in, neither paused nor away, the queue active for them,
// room on the channel, no offer of it already, and not skipped (excluded,
// or the owner of a transfer).
//
// A queue found with no member free on the channel is remembered in
// noRoom, so that the queue's other interactions skip the look at each
// member: with hundreds waiting for a full queue, that look was most of a
// decision's work.
func (s *State) eligible(it *Interaction, queueID int64, skip func(agentID int64) bool) []candidate {
	key := queueChannel{queueID, it.Channel}
	if s.noRoom[key] {
		return nil
	}
	var out []candidate
	room := false
	for _, id := range s.queueMembers(queueID) {
		a := s.agents[id]
		if a.Paused || a.Away || !s.hasRoom(a, it.Channel) {
			continue
		}
		room = true
		if _, offered := it.Offers[id]; offered || skip(id) {
			continue
		}
		out = append(out, candidate{a, a.ActiveQueues[queueID]})
	}
	if !room {
		s.noRoom[key] = true
	}
	slices.SortStableFunc(out, func(x, y candidate) int { return x.penalty - y.penalty })
	return out
}

// ringAll offers it to every candidate of the lowest penalty tier. The tier
// counts the agents already ringing, so that an agent of a higher penalty
// who becomes free does not join while better-placed agents still ring.
func (s *State) ringAll(it *Interaction, queueID int64, cands []candidate, expires time.Time, transfer bool) {
	tier := cands[0].penalty
	for id := range it.Offers {
		if p, ok := s.agents[id].ActiveQueues[queueID]; ok && p < tier {
			tier = p
		}
	}
	for _, c := range cands {
		if c.penalty == tier {
			s.offer(it, c.agent, expires, transfer)
		}
	}
}

// pick chooses the one agent a single-offer strategy offers to, among the
// candidates of the lowest penalty tier.
func (s *State) pick(q *Queue, ch Channel, cands []candidate) *Agent {
	n := 1
	for n < len(cands) && cands[n].penalty == cands[0].penalty {
		n++
	}
	tier := make([]*Agent, n)
	for i := range tier {
		tier[i] = cands[i].agent // in ID order
	}
	switch q.Strategy {
	case RoundRobin:
		next := tier[0] // wrap
		if i := slices.IndexFunc(tier, func(a *Agent) bool { return a.ID > s.roundRobin[q.ID] }); i >= 0 {
			next = tier[i]
		}
		s.roundRobin[q.ID] = next.ID
		return next
	case LongestIdle:
		// An agent who holds something on the channel is not idle at all.
		return slices.MinFunc(tier, func(a, b *Agent) int {
			busyA, busyB := s.loadOf(a.ID, ch).Owned > 0, s.loadOf(b.ID, ch).Owned > 0
			if busyA != busyB {
				if busyB {
					return -1
				}
				return 1
			}
			return a.idleSince(ch).Compare(b.idleSince(ch))
		})
	case FewestHandled:
		return slices.MinFunc(tier, func(a, b *Agent) int { return a.Handled - b.Handled })
	case Random:
		return tier[s.rnd.IntN(len(tier))]
	default: // Linear
		return tier[0]
	}
}

// offer rings it to the agent until expires, with auto-answer when the
// agent has it on the channel and it would come before the expiry.
func (s *State) offer(it *Interaction, a *Agent, expires time.Time, transfer bool) {
	o := Offer{OfferedAt: s.now, ExpiresAt: expires, Transfer: transfer}
	if d, ok := a.AutoAnswer[it.Channel]; ok && !s.now.Add(d).After(expires) {
		o.AutoAcceptAt = s.now.Add(d)
	}
	if it.Offers == nil {
		it.Offers = map[int64]Offer{}
	}
	it.Offers[a.ID] = o
	s.addLoad(a.ID, it.Channel, 0, 1)
	if !o.AutoAcceptAt.IsZero() {
		s.setDeadline(deadline{o.AutoAcceptAt, autoAnswerDue, it.ID, a.ID})
	}
	s.setDeadline(deadline{o.ExpiresAt, offerExpiry, it.ID, a.ID})
	queue := it.QueueID
	if transfer && it.Transfer.ToQueue != 0 {
		queue = it.Transfer.ToQueue
	}
	s.emit(Offered{Interaction: it.ID, Queue: queue, Agent: a.ID, ExpiresAt: o.ExpiresAt,
		AutoAcceptAt: o.AutoAcceptAt, Transfer: transfer})
}

// dropOffer removes an offer and the capacity it reserved.
func (s *State) dropOffer(it *Interaction, agentID int64) Offer {
	o := it.Offers[agentID]
	delete(it.Offers, agentID)
	if len(it.Offers) == 0 {
		it.Offers = nil
	}
	s.addLoad(agentID, it.Channel, 0, -1)
	return o
}

// endOffer ends an offer without the agent getting the interaction.
func (s *State) endOffer(it *Interaction, agentID int64, reason EndReason) {
	o := s.dropOffer(it, agentID)
	s.emit(OfferEnded{Interaction: it.ID, Agent: agentID, Reason: reason, Transfer: o.Transfer})
}

// decline ends an offer the agent rejected or let ring out, and keeps it
// from him: for AgentTimeout for a queue offer (then he may get it again),
// for the rest of a transfer.
func (s *State) decline(it *Interaction, agentID int64, reason EndReason) {
	o := it.Offers[agentID]
	s.endOffer(it, agentID, reason)
	if o.Transfer {
		if it.Transfer.Declined == nil {
			it.Transfer.Declined = map[int64]bool{}
		}
		it.Transfer.Declined[agentID] = true
		return
	}
	if it.Excluded == nil {
		it.Excluded = map[int64]time.Time{}
	}
	it.Excluded[agentID] = s.now.Add(s.queues[it.QueueID].AgentTimeout)
	s.setDeadline(deadline{it.Excluded[agentID], exclusionEnd, it.ID, agentID})
}

// withdrawAll ends every offer of it, in agent order.
func (s *State) withdrawAll(it *Interaction, reason EndReason) {
	for _, id := range slices.Sorted(maps.Keys(it.Offers)) {
		s.endOffer(it, id, reason)
	}
}

// withdrawAgentOffers ends the agent's offers, in interaction order, but
// those keep says to keep.
func (s *State) withdrawAgentOffers(agentID int64, reason EndReason, keep func(*Interaction, Offer) bool) {
	for _, it := range s.sortedBeingRouted() {
		if o, ok := it.Offers[agentID]; ok && (keep == nil || !keep(it, o)) {
			s.endOffer(it, agentID, reason)
		}
	}
}

// accept gives it to the agent holding an offer of it: the first accept
// wins and every other offer ends as taken.
func (s *State) accept(it *Interaction, agentID int64, auto bool) {
	o := s.dropOffer(it, agentID)
	if o.Transfer {
		from := it.Owner
		if it.Transfer.ToQueue != 0 {
			it.QueueID = it.Transfer.ToQueue
		}
		it.Transfer = nil
		s.setOwner(it, agentID)
		s.emit(TransferAccepted{Interaction: it.ID, Queue: it.QueueID, From: from, To: agentID, Auto: auto})
	} else {
		s.recordAcceptWait(it.QueueID, s.now.Sub(it.WaitingSince))
		it.Status, it.WaitingSince, it.Excluded = StatusOwned, time.Time{}, nil
		s.setOwner(it, agentID)
		s.emit(Assigned{Interaction: it.ID, Queue: it.QueueID, Agent: agentID, Auto: auto})
	}
	s.agents[agentID].Handled++
	s.withdrawAll(it, ReasonTaken)
	s.track(it)
	s.accepted = true
	clear(s.noRoom) // the offers withdrawn freed room
}

// autoAcceptDue accepts, for its agent, the offer of it whose auto-answer is
// due (the earliest, then the lowest agent ID): with a delay of 0 that is
// the moment it is offered.
func (s *State) autoAcceptDue(it *Interaction) {
	best, at := int64(0), time.Time{}
	for id, o := range it.Offers {
		if o.AutoAcceptAt.IsZero() || o.AutoAcceptAt.After(s.now) {
			continue
		}
		if best == 0 || o.AutoAcceptAt.Before(at) || (o.AutoAcceptAt.Equal(at) && id < best) {
			best, at = id, o.AutoAcceptAt
		}
	}
	if best != 0 {
		s.accept(it, best, true)
	}
}

// setOwner moves ownership (0: none), keeping loads and idle times in step.
func (s *State) setOwner(it *Interaction, agentID int64) {
	if old := it.Owner; old != 0 {
		s.addLoad(old, it.Channel, -1, 0)
		if a := s.agents[old]; a != nil && s.loadOf(old, it.Channel).Owned == 0 {
			if a.IdleSince == nil {
				a.IdleSince = map[Channel]time.Time{}
			}
			a.IdleSince[it.Channel] = s.now
		}
	}
	it.Owner = agentID
	if agentID != 0 {
		s.addLoad(agentID, it.Channel, 1, 0)
	}
}

func (s *State) recordAcceptWait(queueID int64, d time.Duration) {
	w := append(s.acceptWaits[queueID], d)
	if len(w) > acceptWindow {
		w = slices.Clone(w[len(w)-acceptWindow:])
	}
	s.acceptWaits[queueID] = w
}
