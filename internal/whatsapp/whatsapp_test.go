package whatsapp

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

func TestWhatsAppMetaSignatureIsTheHMACOfTheRawBody(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account"}`)
	// Computed apart (Python's hmac) so the test does not check the code
	// against itself.
	good := "sha256=0bf7374433906636bed1653bc7c64affb42fa5da9a39e251ab95c2e3a9c06923"
	if !VerifyMetaSignature("app-secret", body, good) {
		t.Fatal("good signature refused")
	}
	for name, c := range map[string]struct {
		secret, header string
		body           []byte
	}{
		"missing":        {"app-secret", "", body},
		"no prefix":      {"app-secret", strings.TrimPrefix(good, "sha256="), body},
		"not hex":        {"app-secret", "sha256=zz", body},
		"other secret":   {"other", good, body},
		"body changed":   {"app-secret", good, append(bytes.Clone(body), ' ')},
		"no secret kept": {"", good, body},
	} {
		if VerifyMetaSignature(c.secret, c.body, c.header) {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestWhatsAppTwilioSignatureFollowsTwiliosPublishedExample(t *testing.T) {
	form := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}
	u := "https://mycompany.com/myapp.php?foo=1&bar=2"
	const want = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
	if got := TwilioSignature("12345", u, form); got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	if !VerifyTwilioSignature("12345", u, form, want) {
		t.Fatal("good signature refused")
	}
	if VerifyTwilioSignature("12345", u+"&x=1", form, want) || VerifyTwilioSignature("12345", u, form, "") ||
		VerifyTwilioSignature("54321", u, form, want) {
		t.Fatal("a bad signature passed")
	}
}

const metaHook = `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[
 {"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"111"},
  "contacts":[{"profile":{"name":"Anna Rossi"},"wa_id":"393331234567"}],
  "messages":[
   {"from":"393331234567","id":"wamid.1","timestamp":"1795251600","type":"text","text":{"body":"Hello"}},
   {"from":"393331234567","id":"wamid.2","timestamp":"1795251601","type":"image","image":{"id":"M1","mime_type":"image/jpeg","sha256":"ab","caption":"my receipt"}},
   {"from":"393331234567","id":"wamid.3","timestamp":"1795251602","type":"audio","audio":{"id":"M2","mime_type":"audio/ogg; codecs=opus","voice":true}},
   {"from":"393331234567","id":"wamid.4","timestamp":"1795251603","type":"location","location":{"latitude":45.4642,"longitude":9.19,"name":"Duomo","address":"Piazza del Duomo, Milano"}},
   {"from":"393331234567","id":"wamid.5","timestamp":"1795251604","type":"contacts","contacts":[{"name":{"formatted_name":"Luca Bianchi","first_name":"Luca"},"phones":[{"phone":"+39 02 1234567","type":"WORK"}],"emails":[{"email":"luca@example.com"}]}]},
   {"from":"393331234567","id":"wamid.6","timestamp":"1795251605","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"yes","title":"Yes please"}}},
   {"from":"393331234567","id":"wamid.7","timestamp":"1795251606","type":"reaction","reaction":{"message_id":"wamid.out","emoji":"👍"}},
   {"from":"393331234567","id":"wamid.8","timestamp":"1795251607","type":"order","order":{}},
   {"from":"393331234567","type":"text","text":{"body":"no id"}},
   {"from":"393331234567","id":"wamid.9","type":"document","document":{"id":"M3","mime_type":"application/pdf","filename":"invoice.pdf"}}
  ],
  "statuses":[{"id":"wamid.out","status":"delivered","timestamp":"1795251608","recipient_id":"393331234567"},
   {"id":"wamid.out2","status":"failed","timestamp":"1795251609","errors":[{"code":131047,"title":"Re-engagement message","error_data":{"details":"More than 24 hours have passed"}}]},
   {"id":"wamid.out3","status":"deleted"}]}},
 {"field":"messages","value":{"metadata":{"phone_number_id":"222"},"messages":[{"from":"1","id":"x","type":"text","text":{"body":"other number"}}]}}
]}]}`

func TestWhatsAppParseMetaNormalisesEveryKindAndSkipsOnlyTheBadEntries(t *testing.T) {
	d, err := ParseMeta([]byte(metaHook), "111")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Messages) != 9 || d.Skipped != 3 || len(d.Statuses) != 2 {
		t.Fatalf("messages %d, statuses %d, skipped %d", len(d.Messages), len(d.Statuses), d.Skipped)
	}
	byID := map[string]Message{}
	for _, m := range d.Messages {
		if m.From != "+393331234567" || m.ProfileName != "Anna Rossi" {
			t.Errorf("%s: from %q name %q", m.ProviderID, m.From, m.ProfileName)
		}
		byID[m.ProviderID] = m
	}
	tr := func(key string, args ...any) string { return key }
	for id, want := range map[string]struct{ kind, body string }{
		"wamid.1": {KindText, "Hello"},
		"wamid.2": {KindImage, "my receipt"},
		"wamid.3": {KindAudio, ""},
		"wamid.4": {KindLocation, "📍 Duomo\nPiazza del Duomo, Milano\n45.4642, 9.19\nhttps://www.openstreetmap.org/?mlat=45.4642&mlon=9.19#map=17/45.4642/9.19"},
		"wamid.5": {KindContacts, "👤 Luca Bianchi, +39 02 1234567, luca@example.com"},
		"wamid.6": {KindText, "Yes please"},
		"wamid.7": {KindReaction, ""},
		"wamid.8": {KindUnsupported, "whatsapp.unsupported"},
		"wamid.9": {KindDocument, ""},
	} {
		m := byID[id]
		if m.Kind != want.kind || m.Body(tr) != want.body {
			t.Errorf("%s: kind %q body %q, want %q %q", id, m.Kind, m.Body(tr), want.kind, want.body)
		}
	}
	if img := byID["wamid.2"].Media; img == nil || img.ID != "M1" || img.MIMEType != "image/jpeg" || img.SHA256 != "ab" {
		t.Errorf("image media %+v", img)
	}
	if doc := byID["wamid.9"].Media; doc == nil || doc.Filename != "invoice.pdf" {
		t.Errorf("document media %+v", doc)
	}
	if byID["wamid.1"].At.Unix() != 1795251600 {
		t.Errorf("time %v", byID["wamid.1"].At)
	}
	if st := d.Statuses[1]; st.State != "failed" || st.ErrorCode != "131047" ||
		st.ErrorText != "Re-engagement message: More than 24 hours have passed" {
		t.Errorf("failed status %+v", st)
	}
	for _, bad := range []string{`{`, `[]`, `{"object":"page","entry":[]}`} {
		if _, err := ParseMeta([]byte(bad), "111"); err != ErrMalformed {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestWhatsAppParseTwilioMessagesAndStatusCallbacks(t *testing.T) {
	const sid = "AC0123456789abcdef0123456789abcdef"
	base := func(kv ...string) url.Values {
		v := url.Values{"AccountSid": {sid}, "MessageSid": {"SM1"}, "From": {"whatsapp:+393331234567"},
			"To": {"whatsapp:+15550001111"}, "ProfileName": {"Anna"}, "WaId": {"393331234567"}, "SmsStatus": {"received"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	d, err := ParseTwilio(base("Body", "Hi", "NumMedia", "0"), sid)
	if err != nil || len(d.Messages) != 1 || d.Messages[0].Text != "Hi" || d.Messages[0].From != "+393331234567" ||
		d.Messages[0].ProfileName != "Anna" {
		t.Fatalf("text %+v %v", d, err)
	}
	d, _ = ParseTwilio(base("Body", "", "NumMedia", "1", "MediaUrl0", "https://api.twilio.com/m/ME1",
		"MediaContentType0", "audio/ogg"), sid)
	if len(d.Messages) != 1 || d.Messages[0].Kind != KindAudio || d.Messages[0].Media.URL != "https://api.twilio.com/m/ME1" {
		t.Fatalf("media %+v", d)
	}
	d, _ = ParseTwilio(base("Latitude", "45.5", "Longitude", "9.2", "Label", "Shop", "Address", "Via Roma 1"), sid)
	if len(d.Messages) != 1 || d.Messages[0].Kind != KindLocation || d.Messages[0].Location.Name != "Shop" {
		t.Fatalf("location %+v", d)
	}
	d, _ = ParseTwilio(base("MessageStatus", "undelivered", "ErrorCode", "63016", "SmsStatus", "undelivered"), sid)
	if len(d.Messages) != 0 || len(d.Statuses) != 1 || d.Statuses[0].State != "failed" || d.Statuses[0].ErrorCode != "63016" {
		t.Fatalf("status %+v", d)
	}
	d, _ = ParseTwilio(base("MessageStatus", "queued"), sid)
	if len(d.Statuses) != 0 || d.Skipped != 1 {
		t.Fatalf("queued %+v", d)
	}
	for name, v := range map[string]url.Values{
		"other account": base("AccountSid", "AC1111111111111111111111111111111f", "Body", "x"),
		"no sid":        base("MessageSid", "", "Body", "x"),
		"bad from":      base("From", "whatsapp:abc", "Body", "x"),
	} {
		if _, err := ParseTwilio(v, sid); err != ErrMalformed {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestWhatsAppAccountValidationNamesEachMissingProviderField(t *testing.T) {
	fields := func(a *Account) map[string]string {
		f := apperr.FieldErrors{}
		a.Validate(f)
		out := map[string]string{}
		for k, m := range f {
			out[k] = m.Key
		}
		return out
	}
	got := fields(&Account{})
	for _, k := range []string{"name", "provider", "phone_number"} {
		if got[k] != "field.required" {
			t.Errorf("empty account: %s = %q", k, got[k])
		}
	}
	meta := &Account{Provider: " Meta ", PhoneNumber: "39 333-123 4567", PhoneNumberID: "abc"}
	meta.Name = "Sales"
	got = fields(meta)
	want := map[string]string{"phone_number_id": "whatsapp.id_invalid", "business_account_id": "field.required",
		"access_token": "field.required", "app_secret": "field.required", "verify_token": "field.required"}
	if len(got) != len(want) {
		t.Errorf("meta: %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("meta: %s = %q, want %q", k, got[k], v)
		}
	}
	if meta.PhoneNumber != "+393331234567" || meta.Provider != Meta {
		t.Errorf("normalised %q %q", meta.PhoneNumber, meta.Provider)
	}
	tw := &Account{Provider: Twilio, PhoneNumber: "+15550001111", AccountSID: "AC0123456789abcdef0123456789abcdef",
		Secrets: Secrets{AuthToken: "tok", AccessToken: "left over"}}
	tw.Name = "US"
	if got := fields(tw); len(got) != 0 || tw.Sender != "whatsapp:+15550001111" || tw.Secrets.AccessToken != "" {
		t.Errorf("twilio: %v sender %q secrets %+v", got, tw.Sender, tw.Secrets)
	}
	tw.Sender, tw.APIBaseURL, tw.AccountSID = "sms:+1", "ftp://x", "AC1"
	got = fields(tw)
	if got["sender"] != "whatsapp.sender_invalid" || got["api_base_url"] != "whatsapp.url_invalid" ||
		got["account_sid"] != "whatsapp.account_sid_invalid" {
		t.Errorf("twilio bad: %v", got)
	}
	if got := fields(&Account{Provider: "kaleyra", PhoneNumber: "12"}); got["provider"] != "whatsapp.provider_invalid" ||
		got["phone_number"] != "whatsapp.number_invalid" {
		t.Errorf("bad provider/number: %v", got)
	}
}

func TestWhatsAppMediaAcceptsVoiceNotesButNeverAPageInDisguise(t *testing.T) {
	ogg := append([]byte("OggS\x00\x02"), make([]byte, 100)...)
	if ct, err := CheckMedia("voice.ogg", ogg, "audio/ogg; codecs=opus", 1<<20); err != nil || ct != "audio/ogg" {
		t.Fatalf("voice note: %q %v", ct, err)
	}
	html := []byte("<html><script>alert(1)</script></html>")
	if _, err := CheckMedia("x.ogg", html, "audio/ogg", 1<<20); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("html as audio: %v", err)
	}
	if _, err := CheckMedia("x.docx", []byte("PK\x03\x04rest"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 1<<20); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("office document: %v", err)
	}
	if _, err := CheckMedia("big.ogg", ogg, "audio/ogg", 10); !apperr.Is(err, apperr.TooLarge) {
		t.Fatalf("too large: %v", err)
	}
	if MaxMediaBytes(KindImage) != 5<<20 || MaxMediaBytes(KindAudio) != 16<<20 || MaxMediaBytes(KindDocument) != MaxStoredBytes {
		t.Fatal("limits")
	}
}

func TestWhatsAppFetchClassifiesMediaFailures(t *testing.T) {
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 60)...)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v21.0/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(401)
			return
		}
		switch id := r.PathValue("id"); id {
		case "big":
			w.Write([]byte(`{"url":"http://` + r.Host + `/files/big","mime_type":"image/jpeg","file_size":99999999}`))
		default:
			w.Write([]byte(`{"url":"http://` + r.Host + `/files/` + id + `","mime_type":"image/jpeg","file_size":64}`))
		}
	})
	mux.HandleFunc("GET /files/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case "ok":
			w.Write(jpeg)
		case "gone":
			w.WriteHeader(404)
		default:
			w.WriteHeader(503)
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	a := &Account{Provider: Meta, APIBaseURL: srv.URL, Secrets: Secrets{AccessToken: "tok"}}
	f := &Fetcher{HTTP: srv.Client()}
	fetch := func(id string) (*File, error) {
		return f.Fetch(context.Background(), a, &Message{Kind: KindImage, Media: &Media{ID: id, MIMEType: "image/jpeg"}})
	}
	if file, err := fetch("ok"); err != nil || !bytes.Equal(file.Data, jpeg) || file.ContentType != "image/jpeg" ||
		file.Name != "ok.jpg" {
		t.Fatalf("ok: %+v %v", file, err)
	}
	var me *MediaError
	if _, err := fetch("gone"); !asMediaError(err, &me) || me.Reason != "missing" {
		t.Fatalf("gone: %v", err)
	}
	if _, err := fetch("big"); !asMediaError(err, &me) || me.Reason != "too_large" {
		t.Fatalf("big: %v", err)
	}
	if _, err := fetch("down"); err == nil || asMediaError(err, &me) {
		t.Fatalf("5xx must be transient: %v", err)
	}
	a.Secrets.AccessToken = "wrong"
	if _, err := fetch("ok"); !asMediaError(err, &me) {
		t.Fatalf("refused token: %v", err)
	}
}

func asMediaError(err error, target **MediaError) bool {
	e, ok := err.(*MediaError)
	if ok {
		*target = e
	}
	return ok
}
