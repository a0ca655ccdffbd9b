package httpapi

import (
	"context"
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/contacts"
)

// Masking sensitive data (the Security Suite): for an agent with "mask
// sensitive data", every answer is masked on its way out, whatever route
// writes it. guard gives such a caller a maskingWriter; writeJSON masks
// what it writes through one (contacts.Masker.Apply: fields tagged
// `mask:"…"` wherever they sit in the answer); the realtime socket masks
// event data; CSV exports and transcripts mask their rows with the
// caller's masker. A new endpoint gets it for free as long as its types
// tag their sensitive fields.

// maskingWriter is the response writer of a caller whose answers are
// masked.
type maskingWriter struct {
	http.ResponseWriter
	masker contacts.Masker
}

// Unwrap lets http.ResponseController (flush, WebSocket hijack) reach the
// writer beneath.
func (w *maskingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// maskerFor is the masker of a caller: set for an agent with "mask
// sensitive data" (hiding the security settings' mask_characters), nil for
// everyone else. It does not depend on the Security Suite being on: the
// agent's own setting decides, so turning the suite off never uncovers
// data.
func (s *Server) maskerFor(ctx context.Context, c *Caller) (*contacts.Masker, error) {
	if !c.IsAgent() {
		return nil, nil
	}
	masks, err := s.db.MasksSensitiveData(ctx, c.ID())
	if err != nil || !masks {
		return nil, err
	}
	sec, err := s.auth.Security(ctx)
	if err != nil {
		return nil, err
	}
	return &contacts.Masker{Chars: sec.MaskCharacters}, nil
}

// mask masks v in place for the caller of ctx, when his answers are masked
// (for answers not written by writeJSON: CSV rows, PDF transcripts).
func mask(ctx context.Context, v any) {
	if c := callerFrom(ctx); c != nil && c.Mask != nil {
		c.Mask.Apply(v)
	}
}
