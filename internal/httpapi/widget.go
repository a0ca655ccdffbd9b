package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/conversation"
	"github.com/switchboard-cc/switchboard/internal/i18n"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/webchat"
)

// The website chat widget's endpoints (docs/widget-protocol.md): public,
// called from the pages the widget is embedded in. Every one names its
// website by the widget key, checks the browser's Origin against the
// website's allowed origins, answers with CORS headers for that origin,
// and is rate limited. The conversation socket is in widget_socket.go.

// widgetSite loads the website a widget request names (?key=) and checks
// the browser's origin, setting the CORS headers when it is allowed. A
// request without an Origin is not a cross-site browser request (a link
// or an image pointing at a file, a server): it is let through without
// CORS headers, as the Origin check protects browsers and anyone else can
// send any Origin anyway.
func (s *Server) widgetSite(w http.ResponseWriter, r *http.Request) (*conversation.Website, error) {
	w.Header().Add("Vary", "Origin")
	key := r.URL.Query().Get("key")
	if key == "" {
		return nil, apperr.New(apperr.NotFound, "widget.unknown")
	}
	site, err := s.db.WebsiteByKey(r.Context(), key)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !site.Enabled) {
		return nil, apperr.New(apperr.NotFound, "widget.unknown")
	}
	if err != nil {
		return nil, err
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if !webchat.OriginAllowed(site.AllowedOrigins, origin) {
			return nil, apperr.New(apperr.Forbidden, "widget.origin")
		}
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
	return site, nil
}

// widgetChat finds the chat a token opens on this website; a token of
// another website, of an offline message or of nothing is refused alike.
func (s *Server) widgetChat(r *http.Request, site *conversation.Website, token string) (*store.ChatSession, error) {
	if token == "" {
		return nil, apperr.New(apperr.Unauthorized, "widget.bad_token")
	}
	chat, err := s.db.ChatByTokenHash(r.Context(), webchat.HashToken(token))
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.Unauthorized, "widget.bad_token")
	}
	if err != nil {
		return nil, err
	}
	if chat.AccountID != site.ID || !webchat.TokenMatches(token, chat.TokenHash()) {
		return nil, apperr.New(apperr.Unauthorized, "widget.bad_token")
	}
	return chat, nil
}

// widgetLimit spends one request of a client's allowance; over it, the
// answer is 429 with Retry-After in whole seconds.
func widgetLimit(w http.ResponseWriter, l *auth.Limiter, key string) error {
	ok, wait := l.Take(key)
	if ok {
		return nil
	}
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
	return apperr.New(apperr.RateLimited, "widget.rate_limited")
}

