package httpapi_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
	"github.com/switchboard-cc/switchboard/internal/transcript/transcripttest"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

const (
	waBaseURL    = "http://cc.example.com" // the site's public address Twilio signs
	waAppSecret  = "meta-app-secret"
	waToken      = "meta-access-token"
	waVerify     = "verify-me"
	waTwilioSID  = "AC0123456789abcdef0123456789abcdef"
	waTwilioAuth = "twilio-auth-token"
	waCustomer   = "393331234567"
)

// fakeProvider plays the Graph API's media endpoints and Twilio's media
// URLs. Files are served by name: "flaky" fails with 500 the first time,
// "gone" is 404.
type fakeProvider struct {
	srv   *httptest.Server
	mu    sync.Mutex
	files map[string][]byte
	calls map[string]int
}

func newFakeProvider(t *testing.T) *fakeProvider {
	f := &fakeProvider{files: map[string][]byte{}, calls: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v21.0/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+waToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		id := r.PathValue("id")
		json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp", "id": id,
			"url": f.srv.URL + "/media/" + id, "mime_type": "image/png", "file_size": len(f.files[id])})
	})
	serve := func(w http.ResponseWriter, id string) {
		f.mu.Lock()
		f.calls[id]++
		n := f.calls[id]
		f.mu.Unlock()
		switch {
		case id == "gone":
			w.WriteHeader(http.StatusNotFound)
		case id == "flaky" && n == 1:
			w.WriteHeader(http.StatusInternalServerError)
		default:
			w.Write(f.files[id])
		}
	}
	mux.HandleFunc("GET /media/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+waToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		serve(w, r.PathValue("id"))
	})
	mux.HandleFunc("GET /2010-04-01/Accounts/{sid}/Messages/{msg}/Media/{id}", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != waTwilioSID || p != waTwilioAuth || r.PathValue("sid") != waTwilioSID {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		serve(w, r.PathValue("id"))
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// waSite is a site with a WhatsApp queue (ring-all), two agents in it
// with a WhatsApp capacity of 1, and a WhatsApp account on it.
type waSite struct {
	site           *apptest.Site
	admin          *apptest.Client
	mario, giulia  *apptest.Client
	queueID        float64
	account        map[string]any
	provider       *fakeProvider
	marioID, giuID string
}

func newWASite(t *testing.T, d store.Dialect, provider string) *waSite {
	t.Helper()
	site := apptest.Start(t, apptest.Options{Dialect: d, Env: map[string]string{"SWITCHBOARD_BASE_URL": waBaseURL}})
	ws := &waSite{site: site, admin: site.Admin(t), provider: newFakeProvider(t)}
	q := ws.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "WhatsApp sales", "channel": "whatsapp",
		"strategy": "ring_all", "agent_timeout": 30}).Expect(t, 201).Map(t)
	ws.queueID = q["id"].(float64)
	for _, name := range []string{"mario", "giulia"} {
		a := createAgent(t, ws.admin, name, "")
		ws.admin.Do("PUT", "/api/v1/agents/"+idOf(a)+"/queues", map[string]any{"queue_ids": []any{q["id"]}}).Expect(t, 200)
		ws.admin.Do("PATCH", "/api/v1/agents/"+idOf(a), map[string]any{
			"channels": map[string]any{"whatsapp": map[string]any{"capacity": 1}}}).Expect(t, 200)
		c := site.Client(t)
		changeFirstPassword(t, c, name, "Agent-Pass22")
		if name == "mario" {
			ws.mario, ws.marioID = c, idOf(a)
		} else {
			ws.giulia, ws.giuID = c, idOf(a)
		}
	}
	body := map[string]any{"name": "WhatsApp IT", "queue_id": q["id"], "provider": provider,
		"api_base_url": ws.provider.srv.URL}
	if provider == whatsapp.Meta {
		for k, v := range map[string]any{"phone_number": "+15550001111", "phone_number_id": "111",
			"business_account_id": "222", "access_token": waToken, "app_secret": waAppSecret, "verify_token": waVerify} {
			body[k] = v
		}
	} else {
		for k, v := range map[string]any{"phone_number": "+15550002222", "account_sid": waTwilioSID, "auth_token": waTwilioAuth} {
			body[k] = v
		}
	}
	ws.account = ws.admin.Do("POST", "/api/v1/whatsapp-accounts", body).Expect(t, 201).Map(t)
	return ws
}

