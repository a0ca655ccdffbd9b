package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

var attachmentPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR picture")

// attachmentForm builds a multipart body with a file part and text parts.
func attachmentForm(t *testing.T, name string, data []byte, texts map[string]string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range texts {
		mw.WriteField(k, v)
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func postAttachment(t *testing.T, c *apptest.Client, interactionID, name string, data []byte, caption string) *apptest.Response {
	t.Helper()
	texts := map[string]string{}
	if caption != "" {
		texts["body"] = caption
	}
	ct, body := attachmentForm(t, name, data, texts)
	return c.DoRaw("POST", "/api/v1/interactions/"+interactionID+"/attachments", ct, body)
}

// websiteChat is an interaction on a chat website (files on, 1 MB) that
// Mario owns.
func (rs *routingSite) websiteChat(t *testing.T, website map[string]any) (chatID, websiteID string) {
	t.Helper()
	site := map[string]any{"name": "Shop", "queue_id": rs.queue["id"], "attachments_enabled": true, "max_attachment_mb": 1}
	for k, v := range website {
		site[k] = v
	}
	w := rs.admin.Do("POST", "/api/v1/websites", site).Expect(t, 201).Map(t)
	return rs.ownedChat(t, map[string]any{"account_id": w["id"], "body": "Hello"}), idOf(w)
}

func TestTheOwnerSendsAFileThatThoseWhoSeeTheChatGet(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		id, _ := rs.websiteChat(t, nil)

		m := postAttachment(t, rs.mario, id, `C:\photos\my "best" photo.png`, attachmentPNG, "Here it is").Expect(t, 201).Map(t)
		att, _ := m["attachment"].(map[string]any)
		if m["direction"] != "out" || m["body"] != "Here it is" || att == nil || att["name"] != `my "best" photo.png` ||
			att["content_type"] != "image/png" || att["size"] != float64(len(attachmentPNG)) {
			t.Fatalf("message %v", m)
		}
		url := "/api/v1/attachments/" + idOf(att)

		// Pictures show inline to whoever sees the chat.
		for _, c := range []*apptest.Client{rs.mario, rs.giula, rs.admin} {
			r := c.Do("GET", url, nil).Expect(t, 200)
			if !bytes.Equal(r.Body, attachmentPNG) || r.Header.Get("Content-Type") != "image/png" ||
				r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Cache-Control") != "private" ||
				!strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline;") {
				t.Fatalf("download: %v %q", r.Header, r.Body)
			}
		}
		// Saving it as a file is the agent's "download attachments" permission.
		rs.mario.Do("GET", url+"?download=1", nil).Expect(t, http.StatusForbidden)
		rs.admin.Do("PATCH", "/api/v1/agents/"+rs.marioID, map[string]any{"permissions": map[string]any{"download_attachments": true}}).Expect(t, 200)
		r := rs.mario.Do("GET", url+"?download=1", nil).Expect(t, 200)
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="my \"best\" photo.png"` {
			t.Fatalf("Content-Disposition %q", cd)
		}
		rs.admin.Do("GET", url+"?download=1", nil).Expect(t, 200)

		// A text is only ever saved: Giulia, without the permission, may not.
		text := postAttachment(t, rs.mario, id, "notes – è.txt", []byte("order 42\n"), "").Expect(t, 201).Map(t)
		textURL := "/api/v1/attachments/" + idOf(text["attachment"].(map[string]any))
		rs.giula.Do("GET", textURL, nil).Expect(t, http.StatusForbidden)
		r = rs.mario.Do("GET", textURL, nil).Expect(t, 200)
		if r.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
			r.Header.Get("Content-Disposition") != "attachment; filename*=utf-8''notes%20%E2%80%93%20%C3%A8.txt" {
			t.Fatalf("text headers %v", r.Header)
		}

		// An agent of another queue sees neither the chat nor its files.
		other := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Mail", "channel": "email", "strategy": "ring_all"}).Expect(t, 201).Map(t)
		luca := createAgent(t, rs.admin, "luca", "")
		rs.admin.Do("PUT", "/api/v1/agents/"+idOf(luca)+"/queues", map[string]any{"queue_ids": []any{other["id"]}}).Expect(t, 200)
		rs.admin.Do("PATCH", "/api/v1/agents/"+idOf(luca), map[string]any{"permissions": map[string]any{"download_attachments": true}}).Expect(t, 200)
		lc := rs.site.Client(t)
		changeFirstPassword(t, lc, "luca", "Agent-Pass22")
		lc.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		lc.Do("GET", url, nil).Expect(t, http.StatusForbidden)
		lc.Do("GET", "/api/v1/attachments/999999", nil).Expect(t, http.StatusNotFound)
		if r := postAttachment(t, lc, id, "x.png", attachmentPNG, ""); r.Status != http.StatusForbidden {
			t.Fatalf("another queue's agent uploads: %d %s", r.Status, r.Body)
		}

		// The message list and the event carry the file.
		msgs := listOf(t, rs.mario.Do("GET", "/api/v1/interactions/"+id+"/messages", nil).Expect(t, 200).Map(t))
		if len(msgs) != 3 || msgs[1].(map[string]any)["attachment"].(map[string]any)["id"] != att["id"] || msgs[0].(map[string]any)["attachment"] != nil {
			t.Fatalf("messages %v", msgs)
		}
		sent := eventsOf(t, rs, id, "message.sent")
		em, _ := sent[0]["message"].(map[string]any)
		if len(sent) != 2 || em["body"] != "Here it is" || em["attachment"].(map[string]any)["name"] != `my "best" photo.png` {
			t.Fatalf("message.sent data %v", sent)
		}
	})
}

// eventsOf returns the data of an interaction's events of one type.
func eventsOf(t *testing.T, rs *routingSite, interactionID, typ string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, e := range listOf(t, rs.admin.Do("GET", "/api/v1/events?limit=1000&subject_type=interaction&subject_id="+interactionID, nil).Expect(t, 200).Map(t)) {
		ev := e.(map[string]any)
		if ev["type"] == typ {
			out = append(out, ev["data"].(map[string]any))
		}
	}
	return out
}

func TestRefusedUploadsStoreNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		id, websiteID := rs.websiteChat(t, nil)
		count := func() int {
			return len(listOf(t, rs.admin.Do("GET", "/api/v1/interactions/"+id+"/messages", nil).Expect(t, 200).Map(t)))
		}
		before := count()

		// Over the website's 1 MB: 413 naming the limit, even for a far
		// larger body (cut off, not read to its end).
		for _, size := range []int{1<<20 + 1, 8 << 20} {
			r := postAttachment(t, rs.mario, id, "big.txt", bytes.Repeat([]byte("a"), size), "").Expect(t, http.StatusRequestEntityTooLarge)
			if m := r.Map(t); m["code"] != "too_large" || !strings.Contains(m["message"].(string), "1 MB") {
				t.Fatalf("too large: %v", m)
			}
		}
		postAttachment(t, rs.mario, id, "exact.txt", bytes.Repeat([]byte("a"), 1<<20), "").Expect(t, 201)
		before++

		// The type is read from the content, not the name.
		r := postAttachment(t, rs.mario, id, "invoice.pdf", []byte("<!DOCTYPE html><script>alert(1)</script>"), "").Expect(t, http.StatusBadRequest)
		if f := fields(t, r); f["file"] == nil {
			t.Fatalf("refused type names no file field: %s", r.Body)
		}
		if f := fields(t, postAttachment(t, rs.mario, id, "", nil, "just a caption").Expect(t, http.StatusBadRequest)); f["file"] == nil {
			t.Fatal("missing file names no file field")
		}
		if f := fields(t, rs.mario.Do("POST", "/api/v1/interactions/"+id+"/attachments", map[string]any{"body": "x"}).Expect(t, http.StatusBadRequest)); f["file"] == nil {
			t.Fatal("a JSON body names no file field")
		}
		if f := fields(t, postAttachment(t, rs.mario, id, "a.png", attachmentPNG, strings.Repeat("x", 10001)).Expect(t, http.StatusBadRequest)); f["body"] == nil {
			t.Fatal("a long caption names no body field")
		}

		// Files off on the website: 403 with a clear message.
		rs.admin.Do("PATCH", "/api/v1/websites/"+websiteID, map[string]any{"attachments_enabled": false}).Expect(t, 200)
		if m := postAttachment(t, rs.mario, id, "a.png", attachmentPNG, "").Expect(t, http.StatusForbidden).Map(t); !strings.Contains(m["message"].(string), "turned off") {
			t.Fatalf("files off: %v", m)
		}
		rs.admin.Do("PATCH", "/api/v1/websites/"+websiteID, map[string]any{"attachments_enabled": true}).Expect(t, 200)

		// Not the owner, then closed.
		postAttachment(t, rs.giula, id, "a.png", attachmentPNG, "").Expect(t, http.StatusForbidden)
		rs.mario.Do("POST", "/api/v1/interactions/"+id+"/close", nil).Expect(t, 200)
		postAttachment(t, rs.mario, id, "a.png", attachmentPNG, "").Expect(t, http.StatusConflict)

		if n := count(); n != before {
			t.Fatalf("%d messages, want %d: a refused upload was stored", n, before)
		}
	})
}

func TestAnInteractionWithoutWebsiteTakesTenMB(t *testing.T) {
	rs := newRoutingSite(t)
	id := rs.ownedChat(t, nil)
	postAttachment(t, rs.mario, id, "big.txt", bytes.Repeat([]byte("a"), 2<<20), "").Expect(t, 201)
	r := postAttachment(t, rs.mario, id, "huge.txt", bytes.Repeat([]byte("a"), 10<<20+1), "").Expect(t, http.StatusRequestEntityTooLarge)
	if !strings.Contains(r.Map(t)["message"].(string), "10 MB") {
		t.Fatalf("limit: %s", r.Body)
	}
}

func TestAProviderMessageIDIsStoredOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		id := rs.ownedChat(t, nil)
		base := "/api/v1/interactions/" + id
		first := rs.admin.Do("POST", base+"/inbound", map[string]any{"body": "hi", "provider_id": "wamid.42"}).Expect(t, 201).Map(t)
		again := rs.admin.Do("POST", base+"/inbound", map[string]any{"body": "hi", "provider_id": "wamid.42"}).Expect(t, 200).Map(t)
		if again["id"] != first["id"] {
			t.Fatalf("retry answered %v, want %v", again, first)
		}
		rs.admin.Do("POST", base+"/inbound", map[string]any{"body": "hi", "provider_id": strings.Repeat("x", 201)}).Expect(t, 400)
		if msgs := listOf(t, rs.admin.Do("GET", base+"/messages", nil).Expect(t, 200).Map(t)); len(msgs) != 1 {
			t.Fatalf("messages %v", msgs)
		}
		if got := eventsOf(t, rs, id, "message.received"); len(got) != 1 {
			t.Fatalf("%d message.received events", len(got))
		}
	})
}

func TestDeliveryFollowsAcceptanceAndTheOwnersReading(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		rs.giula.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		id := idOf(rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": rs.queue["id"], "subject": "Help",
			"body": "Hello?"}).Expect(t, 201).Map(t))
		base := "/api/v1/interactions/" + id
		delivery := func() []string {
			var out []string
			for _, m := range listOf(t, rs.admin.Do("GET", base+"/messages", nil).Expect(t, 200).Map(t)) {
				out = append(out, m.(map[string]any)["delivery"].(string))
			}
			return out
		}
		if got := delivery(); got[0] != "sent" {
			t.Fatalf("waiting: %v", got)
		}
		rs.mario.Do("POST", base+"/accept", nil).Expect(t, 200)
		if got := delivery(); got[0] != "delivered" {
			t.Fatalf("accepted: %v", got)
		}
		rs.admin.Do("POST", base+"/inbound", map[string]any{"body": "Are you there?"}).Expect(t, 201)
		rs.giula.Do("POST", base+"/read", nil).Expect(t, 200) // not the owner: counts for nothing
		if got := delivery(); got[0] != "delivered" || got[1] != "delivered" {
			t.Fatalf("after a queue mate read: %v", got)
		}
		rs.mario.Do("POST", base+"/read", nil).Expect(t, 200)
		if got := delivery(); got[0] != "read" || got[1] != "read" {
			t.Fatalf("after the owner read: %v", got)
		}
		evs := eventsOf(t, rs, id, "message.delivery")
		// Delivered on acceptance, then both read; the second arrived delivered.
		if len(evs) != 3 || evs[0]["delivery"] != "delivered" || evs[2]["delivery"] != "read" ||
			evs[2]["direction"] != "in" || evs[2]["agent_id"] != evs[0]["agent_id"] || evs[0]["message_id"] == nil {
			t.Fatalf("delivery events %v", evs)
		}
		// The whole message rides on the message events.
		got := eventsOf(t, rs, id, "message.received")
		msg, _ := got[1]["message"].(map[string]any)
		if msg["body"] != "Are you there?" || msg["direction"] != "in" || msg["delivery"] != "delivered" || msg["id"] != got[1]["message_id"] {
			t.Fatalf("message.received data %v", got[1])
		}
	})
}
