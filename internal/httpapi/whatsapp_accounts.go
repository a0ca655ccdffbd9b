package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// WhatsApp accounts take the channels section's rights, like websites.
// Their secrets are write-only: sent to set or replace them, never
// returned (the account says "access_token_set": true instead).

// whatsappAccountJSON is an account with the URL to give the provider for
// its webhooks.
type whatsappAccountJSON struct {
	*whatsapp.Account
	WebhookURL string `json:"webhook_url"`
}

func (s *Server) whatsappAccountView(a *whatsapp.Account) whatsappAccountJSON {
	return whatsappAccountJSON{Account: a, WebhookURL: s.cfg.BaseURL + whatsappWebhookPath + a.WebhookKey}
}

// MarshalJSON keeps the account's own JSON (secrets shown as *_set) and
// adds the webhook URL.
func (v whatsappAccountJSON) MarshalJSON() ([]byte, error) {
	raw, err := json.Marshal(v.Account)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	m["webhook_url"], _ = json.Marshal(v.WebhookURL)
	return json.Marshal(m)
}

func (s *Server) listWhatsAppAccounts(w http.ResponseWriter, r *http.Request) error {
	items, err := s.db.WhatsAppAccounts(r.Context())
	if err != nil {
		return err
	}
	out := make([]whatsappAccountJSON, len(items))
	for i, a := range items {
		out[i] = s.whatsappAccountView(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) whatsappAccountFor(r *http.Request) (*whatsapp.Account, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.db.WhatsAppAccount(r.Context(), id)
}

func (s *Server) getWhatsAppAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.whatsappAccountFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.whatsappAccountView(a))
	return nil
}

// whatsappSecrets are the write-only fields of a request body; one left
// out keeps its value.
type whatsappSecrets struct {
	AccessToken *string `json:"access_token"`
	AppSecret   *string `json:"app_secret"`
	VerifyToken *string `json:"verify_token"`
	AuthToken   *string `json:"auth_token"`
}

// applyWhatsAppAccount lays the sent fields over an account, keeping what
// the body may not change (id, channel, webhook key, times).
func applyWhatsAppAccount(a *whatsapp.Account, raw map[string]json.RawMessage) error {
	keep := *a
	b, _ := json.Marshal(raw)
	var sec whatsappSecrets
	for _, dst := range []any{a, &sec} {
		if err := json.Unmarshal(b, dst); err != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) && typeErr.Field != "" {
				return apperr.Field(jsonFieldPath(typeErr.Field), "error.json_type", typeErr.Type.String())
			}
			return apperr.New(apperr.Invalid, "error.bad_json")
		}
	}
	for _, f := range []struct {
		sent *string
		dst  *string
	}{{sec.AccessToken, &a.Secrets.AccessToken}, {sec.AppSecret, &a.Secrets.AppSecret},
		{sec.VerifyToken, &a.Secrets.VerifyToken}, {sec.AuthToken, &a.Secrets.AuthToken}} {
		if f.sent != nil {
			*f.dst = *f.sent
		}
	}
	a.ID, a.Channel, a.WebhookKey = keep.ID, staff.WhatsApp, keep.WebhookKey
	a.CreatedAt, a.UpdatedAt = keep.CreatedAt, keep.UpdatedAt
	return nil
}

func (s *Server) createWhatsAppAccount(w http.ResponseWriter, r *http.Request) error {
	var raw map[string]json.RawMessage
	if err := decode(r, &raw); err != nil {
		return err
	}
	a := whatsapp.NewAccount()
	if err := applyWhatsAppAccount(a, raw); err != nil {
		return err
	}
	return s.saveWhatsAppAccount(w, r, a, http.StatusCreated)
}

// patchWhatsAppAccount changes the fields sent; null clears queue_id and
// default_list_id.
func (s *Server) patchWhatsAppAccount(w http.ResponseWriter, r *http.Request) error {
	var raw map[string]json.RawMessage
	if err := decode(r, &raw); err != nil {
		return err
	}
	a, err := s.whatsappAccountFor(r)
	if err != nil {
		return err
	}
	if err := applyWhatsAppAccount(a, raw); err != nil {
		return err
	}
	return s.saveWhatsAppAccount(w, r, a, http.StatusOK)
}

func (s *Server) saveWhatsAppAccount(w http.ResponseWriter, r *http.Request, a *whatsapp.Account, status int) error {
	if err := validated(a.Validate); err != nil {
		return err
	}
	saved, err := s.db.SaveWhatsAppAccount(r.Context(), a, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, status, s.whatsappAccountView(saved))
	return nil
}

func (s *Server) deleteWhatsAppAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.DeleteWhatsAppAccount(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
