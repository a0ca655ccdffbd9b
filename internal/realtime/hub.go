// Package realtime delivers the event log live to desktops and supervisor
// screens: each subscriber receives, in order, only the events it may see,
// and a reconnecting one resumes from the last event id it got.
package realtime

import (
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
)

// Audience says who may see an event. It is derived from the event alone
// (see AudienceOf), so live delivery and resumption agree. Admins see every
// event; nobody else sees configuration, sign-in or token events.
type Audience struct {
	Agents []int64 // these principals (the agents an event is for, or about)
	Queues []int64 // agents working these queues, and supervisors of them
	// Supervised are queues whose supervisors (but not agents) see it.
	Supervised []int64
	About      []int64 // supervisors of these agents (presence events)
}

// Viewer is a subscriber's identity and reach.
type Viewer struct {
	PrincipalID int64
	// Everything is true for admins: they see all events.
	Everything bool
	// Works reports whether an agent currently works a queue (his active queues).
	Works func(queueID int64) bool
	// Supervises reports whether a supervisor may watch a queue.
	Supervises func(queueID int64) bool
	// SupervisesAgent reports whether a supervisor may watch an agent.
	SupervisesAgent func(agentID int64) bool
	// Match, when set, replaces the audience rules: the subscriber gets
	// exactly the events it matches. It is for a subscriber that is not a
	// principal (a customer's chat widget, PrincipalID 0), which the hub
	// also leaves out of presence. It runs while events are published, so
	// it must be quick and must not block.
	Match func(eventlog.Event) bool
	// Interaction, set with Match, says the subscriber only ever matches
	// events about this one interaction (a chat widget): the hub then asks
	// its Match about that interaction's events only, so thousands of open
	// chats do not each look at every event.
	Interaction int64
}

// receives reports whether the viewer gets an event with this audience.
func (v *Viewer) receives(ev eventlog.Event, a Audience) bool {
	if v.Match != nil {
		return v.Match(ev)
	}
	return v.Sees(a)
}

// principal tells whether the viewer is a principal whose screens count
// for presence.
func (v *Viewer) principal() bool { return v.Match == nil }

// Sees reports whether the viewer may receive an event with this audience.
func (v *Viewer) Sees(a Audience) bool {
	if v.Everything {
		return true
	}
	for _, id := range a.Agents {
		if id == v.PrincipalID {
			return true
		}
	}
	for _, q := range a.Queues {
		if v.Works != nil && v.Works(q) {
			return true
		}
		if v.Supervises != nil && v.Supervises(q) {
			return true
		}
	}
	for _, q := range a.Supervised {
		if v.Supervises != nil && v.Supervises(q) {
			return true
		}
	}
	for _, id := range a.About {
		if v.SupervisesAgent != nil && v.SupervisesAgent(id) {
			return true
		}
	}
	return false
}

// AudienceOf derives an event's audience from its type, subject and data
// (the agent_id, from_agent_id, queue_id and to_queue_id fields of routing
// events).
func AudienceOf(ev eventlog.Event) Audience {
	var d struct {
		AgentID   *int64 `json:"agent_id"`
		From      *int64 `json:"from_agent_id"`
		QueueID   *int64 `json:"queue_id"`
		ToQueueID *int64 `json:"to_queue_id"`
		Private   bool   `json:"private"` // only the named agents and supervisors (an offer)
	}
	_ = json.Unmarshal(ev.Data, &d)
	var a Audience
	switch {
	case ev.SubjectType == "interaction":
		for _, p := range []*int64{d.AgentID, d.From} {
			if p != nil {
				a.Agents = append(a.Agents, *p)
			}
		}
		for _, p := range []*int64{d.QueueID, d.ToQueueID} {
			if p != nil {
				a.Queues = append(a.Queues, *p)
			}
		}
		if d.Private { // queue mates do not see each other's offers; supervisors do
			a.Supervised, a.Queues = a.Queues, nil
		}
	case ev.SubjectType == "agent" && ev.SubjectID != nil:
		a.Agents = []int64{*ev.SubjectID}
		a.About = []int64{*ev.SubjectID}
	case ev.SubjectType == "contact_import":
		// An import's progress is for whoever started it.
		var im struct {
			PrincipalID int64 `json:"principal_id"`
		}
		if json.Unmarshal(ev.Data, &im) == nil && im.PrincipalID != 0 {
			a.Agents = []int64{im.PrincipalID}
		}
	case ev.SubjectType == "principal" && ev.SubjectID != nil:
		// Changes to his own account reach the person (client logging turned
		// on, say); everything else of that kind is for admins.
		a.Agents = []int64{*ev.SubjectID}
	}
	return a
}