func (ws *waSite) hookPath() string {
	return "/api/v1/webhooks/whatsapp/" + ws.account["webhook_key"].(string)
}

// post sends a webhook the way a provider does: no cookie, no CSRF token.
func (ws *waSite) post(t *testing.T, path, contentType string, body []byte, header http.Header) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", ws.site.Server.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// meta posts a Cloud API notification signed with secret ("" : unsigned).
func (ws *waSite) meta(t *testing.T, body []byte, secret string) int {
	t.Helper()
	h := http.Header{}
	if secret != "" {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		h.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	}
	return ws.post(t, ws.hookPath(), "application/json", body, h).StatusCode
}

// twilio posts a signed Twilio form (signature "" : unsigned).
func (ws *waSite) twilio(t *testing.T, form url.Values, token string) int {
	t.Helper()
	h := http.Header{}
	if token != "" {
		h.Set("X-Twilio-Signature", whatsapp.TwilioSignature(token, waBaseURL+ws.hookPath(), form))
	}
	return ws.post(t, ws.hookPath(), "application/x-www-form-urlencoded", []byte(form.Encode()), h).StatusCode
}

// metaMessages wraps messages (JSON objects) in a Cloud API notification
// from the test customer, named Anna Rossi.
func metaMessages(msgs ...string) []byte {
	return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"222","changes":[{"field":"messages","value":{
		"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"111"},
		"contacts":[{"profile":{"name":"Anna Rossi"},"wa_id":"` + waCustomer + `"}],"messages":[` + strings.Join(msgs, ",") + `]}}]}]}`)
}

func metaText(id, from, text string) string {
	return fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"1795251600","type":"text","text":{"body":%q}}`, from, id, text)
}

// whatsappInteractions lists the WhatsApp interactions as the admin sees them.
func (ws *waSite) whatsappInteractions(t *testing.T) []map[string]any {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	ws.admin.Do("GET", "/api/v1/interactions?channel=whatsapp&order=asc", nil).Expect(t, 200).JSON(t, &page)
	return page.Items
}

func (ws *waSite) messages(t *testing.T, interactionID string) []map[string]any {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	ws.admin.Do("GET", "/api/v1/interactions/"+interactionID+"/messages", nil).Expect(t, 200).JSON(t, &page)
	return page.Items
}

