// Package routing is the ACD: it decides which agent is offered which waiting
// interaction, and when. It is a deterministic state machine with no
// goroutines and no I/O, so that one owner goroutine can drive it, persist
// each decision with its event, and rebuild it after a restart:
//
//   - Apply takes one Command and returns the Effects it decided, in a
//     deterministic order; on error nothing changed and there are no effects.
//   - NextDeadline says when the next timed decision falls due (an offer
//     expiring, an auto-answer, a transfer deadline, a max wait, an exclusion
//     ending); the owner arms one timer and sends Tick then.
//   - Snapshot and Restore carry the whole state as a plain JSON value.
//
// Time is read from the injected clock once per Apply; Apply itself never
// acts on deadlines that have passed, only Tick does, so what happens at a
// deadline is always a Tick's effect.
//
// State is not safe for concurrent use: one goroutine owns it.
package routing

import (
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

// Channel is the medium of an interaction; capacity and auto-answer are per
// channel. The values are those of staff.Channel.
type Channel string

const (
	Chat        Channel = "chat"
	WhatsApp    Channel = "whatsapp"
	SMS         Channel = "sms"
	Email       Channel = "email"
	OpenChannel Channel = "openchannel"
	Fax         Channel = "fax"
	Voice       Channel = "voice"
)

// Channels lists every channel, in the order scans over channels use.
var Channels = []Channel{Chat, WhatsApp, SMS, Email, OpenChannel, Fax, Voice}

func (c Channel) valid() bool { return slices.Contains(Channels, c) }

// Strategy is how a queue picks the agents it offers an interaction to. The
// values are those of staff.Strategy.
type Strategy string

const (
	// RingAll offers to every eligible agent of the lowest penalty tier at
	// once; the first accept wins.
	RingAll Strategy = "ring_all"
	// RoundRobin offers to one agent, the next by ID after the last one this
	// queue offered to, wrapping.
	RoundRobin Strategy = "round_robin"
	// LongestIdle offers to the agent idle longest on the channel.
	LongestIdle Strategy = "longest_idle"
	// FewestHandled offers to the agent who accepted fewest this login.
	FewestHandled Strategy = "fewest_handled"
	// Random offers to one agent drawn uniformly.
	Random Strategy = "random"
	// Linear offers to the lowest-ID agent of the lowest penalty, always
	// starting from the top.
	Linear Strategy = "linear"
)

// Strategies lists every strategy.
var Strategies = []Strategy{RingAll, RoundRobin, LongestIdle, FewestHandled, Random, Linear}

// MaxWaitAction is what happens to an interaction that waited MaxWait. The
// values are those of staff.MaxWaitAction.
type MaxWaitAction string

const (
	KeepWaiting    MaxWaitAction = "keep"
	MoveToQueue    MaxWaitAction = "move"
	CloseUnmanaged MaxWaitAction = "close_unmanaged"
)

// DefaultTransferTimeout is how long a transfer rings when the command names
// no timeout (the reference's 300 seconds).
const DefaultTransferTimeout = 300 * time.Second

// acceptWindow is how many recent accepts of a queue EstimatedWait averages.
const acceptWindow = 20

// Queue is a line of waiting interactions on one channel and how it routes.
type Queue struct {
	ID       int64    `json:"id"`
	Channel  Channel  `json:"channel"`
	Strategy Strategy `json:"strategy"` // empty: RingAll
	// AgentTimeout is how long one offer rings, and how long an agent who
	// rejected or let an offer time out is not offered it again.
	AgentTimeout  time.Duration `json:"agent_timeout"`
	Priority      int           `json:"priority"` // higher is served first
	MaxWait       time.Duration `json:"max_wait"` // 0: no limit
	MaxWaitAction MaxWaitAction `json:"max_wait_action"`
	MoveToQueueID int64         `json:"move_to_queue_id,omitempty"` // with MoveToQueue: same channel
}

// AgentConfig is what an agent's profiles and settings give routing; it is
// computed outside (the union of the chosen agent profile and the personal
// profile) and replaced as a whole.
type AgentConfig struct {
	// ActiveQueues maps a queue to the agent's penalty in it (lower first).
	ActiveQueues map[int64]int `json:"active_queues,omitempty"`
	// Capacity is how many interactions of a channel he may hold, offers
	// included; missing or 0 is unlimited.
	Capacity map[Channel]int `json:"capacity,omitempty"`
	// AutoAnswer, where set for a channel, accepts his offers on it after
	// the delay (0: at once).
	AutoAnswer map[Channel]time.Duration `json:"auto_answer,omitempty"`
}

// Agent is a logged-in agent. Logged-out agents are not in the state, but
// interactions they kept still name them as owner.
type Agent struct {
	ID int64 `json:"id"`
	AgentConfig
	Paused      bool      `json:"paused,omitempty"`
	PauseReason string    `json:"pause_reason,omitempty"`
	Away        bool      `json:"away,omitempty"` // all his sockets gone: unavailable, pause kept
	LoggedInAt  time.Time `json:"logged_in_at"`
	// IdleSince is, per channel, when he last came to hold nothing on it;
	// a channel missing here has been idle since LoggedInAt.
	IdleSince map[Channel]time.Time `json:"idle_since,omitempty"`
	Handled   int                   `json:"handled,omitempty"` // interactions accepted this login
}

func (a *Agent) idleSince(ch Channel) time.Time {
	if t, ok := a.IdleSince[ch]; ok {
		return t
	}
	return a.LoggedInAt
}

// Status is where an interaction is in routing. Closed interactions leave
// the state; the Closed and ClosedUnmanaged effects say how they ended.
type Status string

const (
	StatusWaiting Status = "waiting" // in its queue, perhaps being offered
	StatusOwned   Status = "owned"   // an agent has it
)

// Interaction is one conversation routing knows of: waiting or owned.
type Interaction struct {
	ID       int64   `json:"id"`
	QueueID  int64   `json:"queue_id"`
	Channel  Channel `json:"channel"`            // fixed at Enqueue from the queue
	Priority *int    `json:"priority,omitempty"` // nil: the queue's current priority
	// EnqueuedAt orders the waiting line; a requeued interaction keeps it.
	EnqueuedAt time.Time `json:"enqueued_at"`
	// WaitingSince is when the current wait began (enqueue, move, requeue);
	// MaxWait and the time-to-accept count from it. Zero while owned.
	WaitingSince time.Time `json:"waiting_since,omitzero"`
	Status       Status    `json:"status"`
	Owner        int64     `json:"owner,omitempty"`
	// Offers pending, by agent. A waiting interaction has queue offers; an
	// owned one has offers only while a transfer is pending.
	Offers map[int64]Offer `json:"offers,omitempty"`
	// Excluded holds agents who rejected it or let it time out, until when
	// they may be offered it again.
	Excluded map[int64]time.Time `json:"excluded,omitempty"`
	Transfer *PendingTransfer    `json:"transfer,omitempty"`
}

// Offer is one agent's pending proposal of an interaction.
type Offer struct {
	OfferedAt time.Time `json:"offered_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// AutoAcceptAt, when set, is when auto-answer accepts it for the agent;
	// it is only set when it falls no later than ExpiresAt.
	AutoAcceptAt time.Time `json:"auto_accept_at,omitzero"`
	Transfer     bool      `json:"transfer,omitempty"`
}

// PendingTransfer is an owner's request to hand an interaction over to one
// agent or to a queue. The owner keeps it until someone accepts.
type PendingTransfer struct {
	ToAgent     int64     `json:"to_agent,omitempty"`
	ToQueue     int64     `json:"to_queue,omitempty"`
	RequestedAt time.Time `json:"requested_at"`
	Deadline    time.Time `json:"deadline"`
	// Declined holds agents who rejected or let the transfer ring out: a
	// queue transfer is not offered to them again.
	Declined map[int64]bool `json:"declined,omitempty"`
}

// Load is what an agent holds on one channel. Offers count against capacity
// so that accepting one never exceeds it.
type Load struct {
	Owned   int `json:"owned"`
	Offered int `json:"offered"`
}

// Errors returned by Apply, wrapped with detail; test them with errors.Is.
// The owner maps them to apperr codes (ErrInvalid → invalid, the unknowns →
// not_found, the rest → conflict).
var (
	ErrInvalid            = errors.New("routing: invalid command")
	ErrUnknownQueue       = errors.New("routing: unknown queue")
	ErrUnknownInteraction = errors.New("routing: unknown interaction")
	ErrNotLoggedIn        = errors.New("routing: agent not logged in")
	ErrLoggedIn           = errors.New("routing: agent already logged in")
	ErrInteractionExists  = errors.New("routing: interaction already in routing")
	// ErrNoLiveOffer: the agent holds no offer that is still ringing (it
	// expired, was withdrawn or taken, or never was).
	ErrNoLiveOffer     = errors.New("routing: no live offer")
	ErrNotOwner        = errors.New("routing: not the owner")
	ErrTransferPending = errors.New("routing: a transfer is already pending")
	// ErrUnavailable: the transfer target is logged out, away or full, or
	// no agent of the target queue can take it.
	ErrUnavailable     = errors.New("routing: no agent available")
	ErrQueueInUse      = errors.New("routing: queue in use")
	ErrChannelMismatch = errors.New("routing: channel mismatch")
)

// State is the routing state. Build it with New, drive it with Apply.
type State struct {
	clk clock.Clock
	src rand.Source
	rnd *rand.Rand

	queues       map[int64]*Queue
	agents       map[int64]*Agent
	agentIDs     []int64 // logged-in agents in ID order: every scan of agents uses it
	interactions map[int64]*Interaction
	roundRobin   map[int64]int64           // queue → last agent it offered to
	acceptWaits  map[int64][]time.Duration // queue → recent times-to-accept, oldest first

	// load is derived from interactions (owners and offers), kept in step by
	// the few helpers that change them, and rebuilt by Restore.
	load map[int64]map[Channel]Load
	// members is, per queue, the logged-in agents it is active for, in ID
	// order: derived from agents, dropped (nil) by every command that logs
	// an agent in or out or changes his queues, and rebuilt on first use.
	// Dispatch looks at a queue's members only, not at every agent.
	members map[int64][]int64
	// beingRouted are the interactions routing still has work on: those
	// waiting and those with a transfer pending, the only ones that hold
	// offers, exclusions or deadlines. Dispatch, the deadlines and the offer
	// views look at these only, not at every owned chat. Derived: track
	// keeps it in step wherever a status or a transfer changes, and Restore
	// rebuilds it.
	beingRouted map[int64]*Interaction
	// noRoom holds the queues (on a channel) found with no member free to
	// take one more offer, so that eligible skips their other interactions
	// instead of looking at every member again. Offers only take room, so
	// it holds until an accept frees some (accept clears it); each Apply
	// and each dispatch pass start with it empty.
	noRoom map[queueChannel]bool
	// schedule holds the deadlines set, earliest first (deadlines.go), and
	// scheduleLive how many of them held at its last rebuild.
	schedule     schedule
	scheduleLive int

	// Set for the duration of one Apply.
	now      time.Time
	out      []Effect
	accepted bool // an accept happened: capacity may have been freed
}

// New returns an empty state. src feeds the Random strategy; when it
// implements encoding.BinaryMarshaler (rand.PCG and rand.ChaCha8 do), its
// position is part of the snapshot, so a restored state draws the same
// numbers. A nil src is a fixed-seed PCG.
func New(clk clock.Clock, src rand.Source) *State {
	if src == nil {
		src = rand.NewPCG(1, 2)
	}
	s := &State{clk: clk, src: src, rnd: rand.New(src)}
	s.reset()
	return s
}

func (s *State) reset() {
	s.queues = map[int64]*Queue{}
	s.agents = map[int64]*Agent{}
	s.agentIDs = nil
	s.interactions = map[int64]*Interaction{}
	s.beingRouted = map[int64]*Interaction{}
	s.roundRobin = map[int64]int64{}
	s.acceptWaits = map[int64][]time.Duration{}
	s.load = map[int64]map[Channel]Load{}
	s.members = nil
	s.noRoom = map[queueChannel]bool{}
	s.schedule, s.scheduleLive = nil, 0
}

// queueChannel keys what is known of a queue's room on one channel.
type queueChannel struct {
	queue   int64
	channel Channel
}

// track keeps beingRouted in step after an interaction's status or
// transfer changed (or it was added).
func (s *State) track(it *Interaction) {
	if it.Status == StatusWaiting || it.Transfer != nil {
		s.beingRouted[it.ID] = it
	} else {
		delete(s.beingRouted, it.ID)
	}
}

// queueMembers lists the logged-in agents a queue is active for, in ID order.
func (s *State) queueMembers(queueID int64) []int64 {
	if s.members == nil {
		s.members = map[int64][]int64{}
		for _, id := range s.agentIDs {
			for q := range s.agents[id].ActiveQueues {
				s.members[q] = append(s.members[q], id)
			}
		}
	}
	return s.members[queueID]
}

// Apply runs one command at the clock's current time, then dispatches
// waiting interactions, and returns every decision in the order taken. On
// error the state is unchanged and there are no effects.
func (s *State) Apply(cmd Command) ([]Effect, error) {
	return s.ApplyAt(s.clk.Now(), cmd)
}

// ApplyAt is Apply at a given time instead of the clock's: an owner that
// logs its commands passes the time it records with each, so that replaying
// the log decides exactly as the first time.
func (s *State) ApplyAt(now time.Time, cmd Command) ([]Effect, error) {
	if cmd == nil {
		return nil, ErrInvalid
	}
	s.now = now
	s.out = nil
	clear(s.noRoom) // what the last decision found full may have room now
	if err := cmd.apply(s); err != nil {
		// Every command validates before it changes anything.
		s.out = nil
		return nil, err
	}
	s.dispatch()
	out := s.out
	s.out = nil
	return out, nil
}

func (s *State) emit(e Effect) { s.out = append(s.out, e) }

func (s *State) agent(id int64) (*Agent, error) {
	a := s.agents[id]
	if a == nil {
		return nil, errorf(ErrNotLoggedIn, "agent %d", id)
	}
	return a, nil
}

// sortedInteractions returns the interactions in ID order, so that a scan
// that emits effects does so deterministically.
func (s *State) sortedInteractions() []*Interaction { return sortedByID(s.interactions) }

// sortedBeingRouted is sortedInteractions for those being routed: enough
// for a scan of offers.
func (s *State) sortedBeingRouted() []*Interaction { return sortedByID(s.beingRouted) }

func sortedByID(m map[int64]*Interaction) []*Interaction {
	ids := slices.Sorted(maps.Keys(m))
	out := make([]*Interaction, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out
}

func (s *State) loadOf(agentID int64, ch Channel) Load { return s.load[agentID][ch] }

func (s *State) addLoad(agentID int64, ch Channel, owned, offered int) {
	m := s.load[agentID]
	if m == nil {
		m = map[Channel]Load{}
		s.load[agentID] = m
	}
	l := m[ch]
	l.Owned += owned
	l.Offered += offered
	if l == (Load{}) {
		delete(m, ch)
		if len(m) == 0 {
			delete(s.load, agentID)
		}
		return
	}
	m[ch] = l
}

// hasRoom reports whether the agent may take one more offer on ch.
func (s *State) hasRoom(a *Agent, ch Channel) bool {
	c := a.Capacity[ch]
	if c == 0 {
		return true
	}
	l := s.loadOf(a.ID, ch)
	return l.Owned+l.Offered < c
}

func (s *State) priority(it *Interaction) int {
	if it.Priority != nil {
		return *it.Priority
	}
	return s.queues[it.QueueID].Priority
}

// before is the dispatch order: priority (higher first), then age, then ID.
func (s *State) before(a, b *Interaction) bool {
	if pa, pb := s.priority(a), s.priority(b); pa != pb {
		return pa > pb
	}
	if !a.EnqueuedAt.Equal(b.EnqueuedAt) {
		return a.EnqueuedAt.Before(b.EnqueuedAt)
	}
	return a.ID < b.ID
}
