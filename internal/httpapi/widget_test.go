package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

const shopOrigin = "https://shop.example.com"

// chatSite is a routing site with a chat website on its queue, embedded
// in shopOrigin; its agents are Mario Rossi and Giulia Bianchi.
type chatSite struct {
	*routingSite
	key    string
	siteID string
}

func newChatSite(t *testing.T, d store.Dialect) *chatSite {
	t.Helper()
	rs := newRoutingSiteOn(t, d)
	rs.admin.Do("PATCH", "/api/v1/agents/"+rs.marioID, map[string]any{"full_name": "Mario Rossi"}).Expect(t, 200)
	rs.admin.Do("PATCH", "/api/v1/agents/"+rs.giuliaID, map[string]any{"full_name": "Giulia Bianchi"}).Expect(t, 200)
	w := rs.admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Shop", "queue_id": rs.queue["id"],
		"allowed_origins": []string{shopOrigin}}).Expect(t, 201).Map(t)
	return &chatSite{routingSite: rs, key: w["widget_key"].(string), siteID: idOf(w)}
}

// path adds the widget key (and more query) to a widget endpoint.
func (cs *chatSite) path(p string, q url.Values) string {
	if q == nil {
		q = url.Values{}
	}
	q.Set("key", cs.key)
	return "/api/v1/widget/" + p + "?" + q.Encode()
}

