package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/outbox"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// An agent starting a WhatsApp conversation himself (the desktop's +):
// the check's scenarios applied again, and the interaction created his,
// with its first message in the outbox, as one routing decision.

// outboundStartIn is the number to write to and the first message: free
// text (Body) or a template (TemplateID with its Parameters).
type outboundStartIn struct {
	outboundCheckIn
	Body string `json:"body"`
	templateSendIn
}

// startWhatsAppOutbound starts the conversation and answers 201 with it
// ({"interaction": ...} as GET /interactions/{id} gives it).
//
// Two agents (or two tabs) racing for one number cannot both start: the
// engine checks there is no open conversation and creates this one under
// its single writer's lock, in one transaction, and every interaction is
// created under that lock. A unique index on open conversations would
// say the same in the database, but it would need a migration, and it
// would turn the inbound path's race into an error rather than a choice.
func (s *Server) startWhatsAppOutbound(w http.ResponseWriter, r *http.Request) error {
	var in outboundStartIn
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx, me := r.Context(), callerFrom(r.Context()).ID()
	f := apperr.FieldErrors{}
	number := checkOutboundTarget(f, in.outboundCheckIn)
	if in.TemplateID != 0 && strings.TrimSpace(in.Body) != "" {
		f.Add("body", "whatsapp.text_or_template")
	}
	if err := f.Err(); err != nil {
		return err
	}
	a, err := s.writableAccount(ctx, me, in.AccountID)
	if err != nil {
		return err
	}
	key := whatsapp.ContactKey(number)
	body, payload, err := s.firstMessage(ctx, a, key, in)
	if err != nil {
		return err
	}
	contactName, err := s.knownContactName(ctx, a, key)
	if err != nil {
		return err
	}
	it, err := s.acd.StartOutbound(ctx, me, store.NewInteraction{QueueID: *a.QueueID, AccountID: &a.ID,
		ContactName: contactName, ContactKey: key, With: s.linkContact(key, "", nil, nil)},
		s.noOpenConversation(me, a.ID, key),
		func(id int64) store.TxFunc {
			return func(ctx context.Context, tx *store.Tx) error {
				_, err := tx.SendQueued(ctx, id, me, body, nil, outbox.Entry{Channel: string(staff.WhatsApp),
					AccountID: a.ID, Payload: payload})
				return err
			}
		})
	if err != nil {
		return err
	}
	s.wakeOutbox()
	view, err := s.interactionView(ctx, it)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"interaction": view})
	return nil
}

// firstMessage is the stored text and the outbox payload of a new
// conversation's first message: a template any time, free text only while
// the customer's window is open (he wrote in the last 24 hours).
func (s *Server) firstMessage(ctx context.Context, a *whatsapp.Account, key string, in outboundStartIn) (string, outbox.Payload, error) {
	if in.TemplateID != 0 {
		t, body, err := s.agentTemplate(ctx, a.ID, in.templateSendIn)
		if err != nil {
			return "", outbox.Payload{}, err
		}
		return body, outbox.Payload{Template: t.Ref(in.Parameters)}, nil
	}
	start, err := s.db.LastInboundAt(ctx, a.ID, key)
	if err != nil {
		return "", outbox.Payload{}, err
	}
	open := whatsapp.WindowOpen(start, s.clock.Now())
	switch {
	case !open && strings.TrimSpace(in.Body) == "":
		return "", outbox.Payload{}, apperr.Field("template_id", "field.required")
	case !open:
		return "", outbox.Payload{}, apperr.New(apperr.WindowExpired, "whatsapp.window_expired")
	case strings.TrimSpace(in.Body) == "":
		return "", outbox.Payload{}, apperr.Field("body", "field.required")
	}
	return in.Body, outbox.Payload{}, nil
}

// knownContactName is the name of the Contact Manager's contact with the
// number ("" when unknown: his WhatsApp profile name comes with his reply).
func (s *Server) knownContactName(ctx context.Context, a *whatsapp.Account, key string) (string, error) {
	listID := int64(0)
	if a.DefaultListID != nil {
		listID = *a.DefaultListID
	}
	id, err := s.db.FindContact(ctx, s.phones().Subject(string(staff.WhatsApp), key, "", nil, nil), listID)
	if err != nil || id == 0 {
		return "", err
	}
	ref, err := s.db.ContactRef(ctx, &id)
	if err != nil || ref == nil {
		return "", err
	}
	return ref.Name, nil
}

// noOpenConversation refuses, in the start's transaction, a number that
// has a waiting or open conversation on the account: another agent's
// (naming him), one waiting in the queue, or the agent's own (the desktop
// opens that one instead).
func (s *Server) noOpenConversation(me, accountID int64, key string) store.TxFunc {
	return func(ctx context.Context, tx *store.Tx) error {
		open, err := tx.OpenConversation(ctx, accountID, key)
		if err != nil || open == 0 {
			return err
		}
		if err := s.ownOpenConversation(ctx, me, open); err != nil {
			return err
		}
		return apperr.New(apperr.Conflict, "whatsapp.already_yours")
	}
}

// myWhatsAppAccount is an account as the agent's + dialog needs it.
type myWhatsAppAccount struct {
	ID          int64  `json:"id"`
	Channel     string `json:"channel"`
	Name        string `json:"name"`
	Enabled     bool   `json:"enabled"`
	PhoneNumber string `json:"phone_number"`
}

// myWhatsAppAccounts lists the enabled accounts the agent may start
// conversations from: those whose queue he works (the rule of the check).
func (s *Server) myWhatsAppAccounts(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	all, err := s.db.WhatsAppAccounts(ctx)
	if err != nil {
		return err
	}
	queues, err := s.workedQueues(ctx, callerFrom(ctx).ID())
	if err != nil {
		return err
	}
	items := []myWhatsAppAccount{}
	for _, a := range all {
		if !a.Enabled || a.QueueID == nil {
			continue
		}
		if _, works := queues[*a.QueueID]; works {
			items = append(items, myWhatsAppAccount{ID: a.ID, Channel: string(staff.WhatsApp), Name: a.Name,
				Enabled: true, PhoneNumber: a.PhoneNumber})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
