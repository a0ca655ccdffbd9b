package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/conversation"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/i18n"
	"github.com/switchboard-cc/switchboard/internal/realtime"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/webchat"
)

// The customer's conversation socket (docs/widget-protocol.md §3).

const (
	// chatPing is how often the server sends a keep-alive frame.
	chatPing = 25 * time.Second
	// maxChatChars is the longest text a customer may send.
	maxChatChars = 5000
	// maxClientID is the longest client id the widget may give a message.
	maxClientID = 100
	// chatReplayPage is how many stored messages a replay reads at a time.
	chatReplayPage = 500
	// chatFrameBytes bounds a frame from the widget: 5,000 characters of
	// up to 4 bytes, and the JSON around them.
	chatFrameBytes = 32 << 10
)

// ---- frames, server → widget

type chatAgentJSON struct {
	Name string `json:"name"`
}

type chatAttachmentJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	URL         string `json:"url"`
}

// chatMessageJSON is a message as the widget sees it (the "message" frame,
// and the answer to an upload).
type chatMessageJSON struct {
	Type       string              `json:"type"`
	ID         int64               `json:"id"`
	Direction  string              `json:"direction"`
	Body       string              `json:"body"`
	CreatedAt  time.Time           `json:"created_at"`
	Attachment *chatAttachmentJSON `json:"attachment"`
	Agent      *chatAgentJSON      `json:"agent"`
	ClientID   *string             `json:"client_id"`
	Delivery   string              `json:"delivery"`
}

type chatHelloJSON struct {
	Type   string         `json:"type"`
	Status string         `json:"status"`
	Agent  *chatAgentJSON `json:"agent"`
}

type chatDeliveryJSON struct {
	Type     string `json:"type"`
	ID       int64  `json:"id"`
	Delivery string `json:"delivery"`
}

type chatJoinedJSON struct {
	Type  string        `json:"type"`
	Agent chatAgentJSON `json:"agent"`
}

type chatClosedJSON struct {
	Type string `json:"type"`
	By   string `json:"by"`
}

type chatErrorJSON struct {
	Type     string      `json:"type"`
	Code     apperr.Code `json:"code"`
	Message  string      `json:"message"`
	ClientID *string     `json:"client_id,omitempty"`
}

// chatFrameIn is a frame from the widget.
type chatFrameIn struct {
	Type     string `json:"type"`
	ClientID string `json:"client_id"`
	Body     string `json:"body"`
	UpTo     int64  `json:"up_to"`
}

// chatStatus is an interaction's status as the widget names it.
func chatStatus(status string) string {
	switch status {
	case "waiting":
		return "waiting"
	case "open":
		return "open"
	}
	return "closed"
}

// chatClosedBy is who ended a chat as the widget is told: the customer, or
// else the contact center ("agent": its agent, or the system when nobody
// took it in time).
func chatClosedBy(by string) string {
	if by == "customer" {
		return "customer"
	}
	return "agent"
}

func validClientID(id string) bool {
	return id != "" && len(id) <= maxClientID && utf8.ValidString(id)
}

// chatMessage turns a stored message into the widget's shape. agent is
// the author's name for an agent's message; the attachment's url opens it
// with the chat's own token.
func (s *Server) chatMessage(site *conversation.Website, token string, m *store.Message, clientID string, agent *chatAgentJSON) chatMessageJSON {
	out := chatMessageJSON{Type: "message", ID: m.ID, Direction: m.Direction, Body: m.Body, CreatedAt: m.CreatedAt,
		Delivery: m.Delivery}
	if m.Direction == "out" {
		out.Agent = agent
	}
	if clientID != "" && m.Direction == "in" {
		out.ClientID = &clientID
	}
	if a := m.Attachment; a != nil {
		q := url.Values{"key": {site.WidgetKey}, "token": {token}}
		out.Attachment = &chatAttachmentJSON{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size,
			URL: s.cfg.BaseURL + "/api/v1/widget/files/" + strconv.FormatInt(a.ID, 10) + "?" + q.Encode()}
	}
	return out
}