// widget sends a request the way the widget's page does: from origin ("":
// no Origin header), with an optional JSON body and headers.
func (cs *chatSite) widget(t *testing.T, method, path, origin string, body any, header http.Header) *apptest.Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
		if header == nil {
			header = http.Header{}
		}
		header.Set("Content-Type", "application/json")
	}
	req, err := http.NewRequest(method, cs.site.Server.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &apptest.Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

func (cs *chatSite) config(t *testing.T, origin string) *apptest.Response {
	t.Helper()
	return cs.widget(t, "GET", cs.path("config", nil), origin, nil, nil)
}

// startChat starts an online chat as Anna and returns its token and
// interaction id.
func (cs *chatSite) startChat(t *testing.T) (token, interactionID string) {
	t.Helper()
	m := cs.widget(t, "POST", cs.path("chats", nil), shopOrigin, map[string]any{"fields": map[string]string{
		"name": "Anna Bianchi", "email": "anna@example.com"}}, nil).Expect(t, 201).Map(t)
	return m["token"].(string), strconv.Itoa(int(m["interaction_id"].(float64)))
}

func (cs *chatSite) dial(t *testing.T, token string, after int64, origin string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	q := url.Values{"token": {token}, "after": {strconv.FormatInt(after, 10)}}
	header := http.Header{}
	if origin != "" {
		header.Set("Origin", origin)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return websocket.Dial(ctx, "ws"+strings.TrimPrefix(cs.site.Server.URL, "http")+cs.path("ws", q),
		&websocket.DialOptions{HTTPHeader: header})
}

func (cs *chatSite) open(t *testing.T, token string, after int64) *chatConn {
	t.Helper()
	conn, _, err := cs.dial(t, token, after, shopOrigin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return &chatConn{t: t, conn: conn}
}

// chatConn is the widget's side of the socket; it keeps every frame it
// read, to check what never arrived.
type chatConn struct {
	t    *testing.T
	conn *websocket.Conn
	seen []map[string]any
}

func (c *chatConn) read() map[string]any {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, b, err := c.conn.Read(ctx)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		c.t.Fatal(err)
	}
	c.seen = append(c.seen, m)
	return m
}

// next reads up to the next frame of a type, passing over pings and
// delivery frames (which the acceptance may send meanwhile) unless asked for.
func (c *chatConn) next(typ string) map[string]any {
	c.t.Helper()
	for {
		m := c.read()
		if m["type"] == typ {
			return m
		}
		if m["type"] != "ping" && m["type"] != "delivery" {
			c.t.Fatalf("want a %s frame, got %v", typ, m)
		}
	}
}

func (c *chatConn) send(v any) {
	c.t.Helper()
	b, _ := json.Marshal(v)
	if err := c.conn.Write(context.Background(), websocket.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
}

// closedByServer waits for the server to close the socket.
func (c *chatConn) closedByServer() {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		if _, b, err := c.conn.Read(ctx); err != nil {
			if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
				c.t.Fatalf("closed with %v", err)
			}
			return
		} else if !strings.Contains(string(b), `"ping"`) {
			c.t.Fatalf("frame after closed: %s", b)
		}
	}
}

func num(v any) int64 { return int64(v.(float64)) }

func TestWidgetConfigFollowsOriginsAndWhoIsOnline(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newChatSite(t, d)
		r := cs.config(t, shopOrigin).Expect(t, 200)
		if r.Header.Get("Access-Control-Allow-Origin") != shopOrigin || !strings.Contains(r.Header.Get("Vary"), "Origin") {
			t.Fatalf("CORS headers %v", r.Header)
		}
		c := r.Map(t)
		att := c["attachments"].(map[string]any)
		if c["title"] != "Chat with us" || c["colour"] != "#2563eb" || c["online"] != false || c["locale"] != "en" ||
			len(c["online_form"].([]any)) != 2 || len(c["offline_form"].([]any)) != 3 ||
			!strings.HasPrefix(c["offline_message"].(string), "We are offline") ||
			att["enabled"] != true || att["max_bytes"] != float64(10<<20) || len(att["types"].([]any)) != 6 {
			t.Fatalf("config %v", c)
		}
		it := cs.widget(t, "GET", cs.path("config", nil), shopOrigin, nil, http.Header{"Accept-Language": {"it-IT,it;q=0.9"}})
		if it.Map(t)["locale"] != "it" {
			t.Fatalf("italian config %s", it.Body)
		}

		// Another site, another scheme, a subdomain: refused, without CORS.
		for _, o := range []string{"https://evil.example", "http://shop.example.com", "https://www.shop.example.com"} {
			r := cs.config(t, o).Expect(t, http.StatusForbidden)
			if r.Map(t)["code"] != "forbidden" || r.Header.Get("Access-Control-Allow-Origin") != "" {
				t.Fatalf("%s: %s %v", o, r.Body, r.Header)
			}
		}
		// No Origin: not a cross-site browser request; no CORS headers.
		if r := cs.config(t, "").Expect(t, 200); r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("CORS without an origin: %v", r.Header)
		}
		// The preflight is answered the same way.
		pre := cs.widget(t, "OPTIONS", cs.path("chats", nil), shopOrigin, nil, http.Header{
			"Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"content-type"}}).Expect(t, 204)
		if pre.Header.Get("Access-Control-Allow-Origin") != shopOrigin || pre.Header.Get("Access-Control-Allow-Methods") != "GET, POST" ||
			!strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
			t.Fatalf("preflight %v", pre.Header)
		}
		cs.widget(t, "OPTIONS", cs.path("files", nil), "https://evil.example", nil, nil).Expect(t, http.StatusForbidden)

		// Unknown key, disabled website, and a website with no origins yet.
		if r := cs.widget(t, "GET", "/api/v1/widget/config?key=nope", shopOrigin, nil, nil).Expect(t, 404); r.Map(t)["code"] != "not_found" {
			t.Fatalf("unknown key %s", r.Body)
		}
		bare := cs.admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Blog"}).Expect(t, 201).Map(t)
		cs.widget(t, "GET", "/api/v1/widget/config?key="+bare["widget_key"].(string), shopOrigin, nil, nil).Expect(t, 403)
		cs.admin.Do("PATCH", "/api/v1/websites/"+cs.siteID, map[string]any{"enabled": false}).Expect(t, 200)
		cs.config(t, shopOrigin).Expect(t, 404)
		cs.admin.Do("PATCH", "/api/v1/websites/"+cs.siteID, map[string]any{"enabled": true}).Expect(t, 200)

		// Online follows an agent of the queue logging in, pausing, resuming.
		online := func() any { return cs.config(t, shopOrigin).Expect(t, 200).Map(t)["online"] }
		cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		if online() != true {
			t.Fatal("offline with Mario logged in")
		}
		cs.mario.Do("POST", "/api/v1/me/pause", map[string]any{}).Expect(t, 200)
		if online() != false {
			t.Fatal("online with Mario paused")
		}
		cs.mario.Do("POST", "/api/v1/me/resume", nil).Expect(t, 200)
		if online() != true {
			t.Fatal("offline after Mario resumed")
		}
		cs.mario.Do("POST", "/api/v1/me/logout", nil).Expect(t, 200)
		if online() != false {
			t.Fatal("online after Mario logged out")
		}
	})
}

