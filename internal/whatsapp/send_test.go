package whatsapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/outbox"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// source is a Source with one account and one file.
type source struct {
	account *whatsapp.Account
	file    *whatsapp.File
}

func (s *source) WhatsAppAccount(_ context.Context, id int64) (*whatsapp.Account, error) {
	if id != s.account.ID {
		return nil, errors.New("no such account")
	}
	return s.account, nil
}

func (s *source) OutboundFile(_ context.Context, id int64) (*whatsapp.File, error) {
	if id != 7 {
		return nil, errors.New("no such file")
	}
	return s.file, nil
}

// request is what a fake provider saw of one request.
type request struct {
	Method, Path, Auth, ContentType string
	JSON                            map[string]any
	Form                            map[string][]string
	Multipart                       map[string]string
}

// fakeProvider records requests and answers them with the next scripted
// (status, body), or with ok once the script runs out.
type fakeProvider struct {
	mu     sync.Mutex
	seen   []request
	script []struct {
		status int
		body   string
	}
	ok func(r request) string
}

func (f *fakeProvider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req := request{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type")}
	switch {
	case strings.HasPrefix(req.ContentType, "application/json"):
		_ = json.NewDecoder(r.Body).Decode(&req.JSON)
	case strings.HasPrefix(req.ContentType, "application/x-www-form-urlencoded"):
		_ = r.ParseForm()
		req.Form = r.PostForm
	case strings.HasPrefix(req.ContentType, "multipart/form-data"):
		req.Multipart = map[string]string{}
		mr, _ := r.MultipartReader()
		for p, err := mr.NextPart(); err == nil; p, err = mr.NextPart() {
			b, _ := io.ReadAll(p)
			req.Multipart[p.FormName()] = string(b)
			if p.FileName() != "" {
				req.Multipart["filename"] = p.FileName()
			}
		}
	}
	f.mu.Lock()
	f.seen = append(f.seen, req)
	var status int
	var body string
	if len(f.script) > 0 {
		status, body = f.script[0].status, f.script[0].body
		f.script = f.script[1:]
	} else {
		status, body = http.StatusOK, f.ok(req)
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (f *fakeProvider) fail(status int, body string) {
	f.script = append(f.script, struct {
		status int
		body   string
	}{status, body})
}

func metaFake(t *testing.T) (*fakeProvider, *whatsapp.Sender, *whatsapp.Account) {
	t.Helper()
	f := &fakeProvider{ok: func(r request) string {
		if strings.HasSuffix(r.Path, "/media") {
			return `{"id":"media-1"}`
		}
		return `{"messaging_product":"whatsapp","contacts":[{"input":"393331234567","wa_id":"393331234567"}],"messages":[{"id":"wamid.OUT1"}]}`
	}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	a := &whatsapp.Account{Provider: whatsapp.Meta, PhoneNumberID: "1065", BusinessAccountID: "2020", APIBaseURL: srv.URL,
		Secrets: whatsapp.Secrets{AccessToken: "EAAG-token"}}
	a.ID = 3
	s := &whatsapp.Sender{Source: &source{account: a, file: &whatsapp.File{Name: "invoice.pdf", ContentType: "application/pdf",
		Data: []byte("%PDF-1.4 invoice")}}, HTTP: srv.Client()}
	return f, s, a
}

func job(payload string, file *int64) outbox.Job {
	return outbox.Job{ID: 1, Channel: "whatsapp", AccountID: 3, MessageID: 10, To: "+393331234567", Body: "Your order left today",
		AttachmentID: file, Payload: json.RawMessage(payload), Attempt: 1}
}

func TestMetaSendsTextAsTheCloudAPIDocumentsIt(t *testing.T) {
	f, s, _ := metaFake(t)
	id, err := s.Send(context.Background(), job(`{"reply_to":"wamid.IN9"}`, nil))
	if err != nil || id != "wamid.OUT1" {
		t.Fatalf("send: %q, %v", id, err)
	}
	r := f.seen[0]
	if r.Method != "POST" || r.Path != "/"+whatsapp.GraphVersion+"/1065/messages" || r.Auth != "Bearer EAAG-token" {
		t.Fatalf("request %s %s auth %q", r.Method, r.Path, r.Auth)
	}
	want := map[string]any{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "393331234567", "type": "text",
		"text": map[string]any{"body": "Your order left today", "preview_url": false}, "context": map[string]any{"message_id": "wamid.IN9"}}
	if got, _ := json.Marshal(r.JSON); string(got) != mustJSON(want) {
		t.Fatalf("body %s, want %s", got, mustJSON(want))
	}
}

func TestMetaUploadsAFileThenSendsItByID(t *testing.T) {
	f, s, _ := metaFake(t)
	file := int64(7)
	if _, err := s.Send(context.Background(), job(`{}`, &file)); err != nil {
		t.Fatal(err)
	}
	up, send := f.seen[0], f.seen[1]
	if up.Path != "/"+whatsapp.GraphVersion+"/1065/media" || up.Multipart["messaging_product"] != "whatsapp" ||
		up.Multipart["type"] != "application/pdf" || up.Multipart["file"] != "%PDF-1.4 invoice" || up.Multipart["filename"] != "invoice.pdf" {
		t.Fatalf("upload %+v", up)
	}
	doc, _ := send.JSON["document"].(map[string]any)
	if send.JSON["type"] != "document" || doc["id"] != "media-1" || doc["caption"] != "Your order left today" || doc["filename"] != "invoice.pdf" {
		t.Fatalf("send %+v", send.JSON)
	}
}

func TestMetaSendsATemplateWithItsParameters(t *testing.T) {
	f, s, _ := metaFake(t)
	if _, err := s.Send(context.Background(), job(`{"template":{"name":"order_update","language":"it","parameters":["Anna","A-17"]}}`, nil)); err != nil {
		t.Fatal(err)
	}
	want := `{"language":{"code":"it"},"name":"order_update","components":[{"parameters":[{"text":"Anna","type":"text"},{"text":"A-17","type":"text"}],"type":"body"}]}`
	if got, _ := json.Marshal(f.seen[0].JSON["template"]); string(got) != mustJSON(json.RawMessage(want)) || f.seen[0].JSON["type"] != "template" {
		t.Fatalf("template %s", got)
	}
}

func TestProviderAnswersAreSortedIntoFinalAndRetried(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		final      bool
		reason     string
	}{
		{"server error", `{"error":{"message":"Service temporarily unavailable","code":2}}`, 503, false, ""},
		{"rate limit in a 400", `{"error":{"message":"Rate limit hit","type":"OAuthException","code":130429}}`, 400, false, ""},
		{"too many", `{}`, 429, false, ""},
		{"bad number", `{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"error_subcode":2494010,` +
			`"error_data":{"messaging_product":"whatsapp","details":"Recipient phone number not valid"}}}`, 400, true,
			"(#100) Invalid parameter: Recipient phone number not valid (#100)"},
		{"expired token", `{"error":{"message":"Error validating access token","type":"OAuthException","code":190}}`, 401, true,
			"Error validating access token (#190)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, s, _ := metaFake(t)
			f.fail(c.status, c.body)
			_, err := s.Send(context.Background(), job(`{}`, nil))
			reason, final := outbox.IsRejected(err)
			if err == nil || final != c.final || (c.final && reason != c.reason) {
				t.Fatalf("err %v: final %v reason %q", err, final, reason)
			}
		})
	}
	t.Run("network", func(t *testing.T) {
		_, s, a := metaFake(t)
		a.APIBaseURL = "http://127.0.0.1:1" // nothing listens
		if _, err := s.Send(context.Background(), job(`{}`, nil)); err == nil {
			t.Fatal("no error")
		} else if _, final := outbox.IsRejected(err); final {
			t.Fatalf("a network error is final: %v", err)
		}
	})
}

func twilioFake(t *testing.T) (*fakeProvider, *whatsapp.Sender) {
	t.Helper()
	f := &fakeProvider{ok: func(request) string { return `{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}` }}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	a := &whatsapp.Account{Provider: whatsapp.Twilio, AccountSID: "AC0123456789abcdef0123456789abcdef", Sender: "whatsapp:+390212345678",
		APIBaseURL: srv.URL, WebhookKey: "k3y", Secrets: whatsapp.Secrets{AuthToken: "tw-token"}}
	a.ID = 3
	s := &whatsapp.Sender{Source: &source{account: a, file: &whatsapp.File{Name: "photo.png", ContentType: "image/png", Data: []byte("png")}},
		HTTP: srv.Client(), MediaURL: func(id int64) string { return "https://site.example/api/v1/media/7?exp=1&sig=ab" },
		StatusCallback: func(a *whatsapp.Account) string {
			return "https://site.example/api/v1/webhooks/whatsapp/" + a.WebhookKey
		}}
	return f, s
}

func TestTwilioSendsTextMediaAndTemplatesAsItsMessagesAPIDocumentsThem(t *testing.T) {
	f, s := twilioFake(t)
	file := int64(7)
	for _, j := range []outbox.Job{job(`{}`, &file), job(`{"template":{"name":"order_update","language":"it","provider_id":"HX99","parameters":["Anna"]}}`, nil)} {
		if id, err := s.Send(context.Background(), j); err != nil || id != "SM0123456789abcdef0123456789abcdef" {
			t.Fatalf("send: %q %v", id, err)
		}
	}
	media, tmpl := f.seen[0], f.seen[1]
	wantAuth := "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjp0dy10b2tlbg==" // AC…:tw-token
	if media.Path != "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json" || media.Auth != wantAuth {
		t.Fatalf("request %s auth %q", media.Path, media.Auth)
	}
	form := func(r request, k string) string {
		if v := r.Form[k]; len(v) == 1 {
			return v[0]
		}
		return ""
	}
	if form(media, "To") != "whatsapp:+393331234567" || form(media, "From") != "whatsapp:+390212345678" ||
		form(media, "Body") != "Your order left today" || form(media, "MediaUrl") != "https://site.example/api/v1/media/7?exp=1&sig=ab" ||
		form(media, "StatusCallback") != "https://site.example/api/v1/webhooks/whatsapp/k3y" {
		t.Fatalf("media form %v", media.Form)
	}
	if form(tmpl, "ContentSid") != "HX99" || form(tmpl, "ContentVariables") != `{"1":"Anna"}` || form(tmpl, "Body") != "" {
		t.Fatalf("template form %v", tmpl.Form)
	}

	f.fail(400, `{"code":63016,"message":"Failed to send freeform message because you are outside the allowed window.","more_info":"https://www.twilio.com/docs/errors/63016","status":400}`)
	_, err := s.Send(context.Background(), job(`{}`, nil))
	if reason, final := outbox.IsRejected(err); !final || reason != "Failed to send freeform message because you are outside the allowed window. (63016)" {
		t.Fatalf("refusal %v", err)
	}
	f.fail(500, `{"code":20500,"message":"Internal Server Error","status":500}`)
	if _, err := s.Send(context.Background(), job(`{}`, nil)); err == nil {
		t.Fatal("a 500 passed")
	} else if _, final := outbox.IsRejected(err); final {
		t.Fatalf("a 500 is final: %v", err)
	}
}

func TestTemplatesRenderTheirParametersAndCountThem(t *testing.T) {
	tm := whatsapp.Template{Name: "order_update", Language: "it", Body: "Ciao {{1}}, il tuo ordine {{2}} è partito. Grazie {{1}}!"}
	f := apperr.FieldErrors{}
	if tm.Validate(f); f.Err() != nil || tm.ParameterCount != 2 || tm.Status != whatsapp.TemplateApproved {
		t.Fatalf("validate: %v, %+v", f.Err(), tm)
	}
	if got, err := tm.Render([]string{"Anna", "A-17"}); err != nil || got != "Ciao Anna, il tuo ordine A-17 è partito. Grazie Anna!" {
		t.Fatalf("render %q, %v", got, err)
	}
	for _, bad := range [][]string{{"Anna"}, {"Anna", " "}, {"Anna", "two\nlines"}} {
		if _, err := tm.Render(bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("render %q: %v", bad, err)
		}
	}
	gap := whatsapp.Template{Name: "Bad Name", Language: "italian", Body: "Hi {{2}}"}
	f = apperr.FieldErrors{}
	gap.Validate(f)
	if len(f) != 3 || f["name"].Key != "template.name_invalid" || f["language"].Key != "template.language_invalid" ||
		f["body"].Key != "template.parameters_gap" {
		t.Fatalf("fields %v", f)
	}
}

func TestMetaTemplatesAreFetchedPageByPage(t *testing.T) {
	var srvURL string
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		if r.URL.Path != "/"+whatsapp.GraphVersion+"/2020/message_templates" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("after") == "" {
			_, _ = io.WriteString(w, `{"data":[{"id":"111","name":"order_update","language":"it","category":"UTILITY","status":"APPROVED",
				"components":[{"type":"HEADER","format":"TEXT","text":"Ordine"},{"type":"BODY","text":"Ciao {{1}}, ordine {{2}} partito."}]}],
				"paging":{"cursors":{"after":"c1"},"next":"`+srvURL+r.URL.Path+`?after=c1"}}`)
			return
		}
		_, _ = io.WriteString(w, `{"data":[{"id":"222","name":"welcome_back","language":"en_US","category":"MARKETING","status":"PENDING",
			"components":[{"type":"BODY","text":"Welcome back!"}]}],"paging":{"cursors":{"before":"c1"}}}`)
	}))
	defer srv.Close()
	srvURL = srv.URL
	a := &whatsapp.Account{Provider: whatsapp.Meta, BusinessAccountID: "2020", APIBaseURL: srv.URL, Secrets: whatsapp.Secrets{AccessToken: "EAAG"}}
	list, err := whatsapp.FetchMetaTemplates(context.Background(), srv.Client(), a)
	if err != nil || len(list) != 2 {
		t.Fatalf("templates %+v, %v", list, err)
	}
	if list[0].Name != "order_update" || list[0].ParameterCount != 2 || list[0].Status != "approved" || list[0].ProviderID != "111" ||
		list[1].Language != "en_US" || list[1].Status != "pending" || auth[0] != "Bearer EAAG" || len(auth) != 2 {
		t.Fatalf("templates %+v, auth %v", list, auth)
	}
	twilio := &whatsapp.Account{Provider: whatsapp.Twilio}
	if _, err := whatsapp.FetchMetaTemplates(context.Background(), nil, twilio); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("twilio sync: %v", err)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	// Round-trip through a map so key order matches a decoded body's.
	var m any
	_ = json.Unmarshal(b, &m)
	b, _ = json.Marshal(m)
	return string(b)
}