// chatEvents are the events a chat's widget follows; anything else of the
// desk (notes, tags, offers, dispositions) never reaches it.
var chatEvents = map[eventlog.Type]bool{
	eventlog.MessageSent: true, eventlog.MessageReceived: true, eventlog.MessageDelivery: true,
	"interaction.assigned": true, "interaction.transfer_accepted": true,
	"interaction.closed": true, "interaction.closed_unmanaged": true,
}

// chatViewer subscribes to one interaction's events for its widget.
func chatViewer(interactionID int64) *realtime.Viewer {
	return &realtime.Viewer{Interaction: interactionID, Match: func(ev eventlog.Event) bool {
		return ev.SubjectType == "interaction" && ev.SubjectID != nil && *ev.SubjectID == interactionID && chatEvents[ev.Type]
	}}
}

// chatSocket is one widget connection.
type chatSocket struct {
	s     *Server
	conn  *websocket.Conn
	ctx   context.Context
	site  *conversation.Website
	chat  *store.ChatSession
	token string
	lang  string
	// sent are the messages already sent (replayed or answered), so the
	// live event of the same message is not sent twice.
	sent map[int64]bool
	// names caches agents' first names.
	names map[int64]string
	// reported is, per state (delivered, read), the highest up_to the
	// widget reported on this connection: states only move forward, so a
	// report that does not go further needs no write.
	reported map[string]int64
}

// widgetSocket is GET /api/v1/widget/ws: origin and token are checked
// before the upgrade, then hello, the messages after ?after=, and the
// chat's events live until it ends. A chat that has ended still opens,
// read-only, to show its history and how it ended.
func (s *Server) widgetSocket(w http.ResponseWriter, r *http.Request) error {
	site, err := s.widgetSite(w, r)
	if err != nil {
		return err
	}
	token := r.URL.Query().Get("token")
	chat, err := s.widgetChat(r, site, token)
	if err != nil {
		return err
	}
	after, err := queryInt(r, "after", 0, 0, 1<<62)
	if err != nil {
		return err
	}
	opts := &websocket.AcceptOptions{}
	if o := r.Header.Get("Origin"); o != "" {
		// widgetSite has allowed it; tell the library so (exactly this
		// origin, its pattern characters escaped).
		opts.OriginPatterns = []string{escapeOriginPattern(o)}
	}
	conn, err := websocket.Accept(w, r, opts)
	if err != nil {
		return nil // Accept has answered
	}
	defer conn.CloseNow()
	conn.SetReadLimit(chatFrameBytes)
	c := &chatSocket{s: s, conn: conn, ctx: s.socketsCtx(r.Context()), site: site, chat: chat, token: token,
		lang: i18n.Match(r.Header.Get("Accept-Language")), sent: map[int64]bool{}, names: map[int64]string{},
		reported: map[string]int64{}}
	c.run(int64(after))
	return nil
}

// escapeOriginPattern quotes the characters path.Match treats specially.
func escapeOriginPattern(o string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(o)
}

func (c *chatSocket) run(after int64) {
	// Subscribe before reading anything, so nothing that happens meanwhile
	// is missed (what is both read and heard is sent once: see sent).
	sub := c.s.hub.Subscribe(chatViewer(c.chat.InteractionID))
	defer c.s.hub.Unsubscribe(sub)
	ping := make(chan struct{}, 1)
	var timer interface{ Stop() bool }
	arm := func() {
		timer = c.s.clock.AfterFunc(chatPing, func() {
			select {
			case ping <- struct{}{}:
			default:
			}
		})
	}
	arm()
	defer func() { timer.Stop() }()

	it, err := c.s.db.Interaction(c.ctx, c.chat.InteractionID)
	if err != nil {
		c.s.log.Error("widget socket", "err", err)
		return
	}
	hello := chatHelloJSON{Type: "hello", Status: chatStatus(it.Status)}
	if it.OwnerID != nil && hello.Status == "open" {
		hello.Agent = c.agent(*it.OwnerID)
	}
	if c.send(hello) != nil || c.replay(after) != nil {
		return
	}
	if hello.Status == "closed" {
		chat, err := c.s.db.ChatOfInteraction(c.ctx, c.chat.InteractionID)
		if err == nil && chat != nil {
			c.chat = chat
		}
		c.end(c.chat.ClosedBy)
		return
	}
	frames := c.readFrames()
	for {
		select {
		case <-c.ctx.Done():
			c.conn.Close(websocket.StatusGoingAway, "server shutting down")
			return
		case <-ping:
			if c.send(map[string]string{"type": "ping"}) != nil {
				return
			}
			arm()
		case ev, ok := <-sub.C:
			if !ok { // fell behind: the widget reconnects and resumes
				c.conn.Close(websocket.StatusTryAgainLater, "too slow, resume")
				return
			}
			if done, err := c.forward(*ev); done || err != nil {
				return
			}
		case raw, ok := <-frames:
			if !ok {
				return
			}
			if c.handle(raw) != nil {
				return
			}
		}
	}
}

