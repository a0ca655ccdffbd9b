package routing

import (
	"cmp"
	"container/heap"
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

// eachDeadline calls f with every pending deadline, in no order. A
// transfer's deadline is that of its offers, and a transfer without offers
// has already returned, so it needs no entry of its own. Only interactions
// being routed have deadlines.
func (s *State) eachDeadline(f func(deadline)) {
	for _, it := range s.beingRouted {
		for id, o := range it.Offers {
			if !o.AutoAcceptAt.IsZero() {
				f(deadline{o.AutoAcceptAt, autoAnswerDue, it.ID, id})
			}
			f(deadline{o.ExpiresAt, offerExpiry, it.ID, id})
		}
		if it.Status != StatusWaiting {
			continue
		}
		if at, ok := s.maxWaitAt(it); ok {
			f(deadline{at, maxWaitDue, it.ID, 0})
		}
		for id, until := range it.Excluded {
			f(deadline{until, exclusionEnd, it.ID, id})
		}
	}
}

// schedule is every deadline set since the last rebuild, earliest first
// (a heap): the owner asks for the next deadline after every decision, and
// listing every offer of every waiting interaction each time was a large
// part of a decision's work with many chats ringing. Entries are never
// removed when their deadline is undone (an offer taken, a wait ended):
// they are dropped when they come to the top and pending says they no
// longer hold, and the heap is rebuilt from the state when stale entries
// outnumber live ones.
type schedule []deadline

func (h schedule) Len() int           { return len(h) }
func (h schedule) Less(i, j int) bool { return h[i].compare(h[j]) < 0 }
func (h schedule) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *schedule) Push(x any)        { *h = append(*h, x.(deadline)) }
func (h *schedule) Pop() any {
	old := *h
	d := old[len(old)-1]
	*h = old[:len(old)-1]
	return d
}

// setDeadline schedules a deadline just set in the state.
func (s *State) setDeadline(d deadline) {
	heap.Push(&s.schedule, d)
}

// scheduleMaxWait schedules a waiting interaction's max wait, if its queue
// has one: at enqueue, at each new wait, and when the queue's settings
// change.
func (s *State) scheduleMaxWait(it *Interaction) {
	if at, ok := s.maxWaitAt(it); ok && it.Status == StatusWaiting {
		s.setDeadline(deadline{at, maxWaitDue, it.ID, 0})
	}
}

// pending reports whether a scheduled deadline still holds: the state
// still has it, as eachDeadline would list it.
func (s *State) pending(d deadline) bool {
	it := s.beingRouted[d.interaction]
	if it == nil {
		return false
	}
	o, offered := it.Offers[d.agent]
	switch d.kind {
	case autoAnswerDue:
		return offered && o.AutoAcceptAt.Equal(d.at)
	case offerExpiry:
		return offered && o.ExpiresAt.Equal(d.at)
	case maxWaitDue:
		at, ok := s.maxWaitAt(it)
		return ok && it.Status == StatusWaiting && at.Equal(d.at)
	default: // exclusionEnd
		until, ok := it.Excluded[d.agent]
		return ok && it.Status == StatusWaiting && until.Equal(d.at)
	}
}

// rebuildSchedule makes the schedule again from the state: at Restore,
// and when stale entries have piled up.
func (s *State) rebuildSchedule() {
	s.schedule = s.schedule[:0]
	s.eachDeadline(func(d deadline) { s.schedule = append(s.schedule, d) })
	heap.Init(&s.schedule)
	s.scheduleLive = len(s.schedule)
}

// pruneSchedule drops the stale deadlines at the top, and rebuilds the
// schedule when it has grown well past what was live at the last rebuild.
func (s *State) pruneSchedule() {
	for len(s.schedule) > 0 && !s.pending(s.schedule[0]) {
		heap.Pop(&s.schedule)
	}
	if len(s.schedule) > 2*s.scheduleLive+1024 {
		s.rebuildSchedule()
	}
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
//
// The owner asks after every decision: the schedule answers it without
// looking at every deadline.
func (s *State) NextDeadline() (time.Time, bool) {
	s.pruneSchedule()
	if len(s.schedule) == 0 {
		return time.Time{}, false
	}
	return s.schedule[0].at, true
}

// processDue acts on every deadline that has come, in the order they fell
// due, so that a late Tick decides as a punctual one would have (an
// auto-answer that came before max wait still answers). Each is checked
// again when its turn comes, since an earlier one may have undone it.
// Dispatch then runs once, at the current time.
func (s *State) processDue() {
	var due []deadline // in the order they fell due: the heap's
	for len(s.schedule) > 0 && !s.schedule[0].at.After(s.now) {
		d := heap.Pop(&s.schedule).(deadline)
		if len(due) > 0 && due[len(due)-1] == d {
			continue // scheduled twice (set again to the same instant)
		}
		due = append(due, d)
	}
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
		s.scheduleMaxWait(it)
		s.emit(Moved{Interaction: it.ID, From: q.ID, To: q.MoveToQueueID})
	case CloseUnmanaged:
		s.remove(it, ReasonClosed)
		s.emit(ClosedUnmanaged{Interaction: it.ID, Queue: q.ID})
	}
}
