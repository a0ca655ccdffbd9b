package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/outbox"
)

// Outbound messages go through the outbox (internal/outbox): Sender is the
// WhatsApp channel's outbox.Sender. It reads the account and the message's
// file through Source, sends with the account's provider (send_meta.go,
// send_twilio.go) and sorts the provider's answer: accepted (its message
// id), refused for good (outbox.Rejected with the provider's words: an
// HTTP 4xx other than a rate limit) or worth another try (everything else).

// Source is what the sender reads: the account's settings and secrets,
// and a message's file.
type Source interface {
	WhatsAppAccount(ctx context.Context, id int64) (*Account, error)
	OutboundFile(ctx context.Context, attachmentID int64) (*File, error)
}

// Sender sends the outbox's WhatsApp jobs.
type Sender struct {
	Source Source
	HTTP   *http.Client
	// MediaURL is a public, expiring address of a file, which Twilio
	// fetches the file from (Meta gets it uploaded).
	MediaURL func(attachmentID int64) string
	// StatusCallback is the account's webhook URL, given to Twilio with
	// each message so it reports the message's statuses ("" for none).
	StatusCallback func(a *Account) string
}

// outgoing is one job as both providers need it.
type outgoing struct {
	account *Account
	to      string // E.164
	body    string
	file    *File
	fileID  int64
	payload outbox.Payload
}

// Send delivers one job and returns the provider's message id.
func (s *Sender) Send(ctx context.Context, j outbox.Job) (string, error) {
	a, err := s.Source.WhatsAppAccount(ctx, j.AccountID)
	if err != nil {
		return "", fmt.Errorf("whatsapp: account %d: %w", j.AccountID, err)
	}
	out := outgoing{account: a, to: j.To, body: j.Body}
	if len(j.Payload) > 0 {
		if err := json.Unmarshal(j.Payload, &out.payload); err != nil {
			return "", &outbox.Rejected{Reason: "unreadable outbox payload"}
		}
	}
	if j.AttachmentID != nil && out.payload.Template == nil {
		out.fileID = *j.AttachmentID
		if out.file, err = s.Source.OutboundFile(ctx, out.fileID); err != nil {
			return "", fmt.Errorf("whatsapp: file %d: %w", out.fileID, err)
		}
	}
	switch a.Provider {
	case Meta:
		return s.sendMeta(ctx, out)
	case Twilio:
		return s.sendTwilio(ctx, out)
	}
	return "", &outbox.Rejected{Reason: fmt.Sprintf("unknown provider %q", a.Provider)}
}

func (s *Sender) client() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return http.DefaultClient
}

// maxAnswer bounds what is read of a provider's answer.
const maxAnswer = 1 << 20

// call sends req and returns the answer's body when the status is 2xx;
// otherwise an error made by failure from the body: final for a 4xx other
// than 429, transient for the rest.
func (s *Sender) call(req *http.Request, failure func(status int, body []byte) (reason string, retry bool)) ([]byte, error) {
	resp, err := s.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: %s: %w", req.URL.Host, err) // network or timeout: retried
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("whatsapp: reading the answer: %w", err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return body, nil
	}
	reason, retry := failure(resp.StatusCode, body)
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout || retry {
		return nil, fmt.Errorf("whatsapp: HTTP %d: %s", resp.StatusCode, reason)
	}
	return nil, &outbox.Rejected{Reason: reason}
}

// errNoID is an accepted send whose answer names no message: retrying
// could send it twice, and without an id no status will ever find it.
var errNoID = errors.New("the provider's answer names no message id")

// digits is a number as Meta's "to" takes it: E.164 without the +.
func digits(e164 string) string { return strings.TrimPrefix(e164, "+") }

// SendTimeout is a sensible bound for one provider call: a media upload
// of WhatsApp's largest file on an ordinary link.
const SendTimeout = 60 * time.Second