func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// widgetPreflight answers a CORS preflight for any widget endpoint.
func (s *Server) widgetPreflight(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.widgetSite(w, r); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- configuration

type widgetAttachments struct {
	Enabled  bool     `json:"enabled"`
	MaxBytes int64    `json:"max_bytes"`
	Types    []string `json:"types"`
}

type widgetConfigJSON struct {
	Title          string                   `json:"title"`
	Colour         string                   `json:"colour"`
	Online         bool                     `json:"online"`
	OnlineForm     []conversation.FormField `json:"online_form"`
	OfflineForm    []conversation.FormField `json:"offline_form"`
	OfflineMessage string                   `json:"offline_message"`
	Attachments    widgetAttachments        `json:"attachments"`
	Locale         string                   `json:"locale"`
}

func (s *Server) widgetConfig(w http.ResponseWriter, r *http.Request) error {
	site, err := s.widgetSite(w, r)
	if err != nil {
		return err
	}
	if err := widgetLimit(w, s.chatLimits.Config, clientIP(r)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, widgetConfigJSON{
		Title: site.Title, Colour: site.Colour,
		Online:     site.QueueID != nil && s.acd.Staffed(*site.QueueID),
		OnlineForm: site.OnlineForm, OfflineForm: site.OfflineForm, OfflineMessage: site.OfflineMessage,
		Attachments: widgetAttachments{Enabled: site.AttachmentsEnabled, MaxBytes: maxUploadBytes(site),
			Types: conversation.AllowedAttachmentTypes},
		Locale: i18n.Match(r.Header.Get("Accept-Language")),
	})
	return nil
}

func maxUploadBytes(site *conversation.Website) int64 { return int64(site.MaxAttachmentMB) << 20 }

// ---- starting a chat

// widgetStartChat checks the submitted form and creates the interaction
// with its chat in one transaction; an online chat gets a token, an
// offline message (its form's "message" field the first inbound message)
// waits in the queue to be answered later.
func (s *Server) widgetStartChat(w http.ResponseWriter, r *http.Request) error {
	site, err := s.widgetSite(w, r)
	if err != nil {
		return err
	}
	var in struct {
		Fields  map[string]string `json:"fields"`
		Offline bool              `json:"offline"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	form := site.OnlineForm
	if in.Offline {
		form = site.OfflineForm
	}
	answers, err := webchat.CheckFields(form, in.Fields)
	if err != nil {
		return err
	}
	if site.QueueID == nil {
		return apperr.New(apperr.Conflict, "widget.no_queue")
	}
	if err := widgetLimit(w, s.chatLimits.Chats, clientIP(r)); err != nil {
		return err
	}
	chat := &store.ChatSession{AccountID: site.ID, Offline: in.Offline, Form: answers}
	if o := r.Header.Get("Origin"); o != "" {
		chat.Origin, _ = conversation.NormaliseOrigin(o)
	}
	token, hash, body := "", "", ""
	if in.Offline {
		body = answers.Value("message")
	} else {
		token, hash = webchat.NewToken()
	}
	name, key := webchat.ContactName(answers), webchat.ContactKey(form, answers)
	it, err := s.acd.CreateWith(r.Context(), store.NewInteraction{QueueID: *site.QueueID, AccountID: &site.ID,
		ContactName: name, ContactKey: key, Body: body,
		With: store.WithBoth(store.StartChat(chat, hash), s.linkContact(key, name, answers.Emails(), answers.Phones()))}, 0)
	if apperr.Is(err, apperr.Invalid) { // the queue went meanwhile
		return apperr.New(apperr.Conflict, "widget.no_queue")
	}
	if err != nil {
		return err
	}
	if in.Offline {
		writeJSON(w, http.StatusCreated, map[string]any{"chat_id": chat.ID, "offline": true})
		return nil
	}
	writeJSON(w, http.StatusCreated, map[string]any{"chat_id": chat.ID, "token": token, "interaction_id": it.ID})
	return nil
}

// ---- files

// widgetUpload stores a file the customer sends, as a message of his chat.
func (s *Server) widgetUpload(w http.ResponseWriter, r *http.Request) error {
	site, err := s.widgetSite(w, r)
	if err != nil {
		return err
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	chat, err := s.widgetChat(r, site, token)
	if err != nil {
		return err
	}
	if !site.AttachmentsEnabled {
		return apperr.New(apperr.Forbidden, "attachment.off")
	}
	if err := s.chatOpen(r, chat); err != nil {
		return err
	}
	if err := widgetLimit(w, s.chatLimits.Uploads, clientIP(r)); err != nil {
		return err
	}
	file, parts, err := readAttachment(w, r, maxUploadBytes(site), "client_id")
	if err != nil {
		return err
	}
	in := store.Inbound{InteractionID: chat.InteractionID, File: file}
	clientID, given := parts["client_id"]
	if given {
		if !validClientID(clientID) {
			return apperr.Field("client_id", "widget.client_id", maxClientID)
		}
		in.ProviderID = store.ChatProviderID(chat.ID, clientID)
	}
	m, _, err := s.db.ReceiveInbound(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.chatMessage(site, token, m, clientID, nil))
	return nil
}

// chatOpen refuses a chat that has ended.
func (s *Server) chatOpen(r *http.Request, chat *store.ChatSession) error {
	it, err := s.db.Interaction(r.Context(), chat.InteractionID)
	if err != nil {
		return err
	}
	if chatStatus(it.Status) == "closed" {
		return apperr.New(apperr.Conflict, "widget.chat_closed")
	}
	return nil
}

// widgetDownload serves a file of the customer's own chat.
func (s *Server) widgetDownload(w http.ResponseWriter, r *http.Request) error {
	site, err := s.widgetSite(w, r)
	if err != nil {
		return err
	}
	chat, err := s.widgetChat(r, site, r.URL.Query().Get("token"))
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	interactionID, err := s.db.AttachmentInteraction(r.Context(), id)
	if err != nil {
		return err
	}
	if interactionID != chat.InteractionID { // not his: as if it did not exist
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	a, _, data, err := s.db.Attachment(r.Context(), id)
	if err != nil {
		return err
	}
	disposition := "attachment"
	if inlineMedia(a.ContentType) {
		disposition = "inline"
	}
	writeAttachment(w, r, a, data, disposition)
	return nil
}

// ---- the script

// widgetScript serves the built widget, web/dist/widget.js, for a script
// tag on any site: a short cache (a new build reaches websites within
// minutes) with an ETag to make revalidation cheap. Without a build it is
// a plain 404, never the web app's index.html.
func (s *Server) widgetScript(w http.ResponseWriter, r *http.Request) {
	var data []byte
	var err error = fs.ErrNotExist
	if s.web != nil {
		data, err = fs.ReadFile(s.web, "widget.js")
	}
	if err != nil {
		http.Error(w, "The chat widget is not built into this binary: run `make build`.", http.StatusNotFound)
		return
	}
	sum := sha256.Sum256(data)
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(w, r, "widget.js", time.Time{}, bytes.NewReader(data))
}
