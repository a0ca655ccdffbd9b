package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// graphSends plays the Graph API's messages and message_templates
// endpoints: it checks the access token, keeps each message request, and
// answers the first len(fail) sends with those statuses.
type graphSends struct {
	srv  *httptest.Server
	mu   sync.Mutex
	sent []map[string]any
	fail []int
}

func newGraphSends(t *testing.T) *graphSends {
	g := &graphSends{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v21.0/111/messages", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+waToken || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		g.mu.Lock()
		defer g.mu.Unlock()
		if len(g.fail) > 0 {
			status := g.fail[0]
			g.fail = g.fail[1:]
			w.WriteHeader(status)
			if status == http.StatusBadRequest {
				fmt.Fprint(w, `{"error":{"message":"(#131026) Message undeliverable","type":"OAuthException","code":131026}}`)
			}
			return
		}
		g.sent = append(g.sent, body)
		fmt.Fprintf(w, `{"messaging_product":"whatsapp","contacts":[{"input":%q,"wa_id":%q}],"messages":[{"id":"wamid.OUT%d"}]}`,
			body["to"], body["to"], len(g.sent))
	})
	mux.HandleFunc("GET /v21.0/222/message_templates", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+waToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `{"data":[{"id":"9001","name":"order_update","language":"it","category":"UTILITY","status":"APPROVED",
			"components":[{"type":"BODY","text":"Ciao {{1}}, il tuo ordine {{2}} è partito."}]},
			{"id":"9002","name":"summer_sale","language":"it","category":"MARKETING","status":"REJECTED",
			"components":[{"type":"BODY","text":"Saldi!"}]}],"paging":{"cursors":{"before":"a","after":"b"}}}`)
	})
	g.srv = httptest.NewServer(mux)
	t.Cleanup(g.srv.Close)
	return g
}

func (g *graphSends) sends() []map[string]any {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]map[string]any(nil), g.sent...)
}

// outboundSite is a WhatsApp site whose account sends to a fake Graph API.
type outboundSite struct {
	*waSite
	graph *graphSends
}

func newOutboundSite(t *testing.T, d store.Dialect) *outboundSite {
	t.Helper()
	ws := newWASite(t, d, whatsapp.Meta)
	g := newGraphSends(t)
	ws.admin.Do("PATCH", "/api/v1/whatsapp-accounts/"+idOf(ws.account), map[string]any{"api_base_url": g.srv.URL}).Expect(t, 200)
	return &outboundSite{waSite: ws, graph: g}
}

// metaNotify posts a signed Cloud API notification to the account's webhook.
func (ob *outboundSite) metaNotify(t *testing.T, value string) {
	t.Helper()
	body := `{"object":"whatsapp_business_account","entry":[{"id":"222","changes":[{"field":"messages","value":{
		"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"111"},` + value + `}}]}]}`
	if status := ob.meta(t, []byte(body), waAppSecret); status != http.StatusOK {
		t.Fatalf("webhook: %d", status)
	}
}

// customerWrites is the customer's message arriving by webhook.
func (ob *outboundSite) customerWrites(t *testing.T, id, text string) {
	t.Helper()
	if status := ob.meta(t, metaMessages(metaText(id, waCustomer, text)), waAppSecret); status != http.StatusOK {
		t.Fatalf("webhook: %d", status)
	}
}

func (ob *outboundSite) status(t *testing.T, id, state string) {
	t.Helper()
	ob.metaNotify(t, fmt.Sprintf(`"statuses":[{"id":%q,"status":%q,"timestamp":"1795251700","recipient_id":%q}]`, id, state, waCustomer))
}

// marioOwnsTheConversation: the customer writes, Mario accepts.
func (ob *outboundSite) marioOwnsTheConversation(t *testing.T) string {
	t.Helper()
	ob.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	ob.customerWrites(t, "wamid.IN1", "Hello, where is my order?")
	its := ob.whatsappInteractions(t)
	if len(its) != 1 {
		t.Fatalf("interactions %v", its)
	}
	id := idOf(its[0])
	ob.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	return id
}

func (ob *outboundSite) messageNamed(t *testing.T, interactionID, body string) map[string]any {
	t.Helper()
	for _, m := range ob.messages(t, interactionID) {
		if m["body"] == body {
			return m
		}
	}
	t.Fatalf("no message %q", body)
	return nil
}

