package httpapi

import (
	"encoding/json"
	"html"
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/conversation"
	"github.com/switchboard-cc/switchboard/internal/staff"
)

// Accounts are the channel entry points; chat websites are the first kind.
// Any principal may list the accounts (agents' lists filter by account);
// websites take the channels section's rights.

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) error {
	ch := staff.Channel(r.URL.Query().Get("channel"))
	if ch != "" && !conversation.ValidAccountChannel(ch) {
		return apperr.Field("channel", "channel.invalid")
	}
	items, err := s.db.Accounts(r.Context(), ch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// ---- websites

func (s *Server) listWebsites(w http.ResponseWriter, r *http.Request) error {
	items, err := s.db.Websites(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) websiteFor(r *http.Request) (*conversation.Website, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.db.Website(r.Context(), id)
}

func (s *Server) getWebsite(w http.ResponseWriter, r *http.Request) error {
	site, err := s.websiteFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, site)
	return nil
}

// applyWebsite lays the sent fields over a website. The lists sent replace
// the old ones whole (json would otherwise merge their elements), and what
// the body may not change (id, channel, widget key, times) is kept.
func applyWebsite(site *conversation.Website, raw map[string]json.RawMessage) error {
	keep := *site
	if _, ok := raw["allowed_origins"]; ok {
		site.AllowedOrigins = nil
	}
	if _, ok := raw["online_form"]; ok {
		site.OnlineForm = nil
	}
	if _, ok := raw["offline_form"]; ok {
		site.OfflineForm = nil
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, site); err != nil {
		return apperr.New(apperr.Invalid, "error.bad_json")
	}
	site.ID, site.Channel, site.WidgetKey = keep.ID, staff.Chat, keep.WidgetKey
	site.CreatedAt, site.UpdatedAt = keep.CreatedAt, keep.UpdatedAt
	return nil
}

func (s *Server) createWebsite(w http.ResponseWriter, r *http.Request) error {
	var raw map[string]json.RawMessage
	if err := decode(r, &raw); err != nil {
		return err
	}
	site := conversation.NewWebsite()
	if err := applyWebsite(site, raw); err != nil {
		return err
	}
	return s.saveWebsite(w, r, site, http.StatusCreated)
}

func (s *Server) saveWebsite(w http.ResponseWriter, r *http.Request, site *conversation.Website, status int) error {
	if err := validated(site.Validate); err != nil {
		return err
	}
	saved, err := s.db.SaveWebsite(r.Context(), site, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, status, saved)
	return nil
}

// patchWebsite changes the fields sent; null clears queue_id and
// default_list_id.
func (s *Server) patchWebsite(w http.ResponseWriter, r *http.Request) error {
	var raw map[string]json.RawMessage
	if err := decode(r, &raw); err != nil {
		return err
	}
	site, err := s.websiteFor(r)
	if err != nil {
		return err
	}
	if err := applyWebsite(site, raw); err != nil {
		return err
	}
	return s.saveWebsite(w, r, site, http.StatusOK)
}

func (s *Server) deleteWebsite(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.DeleteWebsite(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) rotateWebsiteKey(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	site, err := s.db.RotateWebsiteKey(r.Context(), id, conversation.NewWidgetKey(), callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, site)
	return nil
}

// websiteSnippet returns the HTML a website owner pastes in his pages.
func (s *Server) websiteSnippet(w http.ResponseWriter, r *http.Request) error {
	site, err := s.websiteFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"html": snippetHTML(s.cfg.BaseURL, site.WidgetKey)})
	return nil
}

// snippetHTML is the one <script> tag that embeds a website's chat widget.
func snippetHTML(baseURL, key string) string {
	return `<script src="` + html.EscapeString(baseURL+"/widget.js") + `" data-switchboard-key="` +
		html.EscapeString(key) + `" async></script>`
}