func TestWhatsAppAccountsAPIValidatesAndNeverReturnsSecrets(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ws := newWASite(t, d, whatsapp.Meta)
		a := ws.account
		for _, secret := range []string{"access_token", "app_secret", "verify_token", "auth_token"} {
			if _, shown := a[secret]; shown {
				t.Errorf("%s returned", secret)
			}
		}
		if a["access_token_set"] != true || a["app_secret_set"] != true || a["auth_token_set"] != false ||
			a["webhook_url"] != waBaseURL+ws.hookPath() || a["channel"] != "whatsapp" {
			t.Fatalf("account %v", a)
		}
		raw := ws.admin.Do("GET", "/api/v1/whatsapp-accounts", nil).Expect(t, 200).Body
		if bytes.Contains(raw, []byte(waToken)) || bytes.Contains(raw, []byte(waAppSecret)) || bytes.Contains(raw, []byte(waVerify)) {
			t.Fatalf("a secret leaked: %s", raw)
		}
		// A change without the secrets keeps them.
		got := ws.admin.Do("PATCH", "/api/v1/whatsapp-accounts/"+idOf(a), map[string]any{"name": "WhatsApp Italia"}).
			Expect(t, 200).Map(t)
		if got["name"] != "WhatsApp Italia" || got["access_token_set"] != true || got["webhook_key"] != a["webhook_key"] {
			t.Fatalf("patched %v", got)
		}
		// Each missing provider field is named.
		f := fields(t, ws.admin.Do("POST", "/api/v1/whatsapp-accounts", map[string]any{"name": "Twilio US",
			"provider": "twilio", "phone_number": "+1 555 000 3333", "account_sid": "nope"}).Expect(t, 400))
		if f["account_sid"] == nil || f["auth_token"] == nil || len(f) != 2 {
			t.Fatalf("twilio fields %v", f)
		}
		f = fields(t, ws.admin.Do("POST", "/api/v1/whatsapp-accounts", map[string]any{"name": "X", "provider": "meta",
			"phone_number": "+15550001111"}).Expect(t, 400))
		for _, k := range []string{"phone_number_id", "business_account_id", "access_token", "app_secret", "verify_token"} {
			if f[k] == nil {
				t.Errorf("meta: %s not named in %v", k, f)
			}
		}
		// The number is taken, the queue must serve WhatsApp.
		chat := ws.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Chat", "channel": "chat"}).Expect(t, 201).Map(t)
		f = fields(t, ws.admin.Do("POST", "/api/v1/whatsapp-accounts", map[string]any{"name": "Dup", "provider": "twilio",
			"phone_number": "+1 (555) 000-1111", "account_sid": waTwilioSID, "auth_token": "x"}).Expect(t, 400))
		if f["phone_number"] == nil {
			t.Fatalf("taken number: %v", f)
		}
		f = fields(t, ws.admin.Do("PATCH", "/api/v1/whatsapp-accounts/"+idOf(a), map[string]any{"queue_id": chat["id"]}).Expect(t, 400))
		if f["queue_id"] == nil {
			t.Fatalf("chat queue: %v", f)
		}
		ws.mario.Do("GET", "/api/v1/whatsapp-accounts", nil).Expect(t, 403)
		ws.admin.Do("DELETE", "/api/v1/whatsapp-accounts/"+idOf(a), nil).Expect(t, 204)
		ws.admin.Do("GET", "/api/v1/whatsapp-accounts/"+idOf(a), nil).Expect(t, 404)
		if ws.meta(t, metaMessages(metaText("wamid.A", waCustomer, "hi")), waAppSecret) != 404 {
			t.Fatal("a deleted account's webhook still answers")
		}
	})
}

