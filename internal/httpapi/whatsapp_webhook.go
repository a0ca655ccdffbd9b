package httpapi

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/i18n"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// The WhatsApp webhooks: one URL per account (its random key), where Meta
// and Twilio post what customers send and the statuses of what we sent.
// No session and no CSRF token: the signature on the raw body is the
// authentication. The order of refusals: an unknown key is 404, a bad or
// missing signature 403 (nothing is read further), a body that is not the
// provider's 400, and a disabled account 403 — refused rather than
// dropped, so the provider keeps retrying and nothing is lost if the
// account is enabled again within the provider's retry period.
//
// The answer is 200 only once everything is committed. A failure that may
// pass (the database, a media server's 5xx or timeout) is a 500 so the
// provider retries the whole request; messages already stored are then
// recognised by their provider id and not stored twice.

const whatsappWebhookPath = "/api/v1/webhooks/whatsapp/"

// whatsappNotesLang is the language of the notes Switchboard writes into
// a conversation (a file that could not be fetched): the site has no
// language of its own yet, so English, the catalogue's fallback.
const whatsappNotesLang = "en"

func whatsappNote(key string, args ...any) string { return i18n.T(whatsappNotesLang, key, args...) }

// whatsappAccountByKey finds the account of a webhook URL (404 when none).
func (s *Server) whatsappAccountByKey(r *http.Request) (*whatsapp.Account, error) {
	a, err := s.db.WhatsAppAccountByKey(r.Context(), r.PathValue("key"))
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.NotFound, "whatsapp.unknown_webhook")
	}
	return a, err
}