func TestWidgetStartsAChatFromTheForm(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newChatSite(t, d)
		cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		start := func(body map[string]any) *apptest.Response {
			return cs.widget(t, "POST", cs.path("chats", nil), shopOrigin, body, nil)
		}
		cases := []struct {
			fields map[string]string
			want   []string
		}{
			{nil, []string{"fields.name", "fields.email"}},
			{map[string]string{"name": "Anna", "email": "not an email"}, []string{"fields.email"}},
			{map[string]string{"name": "Anna", "email": "anna@example.com", "age": "40"}, []string{"fields.age"}},
			{map[string]string{"name": strings.Repeat("a", 1001), "email": "anna@example.com"}, []string{"fields.name"}},
		}
		for _, c := range cases {
			r := start(map[string]any{"fields": c.fields}).Expect(t, 400)
			f := fields(t, r)
			if len(f) != len(c.want) {
				t.Fatalf("%v: fields %v", c.fields, f)
			}
			for _, name := range c.want {
				if f[name] == nil {
					t.Fatalf("%v: fields %v, want %s", c.fields, f, name)
				}
			}
		}
		start(map[string]any{"fields": map[string]string{"name": "Anna", "email": "a@b.it"}, "offline": "yes"}).Expect(t, 400)
		if len(offers(t, cs.mario)) != 0 {
			t.Fatal("a refused form created an interaction")
		}
		// A page on another site cannot start one, even a form post.
		cs.widget(t, "POST", cs.path("chats", nil), "https://evil.example", map[string]any{"fields": map[string]string{
			"name": "Anna", "email": "a@b.it"}}, nil).Expect(t, 403)

		token, id := cs.startChat(t)
		if len(token) < 40 {
			t.Fatalf("token %q", token)
		}
		it := cs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Expect(t, 200).Map(t)
		form, _ := it["form"].(map[string]any)
		if it["status"] != "waiting" || it["channel"] != "chat" || it["contact_name"] != "Anna Bianchi" ||
			idOf(map[string]any{"id": it["account_id"]}) != cs.siteID || it["queue_id"] != cs.queue["id"] ||
			form["email"].(map[string]any)["value"] != "anna@example.com" || form["name"].(map[string]any)["label"] != "Name" {
			t.Fatalf("interaction %v", it)
		}
		if raw := string(cs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Body); strings.Index(raw, `"name":{`) > strings.Index(raw, `"email":{`) {
			t.Fatalf("form not in the form's order: %s", raw)
		}
		if o := offers(t, cs.mario); len(o) != 1 || idOf(map[string]any{"id": o[0].(map[string]any)["interaction_id"]}) != id {
			t.Fatalf("offers %v", o)
		}
		// Other interactions have no form.
		other := cs.newInteraction(t, cs.queue["id"])
		if f := cs.admin.Do("GET", "/api/v1/interactions/"+other, nil).Map(t)["form"]; f != nil {
			t.Fatalf("form of a non-chat %v", f)
		}

		// Without a queue the chat cannot start.
		cs.admin.Do("PATCH", "/api/v1/websites/"+cs.siteID, map[string]any{"queue_id": nil}).Expect(t, 200)
		r := start(map[string]any{"fields": map[string]string{"name": "Anna", "email": "a@b.it"}}).Expect(t, 409)
		if r.Map(t)["code"] != "conflict" || !strings.Contains(r.Map(t)["message"].(string), "queue") {
			t.Fatalf("no queue %s", r.Body)
		}
	})
}