func TestWhatsAppMetaHandshakeEchoesTheChallengeOnlyForTheVerifyToken(t *testing.T) {
	ws := newWASite(t, store.SQLite, whatsapp.Meta)
	get := func(path string, q url.Values) (*http.Response, string) {
		resp, err := http.Get(ws.site.Server.URL + path + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp, b.String()
	}
	q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {waVerify}, "hub.challenge": {"1158201444"}}
	resp, body := get(ws.hookPath(), q)
	if resp.StatusCode != 200 || body != "1158201444" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("handshake %d %q %s", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
	q.Set("hub.verify_token", "guess")
	if resp, _ := get(ws.hookPath(), q); resp.StatusCode != 403 {
		t.Fatalf("wrong token: %d", resp.StatusCode)
	}
	if resp, _ := get("/api/v1/webhooks/whatsapp/nope", q); resp.StatusCode != 404 {
		t.Fatalf("unknown key: %d", resp.StatusCode)
	}
}

func TestWhatsAppMetaWebhookIsSignedDeduplicatedAndRouted(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ws := newWASite(t, d, whatsapp.Meta)
		ws.mario.Do("POST", "/api/v1/me/login", map[string]any{"profile_id": nil}).Expect(t, 200)
		ws.giulia.Do("POST", "/api/v1/me/login", map[string]any{"profile_id": nil}).Expect(t, 200)
		first := metaMessages(metaText("wamid.1", waCustomer, "Hello, my order is late"))
		// Unsigned, wrongly signed, unknown key, malformed: refused, nothing stored.
		if ws.meta(t, first, "") != 403 || ws.meta(t, first, "guessed-secret") != 403 {
			t.Fatal("unsigned or badly signed webhook accepted")
		}
		if ws.post(t, "/api/v1/webhooks/whatsapp/unknown", "application/json", first, nil).StatusCode != 404 {
			t.Fatal("unknown key")
		}
		if ws.meta(t, []byte(`{"object":`), waAppSecret) != 400 {
			t.Fatal("malformed JSON")
		}
		if n := len(ws.whatsappInteractions(t)); n != 0 {
			t.Fatalf("%d interactions after refused webhooks", n)
		}
		// The real one, delivered twice (a provider's retry).
		for range 2 {
			if code := ws.meta(t, first, waAppSecret); code != 200 {
				t.Fatalf("webhook %d", code)
			}
		}
		items := ws.whatsappInteractions(t)
		if len(items) != 1 {
			t.Fatalf("interactions %v", items)
		}
		it := items[0]
		id := idOf(it)
		if it["contact_name"] != "Anna Rossi" || it["contact_key"] != "+"+waCustomer || it["queue_id"] != ws.queueID ||
			it["status"] != "waiting" {
			t.Fatalf("interaction %v", it)
		}
		if msgs := ws.messages(t, id); len(msgs) != 1 || msgs[0]["body"] != "Hello, my order is late" || msgs[0]["direction"] != "in" {
			t.Fatalf("messages %v", msgs)
		}
		// Offered to both agents (ring-all); Mario takes it.
		if len(offers(t, ws.mario)) != 1 || len(offers(t, ws.giulia)) != 1 {
			t.Fatal("not offered to both agents")
		}
		ws.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
		// The customer writes again: the same conversation.
		if ws.meta(t, metaMessages(metaText("wamid.2", waCustomer, "Order 1234")), waAppSecret) != 200 {
			t.Fatal("second message")
		}
		if n := len(ws.whatsappInteractions(t)); n != 1 || len(ws.messages(t, id)) != 2 {
			t.Fatalf("second message: %d interactions, %d messages", n, len(ws.messages(t, id)))
		}
		// Another customer: Mario is at his WhatsApp capacity (1), so only
		// Giulia is offered it.
		if ws.meta(t, metaMessages(metaText("wamid.3", "393339999999", "Hi")), waAppSecret) != 200 {
			t.Fatal("other customer")
		}
		if len(offers(t, ws.mario)) != 0 || len(offers(t, ws.giulia)) != 1 {
			t.Fatalf("offers: mario %v, giulia %v", offers(t, ws.mario), offers(t, ws.giulia))
		}
		// A disabled account refuses (the provider keeps retrying).
		ws.admin.Do("PATCH", "/api/v1/whatsapp-accounts/"+idOf(ws.account), map[string]any{"enabled": false}).Expect(t, 200)
		if ws.meta(t, metaMessages(metaText("wamid.4", waCustomer, "anyone?")), waAppSecret) != 403 || len(ws.messages(t, id)) != 2 {
			t.Fatal("disabled account stored a message")
		}
	})
}