// signInAgain signs everyone in again after the clock jumped past their
// sessions' idle time.
func (ob *outboundSite) signInAgain() {
	ob.admin.Login("admin", apptest.AdminPassword)
	ob.mario.Login("mario", "Agent-Pass22")
	ob.giulia.Login("giulia", "Agent-Pass22")
}

// waitFor waits for the outbox worker's goroutine (the clock stands still).
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (ob *outboundSite) deliveryIs(t *testing.T, interactionID, body, state string) {
	t.Helper()
	waitFor(t, body+" "+state, func() bool { return ob.messageNamed(t, interactionID, body)["delivery"] == state })
}

func TestWhatsAppReplyGoesOutThroughTheOutboxAndItsCheckmarksFollowTheStatuses(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ob := newOutboundSite(t, d)
		id := ob.marioOwnsTheConversation(t)
		base := "/api/v1/interactions/" + id
		it := ob.mario.Do("GET", base, nil).Expect(t, 200).Map(t)
		if it["window_expires_at"] != ob.site.Clock.Now().Add(24*time.Hour).Format(time.RFC3339) {
			t.Fatalf("window_expires_at %v", it["window_expires_at"])
		}
		inbound := ob.messageNamed(t, id, "Hello, where is my order?")

		m := ob.mario.Do("POST", base+"/messages", map[string]any{"body": "It left today.", "reply_to": inbound["id"]}).Expect(t, 201).Map(t)
		if m["delivery"] != "pending" {
			t.Fatalf("a fresh reply is %v", m["delivery"])
		}
		ob.deliveryIs(t, id, "It left today.", "sent")
		sent := ob.graph.sends()
		if len(sent) != 1 || sent[0]["to"] != waCustomer || sent[0]["type"] != "text" ||
			sent[0]["text"].(map[string]any)["body"] != "It left today." ||
			sent[0]["context"].(map[string]any)["message_id"] != "wamid.IN1" {
			t.Fatalf("sent %v", sent)
		}

		// Out of order: read before delivered; the late one changes nothing.
		ob.status(t, "wamid.OUT1", "read")
		ob.status(t, "wamid.OUT1", "delivered")
		ob.deliveryIs(t, id, "It left today.", "read")
		// A status for a message this site never sent is kept aside, harmless.
		ob.status(t, "wamid.SOMEONE-ELSE", "delivered")
		if n := len(ob.graph.sends()); n != 1 {
			t.Fatalf("%d sends", n)
		}
	})
}

func TestWhatsAppSendsFailingWith5xxAreRetriedAndA4xxIsShownToTheAgent(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ob := newOutboundSite(t, d)
		id := ob.marioOwnsTheConversation(t)
		base := "/api/v1/interactions/" + id
		worker := ob.site.App.Outbox
		ob.graph.mu.Lock()
		ob.graph.fail = []int{500, 503}
		ob.graph.mu.Unlock()
		ob.mario.Do("POST", base+"/messages", map[string]any{"body": "First try"}).Expect(t, 201)
		start := ob.site.Clock.Now()
		for _, at := range []time.Duration{5 * time.Second, 15 * time.Second} { // 5 s, then 10 s more
			waitFor(t, "the retry timer", func() bool { w, ok := worker.WakesAt(); return ok && w.Equal(start.Add(at)) })
			if got := ob.messageNamed(t, id, "First try")["delivery"]; got != "pending" {
				t.Fatalf("while retrying: %v", got)
			}
			ob.site.Clock.Set(start.Add(at))
		}
		ob.deliveryIs(t, id, "First try", "sent")
		if n := len(ob.graph.sends()); n != 1 {
			t.Fatalf("accepted %d times", n)
		}

		ob.graph.mu.Lock()
		ob.graph.fail = []int{400}
		ob.graph.mu.Unlock()
		ob.mario.Do("POST", base+"/messages", map[string]any{"body": "Refused"}).Expect(t, 201)
		ob.deliveryIs(t, id, "Refused", "failed")
		if got := ob.messageNamed(t, id, "Refused")["delivery_error"]; got != "(#131026) Message undeliverable (#131026)" {
			t.Fatalf("delivery_error %v", got)
		}
	})
}