func TestWidgetOfflineFormLeavesAMessageToAnswerLater(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newChatSite(t, d)
		if cs.config(t, shopOrigin).Map(t)["online"] != false {
			t.Fatal("online with nobody logged in")
		}
		start := func(f map[string]string) *apptest.Response {
			return cs.widget(t, "POST", cs.path("chats", nil), shopOrigin, map[string]any{"fields": f, "offline": true}, nil)
		}
		if f := fields(t, start(map[string]string{"name": "Anna", "email": "anna@example.com"}).Expect(t, 400)); f["fields.message"] == nil {
			t.Fatalf("fields %v", f)
		}
		m := start(map[string]string{"name": "Anna", "email": "anna@example.com", "message": "Please call me back"}).Expect(t, 201).Map(t)
		if m["offline"] != true || m["chat_id"] == nil || m["token"] != nil {
			t.Fatalf("offline answer %v", m)
		}
		cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		o := offers(t, cs.mario)
		if len(o) != 1 {
			t.Fatalf("offers %v", o)
		}
		id := idOf(map[string]any{"id": o[0].(map[string]any)["interaction_id"]})
		it := cs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Expect(t, 200).Map(t)
		if it["status"] != "waiting" || it["contact_name"] != "Anna" || it["last_message_direction"] != "in" {
			t.Fatalf("interaction %v", it)
		}
		msgs := listOf(t, cs.admin.Do("GET", "/api/v1/interactions/"+id+"/messages", nil).Expect(t, 200).Map(t))
		if len(msgs) != 1 || msgs[0].(map[string]any)["body"] != "Please call me back" {
			t.Fatalf("messages %v", msgs)
		}
	})
}