func TestWhatsAppMediaIsFetchedStoredRetriedOrNoted(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ws := newWASite(t, d, whatsapp.Meta)
		png := pngOf(t)
		ws.provider.files["img"], ws.provider.files["flaky"] = png, png
		image := func(id, media, caption string) string {
			return fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"1795251600","type":"image","image":{"id":%q,"mime_type":"image/png","caption":%q}}`,
				waCustomer, id, media, caption)
		}
		location := `{"from":"` + waCustomer + `","id":"wamid.loc","type":"location","location":{"latitude":45.4642,"longitude":9.19,"name":"Duomo"}}`
		contacts := `{"from":"` + waCustomer + `","id":"wamid.card","type":"contacts","contacts":[{"name":{"formatted_name":"Luca Bianchi"},"phones":[{"phone":"+39 02 1234567"}]}]}`
		// One notification, several messages; the flaky file fails the
		// first time: 500, and what else it carried is stored already.
		hook := metaMessages(image("wamid.img", "img", "my receipt"), image("wamid.flaky", "flaky", ""),
			image("wamid.gone", "gone", "old photo"), location, contacts)
		if code := ws.meta(t, hook, waAppSecret); code != 500 {
			t.Fatalf("first delivery %d, want 500", code)
		}
		items := ws.whatsappInteractions(t)
		if len(items) != 1 || len(ws.messages(t, idOf(items[0]))) != 4 {
			t.Fatalf("after the failed delivery: %v", items)
		}
		// The provider retries: the flaky file comes, nothing is doubled.
		if code := ws.meta(t, hook, waAppSecret); code != 200 {
			t.Fatalf("retry %d", code)
		}
		msgs := ws.messages(t, idOf(items[0]))
		if len(msgs) != 5 {
			t.Fatalf("messages after retry: %d", len(msgs))
		}
		byBody := map[string]map[string]any{}
		for _, m := range msgs {
			byBody[m["body"].(string)] = m
		}
		receipt := byBody["my receipt"]
		if receipt == nil || receipt["attachment"] == nil {
			t.Fatalf("image message %v", msgs)
		}
		file := ws.admin.Do("GET", fmt.Sprintf("/api/v1/attachments/%d", int(receipt["attachment"].(map[string]any)["id"].(float64))), nil).
			Expect(t, 200)
		if !bytes.Equal(file.Body, png) || file.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("stored file differs (%d bytes, %s)", len(file.Body), file.Header.Get("Content-Type"))
		}
		if m := byBody[""]; m == nil || m["attachment"] == nil {
			t.Fatalf("retried image without caption missing: %v", msgs)
		}
		noted := false
		for body, m := range byBody {
			if strings.Contains(body, "could no longer give") && strings.HasSuffix(body, "old photo") && m["attachment"] == nil {
				noted = true
			}
		}
		if !noted {
			t.Fatalf("no note for the vanished file: %v", msgs)
		}
		if byBody["📍 Duomo\n45.4642, 9.19\nhttps://www.openstreetmap.org/?mlat=45.4642&mlon=9.19#map=17/45.4642/9.19"] == nil ||
			byBody["👤 Luca Bianchi, +39 02 1234567"] == nil {
			t.Fatalf("location or contacts body: %v", msgs)
		}
	})
}

func TestWhatsAppTwilioWebhookIsSignedOverTheFullURL(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ws := newWASite(t, d, whatsapp.Twilio)
		png := pngOf(t)
		ws.provider.files["ME1"] = png
		form := url.Values{"AccountSid": {waTwilioSID}, "MessageSid": {"SM1"}, "From": {"whatsapp:+" + waCustomer},
			"To": {"whatsapp:+15550002222"}, "Body": {"Ciao"}, "NumMedia": {"0"}, "ProfileName": {"Anna"},
			"WaId": {waCustomer}, "SmsStatus": {"received"}}
		if ws.twilio(t, form, "") != 403 || ws.twilio(t, form, "wrong-token") != 403 {
			t.Fatal("unsigned or badly signed Twilio webhook accepted")
		}
		if n := len(ws.whatsappInteractions(t)); n != 0 {
			t.Fatalf("%d interactions after refused webhooks", n)
		}
		if ws.twilio(t, form, waTwilioAuth) != 200 || ws.twilio(t, form, waTwilioAuth) != 200 {
			t.Fatal("signed webhook refused")
		}
		items := ws.whatsappInteractions(t)
		if len(items) != 1 || items[0]["contact_name"] != "Anna" || len(ws.messages(t, idOf(items[0]))) != 1 {
			t.Fatalf("interactions %v", items)
		}
		media := url.Values{"AccountSid": {waTwilioSID}, "MessageSid": {"MM2"}, "From": {"whatsapp:+" + waCustomer},
			"NumMedia": {"1"}, "MediaContentType0": {"image/png"},
			"MediaUrl0": {ws.provider.srv.URL + "/2010-04-01/Accounts/" + waTwilioSID + "/Messages/MM2/Media/ME1"}}
		if ws.twilio(t, media, waTwilioAuth) != 200 {
			t.Fatal("media webhook")
		}
		msgs := ws.messages(t, idOf(items[0]))
		if len(msgs) != 2 || msgs[1]["attachment"] == nil {
			t.Fatalf("media message %v", msgs)
		}
		// A status callback of a message we never sent is accepted (kept
		// for the outbox) and stores no message.
		status := url.Values{"AccountSid": {waTwilioSID}, "MessageSid": {"SMout"}, "MessageStatus": {"delivered"}}
		if ws.twilio(t, status, waTwilioAuth) != 200 || len(ws.messages(t, idOf(items[0]))) != 2 {
			t.Fatal("status callback")
		}
		// A form that is not Twilio's (no message SID) is 400.
		if ws.twilio(t, url.Values{"AccountSid": {waTwilioSID}}, waTwilioAuth) != 400 {
			t.Fatal("malformed form")
		}
	})
}

// A new customer's first messages delivered at once (the provider does not
// wait for one webhook's answer to send the next) make one conversation.
func TestWhatsAppFirstMessagesDeliveredAtOnceMakeOneConversation(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ws := newWASite(t, d, whatsapp.Meta)
		const n = 8
		codes := make(chan int, n)
		var wg sync.WaitGroup
		for i := range n {
			body := metaMessages(metaText(fmt.Sprintf("wamid.burst.%d", i), waCustomer, fmt.Sprintf("part %d", i)))
			mac := hmac.New(sha256.New, []byte(waAppSecret))
			mac.Write(body)
			req, _ := http.NewRequest("POST", ws.site.Server.URL+ws.hookPath(), bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
			wg.Go(func() {
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					codes <- 0
					return
				}
				resp.Body.Close()
				codes <- resp.StatusCode
			})
		}
		wg.Wait()
		close(codes)
		for c := range codes {
			if c != 200 {
				t.Fatalf("a webhook got %d", c)
			}
		}
		items := ws.whatsappInteractions(t)
		if len(items) != 1 {
			t.Fatalf("%d conversations for one customer", len(items))
		}
		if got := ws.messages(t, idOf(items[0])); len(got) != n {
			t.Fatalf("%d messages in the conversation, want %d", len(got), n)
		}
	})
}

// An agent with WhatsApp auto-answer gets a new WhatsApp conversation
// assigned after his delay, without accepting it; its transcript reads as
// any other.
func TestWhatsAppAutoAnswerAndTranscript(t *testing.T) {
	ws := newWASite(t, store.SQLite, whatsapp.Meta)
	ws.admin.Do("PATCH", "/api/v1/agents/"+ws.marioID, map[string]any{
		"channels":    map[string]any{"whatsapp": map[string]any{"capacity": 1, "auto_answer": true, "auto_answer_delay": 3}},
		"permissions": map[string]any{"download_transcripts": true}}).Expect(t, 200)
	ws.mario.Do("POST", "/api/v1/me/login", map[string]any{"profile_id": nil}).Expect(t, 200)
	if code := ws.meta(t, metaMessages(metaText("wamid.auto.1", waCustomer, "Is my parcel on its way?")), waAppSecret); code != 200 {
		t.Fatalf("webhook %d", code)
	}
	items := ws.whatsappInteractions(t)
	if len(items) != 1 || items[0]["status"] != "waiting" {
		t.Fatalf("before the delay %v", items)
	}
	id := idOf(items[0])
	ws.site.Clock.Advance(3 * time.Second)
	it := ws.admin.Do("GET", "/api/v1/interactions/"+id, nil).Map(t)
	if it["status"] != "open" || idOf(map[string]any{"id": it["owner_id"]}) != ws.marioID {
		t.Fatalf("not auto-answered: %v", it)
	}
	all := strings.Join(transcripttest.Read(t, ws.mario.Do("GET", "/api/v1/interactions/"+id+"/transcript.pdf", nil).Expect(t, 200).Body), "\n")
	for _, want := range []string{"Transcript of interaction #" + id, "WhatsApp", "Is my parcel on its way?"} {
		if !strings.Contains(all, want) {
			t.Errorf("the transcript lacks %q", want)
		}
	}
}
