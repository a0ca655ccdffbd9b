package httpapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/outbox"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// WhatsApp outbound: an agent's messages on a WhatsApp interaction go
// through the durable outbox (internal/outbox), only within the 24-hour
// customer service window; outside it only templates. Templates are kept
// per account (admins define or sync them), and an agent may start a
// conversation with a number (the + of the desktop) after a check that
// applies the reference's scenarios.

// SetOutbox gives the server the outbox worker to wake when it enqueues.
func (s *Server) SetOutbox(w interface{ Wake() }) { s.outbox = w }

func (s *Server) wakeOutbox() {
	if s.outbox != nil {
		s.outbox.Wake()
	}
}

// isWhatsApp tells whether an interaction's messages go out through the
// WhatsApp outbox.
func isWhatsApp(it *store.Interaction) bool { return it.Channel == string(staff.WhatsApp) }

// sendOnChannel stores the owner's message (text and/or a file): on
// WhatsApp with its outbox row, within the window; on chat as before (the
// widget's socket delivers it).
func (s *Server) sendOnChannel(ctx context.Context, it *store.Interaction, agent int64, body string, file *store.NewAttachment,
	replyTo int64) (*store.Message, error) {
	if !isWhatsApp(it) {
		if file != nil {
			return s.db.SendAttachment(ctx, it.ID, agent, body, *file)
		}
		return s.db.SendMessage(ctx, it.ID, agent, body)
	}
	if err := store.OwnerRefusal(it.Status, it.OwnerID, agent); err != nil {
		return nil, err
	}
	if it.AccountID == nil {
		return nil, apperr.New(apperr.Conflict, "whatsapp.no_account")
	}
	start, err := s.db.WindowStart(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	if !whatsapp.WindowOpen(start, s.clock.Now()) {
		return nil, apperr.New(apperr.WindowExpired, "whatsapp.window_expired")
	}
	var payload outbox.Payload
	if replyTo != 0 {
		id, err := s.db.InboundProviderID(ctx, it.ID, replyTo)
		if err != nil {
			return nil, err
		}
		payload.ReplyTo = strings.TrimPrefix(id, "wa:") // as the webhook stored it (whatsappProviderID)
	}
	m, err := s.db.SendQueued(ctx, it.ID, agent, body, file, outbox.Entry{Channel: string(staff.WhatsApp),
		AccountID: *it.AccountID, Payload: payload})
	if err != nil {
		return nil, err
	}
	s.wakeOutbox()
	return m, nil
}

// checkWhatsAppFile refuses a file over WhatsApp's limit for its kind.
func checkWhatsAppFile(it *store.Interaction, f *store.NewAttachment) error {
	if !isWhatsApp(it) {
		return nil
	}
	if limit := whatsapp.MaxMediaBytes(whatsapp.OutboundKind(f.ContentType)); int64(len(f.Data)) > limit {
		return apperr.New(apperr.TooLarge, "whatsapp.file_too_large", limit)
	}
	return nil
}

// windowExpiresAt is when a WhatsApp interaction's window closes (nil:
// closed, or not WhatsApp), for the desktop to switch its composer.
func (s *Server) windowExpiresAt(ctx context.Context, it *store.Interaction) (*time.Time, error) {
	if !isWhatsApp(it) {
		return nil, nil
	}
	start, err := s.db.WindowStart(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	return whatsapp.WindowExpiresAt(start), nil
}

// ---- templates: admins

// whatsappAccountOf reads the account of the path's {id}.
func (s *Server) whatsappAccountOf(r *http.Request) (*whatsapp.Account, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.db.WhatsAppAccount(r.Context(), id)
}

func (s *Server) listWhatsAppTemplates(w http.ResponseWriter, r *http.Request) error {
	a, err := s.whatsappAccountOf(r)
	if err != nil {
		return err
	}
	items, err := s.db.WhatsAppTemplates(r.Context(), a.ID, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// templateIn is a template as an admin writes it; absent fields keep
// their value on PATCH.
type templateIn struct {
	Name               *string `json:"name"`
	Language           *string `json:"language"`
	Category           *string `json:"category"`
	Body               *string `json:"body"`
	AvailableForAgents *bool   `json:"available_for_agents"`
	Status             *string `json:"status"`
	ProviderID         *string `json:"provider_id"`
}

func (in templateIn) applyTo(t *whatsapp.Template) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&t.Name, in.Name)
	set(&t.Language, in.Language)
	set(&t.Category, in.Category)
	set(&t.Body, in.Body)
	set(&t.Status, in.Status)
	set(&t.ProviderID, in.ProviderID)
	if in.AvailableForAgents != nil {
		t.AvailableForAgents = *in.AvailableForAgents
	}
}

func (s *Server) saveWhatsAppTemplate(w http.ResponseWriter, r *http.Request, t *whatsapp.Template, status int) error {
	var in templateIn
	if err := decode(r, &in); err != nil {
		return err
	}
	in.applyTo(t)
	f := apperr.FieldErrors{}
	if t.Validate(f); f.Err() != nil {
		return f.Err()
	}
	out, err := s.db.SaveWhatsAppTemplate(r.Context(), t, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Server) createWhatsAppTemplate(w http.ResponseWriter, r *http.Request) error {
	a, err := s.whatsappAccountOf(r)
	if err != nil {
		return err
	}
	return s.saveWhatsAppTemplate(w, r, &whatsapp.Template{AccountID: a.ID}, http.StatusCreated)
}

// templateOf reads the path's {template_id} of the account {id}.
func (s *Server) templateOf(r *http.Request) (*whatsapp.Template, error) {
	a, err := s.whatsappAccountOf(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "template_id")
	if err != nil {
		return nil, err
	}
	t, err := s.db.WhatsAppTemplate(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if t.AccountID != a.ID {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return t, nil
}

func (s *Server) patchWhatsAppTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.templateOf(r)
	if err != nil {
		return err
	}
	return s.saveWhatsAppTemplate(w, r, t, http.StatusOK)
}

func (s *Server) deleteWhatsAppTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.templateOf(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteWhatsAppTemplate(r.Context(), t.AccountID, t.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// whatsappSyncTimeout bounds a templates sync (several pages).
const whatsappSyncTimeout = 60 * time.Second

// syncWhatsAppTemplates reads the account's templates from Meta and makes
// the stored ones match (store.SyncWhatsAppTemplates).
func (s *Server) syncWhatsAppTemplates(w http.ResponseWriter, r *http.Request) error {
	a, err := s.whatsappAccountOf(r)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), whatsappSyncTimeout)
	defer cancel()
	list, err := whatsapp.FetchMetaTemplates(ctx, s.providerHTTP(), a)
	if err != nil {
		return err
	}
	n, err := s.db.SyncWhatsAppTemplates(r.Context(), a.ID, list, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	items, err := s.db.WhatsAppTemplates(r.Context(), a.ID, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"synced": n, "items": items})
	return nil
}

// providerHTTP is the client for calls to the providers' APIs.
func (s *Server) providerHTTP() *http.Client { return &http.Client{Timeout: whatsapp.SendTimeout} }

// ---- templates: agents

// interactionTemplates lists the templates an agent may send on a
// WhatsApp interaction: its account's approved ones available for agents.
func (s *Server) interactionTemplates(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	if !isWhatsApp(it) || it.AccountID == nil {
		return apperr.New(apperr.Conflict, "template.not_whatsapp")
	}
	items, err := s.db.WhatsAppTemplates(r.Context(), *it.AccountID, true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// templateSendIn names a template and its parameters.
type templateSendIn struct {
	TemplateID int64    `json:"template_id"`
	Parameters []string `json:"parameters"`
}

// agentTemplate reads, for a send on account, a template an agent may
// send, with its rendered text.
func (s *Server) agentTemplate(ctx context.Context, accountID int64, in templateSendIn) (*whatsapp.Template, string, error) {
	if in.TemplateID == 0 {
		return nil, "", apperr.Field("template_id", "field.required")
	}
	t, err := s.db.WhatsAppTemplate(ctx, in.TemplateID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && (t.AccountID != accountID || !t.AvailableForAgents ||
		t.Status != whatsapp.TemplateApproved)) {
		return nil, "", apperr.Field("template_id", "id.unknown", in.TemplateID)
	}
	if err != nil {
		return nil, "", err
	}
	body, err := t.Render(in.Parameters)
	if err != nil {
		return nil, "", err
	}
	return t, body, nil
}

// sendTemplate is the owner sending a template on an open WhatsApp
// interaction — any time, and the one thing he may send once the window
// has closed ("Send Recontact Template"). The rendered text is the stored
// message; the template goes through the outbox.
func (s *Server) sendTemplate(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	ctx, me := r.Context(), callerFrom(r.Context()).ID()
	if err := store.OwnerRefusal(it.Status, it.OwnerID, me); err != nil {
		return err
	}
	if !isWhatsApp(it) || it.AccountID == nil {
		return apperr.New(apperr.Conflict, "template.not_whatsapp")
	}
	var in templateSendIn
	if err := decode(r, &in); err != nil {
		return err
	}
	t, body, err := s.agentTemplate(ctx, *it.AccountID, in)
	if err != nil {
		return err
	}
	m, err := s.db.SendQueued(ctx, it.ID, me, body, nil, outbox.Entry{Channel: string(staff.WhatsApp),
		AccountID: *it.AccountID, Payload: outbox.Payload{Template: t.Ref(in.Parameters)}})
	if err != nil {
		return err
	}
	s.wakeOutbox()
	writeJSON(w, http.StatusCreated, m)
	return nil
}

// ---- signed links to files, for Twilio

// mediaLinkLife is how long a file's public link works: Twilio fetches it
// when it takes the message, and each try of the outbox makes a new one.
const mediaLinkLife = time.Hour

func (s *Server) mediaSignature(ctx context.Context, id int64, exp int64) (string, error) {
	key, err := s.db.SiteSecret(ctx, "media_links")
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(strconv.FormatInt(id, 10) + "." + strconv.FormatInt(exp, 10)))
	return hex.EncodeToString(mac.Sum(nil)), nil
}

// MediaURL is a public link to a file that works for mediaLinkLife, for a
// provider to fetch it from ("" when it cannot be made).
func (s *Server) MediaURL(attachmentID int64) string {
	exp := s.clock.Now().Add(mediaLinkLife).Unix()
	sig, err := s.mediaSignature(context.Background(), attachmentID, exp)
	if err != nil {
		s.log.Error("media link", "err", err)
		return ""
	}
	return s.cfg.BaseURL + "/api/v1/media/" + strconv.FormatInt(attachmentID, 10) + "?exp=" +
		strconv.FormatInt(exp, 10) + "&sig=" + sig
}

// WhatsAppStatusURL is the account's webhook, where Twilio reports the
// statuses of the messages sent with it.
func (s *Server) WhatsAppStatusURL(a *whatsapp.Account) string {
	return s.cfg.BaseURL + "/api/v1/webhooks/whatsapp/" + a.WebhookKey
}

// publicMedia serves a file to whoever holds a valid, unexpired signed
// link (a provider fetching what an agent sent). Anything else is 404,
// saying nothing of which files exist.
func (s *Server) publicMedia(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	exp, err := strconv.ParseInt(r.URL.Query().Get("exp"), 10, 64)
	notFound := apperr.New(apperr.NotFound, "error.not_found")
	if err != nil || s.clock.Now().Unix() > exp {
		return notFound
	}
	want, err := s.mediaSignature(r.Context(), id, exp)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(want), []byte(r.URL.Query().Get("sig"))) {
		return notFound
	}
	a, _, data, err := s.db.Attachment(r.Context(), id)
	if err != nil {
		return err
	}
	writeAttachment(w, r, a, data, "attachment")
	return nil
}

// ---- a new conversation started by an agent (the desktop's +)

type outboundCheckIn struct {
	AccountID int64  `json:"account_id"`
	Number    string `json:"number"`
}

// outboundCheck tells the desktop what an agent may send to a number.
type outboundCheck struct {
	AccountID int64         `json:"account_id"`
	Number    string        `json:"number"` // E.164
	Contact   *contacts.Ref `json:"contact"`
	// WindowExpiresAt is when the customer service window closes (null:
	// closed, or he never wrote).
	WindowExpiresAt *time.Time `json:"window_expires_at"`
	// Send is "text" while the window is open, else "template".
	Send string `json:"send"`
	// InteractionID is the agent's own open interaction with the number,
	// which the desktop opens instead of starting another.
	InteractionID *int64 `json:"interaction_id"`
	// Templates are those he may choose from (with Send "template").
	Templates []*whatsapp.Template `json:"templates"`
}

// checkWhatsAppOutbound applies the reference's scenarios for an agent
// about to write to a number: known or unknown contact, window open (free
// text) or closed (a template), and refused when another agent has an
// open interaction with him (naming that agent) or he waits in a queue.
// Campaigns do not exist yet, so "a pending campaign" cannot refuse.
func (s *Server) checkWhatsAppOutbound(w http.ResponseWriter, r *http.Request) error {
	var in outboundCheckIn
	if err := decode(r, &in); err != nil {
		return err
	}
	out, err := s.outboundCheck(r.Context(), callerFrom(r.Context()).ID(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) outboundCheck(ctx context.Context, me int64, in outboundCheckIn) (*outboundCheck, error) {
	f := apperr.FieldErrors{}
	number := checkOutboundTarget(f, in)
	if err := f.Err(); err != nil {
		return nil, err
	}
	a, err := s.writableAccount(ctx, me, in.AccountID)
	if err != nil {
		return nil, err
	}
	out := &outboundCheck{AccountID: a.ID, Number: number, Templates: []*whatsapp.Template{}}
	key := whatsapp.ContactKey(number)
	if open, err := s.db.OpenConversation(ctx, a.ID, key); err != nil {
		return nil, err
	} else if open != 0 {
		if err := s.ownOpenConversation(ctx, me, open); err != nil {
			return nil, err
		}
		out.InteractionID = &open
	}
	listID := int64(0)
	if a.DefaultListID != nil {
		listID = *a.DefaultListID
	}
	contactID, err := s.db.FindContact(ctx, s.phones().Subject(string(staff.WhatsApp), key, "", nil, nil), listID)
	if err != nil {
		return nil, err
	}
	if contactID != 0 {
		if out.Contact, err = s.db.ContactRef(ctx, &contactID); err != nil {
			return nil, err
		}
	}
	start, err := s.db.LastInboundAt(ctx, a.ID, key)
	if err != nil {
		return nil, err
	}
	out.WindowExpiresAt, out.Send = whatsapp.WindowExpiresAt(start), "text"
	if !whatsapp.WindowOpen(start, s.clock.Now()) {
		out.Send = "template"
		if out.Templates, err = s.db.WhatsAppTemplates(ctx, a.ID, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkOutboundTarget adds to f what is wrong with the account and number
// an agent writes from and to, and returns the number in E.164.
func checkOutboundTarget(f apperr.FieldErrors, in outboundCheckIn) string {
	if in.AccountID == 0 {
		f.Add("account_id", "field.required")
	}
	number, ok := whatsapp.NormaliseNumber(in.Number)
	switch {
	case strings.TrimSpace(in.Number) == "":
		f.Add("number", "field.required")
	case !ok:
		f.Add("number", "whatsapp.number_invalid")
	}
	return number
}

// writableAccount reads an account an agent may start conversations from.
func (s *Server) writableAccount(ctx context.Context, me, accountID int64) (*whatsapp.Account, error) {
	a, err := s.db.WhatsAppAccount(ctx, accountID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("account_id", "id.unknown", accountID)
	}
	if err != nil {
		return nil, err
	}
	if err := s.mayWriteFrom(ctx, me, a); err != nil {
		return nil, err
	}
	return a, nil
}

// mayWriteFrom checks an agent may start conversations from an account:
// it is enabled and its queue is one he works.
func (s *Server) mayWriteFrom(ctx context.Context, me int64, a *whatsapp.Account) error {
	if !a.Enabled {
		return apperr.Field("account_id", "whatsapp.account_disabled")
	}
	if a.QueueID == nil {
		return apperr.New(apperr.Forbidden, "whatsapp.account_not_yours")
	}
	queues, err := s.workedQueues(ctx, me)
	if err != nil {
		return err
	}
	if _, ok := queues[*a.QueueID]; !ok {
		return apperr.New(apperr.Forbidden, "whatsapp.account_not_yours")
	}
	return nil
}

// workedQueues are the queues an agent works: while he is logged in, those
// of his session (his Personal queues with the profile he chose), as
// routing offers them; otherwise his Personal queues.
func (s *Server) workedQueues(ctx context.Context, agentID int64) (map[int64]int, error) {
	if queues := s.acd.ActiveQueues(agentID); queues != nil {
		return queues, nil
	}
	return s.db.ActiveQueues(ctx, agentID, nil)
}

// ownOpenConversation refuses a number whose conversation is another
// agent's (naming him) or waits in a queue; the agent's own is fine.
func (s *Server) ownOpenConversation(ctx context.Context, me, id int64) error {
	it, err := s.db.Interaction(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case it.OwnerID == nil:
		return apperr.New(apperr.Conflict, "whatsapp.waiting_in_queue")
	case *it.OwnerID != me:
		name := ""
		if ag, err := s.db.Agent(ctx, *it.OwnerID); err == nil {
			name = ag.FullName
		}
		return apperr.New(apperr.Conflict, "whatsapp.busy_with_agent", name)
	}
	return nil
}
