package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// The conversation of an interaction: messages, internal notes, tags,
// sub-status, read marks, and the disposition set when closing. Anyone
// interactionFor lets in may read; only the owner writes (notes also
// admins and the supervisors who may see it).

const (
	maxMessageChars = 10000
	maxNoteChars    = 10000
	maxCloseNote    = 2000
)

// checkBody validates a message or note text: kept as typed, not blank,
// at most max characters.
func checkBody(body string, max int) error {
	if strings.TrimSpace(body) == "" {
		return apperr.Field("body", "field.required")
	}
	if utf8.RuneCountInString(body) > max {
		return apperr.Field("body", "field.too_long", max)
	}
	return nil
}

// decodeOptional decodes a JSON body that may be absent (no body at all
// keeps v as it is).
func decodeOptional(r *http.Request, v any) error {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.TooLarge, "error.too_large", tooBig.Limit)
		}
		return apperr.New(apperr.Invalid, "error.bad_json")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return decode(r, v)
}

// interactionView is an interaction as the caller sees it: with its tags,
// sub-status, disposition and how many messages he has not read.
func (s *Server) interactionView(ctx context.Context, it *store.Interaction) (*interactionJSON, error) {
	out := &interactionJSON{Interaction: it}
	var err error
	if out.Tags, err = s.db.InteractionTags(ctx, it.ID); err != nil {
		return nil, err
	}
	if out.SubStatus, err = s.db.CatalogRef(ctx, "sub_statuses", it.SubStatusID); err != nil {
		return nil, err
	}
	if out.Disposition, err = s.db.CatalogRef(ctx, "dispositions", it.DispositionID); err != nil {
		return nil, err
	}
	if out.Unread, err = s.db.Unread(ctx, it.ID, callerFrom(ctx).ID()); err != nil {
		return nil, err
	}
	if out.Watching, err = s.db.Watchers(ctx, it.ID); err != nil {
		return nil, err
	}
	if out.Contact, err = s.db.ContactRef(ctx, it.ContactID); err != nil {
		return nil, err
	}
	if out.WindowExpiresAt, err = s.windowExpiresAt(ctx, it); err != nil {
		return nil, err
	}
	if it.Channel == "chat" {
		chat, err := s.db.ChatOfInteraction(ctx, it.ID)
		if err != nil {
			return nil, err
		}
		if chat != nil {
			out.Form = chat.Form
		}
	}
	if pos, wait, ok := s.acd.Position(it.ID); ok && it.Status == "waiting" {
		secs := wait.Seconds()
		out.Position, out.EstimatedWait = &pos, &secs
	}
	return out, nil
}

// writeInteraction re-reads an interaction and writes it as the caller sees it.
func (s *Server) writeInteraction(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	it, err := s.db.Interaction(r.Context(), id)
	if err != nil {
		return err
	}
	out, err := s.interactionView(r.Context(), it)
	if err != nil {
		return err
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	after, err := queryInt(r, "after", 0, 0, 1<<62)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 100, 1, 500)
	if err != nil {
		return err
	}
	items, err := s.db.Messages(r.Context(), it.ID, int64(after), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

type bodyIn struct {
	Body string `json:"body"`
	// ReplyTo is the customer's message this one answers (WhatsApp quotes it).
	ReplyTo int64 `json:"reply_to"`
}

// sendMessage is the owner's reply; the store refuses a closed interaction
// (409) and anyone but the owner (403).
func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	var in bodyIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := checkBody(in.Body, maxMessageChars); err != nil {
		return err
	}
	m, err := s.sendOnChannel(r.Context(), it, callerFrom(r.Context()).ID(), in.Body, nil, in.ReplyTo)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}

// maxProviderID bounds a channel's own message id.
const maxProviderID = 200

// receiveMessage is an integration delivering a customer's message. With
// its own message id (provider_id) a retry is answered 200 with the
// message already stored, instead of storing it twice.
func (s *Server) receiveMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Body       string `json:"body"`
		ProviderID string `json:"provider_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := checkBody(in.Body, maxMessageChars); err != nil {
		return err
	}
	if utf8.RuneCountInString(in.ProviderID) > maxProviderID {
		return apperr.Field("provider_id", "field.too_long", maxProviderID)
	}
	m, duplicate, err := s.db.ReceiveInbound(r.Context(), store.Inbound{InteractionID: id, Body: in.Body,
		ProviderID: strings.TrimSpace(in.ProviderID), Actor: callerFrom(r.Context()).ID()})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, m)
	return nil
}

func (s *Server) listNotes(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	items, err := s.db.Notes(r.Context(), it.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// addNote: the owner, or an admin or supervisor who may see the
// interaction; other agents of the queue only read.
func (s *Server) addNote(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	c := callerFrom(r.Context())
	if c.IsAgent() && (it.OwnerID == nil || *it.OwnerID != c.ID()) {
		return apperr.New(apperr.Forbidden, "interaction.not_owner")
	}
	var in bodyIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := checkBody(in.Body, maxNoteChars); err != nil {
		return err
	}
	n, err := s.db.AddNote(r.Context(), it.ID, c.ID(), in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, n)
	return nil
}

func (s *Server) putInteractionTags(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	var in struct {
		TagIDs []int64 `json:"tag_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if len(in.TagIDs) > 100 {
		return apperr.Field("tag_ids", "field.too_many", 100)
	}
	if err := s.db.SetInteractionTags(r.Context(), it.ID, callerFrom(r.Context()).ID(), in.TagIDs); err != nil {
		return err
	}
	return s.writeInteraction(w, r, http.StatusOK, it.ID)
}