func TestWhatsAppAfterTheWindowOnlyTemplatesGoOut(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ob := newOutboundSite(t, d)
		id := ob.marioOwnsTheConversation(t)
		base := "/api/v1/interactions/" + id
		acc := "/api/v1/whatsapp-accounts/" + idOf(ob.account)

		// The admin syncs the templates and makes one available to agents.
		synced := ob.admin.Do("POST", acc+"/templates/sync", nil).Expect(t, 200).Map(t)
		items := synced["items"].([]any)
		if synced["synced"] != float64(2) || len(items) != 2 {
			t.Fatalf("synced %v", synced)
		}
		var order map[string]any
		for _, x := range items {
			if x.(map[string]any)["name"] == "order_update" {
				order = x.(map[string]any)
			}
		}
		if order["parameter_count"] != float64(2) || order["status"] != "approved" || order["available_for_agents"] != false {
			t.Fatalf("template %v", order)
		}
		if got := listOf(t, ob.mario.Do("GET", base+"/templates", nil).Expect(t, 200).Map(t)); len(got) != 0 {
			t.Fatalf("agents see a template nobody made available: %v", got)
		}
		ob.admin.Do("PATCH", acc+"/templates/"+idOf(order), map[string]any{"available_for_agents": true}).Expect(t, 200)
		ob.mario.Do("GET", acc+"/templates", nil).Expect(t, 403)
		f := fields(t, ob.admin.Do("POST", acc+"/templates", map[string]any{"name": "Bad name", "language": "it", "body": "Hi {{2}}"}).Expect(t, 400))
		if f["name"] == nil || f["body"] == nil {
			t.Fatalf("fields %v", f)
		}

		// 24 hours after the customer's message, free text is refused.
		ob.site.Clock.Advance(24*time.Hour + time.Second)
		ob.signInAgain()
		r := ob.mario.Do("POST", base+"/messages", map[string]any{"body": "Still there?"}).Expect(t, 409).Map(t)
		if r["code"] != "whatsapp.window_expired" {
			t.Fatalf("refusal %v", r)
		}
		tmpls := listOf(t, ob.mario.Do("GET", base+"/templates", nil).Expect(t, 200).Map(t))
		if len(tmpls) != 1 {
			t.Fatalf("agent templates %v", tmpls)
		}
		f = fields(t, ob.mario.Do("POST", base+"/template", map[string]any{"template_id": order["id"], "parameters": []string{"Anna"}}).Expect(t, 400))
		if f["parameters"] == nil {
			t.Fatalf("fields %v", f)
		}
		m := ob.mario.Do("POST", base+"/template", map[string]any{"template_id": order["id"], "parameters": []string{"Anna", "A-17"}}).
			Expect(t, 201).Map(t)
		if m["body"] != "Ciao Anna, il tuo ordine A-17 è partito." || m["delivery"] != "pending" {
			t.Fatalf("template message %v", m)
		}
		ob.deliveryIs(t, id, "Ciao Anna, il tuo ordine A-17 è partito.", "sent")
		sent := ob.graph.sends()
		tpl, _ := sent[len(sent)-1]["template"].(map[string]any)
		if sent[len(sent)-1]["type"] != "template" || tpl["name"] != "order_update" {
			t.Fatalf("sent %v", sent)
		}
		// The customer answers: the window opens again.
		ob.customerWrites(t, "wamid.IN2", "Thanks!")
		ob.mario.Do("POST", base+"/messages", map[string]any{"body": "You're welcome."}).Expect(t, 201)
	})
}