// whatsappHandshake answers Meta's verification of a webhook URL: with
// hub.mode=subscribe and the account's verify token it echoes
// hub.challenge as plain text. It works on a disabled account too, so the
// URL can be registered before the account goes live.
func (s *Server) whatsappHandshake(w http.ResponseWriter, r *http.Request) error {
	a, err := s.whatsappAccountByKey(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	token := q.Get("hub.verify_token")
	if a.Provider != whatsapp.Meta || q.Get("hub.mode") != "subscribe" || a.Secrets.VerifyToken == "" ||
		subtle.ConstantTimeCompare([]byte(token), []byte(a.Secrets.VerifyToken)) != 1 {
		return apperr.New(apperr.Forbidden, "whatsapp.bad_verify_token")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, q.Get("hub.challenge"))
	return nil
}

// whatsappWebhook receives a provider's notification.
func (s *Server) whatsappWebhook(w http.ResponseWriter, r *http.Request) error {
	a, err := s.whatsappAccountByKey(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.TooLarge, "error.too_large", tooBig.Limit)
		}
		return err
	}
	d, err := s.verifyAndParse(r, a, body)
	if err != nil {
		return err
	}
	if !a.Enabled {
		return apperr.New(apperr.Forbidden, "whatsapp.account_disabled")
	}
	if err := s.handleWhatsApp(r.Context(), a, d); err != nil {
		return err
	}
	if a.Provider == whatsapp.Twilio {
		// An empty TwiML answer: nothing to reply automatically.
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`)
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// verifyAndParse checks the request's signature with the account's
// provider's scheme, then reads its notifications.
func (s *Server) verifyAndParse(r *http.Request, a *whatsapp.Account, body []byte) (*whatsapp.Delivery, error) {
	badSignature := apperr.New(apperr.Forbidden, "whatsapp.bad_signature")
	malformed := apperr.New(apperr.Invalid, "whatsapp.malformed")
	switch a.Provider {
	case whatsapp.Meta:
		if !whatsapp.VerifyMetaSignature(a.Secrets.AppSecret, body, r.Header.Get("X-Hub-Signature-256")) {
			return nil, badSignature
		}
		d, err := whatsapp.ParseMeta(body, a.PhoneNumberID)
		if err != nil {
			return nil, malformed
		}
		return d, nil
	case whatsapp.Twilio:
		// Twilio signs the URL it called: the site's public address, the
		// path and the query as sent.
		form, ferr := url.ParseQuery(string(body))
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
			form, ferr = nil, errors.New("not a form")
		}
		if !whatsapp.VerifyTwilioSignature(a.Secrets.AuthToken, s.cfg.BaseURL+r.URL.RequestURI(), form,
			r.Header.Get("X-Twilio-Signature")) {
			return nil, badSignature
		}
		if ferr != nil {
			return nil, malformed
		}
		d, err := whatsapp.ParseTwilio(form, a.AccountSID)
		if err != nil {
			return nil, malformed
		}
		return d, nil
	}
	return nil, apperr.New(apperr.Internal, "error.internal")
}

// handleWhatsApp stores every message and applies every status of one
// notification. Each is handled even when an earlier one failed; the
// first failure is returned (the provider retries the whole request).
func (s *Server) handleWhatsApp(ctx context.Context, a *whatsapp.Account, d *whatsapp.Delivery) error {
	if d.Skipped > 0 {
		s.log.Warn("whatsapp webhook entries skipped", "account", a.ID, "skipped", d.Skipped)
	}
	var first error
	keep := func(err error, what, id string) {
		if err != nil {
			s.log.Error("whatsapp webhook", "account", a.ID, "what", what, "id", id, "err", err)
			if first == nil {
				first = err
			}
		}
	}
	for i := range d.Messages {
		keep(s.receiveWhatsApp(ctx, a, &d.Messages[i]), "message", d.Messages[i].ProviderID)
	}
	for _, st := range d.Statuses {
		at := st.At
		if at.IsZero() {
			at = s.clock.Now()
		}
		keep(s.db.ApplyOutboundStatus(ctx, store.OutboundStatus{AccountID: a.ID, ProviderMessageID: st.ProviderMessageID,
			State: st.State, ErrorCode: st.ErrorCode, ErrorText: st.ErrorText, At: at}), "status", st.ProviderMessageID)
	}
	return first
}

// whatsappProviderID is the stored provider id of a WhatsApp message.
func whatsappProviderID(id string) string { return "wa:" + id }

// receiveWhatsApp stores one customer message: in his waiting or open
// conversation on the account, else in a new interaction entering the
// account's queue. A reaction is not stored: it answers nothing and must
// not open a conversation.
func (s *Server) receiveWhatsApp(ctx context.Context, a *whatsapp.Account, m *whatsapp.Message) error {
	if m.Kind == whatsapp.KindReaction {
		return nil
	}
	in := store.Inbound{ProviderID: whatsappProviderID(m.ProviderID), Body: m.Body(whatsappNote)}
	if stored, err := s.db.InboundStored(ctx, in.ProviderID); err != nil || stored {
		return err
	}
	if m.Media != nil {
		file, err := s.whatsappMedia.Fetch(ctx, a, m)
		var gone *whatsapp.MediaError
		switch {
		case errors.As(err, &gone):
			in.Body = strings.TrimSpace(gone.Note(whatsappNote) + "\n" + in.Body)
		case err != nil:
			return err
		default:
			in.File = &store.NewAttachment{Name: file.Name, ContentType: file.ContentType, Data: file.Data}
		}
	}
	key := whatsapp.ContactKey(m.From)
	// A second try when another conversation with him opened while this one
	// was being created (see store.NoOtherConversation): the message joins it.
	for attempt := 0; ; attempt++ {
		joined, err := s.joinWhatsAppConversation(ctx, a.ID, key, in, m.ProfileName)
		if joined || err != nil {
			return err
		}
		if a.QueueID == nil {
			return apperr.New(apperr.Unavailable, "whatsapp.no_queue")
		}
		_, err = s.acd.CreateWith(ctx, store.NewInteraction{QueueID: *a.QueueID, AccountID: &a.ID, ContactName: m.ProfileName,
			ContactKey: key, With: store.WithBoth(store.NoOtherConversation(a.ID, key),
				store.WithBoth(s.linkContact(key, m.ProfileName, nil, nil), store.FirstInbound(in)))}, 0)
		var refused *apperr.Error
		if attempt == 0 && errors.As(err, &refused) && refused.Message.Key == store.ConversationOpened {
			continue
		}
		return err
	}
}

// joinWhatsAppConversation adds a customer's message to his waiting or open
// conversation on the account, if he has one (joined false: he has none,
// or it closed in the meantime, and his message starts a new one).
func (s *Server) joinWhatsAppConversation(ctx context.Context, accountID int64, key string, in store.Inbound, profileName string) (joined bool, err error) {
	id, err := s.db.OpenConversation(ctx, accountID, key)
	if err != nil || id == 0 {
		return false, err
	}
	in.InteractionID = id
	if _, _, err := s.db.ReceiveInbound(ctx, in); err != nil {
		if apperr.Is(err, apperr.Conflict) { // closed in the meantime
			return false, nil
		}
		return false, err
	}
	return true, s.db.NameUnnamedInteraction(ctx, id, profileName)
}

// whatsappMediaTimeout bounds one media download: longer than a 16 MB
// video takes on a slow link, short enough that the provider's own
// webhook timeout is what usually decides, and it then retries.
const whatsappMediaTimeout = 60 * time.Second