// Subscriber is one connected screen.
type Subscriber struct {
	Viewer *Viewer
	// C receives the events, shared by every subscriber (never change one);
	// it is closed when the hub drops a subscriber that fell behind.
	// Pointers keep an idle screen's buffer at 8 KiB rather than 100.
	C    chan *eventlog.Event
	hub  *Hub
	gone bool
}

// Hub fans events out to subscribers and watches agents' presence on it.
type Hub struct {
	mu   sync.Mutex
	subs map[*Subscriber]struct{}
	// Each subscriber is in one index, which says which events it is asked
	// about. general are those asked about every event (admins,
	// supervisors); byPrincipal, the screens that see only the events
	// naming their principal or a queue he works (agents' desktops), under
	// their principal; byInteraction, those following one interaction (chat
	// widgets), under it.
	general       map[*Subscriber]struct{}
	byPrincipal   map[int64]map[*Subscriber]struct{}
	byInteraction map[int64]map[*Subscriber]struct{}
	byAgent       map[int64]int         // open sockets per principal
	awayTimer     map[int64]clock.Timer // agents with no socket, waiting to be declared away
	clock         clock.Clock
	awayAfter     time.Duration
	// OnAway and OnBack tell routing an agent lost or regained all his sockets.
	OnAway func(agentID int64)
	OnBack func(agentID int64)
	away   map[int64]bool

	// QueueWorkers, when set, lists the agents who work a queue now (those
	// whose Viewer.Works is true for it). Publish then asks an agent's
	// desktop only about the events of his queues and those naming him,
	// rather than every desktop about every event. It runs while events
	// are published, so it must be quick and must not block.
	QueueWorkers func(queueID int64) []int64
	principals   []int64 // Publish's scratch list of the principals an event may reach
}

// SubscriberBuffer is how many events may queue for a slow screen before it
// is dropped (it then reconnects and resumes from the log).
const SubscriberBuffer = 1024

// NewHub builds a hub; an agent without sockets for awayAfter is away.
func NewHub(clk clock.Clock, awayAfter time.Duration) *Hub {
	return &Hub{subs: map[*Subscriber]struct{}{}, general: map[*Subscriber]struct{}{},
		byPrincipal:   map[int64]map[*Subscriber]struct{}{},
		byInteraction: map[int64]map[*Subscriber]struct{}{}, byAgent: map[int64]int{}, awayTimer: map[int64]clock.Timer{},
		away: map[int64]bool{}, clock: clk, awayAfter: awayAfter}
}

// Subscribe adds a screen.
func (h *Hub) Subscribe(v *Viewer) *Subscriber {
	s := &Subscriber{Viewer: v, C: make(chan *eventlog.Event, SubscriberBuffer), hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.subs[s] = struct{}{}
	h.index(s)
	if !v.principal() {
		return s
	}
	h.byAgent[v.PrincipalID]++
	if t, ok := h.awayTimer[v.PrincipalID]; ok {
		t.Stop()
		delete(h.awayTimer, v.PrincipalID)
	}
	if h.away[v.PrincipalID] {
		delete(h.away, v.PrincipalID)
		if h.OnBack != nil {
			go h.OnBack(v.PrincipalID)
		}
	}
	return s
}

// Unsubscribe removes a screen; when a principal's last one goes, the away
// timer starts.
func (h *Hub) Unsubscribe(s *Subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[s]; !ok {
		return
	}
	delete(h.subs, s)
	h.unindex(s)
	if !s.gone {
		s.gone = true
		close(s.C)
	}
	if !s.Viewer.principal() {
		return
	}
	id := s.Viewer.PrincipalID
	h.byAgent[id]--
	if h.byAgent[id] > 0 {
		return
	}
	delete(h.byAgent, id)
	h.awayTimer[id] = h.clock.AfterFunc(h.awayAfter, func() { h.declareAway(id) })
}

func (h *Hub) declareAway(id int64) {
	h.mu.Lock()
	if _, still := h.awayTimer[id]; !still || h.byAgent[id] > 0 {
		h.mu.Unlock()
		return
	}
	delete(h.awayTimer, id)
	h.away[id] = true
	cb := h.OnAway
	h.mu.Unlock()
	if cb != nil {
		cb(id)
	}
}

// Connected reports how many screens a principal has open.
func (h *Hub) Connected(id int64) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.byAgent[id]
}

