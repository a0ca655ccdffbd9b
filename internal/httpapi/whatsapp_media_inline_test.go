package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// A voice note plays in the conversation: it is served inline, with the
// type it was stored with and nosniff, like a picture; a document is
// still a download.
func TestWhatsAppVoiceNotesAreServedInlineDocumentsAsDownloads(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		ws := newWASite(t, d, whatsapp.Meta)
		voice := append([]byte("OggS\x00\x02"), make([]byte, 200)...)
		files := map[string]struct {
			mime string
			data []byte
		}{
			"voice": {"audio/ogg; codecs=opus", voice},
			"doc":   {"application/pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")},
		}
		// The Graph API's media endpoints, saying each file's own type.
		graph := http.NewServeMux()
		var srv *httptest.Server
		graph.HandleFunc("GET /v21.0/{id}", func(w http.ResponseWriter, r *http.Request) {
			f := files[r.PathValue("id")]
			json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp", "id": r.PathValue("id"),
				"url": srv.URL + "/media/" + r.PathValue("id"), "mime_type": f.mime, "file_size": len(f.data)})
		})
		graph.HandleFunc("GET /media/{id}", func(w http.ResponseWriter, r *http.Request) { w.Write(files[r.PathValue("id")].data) })
		srv = httptest.NewServer(graph)
		t.Cleanup(srv.Close)
		ws.admin.Do("PATCH", "/api/v1/whatsapp-accounts/"+idOf(ws.account), map[string]any{"api_base_url": srv.URL}).Expect(t, 200)
		hook := metaMessages(
			fmt.Sprintf(`{"from":%q,"id":"wamid.voice","type":"audio","audio":{"id":"voice","mime_type":"audio/ogg; codecs=opus","voice":true}}`, waCustomer),
			fmt.Sprintf(`{"from":%q,"id":"wamid.doc","type":"document","document":{"id":"doc","mime_type":"application/pdf","filename":"offer.pdf"}}`, waCustomer))
		if code := ws.meta(t, hook, waAppSecret); code != 200 {
			t.Fatalf("webhook %d", code)
		}
		items := ws.whatsappInteractions(t)
		if len(items) != 1 {
			t.Fatalf("interactions %v", items)
		}
		byType := map[string]float64{}
		for _, m := range ws.messages(t, idOf(items[0])) {
			if a, ok := m["attachment"].(map[string]any); ok {
				byType[a["content_type"].(string)] = a["id"].(float64)
			}
		}
		if byType["audio/ogg"] == 0 || byType["application/pdf"] == 0 {
			t.Fatalf("stored files %v", byType)
		}
		audio := ws.admin.Do("GET", fmt.Sprintf("/api/v1/attachments/%d", int(byType["audio/ogg"])), nil).Expect(t, 200)
		if !bytes.Equal(audio.Body, voice) || audio.Header.Get("Content-Type") != "audio/ogg" ||
			audio.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!bytes.HasPrefix([]byte(audio.Header.Get("Content-Disposition")), []byte("inline")) {
			t.Fatalf("voice note served as %v", audio.Header)
		}
		doc := ws.admin.Do("GET", fmt.Sprintf("/api/v1/attachments/%d", int(byType["application/pdf"])), nil).Expect(t, 200)
		if !bytes.HasPrefix([]byte(doc.Header.Get("Content-Disposition")), []byte("attachment")) {
			t.Fatalf("document served as %v", doc.Header)
		}
	})
}