func TestWhatsAppOutboundCheckAppliesEveryScenario(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ob := newOutboundSite(t, d)
		acc := ob.account["id"]
		// New customers become contacts of the account's list.
		list := ob.admin.Do("POST", "/api/v1/lists", map[string]any{"name": "WhatsApp customers"}).Expect(t, 201).Map(t)
		ob.admin.Do("PATCH", "/api/v1/whatsapp-accounts/"+idOf(ob.account), map[string]any{"default_list_id": list["id"],
			"create_contacts": true}).Expect(t, 200)
		ob.admin.Do("POST", "/api/v1/whatsapp-accounts/"+idOf(ob.account)+"/templates", map[string]any{"name": "recontact",
			"language": "it", "body": "Ciao {{1}}, possiamo aiutarti?", "available_for_agents": true}).Expect(t, 201)

		// Unknown number, never wrote: a template, no contact.
		got := ob.mario.Do("POST", "/api/v1/whatsapp/outbound/check", map[string]any{"account_id": acc, "number": "+39 347 000 1111"}).
			Expect(t, 200).Map(t)
		if got["number"] != "+393470001111" || got["contact"] != nil || got["send"] != "template" || len(got["templates"].([]any)) != 1 ||
			got["interaction_id"] != nil {
			t.Fatalf("unknown number %v", got)
		}

		// Mario talks with the customer: for him, free text in his own conversation…
		id := ob.marioOwnsTheConversation(t)
		got = ob.mario.Do("POST", "/api/v1/whatsapp/outbound/check", map[string]any{"account_id": acc, "number": waCustomer}).
			Expect(t, 200).Map(t)
		if got["send"] != "text" || idOf(map[string]any{"id": got["interaction_id"]}) != id || got["contact"] == nil {
			t.Fatalf("own conversation %v", got)
		}
		// …while Giulia is told who has him.
		r := ob.giulia.Do("POST", "/api/v1/whatsapp/outbound/check", map[string]any{"account_id": acc, "number": waCustomer}).
			Expect(t, 409).Map(t)
		if !strings.Contains(r["message"].(string), "Agent mario") {
			t.Fatalf("busy %v", r)
		}

		// Closed, and a day later: the contact is known, the window expired.
		ob.mario.Do("POST", "/api/v1/interactions/"+id+"/close", map[string]any{}).Expect(t, 200)
		ob.site.Clock.Advance(25 * time.Hour)
		ob.signInAgain()
		got = ob.giulia.Do("POST", "/api/v1/whatsapp/outbound/check", map[string]any{"account_id": acc, "number": waCustomer}).
			Expect(t, 200).Map(t)
		if got["send"] != "template" || got["contact"] == nil || got["interaction_id"] != nil || got["window_expires_at"] == nil {
			t.Fatalf("known, expired %v", got)
		}

		// He writes again and waits in the queue: nobody starts another conversation.
		ob.customerWrites(t, "wamid.IN3", "Hello again")
		ob.giulia.Do("POST", "/api/v1/whatsapp/outbound/check", map[string]any{"account_id": acc, "number": waCustomer}).Expect(t, 409)

		// Bad input names the field; an account outside his queues is refused.
		f := fields(t, ob.mario.Do("POST", "/api/v1/whatsapp/outbound/check", map[string]any{"account_id": 0, "number": "call me"}).Expect(t, 400))
		if f["account_id"] == nil || f["number"] == nil {
			t.Fatalf("fields %v", f)
		}
		f = fields(t, ob.mario.Do("POST", "/api/v1/whatsapp/outbound/check", map[string]any{"account_id": 999, "number": waCustomer}).Expect(t, 400))
		if f["account_id"] == nil {
			t.Fatalf("fields %v", f)
		}
		ob.admin.Do("PUT", "/api/v1/agents/"+ob.giuID+"/queues", map[string]any{"queue_ids": []any{}}).Expect(t, 200)
		ob.giulia.Do("POST", "/api/v1/whatsapp/outbound/check", map[string]any{"account_id": acc, "number": "+393470001111"}).Expect(t, 403)
	})
}

func TestWhatsAppFilesForTwilioAreServedOnlyBySignedUnexpiredLinks(t *testing.T) {
	ob := newOutboundSite(t, store.SQLite)
	id := ob.marioOwnsTheConversation(t)
	file := ob.mario.DoRaw("POST", "/api/v1/interactions/"+id+"/attachments", "multipart/form-data; boundary=XX",
		[]byte("--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XX--\r\n")).
		Expect(t, 201).Map(t)
	att := file["attachment"].(map[string]any)
	link := ob.site.App.HTTP.MediaURL(int64(att["id"].(float64)))
	path := strings.TrimPrefix(link, waBaseURL)
	anon := ob.site.Client(t)
	if body := anon.Do("GET", path, nil).Expect(t, 200).Body; string(body) != "hello" {
		t.Fatalf("file %q", body)
	}
	anon.Do("GET", strings.Replace(path, "sig=", "sig=0", 1), nil).Expect(t, 404)
	ob.site.Clock.Advance(2 * time.Hour)
	anon.Do("GET", path, nil).Expect(t, 404)
}