// readFrames reads the widget's frames in their own goroutine; the channel
// closes when the connection does.
func (c *chatSocket) readFrames() <-chan []byte {
	out := make(chan []byte)
	go func() {
		defer close(out)
		for {
			typ, b, err := c.conn.Read(c.ctx)
			if err != nil {
				return
			}
			if typ != websocket.MessageText {
				continue
			}
			select {
			case out <- b:
			case <-c.ctx.Done():
				return
			}
		}
	}()
	return out
}

func (c *chatSocket) send(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	return c.conn.Write(ctx, websocket.MessageText, b)
}

// sendError tells the widget why something it sent was refused.
func (c *chatSocket) sendError(err error, clientID string) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		c.s.log.Error("widget socket", "err", err)
		ae = apperr.New(apperr.Internal, "error.internal")
	}
	out := chatErrorJSON{Type: "error", Code: ae.Code, Message: i18n.T(c.lang, ae.Message.Key, ae.Message.Args...)}
	if clientID != "" {
		out.ClientID = &clientID
	}
	return c.send(out)
}

// end sends how the chat ended and closes the socket.
func (c *chatSocket) end(by string) {
	if c.send(chatClosedJSON{Type: "closed", By: chatClosedBy(by)}) == nil {
		c.conn.Close(websocket.StatusNormalClosure, "chat closed")
	}
}

// replay sends the chat's stored messages after a message id (never the
// notes: they are not messages).
func (c *chatSocket) replay(after int64) error {
	for {
		list, err := c.s.db.Messages(c.ctx, c.chat.InteractionID, after, chatReplayPage)
		if err != nil || len(list) == 0 {
			return err
		}
		clientIDs, err := c.s.db.ChatClientIDs(c.ctx, c.chat, after, list[len(list)-1].ID)
		if err != nil {
			return err
		}
		for _, m := range list {
			if err := c.sendMessage(m, clientIDs[m.ID]); err != nil {
				return err
			}
			after = m.ID
		}
	}
}

func (c *chatSocket) sendMessage(m *store.Message, clientID string) error {
	var agent *chatAgentJSON
	if m.Direction == "out" && m.AuthorID != nil {
		agent = c.agent(*m.AuthorID)
	}
	c.sent[m.ID] = true
	return c.send(c.s.chatMessage(c.site, c.token, m, clientID, agent))
}

// agent names an agent as the customer sees him (his first name).
func (c *chatSocket) agent(id int64) *chatAgentJSON {
	if n, ok := c.names[id]; ok {
		return &chatAgentJSON{Name: n}
	}
	p, err := c.s.db.Principal(c.ctx, id)
	if err != nil {
		return nil
	}
	n := webchat.AgentName(p.FullName, p.Username)
	c.names[id] = n
	return &chatAgentJSON{Name: n}
}

// chatEventData is what the widget reads of an event's data.
type chatEventData struct {
	AgentID   *int64         `json:"agent_id"`
	MessageID int64          `json:"message_id"`
	Direction string         `json:"direction"`
	Delivery  string         `json:"delivery"`
	By        string         `json:"by"`
	Message   *store.Message `json:"message"`
}

