package routing

import (
	"fmt"
	"time"
)

// Effect is one decision routing took. The owner persists each with its
// event and publishes it; the JSON field names are those the realtime hub
// reads an event's audience from (agent_id, from_agent_id, queue_id,
// to_queue_id).
type Effect interface {
	// Kind names the effect for the event log, as "<subject>.<verb>".
	Kind() string
}

// EndReason says why an offer ended without being accepted.
type EndReason string

const (
	ReasonTaken      EndReason = "taken"      // another agent accepted it
	ReasonRejected   EndReason = "rejected"   // the agent declined
	ReasonTimeout    EndReason = "timeout"    // it rang out
	ReasonPaused     EndReason = "paused"     // the agent paused
	ReasonAway       EndReason = "away"       // the agent's sockets are gone
	ReasonLogout     EndReason = "logout"     // the agent logged out
	ReasonUnassigned EndReason = "unassigned" // the queue is no longer active for the agent
	ReasonCapacity   EndReason = "capacity"   // the agent's capacity was lowered below his load
	ReasonClosed     EndReason = "closed"     // the interaction was closed (or closed unmanaged)
	ReasonMoved      EndReason = "moved"      // max wait moved it to another queue
	ReasonRequeued   EndReason = "requeued"   // its owner logged out and it went back to its queue
)

// Offered: an agent is being offered an interaction until ExpiresAt.
type Offered struct {
	Interaction  int64     `json:"interaction_id"`
	Queue        int64     `json:"queue_id"` // for a queue transfer, the target queue
	Agent        int64     `json:"agent_id"`
	ExpiresAt    time.Time `json:"expires_at"`
	AutoAcceptAt time.Time `json:"auto_accept_at,omitzero"`
	Transfer     bool      `json:"transfer,omitempty"`
}

// OfferEnded: an offer ended without the agent getting the interaction.
type OfferEnded struct {
	Interaction int64     `json:"interaction_id"`
	Agent       int64     `json:"agent_id"`
	Reason      EndReason `json:"reason"`
	Transfer    bool      `json:"transfer,omitempty"`
}

// Assigned: an agent accepted a waiting interaction and owns it now.
type Assigned struct {
	Interaction int64 `json:"interaction_id"`
	Queue       int64 `json:"queue_id"`
	Agent       int64 `json:"agent_id"`
	Auto        bool  `json:"auto,omitempty"` // by auto-answer
	// Outbound: he started it himself (StartOutbound); nobody was offered it.
	Outbound bool `json:"outbound,omitempty"`
}

// TransferAccepted: the owner changed from From to To.
type TransferAccepted struct {
	Interaction int64 `json:"interaction_id"`
	Queue       int64 `json:"queue_id"` // the target queue for a queue transfer
	From        int64 `json:"from_agent_id"`
	To          int64 `json:"agent_id"`
	Auto        bool  `json:"auto,omitempty"`
}

// TransferReturned: nobody accepted the transfer; the owner keeps the
// interaction (and the desktop marks it unread for him).
type TransferReturned struct {
	Interaction int64 `json:"interaction_id"`
	Owner       int64 `json:"agent_id"`
}

// Moved: max wait moved a waiting interaction to another queue; its age
// restarts there.
type Moved struct {
	Interaction int64 `json:"interaction_id"`
	From        int64 `json:"queue_id"`
	To          int64 `json:"to_queue_id"`
}

// ClosedUnmanaged: max wait closed a waiting interaction nobody took.
type ClosedUnmanaged struct {
	Interaction int64 `json:"interaction_id"`
	Queue       int64 `json:"queue_id"`
}

// Requeued: the owner logged out with requeue and the interaction waits in
// its queue again, keeping its place by age.
type Requeued struct {
	Interaction int64 `json:"interaction_id"`
	Queue       int64 `json:"queue_id"`
	From        int64 `json:"from_agent_id"`
}

// Closed: the interaction was closed (by its agent or the customer) and
// left routing; Owner is 0 when it was still waiting.
type Closed struct {
	Interaction int64  `json:"interaction_id"`
	Queue       int64  `json:"queue_id"`
	Owner       int64  `json:"agent_id,omitempty"`
	By          string `json:"by,omitempty"` // "agent", "customer"; omitted when the system closed it
}

func (Offered) Kind() string          { return "interaction.offered" }
func (OfferEnded) Kind() string       { return "interaction.offer_ended" }
func (Assigned) Kind() string         { return "interaction.assigned" }
func (TransferAccepted) Kind() string { return "interaction.transfer_accepted" }
func (TransferReturned) Kind() string { return "interaction.transfer_returned" }
func (Moved) Kind() string            { return "interaction.moved" }
func (ClosedUnmanaged) Kind() string  { return "interaction.closed_unmanaged" }
func (Requeued) Kind() string         { return "interaction.requeued" }
func (Closed) Kind() string           { return "interaction.closed" }

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}