func TestWidgetConversationBothWays(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newChatSite(t, d)
		cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		token, id := cs.startChat(t)
		base := "/api/v1/interactions/" + id

		// The handshake checks origin and token before upgrading.
		if _, resp, err := cs.dial(t, token, 0, "https://evil.example"); err == nil || resp == nil || resp.StatusCode != 403 {
			t.Fatalf("foreign origin: %v %v", err, resp)
		}
		if _, resp, err := cs.dial(t, "wrong", 0, shopOrigin); err == nil || resp == nil || resp.StatusCode != 401 {
			t.Fatalf("wrong token: %v %v", err, resp)
		}

		w := cs.open(t, token, 0)
		if h := w.read(); h["type"] != "hello" || h["status"] != "waiting" || h["agent"] != nil {
			t.Fatalf("hello %v", h)
		}
		// The customer writes; a resend of the same client id is stored once.
		w.send(map[string]any{"type": "message", "client_id": "c1", "body": "Hello 👋"})
		first := w.next("message")
		if first["direction"] != "in" || first["body"] != "Hello 👋" || first["client_id"] != "c1" || first["delivery"] != "sent" ||
			first["agent"] != nil || first["attachment"] != nil {
			t.Fatalf("own message %v", first)
		}
		w.send(map[string]any{"type": "message", "client_id": "c1", "body": "Hello 👋"})
		if again := w.next("message"); again["id"] != first["id"] || again["client_id"] != "c1" {
			t.Fatalf("resend %v", again)
		}
		for _, bad := range []map[string]any{
			{"type": "message", "client_id": "c2", "body": "  "},
			{"type": "message", "client_id": "c3", "body": strings.Repeat("x", 5001)},
		} {
			w.send(bad)
			if e := w.next("error"); e["code"] != "invalid" || e["client_id"] != bad["client_id"] {
				t.Fatalf("error %v", e)
			}
		}
		w.send(map[string]any{"type": "message", "body": "no id"})
		if e := w.next("error"); e["code"] != "invalid" {
			t.Fatalf("error %v", e)
		}
		if msgs := listOf(t, cs.admin.Do("GET", base+"/messages", nil).Map(t)); len(msgs) != 1 {
			t.Fatalf("stored %v", msgs)
		}

		// Mario accepts: the customer sees who joined.
		cs.mario.Do("POST", base+"/accept", nil).Expect(t, 200)
		if j := w.next("agent_joined"); j["agent"].(map[string]any)["name"] != "Mario" {
			t.Fatalf("joined %v", j)
		}
		// The desk's delivery marks of the customer's message reach him.
		firstID := num(first["id"])
		if _, err := cs.site.App.DB.MarkDeliveredUpTo(context.Background(), int64(atoi(id)), "in", firstID, "read"); err != nil {
			t.Fatal(err)
		}
		for f := w.next("delivery"); f["delivery"] != "read"; f = w.next("delivery") {
			if num(f["id"]) != firstID {
				t.Fatalf("delivery %v", f)
			}
		}
		// A note stays on the desk; Mario's reply reaches the customer.
		cs.mario.Do("POST", base+"/notes", map[string]any{"body": "VIP customer"}).Expect(t, 201)
		cs.admin.Do("POST", base+"/notes", map[string]any{"body": "Offer a voucher"}).Expect(t, 201)
		reply := cs.mario.Do("POST", base+"/messages", map[string]any{"body": "Hi Anna, how can I help?"}).Expect(t, 201).Map(t)
		got := w.next("message")
		if got["id"] != reply["id"] || got["direction"] != "out" || got["agent"].(map[string]any)["name"] != "Mario" ||
			got["client_id"] != nil || got["delivery"] != "sent" {
			t.Fatalf("reply %v", got)
		}
		for _, f := range w.seen {
			if b, _ := json.Marshal(f); strings.Contains(string(b), "VIP") || strings.Contains(string(b), "voucher") {
				t.Fatalf("a note reached the widget: %s", b)
			}
		}

		// The widget reports the reply shown, then read.
		delivery := func() any {
			for _, m := range listOf(t, cs.mario.Do("GET", base+"/messages", nil).Map(t)) {
				if m := m.(map[string]any); m["id"] == reply["id"] {
					return m["delivery"]
				}
			}
			return nil
		}
		w.send(map[string]any{"type": "delivered", "up_to": reply["id"]})
		waitUntil(t, "the reply delivered", func() bool { return delivery() == "delivered" })
		w.send(map[string]any{"type": "read", "up_to": reply["id"]})
		waitUntil(t, "the reply read", func() bool { return delivery() == "read" })

		// Keep-alive on the site's clock.
		cs.site.Clock.Advance(25 * time.Second)
		if p := w.read(); p["type"] != "ping" {
			t.Fatalf("want a ping, got %v", p)
		}

		// A reconnect resumes after the last message shown; from 0 it has
		// everything, the customer's own messages with their client id.
		r := cs.open(t, token, firstID)
		if h := r.read(); h["status"] != "open" || h["agent"].(map[string]any)["name"] != "Mario" {
			t.Fatalf("hello again %v", h)
		}
		if m := r.read(); m["id"] != reply["id"] || m["delivery"] != "read" {
			t.Fatalf("replayed %v", m)
		}
		all := cs.open(t, token, 0)
		all.read()
		if m := all.read(); m["id"] != first["id"] || m["client_id"] != "c1" || m["delivery"] != "read" {
			t.Fatalf("replayed from 0 %v", m)
		}

		// Mario closes: every socket of the chat hears it and is closed.
		cs.mario.Do("POST", base+"/close", nil).Expect(t, 200)
		for _, c := range []*chatConn{w, r} {
			if f := c.next("closed"); f["by"] != "agent" {
				t.Fatalf("closed %v", f)
			}
			c.closedByServer()
		}
		// After a reload the token still shows the chat and its end.
		z := cs.open(t, token, 0)
		if h := z.read(); h["status"] != "closed" || h["agent"] != nil {
			t.Fatalf("hello closed %v", h)
		}
		z.next("message")
		z.next("message")
		if f := z.next("closed"); f["by"] != "agent" {
			t.Fatalf("closed %v", f)
		}
		z.closedByServer()
	})
}

