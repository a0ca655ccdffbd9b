package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/i18n"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/transcript"
)

// The transcript of an interaction as a PDF (GET .../transcript.pdf):
// whoever may see the interaction, agents only with their "download
// transcripts" permission. It holds what the customer and the agents
// wrote, never the internal notes. Times are in the server's time zone,
// each printed with its zone.

func (s *Server) interactionTranscript(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	ctx, c := r.Context(), callerFrom(r.Context())
	if c.IsAgent() {
		a, err := s.db.Agent(ctx, c.ID())
		if err != nil {
			return err
		}
		if !a.Permissions.DownloadTranscripts {
			return apperr.New(apperr.Forbidden, "transcript.forbidden")
		}
	}
	lang := i18n.Match(r.Header.Get("Accept-Language"))
	t, err := s.transcriptOf(ctx, it.ID, c.ID(), lang)
	if err != nil {
		return err
	}
	pdf, err := transcript.Render(*t, time.Local, func(key string, args ...any) string { return i18n.T(lang, key, args...) })
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="interaction-%d.pdf"`, it.ID))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pdf)
	return nil
}

// transcriptOf gathers what a transcript shows of an interaction.
func (s *Server) transcriptOf(ctx context.Context, id, viewer int64, lang string) (*transcript.Transcript, error) {
	it, err := s.db.InteractionItem(ctx, id, viewer)
	if err != nil {
		return nil, err
	}
	mask(ctx, it) // the customer's name, for an agent who may not see it
	t := &transcript.Transcript{InteractionID: it.ID, Channel: i18n.T(lang, "transcript.channel_"+it.Channel),
		Contact: it.ContactName, Started: it.CreatedAt, Closed: it.ClosedAt, Note: it.DispositionNote,
		Status: i18n.T(lang, "transcript.status_"+it.Status)}
	if it.SubStatus != nil {
		t.Status += " — " + it.SubStatus.Name
	}
	if it.Account != nil {
		t.Account = it.Account.Name
	}
	if it.Owner != nil {
		t.Agent = it.Owner.Name
	}
	for _, tag := range it.Tags {
		t.Tags = append(t.Tags, tag.Name)
	}
	if d, err := s.db.CatalogRef(ctx, "dispositions", it.DispositionID); err != nil {
		return nil, err
	} else if d != nil {
		t.Disposition = d.Name
	}
	customer := it.ContactName
	if customer == "" {
		customer = i18n.T(lang, "transcript.customer")
	}
	if t.Messages, err = s.transcriptMessages(ctx, id, customer, lang); err != nil {
		return nil, err
	}
	return t, nil
}

// transcriptMessages is every message of an interaction, oldest first,
// each with its author's name (the customer's, or the agent's).
func (s *Server) transcriptMessages(ctx context.Context, id int64, customer, lang string) ([]transcript.Message, error) {
	var msgs []*store.Message
	for after := int64(0); ; {
		page, err := s.db.Messages(ctx, id, after, 500)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, page...)
		if len(page) < 500 {
			break
		}
		after = page[len(page)-1].ID
	}
	people, err := s.db.InteractionPeople(ctx, id)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(people))
	for _, p := range people {
		names[p.ID] = p.Name
	}
	out := make([]transcript.Message, 0, len(msgs))
	for _, m := range msgs {
		tm := transcript.Message{At: m.CreatedAt, Text: m.Body, Author: customer, FromContact: m.Direction == "in"}
		if !tm.FromContact {
			tm.Author = i18n.T(lang, "transcript.agent")
			if m.AuthorID != nil && names[*m.AuthorID] != "" {
				tm.Author = names[*m.AuthorID]
			}
		}
		if m.Attachment != nil {
			tm.Attachments = []string{m.Attachment.Name}
		}
		out = append(out, tm)
	}
	return out, nil
}