func (s *Server) putSubStatus(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	var in struct {
		SubStatusID *int64 `json:"sub_status_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.db.SetSubStatus(r.Context(), it.ID, callerFrom(r.Context()).ID(), in.SubStatusID); err != nil {
		return err
	}
	return s.writeInteraction(w, r, http.StatusOK, it.ID)
}

func (s *Server) readInteraction(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	if err := s.db.MarkRead(r.Context(), it.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	return s.writeInteraction(w, r, http.StatusOK, it.ID)
}

// closeInteraction closes an owned interaction with its disposition. When
// the interaction's account makes one mandatory it must be given; it must
// be global or of that account. The disposition is written in the close's
// own transaction, so a refused close stores nothing.
// checkDisposition refuses a disposition that does not exist or belongs to
// another account than the interaction's.
func (s *Server) checkDisposition(ctx context.Context, it *store.Interaction, dispositionID int64) error {
	d, err := s.db.Disposition(ctx, dispositionID)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Field("disposition_id", "id.unknown", dispositionID)
	}
	if err != nil {
		return err
	}
	if d.AccountID != nil && (it.AccountID == nil || *d.AccountID != *it.AccountID) {
		return apperr.Field("disposition_id", "disposition.other_account")
	}
	return nil
}

// disposeInteraction records how an interaction ended after it was closed
// without a disposition — the customer ended the chat, or it was closed
// while the account did not ask for one — so the agent who had it can still
// give the disposition his account wants. Once given, it is not changed.
func (s *Server) disposeInteraction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		DispositionID *int64 `json:"disposition_id"`
		Note          string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx, me := r.Context(), callerFrom(r.Context()).ID()
	it, err := s.db.Interaction(ctx, id)
	if err != nil {
		return err
	}
	if it.OwnerID == nil || *it.OwnerID != me {
		return apperr.New(apperr.Forbidden, "interaction.not_owner")
	}
	if it.Status != "closed" {
		return apperr.New(apperr.Conflict, "interaction.not_closed")
	}
	if it.DispositionID != nil {
		return apperr.New(apperr.Conflict, "interaction.already_disposed")
	}
	if in.DispositionID == nil {
		return apperr.Field("disposition_id", "field.required")
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > maxCloseNote {
		return apperr.Field("note", "field.too_long", maxCloseNote)
	}
	if err := s.checkDisposition(ctx, it, *in.DispositionID); err != nil {
		return err
	}
	if err := s.db.DisposeClosed(ctx, id, me, *in.DispositionID, in.Note); err != nil {
		return err
	}
	return s.writeInteraction(w, r, http.StatusOK, id)
}

func (s *Server) closeInteraction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		DispositionID *int64 `json:"disposition_id"`
		Note          string `json:"note"`
	}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	ctx, me := r.Context(), callerFrom(r.Context()).ID()
	it, err := s.db.Interaction(ctx, id)
	if err != nil {
		return err
	}
	if it.OwnerID == nil || *it.OwnerID != me || it.Status != "open" { // as the engine answers
		return apperr.New(apperr.Forbidden, "interaction.not_owner")
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > maxCloseNote {
		return apperr.Field("note", "field.too_long", maxCloseNote)
	}
	if in.DispositionID != nil {
		if err := s.checkDisposition(ctx, it, *in.DispositionID); err != nil {
			return err
		}
	} else if it.AccountID != nil {
		mandatory, err := s.db.MandatoryDisposition(ctx, *it.AccountID)
		if err != nil {
			return err
		}
		if mandatory {
			return apperr.Field("disposition_id", "disposition.required")
		}
	}
	var with store.TxFunc
	if in.DispositionID != nil || in.Note != "" {
		with = store.Dispose(id, me, in.DispositionID, in.Note)
	}
	if err := s.acd.CloseWith(ctx, id, me, with); err != nil {
		return err
	}
	return s.writeInteraction(w, r, http.StatusOK, id)
}