// Publish delivers committed events, in order, to whoever may see them. A
// subscriber whose buffer is full is dropped rather than slowing everyone.
func (h *Hub) Publish(evs []eventlog.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range evs {
		ev := &evs[i]
		aud := AudienceOf(*ev)
		for s := range h.general {
			s.offer(ev, aud)
		}
		h.offerToPrincipals(ev, aud)
		if ev.SubjectType == "interaction" && ev.SubjectID != nil {
			for s := range h.byInteraction[*ev.SubjectID] {
				s.offer(ev, aud)
			}
		}
	}
}

// offer delivers an event the subscriber may receive, dropping a subscriber
// whose buffer is full. The hub's lock is held.
func (s *Subscriber) offer(ev *eventlog.Event, aud Audience) {
	if s.gone || !s.Viewer.receives(*ev, aud) {
		return
	}
	select {
	case s.C <- ev:
	default:
		s.gone = true
		close(s.C)
	}
}

// offerToPrincipals offers an event to the screens in byPrincipal that may
// receive it: those of the agents it names and of the agents working its
// queues. Without QueueWorkers, every such screen is asked. The hub's lock
// is held.
func (h *Hub) offerToPrincipals(ev *eventlog.Event, aud Audience) {
	if h.QueueWorkers == nil {
		for _, subs := range h.byPrincipal {
			for s := range subs {
				s.offer(ev, aud)
			}
		}
		return
	}
	ids := append(h.principals[:0], aud.Agents...)
	for _, q := range aud.Queues {
		ids = append(ids, h.QueueWorkers(q)...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids) // named and working the queue: one copy of the event
	for _, id := range ids {
		for s := range h.byPrincipal[id] {
			s.offer(ev, aud)
		}
	}
	h.principals = ids
}

// index puts a new subscriber in the index that says which events it is
// asked about (see Hub.general). The hub's lock is held.
func (h *Hub) index(s *Subscriber) {
	if set, key := h.indexOf(s.Viewer); set != nil {
		if set[key] == nil {
			set[key] = map[*Subscriber]struct{}{}
		}
		set[key][s] = struct{}{}
		return
	}
	h.general[s] = struct{}{}
}

// unindex takes a subscriber out of its index. The hub's lock is held.
func (h *Hub) unindex(s *Subscriber) {
	set, key := h.indexOf(s.Viewer)
	if set == nil {
		delete(h.general, s)
		return
	}
	delete(set[key], s)
	if len(set[key]) == 0 {
		delete(set, key)
	}
}

// indexOf is the keyed index a viewer belongs in and its key there; nil
// for general. A viewer's fields do not change once subscribed, so this
// gives the same answer at Subscribe and at Unsubscribe.
func (h *Hub) indexOf(v *Viewer) (map[int64]map[*Subscriber]struct{}, int64) {
	switch {
	case v.Match != nil && v.Interaction != 0:
		return h.byInteraction, v.Interaction
	case v.Match != nil, v.Everything, v.Supervises != nil, v.SupervisesAgent != nil:
		return nil, 0
	default: // sees what names him, or a queue he works (Sees)
		return h.byPrincipal, v.PrincipalID
	}
}