func TestWidgetCustomerEndsTheChat(t *testing.T) {
	cs := newChatSite(t, store.SQLite)
	cs.admin.Do("PATCH", "/api/v1/agents/"+cs.marioID, map[string]any{"channels": map[string]any{
		"chat": map[string]any{"capacity": 1}}}).Expect(t, 200)
	cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	token, id := cs.startChat(t)
	_, next := cs.startChat(t)
	cs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	if o := offers(t, cs.mario); len(o) != 0 {
		t.Fatalf("offered beyond capacity %v", o)
	}
	desk, _, err := dialWS(t, cs.site, cs.mario, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.CloseNow()
	readWS(t, desk)

	w := cs.open(t, token, 0)
	w.next("hello")
	w.send(map[string]any{"type": "close"})
	if f := w.next("closed"); f["by"] != "customer" {
		t.Fatalf("closed %v", f)
	}
	w.closedByServer()

	// Mario's desktop hears it was the customer, and his capacity is free
	// again: the next chat is offered to him.
	var ev wsMsg
	for ev.Event != "interaction.closed" {
		ev = readWS(t, desk)
	}
	if !strings.Contains(string(ev.Data), `"by":"customer"`) {
		t.Fatalf("close event %s", ev.Data)
	}
	if it := cs.mario.Do("GET", "/api/v1/interactions/"+id, nil).Expect(t, 200).Map(t); it["status"] != "closed" {
		t.Fatalf("interaction %v", it)
	}
	if o := offers(t, cs.mario); len(o) != 1 || idOf(map[string]any{"id": o[0].(map[string]any)["interaction_id"]}) != next {
		t.Fatalf("offers after the customer left %v", o)
	}
	// Nothing more can be sent to the ended chat.
	z := cs.open(t, token, 0)
	if h := z.read(); h["status"] != "closed" {
		t.Fatalf("hello %v", h)
	}
	if f := z.next("closed"); f["by"] != "customer" {
		t.Fatalf("closed %v", f)
	}
	r := cs.widget(t, "POST", cs.path("files", nil), shopOrigin, nil, http.Header{"Authorization": {"Bearer " + token}})
	if r.Expect(t, 409); r.Map(t)["code"] != "conflict" {
		t.Fatalf("upload to an ended chat %s", r.Body)
	}

	// A waiting chat can be left too; the agent cannot close it twice.
	token2, id2 := cs.startChat(t)
	w2 := cs.open(t, token2, 0)
	w2.next("hello")
	w2.send(map[string]any{"type": "close"})
	w2.next("closed")
	if it := cs.admin.Do("GET", "/api/v1/interactions/"+id2, nil).Map(t); it["status"] != "closed" {
		t.Fatalf("waiting chat after close %v", it)
	}
}

func TestWidgetRateLimitsReopenWithTime(t *testing.T) {
	cs := newChatSite(t, store.SQLite)
	for i := 0; i < 30; i++ {
		cs.config(t, shopOrigin).Expect(t, 200)
	}
	r := cs.config(t, shopOrigin).Expect(t, 429)
	if r.Map(t)["code"] != "rate_limited" || r.Header.Get("Retry-After") != "2" || r.Header.Get("Access-Control-Allow-Origin") != shopOrigin {
		t.Fatalf("over the limit %s %v", r.Body, r.Header)
	}
	cs.site.Clock.Advance(2 * time.Second)
	cs.config(t, shopOrigin).Expect(t, 200)
	cs.config(t, shopOrigin).Expect(t, 429)

	var token string
	for i := 0; i < 5; i++ {
		token, _ = cs.startChat(t)
	}
	body := map[string]any{"fields": map[string]string{"name": "Anna", "email": "a@b.it"}}
	r = cs.widget(t, "POST", cs.path("chats", nil), shopOrigin, body, nil).Expect(t, 429)
	if r.Header.Get("Retry-After") != "120" {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	cs.site.Clock.Advance(2 * time.Minute)
	cs.widget(t, "POST", cs.path("chats", nil), shopOrigin, body, nil).Expect(t, 201)

	// 20 messages per 10 seconds per chat; over that, nothing is stored.
	w := cs.open(t, token, 0)
	w.next("hello")
	for i := 0; i < 20; i++ {
		w.send(map[string]any{"type": "message", "client_id": "m" + strconv.Itoa(i), "body": "hi"})
		w.next("message")
	}
	w.send(map[string]any{"type": "message", "client_id": "m20", "body": "hi"})
	if e := w.next("error"); e["code"] != "rate_limited" || e["client_id"] != "m20" {
		t.Fatalf("error %v", e)
	}
	cs.site.Clock.Advance(500 * time.Millisecond)
	w.send(map[string]any{"type": "message", "client_id": "m20", "body": "hi"})
	if m := w.next("message"); m["client_id"] != "m20" {
		t.Fatalf("after the wait %v", m)
	}
}

func pngOf(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// multipartFile is a body with a file part (and a client_id when given).
func multipartFile(t *testing.T, name string, data []byte, clientID string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	if clientID != "" {
		mw.WriteField("client_id", clientID)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func TestWidgetFilesFollowTheWebsitesRules(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newChatSite(t, d)
		cs.admin.Do("PATCH", "/api/v1/websites/"+cs.siteID, map[string]any{"max_attachment_mb": 1}).Expect(t, 200)
		cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		token, id := cs.startChat(t)
		w := cs.open(t, token, 0)
		w.next("hello")
		send := func(name string, data []byte, clientID, tok string) *apptest.Response {
			body, ct := multipartFile(t, name, data, clientID)
			return cs.widget(t, "POST", cs.path("files", nil), shopOrigin, body,
				http.Header{"Content-Type": {ct}, "Authorization": {"Bearer " + tok}})
		}
		stored := func() int {
			return len(listOf(t, cs.admin.Do("GET", "/api/v1/interactions/"+id+"/messages", nil).Map(t)))
		}

		send("big.txt", bytes.Repeat([]byte("a"), 1<<20+1), "", token).Expect(t, 413)
		if f := fields(t, send("invoice.pdf", []byte{0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0xff, 0xfe}, "", token).Expect(t, 400)); f["file"] == nil {
			t.Fatalf("fields %v", f)
		}
		send("a.png", pngOf(t), "", "not-the-token").Expect(t, 401)
		if stored() != 0 {
			t.Fatal("a refused file was stored")
		}

		r := send("photo.png", pngOf(t), "f1", token).Expect(t, 201)
		if r.Header.Get("Access-Control-Allow-Origin") != shopOrigin {
			t.Fatalf("CORS %v", r.Header)
		}
		m := r.Map(t)
		att := m["attachment"].(map[string]any)
		if m["type"] != "message" || m["direction"] != "in" || m["client_id"] != "f1" || att["name"] != "photo.png" ||
			att["content_type"] != "image/png" || !strings.Contains(att["url"].(string), "/api/v1/widget/files/") {
			t.Fatalf("upload answer %v", m)
		}
		if f := w.next("message"); f["id"] != m["id"] || f["client_id"] != "f1" || f["attachment"] == nil {
			t.Fatalf("socket %v", f)
		}
		// The same client id again stores nothing more.
		if again := send("photo.png", pngOf(t), "f1", token).Expect(t, 201).Map(t); again["id"] != m["id"] || stored() != 1 {
			t.Fatalf("resend %v", again)
		}

		// The customer opens it with the url he was given (a link: no Origin).
		u, _ := url.Parse(att["url"].(string))
		dl := cs.widget(t, "GET", u.RequestURI(), "", nil, nil).Expect(t, 200)
		if !bytes.Equal(dl.Body, pngOf(t)) || dl.Header.Get("Content-Type") != "image/png" || dl.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download %d bytes %v", len(dl.Body), dl.Header)
		}
		// Another chat's token does not open it.
		other, _ := cs.startChat(t)
		q := u.Query()
		q.Set("token", other)
		cs.widget(t, "GET", u.Path+"?"+q.Encode(), "", nil, nil).Expect(t, 404)

		// Attachments off: refused before anything is read.
		cs.admin.Do("PATCH", "/api/v1/websites/"+cs.siteID, map[string]any{"attachments_enabled": false}).Expect(t, 200)
		if r := send("photo.png", pngOf(t), "", token).Expect(t, 403); r.Map(t)["code"] != "forbidden" {
			t.Fatalf("attachments off %s", r.Body)
		}
		if stored() != 1 {
			t.Fatal("stored with attachments off")
		}
	})
}

func TestWidgetHearsWhoTakesOverAfterATransfer(t *testing.T) {
	cs := newChatSite(t, store.SQLite)
	cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	token, id := cs.startChat(t)
	w := cs.open(t, token, 0)
	w.next("hello")
	cs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	w.next("agent_joined")
	cs.giula.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	cs.mario.Do("POST", "/api/v1/interactions/"+id+"/transfer", map[string]any{"agent_id": atoi(cs.giuliaID)}).Expect(t, 200)
	cs.giula.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	if j := w.next("agent_joined"); j["agent"].(map[string]any)["name"] != "Giulia" {
		t.Fatalf("joined %v", j)
	}
	// The new owner's replies carry her name.
	cs.giula.Do("POST", "/api/v1/interactions/"+id+"/messages", map[string]any{"body": "Giulia here"}).Expect(t, 201)
	if m := w.next("message"); m["agent"].(map[string]any)["name"] != "Giulia" {
		t.Fatalf("reply %v", m)
	}
}
