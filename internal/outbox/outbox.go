// Package outbox delivers agents' outbound messages through channel
// providers durably (DESIGN.md §4.5). A message and its outbox row are
// stored in one transaction; a Worker claims due rows with a lease, hands
// each to its channel's Sender, and records the answer at once:
//
//   - accepted: the row is sent and the provider's message id is stored on
//     the message, so its status callbacks find it;
//   - refused (a Rejected error, the provider's 4xx): failed at once, the
//     provider's words kept on the message for the agent;
//   - anything else (5xx, timeout, network): retried with exponential
//     back-off up to MaxAttempts, then failed.
//
// A worker that dies while sending leaves its row "sending" with a lease;
// when the lease runs out any worker claims the row again. The one window
// in which a message can go out twice is a crash after the provider
// accepted it and before the answer was committed: results are committed
// the moment they arrive to keep it as short as it can be.
package outbox

import (
	"encoding/json"
	"errors"
	"time"
)

// Job is one claimed outbox row: what the sender needs to deliver one
// message.
type Job struct {
	ID        int64
	Channel   string
	AccountID int64
	MessageID int64
	// InteractionID, To (the customer's address on the channel: a phone
	// number for WhatsApp), Body and AttachmentID come from the message
	// and its interaction.
	InteractionID int64
	To            string
	Body          string
	AttachmentID  *int64
	// Payload is the channel-specific rest (a reply's context, a template
	// and its parameters), as the enqueuer wrote it.
	Payload json.RawMessage
	// Attempt counts this claim: 1 for the first try. A result is recorded
	// only by the claim that still holds the row.
	Attempt int
}

// Entry is what is enqueued with a message: the channel and account that
// deliver it and the channel's payload (marshalled to JSON; nil is {}).
type Entry struct {
	Channel   string
	AccountID int64
	Payload   any
}

// Payload is the payload the WhatsApp sender understands; other channels
// may define their own.
type Payload struct {
	// ReplyTo is the provider's id of the customer's message this one
	// answers (WhatsApp shows it quoted).
	ReplyTo string `json:"reply_to,omitempty"`
	// Template, when set, sends an approved template instead of free text
	// (the body then holds its rendered text, for the desktop).
	Template *TemplateRef `json:"template,omitempty"`
}

// TemplateRef names a provider template and its parameters ({{1}}, {{2}}…).
type TemplateRef struct {
	Name       string   `json:"name"`
	Language   string   `json:"language"`
	ProviderID string   `json:"provider_id,omitempty"` // Twilio's ContentSid
	Parameters []string `json:"parameters"`
}

// Rejected is a provider refusing a message for good (an HTTP 4xx): it is
// not retried, and Reason — the provider's own explanation — is shown to
// the agent.
type Rejected struct {
	Reason string
}

func (e *Rejected) Error() string { return "outbox: rejected by the provider: " + e.Reason }

// IsRejected reports whether err is a provider's final refusal, and its reason.
func IsRejected(err error) (string, bool) {
	var r *Rejected
	if errors.As(err, &r) {
		return r.Reason, true
	}
	return "", false
}

// Backoff returns how long to wait before the next try after attempt
// tries have failed: base doubled per attempt, at most max.
func Backoff(attempt int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}