// forward turns one of the chat's events into its frame; done is true once
// the chat has ended (the socket is then closed).
func (c *chatSocket) forward(ev eventlog.Event) (done bool, err error) {
	var d chatEventData
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		c.s.log.Error("widget socket: event data", "type", ev.Type, "err", err)
		return false, nil
	}
	switch ev.Type {
	case eventlog.MessageSent, eventlog.MessageReceived:
		m := d.Message
		if m == nil || c.sent[m.ID] {
			return false, nil
		}
		clientID := ""
		if m.Direction == "in" {
			ids, err := c.s.db.ChatClientIDs(c.ctx, c.chat, m.ID-1, m.ID)
			if err != nil {
				return false, err
			}
			clientID = ids[m.ID]
		}
		return false, c.sendMessage(m, clientID)
	case eventlog.MessageDelivery:
		if d.Direction != "in" { // the widget itself reported the agent's messages
			return false, nil
		}
		return false, c.send(chatDeliveryJSON{Type: "delivery", ID: d.MessageID, Delivery: d.Delivery})
	case "interaction.assigned", "interaction.transfer_accepted":
		if d.AgentID == nil {
			return false, nil
		}
		if a := c.agent(*d.AgentID); a != nil {
			return false, c.send(chatJoinedJSON{Type: "agent_joined", Agent: *a})
		}
		return false, nil
	case "interaction.closed", "interaction.closed_unmanaged":
		c.end(d.By)
		return true, nil
	}
	return false, nil
}

// handle acts on one frame from the widget. Only a failure to answer ends
// the socket; a refused frame gets an error frame.
func (c *chatSocket) handle(raw []byte) error {
	var f chatFrameIn
	if err := json.Unmarshal(raw, &f); err != nil {
		return c.sendError(apperr.New(apperr.Invalid, "widget.bad_frame"), "")
	}
	switch f.Type {
	case "message":
		return c.receive(f)
	case "delivered", "read":
		if f.UpTo <= 0 {
			return c.sendError(apperr.Field("up_to", "number.range", 1, int64(1<<62)), "")
		}
		if f.UpTo <= c.reported[f.Type] {
			return nil
		}
		if _, err := c.s.db.MarkDeliveredUpTo(c.ctx, c.chat.InteractionID, "out", f.UpTo, f.Type); err != nil {
			return c.sendError(err, "")
		}
		c.reported[f.Type] = f.UpTo
		return nil
	case "close":
		// The close's own event ends the socket (closed, by customer).
		if err := c.s.acd.CloseByCustomer(c.ctx, c.chat.InteractionID); err != nil {
			return c.sendError(err, "")
		}
		return nil
	}
	return c.sendError(apperr.New(apperr.Invalid, "widget.bad_frame"), "")
}

// receive stores a customer's text once per client id and answers with
// the stored message (that is the acknowledgement).
func (c *chatSocket) receive(f chatFrameIn) error {
	if !validClientID(f.ClientID) {
		return c.sendError(apperr.New(apperr.Invalid, "widget.message_client_id", maxClientID), "")
	}
	switch {
	case strings.TrimSpace(f.Body) == "":
		return c.sendError(apperr.New(apperr.Invalid, "widget.message_empty"), f.ClientID)
	case utf8.RuneCountInString(f.Body) > maxChatChars:
		return c.sendError(apperr.New(apperr.Invalid, "widget.message_too_long", maxChatChars), f.ClientID)
	}
	if ok, _ := c.s.chatLimits.Messages.Take(strconv.FormatInt(c.chat.ID, 10)); !ok {
		return c.sendError(apperr.New(apperr.RateLimited, "widget.rate_limited"), f.ClientID)
	}
	m, _, err := c.s.db.ReceiveInbound(c.ctx, store.Inbound{InteractionID: c.chat.InteractionID, Body: f.Body,
		ProviderID: store.ChatProviderID(c.chat.ID, f.ClientID)})
	if apperr.Is(err, apperr.Conflict) {
		return c.sendError(apperr.New(apperr.Conflict, "widget.chat_closed"), f.ClientID)
	}
	if err != nil {
		return c.sendError(err, f.ClientID)
	}
	return c.sendMessage(m, f.ClientID)
}
