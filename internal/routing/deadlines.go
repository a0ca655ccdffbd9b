package routing

import (
	"cmp"
	"slices"
	"time"
)

// deadlineKind orders deadlines that fall at the same instant: an
// auto-answer due when its offer expires still answers, and an offer that
// rings out as max wait strikes ends as a timeout first.
type deadlineKind int

const (
	autoAnswerDue deadlineKind = iota
	offerExpiry
	maxWaitDue
	exclusionEnd // nothing to do but dispatch: the agent is eligible again
)

type deadline struct {
	at          time.Time
	kind        deadlineKind
	interaction int64
	agent       int64
}

func (d deadline) compare(e deadline) int {
	return cmp.Or(d.at.Compare(e.at), cmp.Compare(d.kind, e.kind),
		cmp.Compare(d.interaction, e.interaction), cmp.Compare(d.agent, e.agent))
}

// deadlines lists every pending deadline. A transfer's deadline is that of
// its offers, and a transfer without offers has already returned, so it
// needs no entry of its own.
func (s *State) deadlines() []deadline {
	var out []deadline
	for _, it := range s.interactions {
		for id, o := range it.Offers {
			if !o.AutoAcceptAt.IsZero() {
				out = append(out, deadline{o.AutoAcceptAt, autoAnswerDue, it.ID, id})
			}
			out = append(out, deadline{o.ExpiresAt, offerExpiry, it.ID, id})
		}
		if it.Status != StatusWaiting {
			continue
		}
		if at, ok := s.maxWaitAt(it); ok {
			out = append(out, deadline{at, maxWaitDue, it.ID, 0})
		}
		for id, until := range it.Excluded {
			out = append(out, deadline{until, exclusionEnd, it.ID, id})
		}
	}
	return out
}

// maxWaitAt is when max wait acts on a waiting interaction; a queue that
// keeps waiting interactions has no such deadline.
func (s *State) maxWaitAt(it *Interaction) (time.Time, bool) {
	q := s.queues[it.QueueID]
	if q.MaxWait <= 0 || q.MaxWaitAction == KeepWaiting {
		return time.Time{}, false
	}
	return it.WaitingSince.Add(q.MaxWait), true
}

// NextDeadline is the earliest moment a Tick has something to do, if any.
// It may be in the past when the clock moved on without a Tick.
func (s *State) NextDeadline() (time.Time, bool) {
	ds := s.deadlines()
	if len(ds) == 0 {
		return time.Time{}, false
	}
	return slices.MinFunc(ds, deadline.compare).at, true
}

// processDue acts on every deadline that has come, in the order they fell
// due, so that a late Tick decides as a punctual one would have (an
// auto-answer that came before max wait still answers). Each is checked
// again when its turn comes, since an earlier one may have undone it.
// Dispatch then runs once, at the current time.
func (s *State) processDue() {
	var due []deadline
	for _, d := range s.deadlines() {
		if !d.at.After(s.now) {
			due = append(due, d)
		}
	}
	slices.SortFunc(due, deadline.compare)
	for _, d := range due {
		it := s.interactions[d.interaction]
		if it == nil {
			continue
		}
		o, offered := it.Offers[d.agent]
		switch d.kind {
		case autoAnswerDue:
			if offered && o.AutoAcceptAt.Equal(d.at) {
				s.accept(it, d.agent, true)
			}
		case offerExpiry:
			if offered && o.ExpiresAt.Equal(d.at) {
				s.decline(it, d.agent, ReasonTimeout)
			}
		case maxWaitDue:
			if at, ok := s.maxWaitAt(it); ok && it.Status == StatusWaiting && at.Equal(d.at) {
				s.maxWait(it)
			}
		}
	}
}

// maxWait moves a waiting interaction on, or closes it, as its queue says.
func (s *State) maxWait(it *Interaction) {
	q := s.queues[it.QueueID]
	switch q.MaxWaitAction {
	case MoveToQueue:
		s.withdrawAll(it, ReasonMoved)
		it.QueueID = q.MoveToQueueID
		it.EnqueuedAt, it.WaitingSince = s.now, s.now
		s.emit(Moved{Interaction: it.ID, From: q.ID, To: q.MoveToQueueID})
	case CloseUnmanaged:
		s.remove(it, ReasonClosed)
		s.emit(ClosedUnmanaged{Interaction: it.ID, Queue: q.ID})
	}
}
